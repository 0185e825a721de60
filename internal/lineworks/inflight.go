package lineworks

// A call that reached the service runs to its answer. Terraform cancels the
// context of every operation when asked to stop (Ctrl-C, a cancelled CI
// job). A create, a secret issue or any change to a bot that the service has
// already received may still take effect there; abandoning it then would
// lose its answer (a bot created but in no state, a secret issued but never
// seen) and release the bot's lock while the service may still be at work.
// So once a request has been written to the connection, the call no longer
// follows the caller's cancellation: it waits for the answer, for at most
// RequestTimeout after the cancellation. A call not yet sent, or between
// retries after an answer that proves nothing was done, is abandoned at once.

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptrace"
	"sync"
	"time"
)

// sendGuard follows one call: whether its current request has been sent,
// and the caller's context it no longer follows once it has.
type sendGuard struct {
	parent  context.Context
	cancel  context.CancelCauseFunc
	timeout time.Duration

	mu    sync.Mutex
	sent  bool        // the current attempt's request was written
	timer *time.Timer // cancels the wait for the answer, once the caller gave up
}

type sendGuardKey struct{}

// runToAnswer returns the context a call runs in: parent's values without
// its cancellation, for as long as the guard allows (see the file comment).
// done must be called when the call has returned.
func (c *Client) runToAnswer(parent context.Context) (ctx context.Context, done func()) {
	detached, cancel := context.WithCancelCause(context.WithoutCancel(parent))
	g := &sendGuard{parent: parent, cancel: cancel, timeout: c.cfg.RequestTimeout}
	ctx = httptrace.WithClientTrace(detached, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				g.mu.Lock()
				g.sent = true
				g.mu.Unlock()
			}
		},
	})
	ctx = context.WithValue(ctx, sendGuardKey{}, g)
	if parent.Err() != nil { // nothing is sent for a caller already gone
		cancel(context.Cause(parent))
	}
	stop := context.AfterFunc(parent, g.callerGaveUp)
	return ctx, func() {
		stop()
		g.mu.Lock()
		if g.timer != nil {
			g.timer.Stop()
		}
		g.mu.Unlock()
		cancel(nil)
	}
}

// callerGaveUp runs when the caller's context ends: a call not sent is
// abandoned; a call sent gets RequestTimeout more for its answer.
func (g *sendGuard) callerGaveUp() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.sent {
		g.cancel(context.Cause(g.parent))
		return
	}
	g.timer = time.AfterFunc(g.timeout, func() {
		g.cancel(fmt.Errorf("the request had reached LINE WORKS when the operation was cancelled, and its answer did not come within the request timeout (%s) after that: whether it took effect is unknown", g.timeout))
	})
}

// beforeRetry is called when the call is about to be sent again after an
// answer that proves nothing was done (a 429, a stale token): it reports the
// caller's error when the caller has given up, so that the call stops there.
func (g *sendGuard) beforeRetry() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.parent.Err(); err != nil {
		return context.Cause(g.parent)
	}
	g.sent = false
	return nil
}

// beforeRetry is sendGuard.beforeRetry for the call ctx belongs to; nil for
// a call without a guard.
func beforeRetry(ctx context.Context) error {
	if g, ok := ctx.Value(sendGuardKey{}).(*sendGuard); ok {
		return g.beforeRetry()
	}
	return nil
}

// cancelledCause explains an error of a call run by runToAnswer that ended
// because its context did: the caller's cancellation, or the bounded wait
// for an answer after it.
func cancelledCause(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, ctx.Err()) {
		return fmt.Errorf("%w (%w)", cause, err)
	}
	return err
}

// afterAnswer is the context of a call that completes one whose effect took
// place (reading back a bot just written): ctx, or, once ctx has ended, its
// values alone for at most timeout.
func afterAnswer(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), timeout)
}
