package lineworks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"
)

// apiCall is one authenticated JSON call to the API host (www.worksapis.com).
type apiCall struct {
	method   string
	segments []string // path under the API endpoint, each segment escaped
	query    url.Values
	body     any // sent as JSON when non-nil
	out      any // a 2xx body is decoded into it when non-nil
	// write says the call needs the "bot" scope; reads also accept "bot.read".
	// Only the advice of a 403 depends on it.
	write bool
	// scopes, when set, are the scopes any one of which allows the call, in
	// place of what write implies (a rich menu call also accepts
	// "bot.message", say). Only the advice of a 403 depends on them.
	scopes []string
	// once: the call has an effect a retry could repeat (POST /bots creates a
	// second bot), so only answers that prove nothing happened are retried.
	// Such a call also runs to its answer, as with finish.
	once bool
	// finish: once sent, the call waits for its answer even when its caller
	// gives up (inflight.go): a change the service may already be making is
	// never abandoned halfway. mutateBot sets it for every change to a bot.
	finish bool
	// quiet: the 2xx body holds a secret, so a body that cannot be decoded is
	// reported without the decoder's words, which may quote it.
	quiet bool
}

// callAPI sends call with the client's token and decodes the answer. A token
// the service calls stale is re-issued once; a refused configured token is
// ErrStaticTokenRejected. Any other refusal is an *APIError with a hint. A
// 2xx answer without a body leaves call.out as it was. A 404 or 410 for one
// bot stands only at an endpoint known to be right, and is an
// *EndpointError otherwise (confirm.go).
func (c *Client) callAPI(ctx context.Context, call apiCall) error {
	if call.once || call.finish {
		runCtx, done := c.runToAnswer(ctx)
		defer done()
		return cancelledCause(runCtx, c.sendCall(runCtx, call))
	}
	return c.sendCall(ctx, call)
}

func (c *Client) sendCall(ctx context.Context, call apiCall) error {
	var body []byte
	if call.body != nil {
		var err error
		if body, err = json.Marshal(call.body); err != nil {
			return err
		}
	}
	u := joinEscaped(c.eps.api, call.segments...)
	u.RawQuery = call.query.Encode()
	// Only the call's own request is sent once: not the token it may need
	// issued on the way, nor the listing that confirms its 404.
	sendCtx := ctx
	if call.once {
		sendCtx = context.WithValue(ctx, onceKey{}, true)
	}

	tok, static, err := c.apiToken(ctx)
	if err != nil {
		return err
	}
	apiErr, err := c.sendJSON(sendCtx, call, u, body, tok)
	if err != nil {
		return err
	}
	if apiErr != nil && apiErr.IsStaleToken() {
		if static {
			return fmt.Errorf("%w (%w)", ErrStaticTokenRejected, apiErr)
		}
		c.cfg.Logger.Debug(ctx, "LINE WORKS refused the access token; issuing a new one", map[string]any{"status": apiErr.StatusCode, "host": apiErr.Host})
		if gaveUp := beforeRetry(ctx); gaveUp != nil {
			return gaveUp
		}
		if tok, err = c.reissue(ctx, nil, tok); err != nil {
			return err
		}
		if apiErr, err = c.sendJSON(sendCtx, call, u, body, tok); err != nil {
			return err
		}
		if apiErr != nil && apiErr.IsStaleToken() {
			apiErr.Hint, apiErr.Scopes = "LINE WORKS refused a newly issued access token too.", call.neededScopes()
			return apiErr
		}
	}
	if apiErr != nil {
		c.apiErrorHint(apiErr, call)
		if call.isBotScoped() && (apiErr.StatusCode == http.StatusNotFound || apiErr.StatusCode == http.StatusGone) {
			return c.confirmNotFound(ctx, apiErr)
		}
		return apiErr
	}
	return nil
}

// apiToken is the token API calls use: the configured one, or this client's
// shared token for its configured scopes.
func (c *Client) apiToken(ctx context.Context) (tok *Token, static bool, err error) {
	if c.cfg.AccessToken != "" {
		return &Token{Token: oauth2.Token{AccessToken: c.cfg.AccessToken, TokenType: "Bearer"}}, true, nil
	}
	tok, err = c.Token(ctx, nil)
	return tok, false, err
}

// neededScopes are the scopes any one of which allows call, in a slice of
// its own (an *APIError exports it).
func (call apiCall) neededScopes() []string {
	switch {
	case call.scopes != nil:
		return slices.Clone(call.scopes)
	case call.write:
		return slices.Clone(scopesToWrite)
	}
	return slices.Clone(scopesToRead)
}

// sendJSON sends one request (retried as the client's policy says). It
// decodes a 2xx answer into call.out and returns any other as an *APIError.
func (c *Client) sendJSON(ctx context.Context, call apiCall, u *url.URL, body []byte, tok *Token) (*APIError, error) {
	req, err := c.newAuthorizedRequest(ctx, call.method, u, body, tok)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	resp = observeAnswer(ctx, call, resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return parseAPIError(resp, readErrorBody(resp)), nil
	}
	if call.out == nil || resp.StatusCode == http.StatusNoContent {
		drain(resp)
		return nil, nil
	}
	if err := decodeJSON(resp, call.out); errors.Is(err, io.EOF) {
		return nil, nil // no body: call.out stays as it was
	} else if err != nil {
		if call.quiet {
			return nil, fmt.Errorf("%s answered HTTP %d with a body that is not the expected JSON", u.Host, resp.StatusCode)
		}
		return nil, fmt.Errorf("reading the answer of %s: %w", u.Host, err)
	}
	return nil, nil
}

// newAuthorizedRequest builds a request that carries tok. It refuses any URL
// the token may not go to: the last guard against a token leaving LINE WORKS.
func (c *Client) newAuthorizedRequest(ctx context.Context, method string, u *url.URL, body []byte, tok *Token) (*retryablehttp.Request, error) {
	if !c.eps.mayCarryToken(u) {
		return nil, fmt.Errorf("refusing to send the access token to %s://%s: not a LINE WORKS host nor a configured endpoint", u.Scheme, u.Host)
	}
	var rawBody any // a nil []byte would still be "a body" to retryablehttp
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return nil, err
	}
	tok.SetAuthHeader(req.Request)
	return req, nil
}
