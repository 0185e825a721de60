package lineworks

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// Answer is one answer of the API host as it arrived, before the client
// made anything of it: for a caller that must see how the service answers
// (the contract report, `make contract`) rather than what the client takes
// from it. The client reads every answer the same way whether or not it is
// observed.
type Answer struct {
	Method string // of the request
	Path   string // of the request's URL, without the query
	Status int
	// Body is the body as received, up to the bound on any answer (8 MiB);
	// empty when none came. It is nil and Withheld is true for an answer
	// that holds a secret (a new Bot Secret): no observer ever sees one.
	Body     []byte
	Withheld bool
	// RateLimit holds the answer's rateLimit-* headers (the budget the
	// service announces; nothing secret), by lower-case name.
	RateLimit map[string]string
}

// HasBody reports whether the answer came with a body (not a withheld one).
func (a Answer) HasBody() bool { return len(bytes.TrimSpace(a.Body)) > 0 }

// Field returns the raw JSON at path in the answer's body, an object (each
// element a key of the object within the one before), and whether it is
// there at all: a field that is null is there, as the JSON "null".
func (a Answer) Field(path ...string) (json.RawMessage, bool) {
	raw := json.RawMessage(a.Body)
	for _, key := range path {
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return nil, false
		}
		var ok bool
		if raw, ok = obj[key]; !ok {
			return nil, false
		}
	}
	return raw, true
}

type answerObserverKey struct{}

// WithAnswerObserver returns a context whose API calls (every call of the
// bot API made with it, its retries' last answer) are each handed to
// observe once answered, on the calling goroutine, before the client reads
// them. Token requests and downloads are not API calls and are not
// observed.
func WithAnswerObserver(ctx context.Context, observe func(Answer)) context.Context {
	return context.WithValue(ctx, answerObserverKey{}, observe)
}

// observeAnswer hands resp to the context's observer, if any, and returns
// a response whose body reads as resp's did.
func observeAnswer(ctx context.Context, call apiCall, resp *http.Response) *http.Response {
	observe, _ := ctx.Value(answerObserverKey{}).(func(Answer))
	if observe == nil {
		return resp
	}
	// One byte beyond the bound, so that the reader after this one still
	// sees an answer that is too long.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	resp.Body.Close()
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
	a := Answer{Method: call.method, Path: resp.Request.URL.Path, Status: resp.StatusCode, Body: bytes.Clone(body), RateLimit: map[string]string{}}
	for name, values := range resp.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "ratelimit-") && len(values) > 0 {
			a.RateLimit[lower] = values[0]
		}
	}
	if call.quiet {
		a.Body, a.Withheld = nil, true
	}
	observe(a)
	return resp
}

// errReader ends a replayed body with the error reading it ended with.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	return 0, io.EOF
}
