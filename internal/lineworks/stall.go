package lineworks

// The deadline on every body read: a server (or a proxy) that sends its
// headers and then stalls must not hold Terraform forever.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// errStalled is what a body read fails with when no data arrived within
// the request timeout; IsStalled finds it.
var errStalled = errors.New("no data arrived within the request timeout")

// stallTransport reads every response body under a stall check: a Read
// that waits longer than timeout cancels the request, and fails with an
// error wrapping errStalled. The check is reset by every Read, so a body
// that keeps flowing is never cut however long it is (http.Client.Timeout
// would cut long downloads), and the time the caller spends between reads,
// writing what it read, does not count. It covers every answer the client
// reads, token answers and errors, API answers, redirects and downloads
// alike, including those retryablehttp drains before a retry.
type stallTransport struct {
	base    http.RoundTripper
	timeout time.Duration
}

func (t *stallTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil || resp == nil {
		cancel(nil)
		return resp, err
	}
	resp.Body = &stallBody{body: resp.Body, ctx: ctx, cancel: cancel, timeout: t.timeout}
	return resp, nil
}

// stallBody is a response body whose every Read is bounded by timeout.
type stallBody struct {
	body    io.ReadCloser
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timeout time.Duration
	timer   *time.Timer
}

func (b *stallBody) Read(p []byte) (int, error) {
	if b.timer == nil {
		b.timer = time.AfterFunc(b.timeout, func() { b.cancel(errStalled) })
	} else {
		b.timer.Reset(b.timeout)
	}
	n, err := b.body.Read(p)
	b.timer.Stop()
	if err != nil && errors.Is(context.Cause(b.ctx), errStalled) {
		err = fmt.Errorf("%w (%v)", errStalled, b.timeout)
	}
	return n, err
}

// Close closes the body and releases the request's context.
func (b *stallBody) Close() error {
	if b.timer != nil {
		b.timer.Stop()
	}
	err := b.body.Close()
	b.cancel(nil)
	return err
}
