package provider

import (
	"context"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

// The client logs from goroutines that share a context; masking, which
// rewrites the logger's fields, must not have them write one map at once.
func TestClientLogsFromManyGoroutinesAtOnce(t *testing.T) {
	ctx := tfsdklog.ContextWithTestLogging(context.Background(), t.Name())
	ctx = tfsdklog.NewRootProviderLogger(ctx) // as the framework gives each request
	ctx = tflog.SetField(ctx, "tf_req_id", "1")
	ctx = (&providerData{secrets: []string{"jp1AAAB+refresh/token=="}}).logContext(ctx)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				tflogLogger{}.Debug(ctx, "LINE WORKS request", map[string]any{"url": "https://www.worksapis.com/v1.0/bots"})
			}
		}()
	}
	wg.Wait()
}
