package lineworks

import "context"

// Logger receives the client's diagnostic messages. The client never puts a
// secret (key, client secret, assertion, token) in a message or a field, so
// an implementation may log everything it gets; the provider still masks
// secrets as a second line of defence.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type discardLogger struct{}

func (discardLogger) Debug(context.Context, string, map[string]any) {}
func (discardLogger) Warn(context.Context, string, map[string]any)  {}
