package lineworks

// What is retried, and after how long: retryablehttp's policy, with the
// service's own rate-limit headers honoured and requests that must not be
// repeated kept from being repeated.

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxServerWait caps how long a 429's rateLimit-reset or Retry-After may make
// a request wait: LINE WORKS limits are per minute.
const maxServerWait = 65 * time.Second

// backoff honours LINE WORKS's rateLimit-reset (seconds until the limit resets)
// and Retry-After; otherwise it backs off exponentially.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if wait, ok := announcedReset(resp.Header, time.Now()); ok {
			return min(max(wait, minWait), maxServerWait)
		}
		if resp.Header.Get("Retry-After") != "" {
			return min(retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp), maxServerWait)
		}
	}
	return retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp)
}

// onceKey marks a request context whose request must not be repeated after
// the service may have acted on it.
type onceKey struct{}

// checkRetry is retryablehttp's default policy, except for requests marked
// with onceKey: those are retried only on 429 (the service refused before
// acting) and on a connection that could not be opened (nothing was sent). A
// 5xx or a connection lost mid-request may come after the service acted.
// A call that runs to its answer (inflight.go) is not sent again once its
// caller has given up.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, rerr := retryPolicy(ctx, resp, err)
	if retry {
		if gaveUp := beforeRetry(ctx); gaveUp != nil {
			return false, gaveUp
		}
	}
	return retry, rerr
}

func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Value(onceKey{}) == nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var opErr *net.OpError
		return errors.As(err, &opErr) && opErr.Op == "dial", nil
	}
	return resp.StatusCode == http.StatusTooManyRequests, nil
}
