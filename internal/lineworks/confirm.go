package lineworks

// What a 404 for a bot proves. A wrong api_endpoint (no /v1.0, another
// version, a proxy path) answers 404 to every call, with the very body a
// deleted bot gets, so a 404 (or 410) for a bot, its registrations or its
// secret counts as "gone" only once the endpoint is known to be right: one
// call that must succeed there, GET /bots?count=1, confirms it. A success is
// remembered for the client's lifetime, so a plan that finds many deleted
// bots pays for one confirmation.

import (
	"context"
	"net/http"
	"net/url"
)

// probeQuery lists a single item: the cheapest call that must succeed at a
// right api_endpoint (GET /bots), or for a bot that exists there (GET
// /bots/{botId}/richmenus, confirmAbsent).
var probeQuery = url.Values{"count": {"1"}}

// isBotScoped reports whether call is about one bot: /bots/{botId}/….
func (call apiCall) isBotScoped() bool {
	return len(call.segments) >= 2 && call.segments[0] == "bots"
}

// confirmNotFound returns notFound, the 404 or 410 of a call on one bot,
// once listing the tenant's bots has shown the endpoint right; otherwise an
// *EndpointError.
func (c *Client) confirmNotFound(ctx context.Context, notFound *APIError) error {
	if c.endpointConfirmed.Load() {
		return notFound
	}
	_, err, _ := c.confirmingEndpoint.Do("", func() (any, error) {
		if c.endpointConfirmed.Load() {
			return nil, nil
		}
		err := c.callAPI(ctx, apiCall{method: http.MethodGet, segments: []string{"bots"}, query: probeQuery})
		if err == nil {
			c.endpointConfirmed.Store(true)
		}
		return nil, err
	})
	if err != nil {
		c.cfg.Logger.Warn(ctx, "a 404 for a LINE WORKS bot could not be confirmed: listing the bots at api_endpoint failed too", map[string]any{"api_endpoint": c.eps.api.String()})
		return &EndpointError{APIEndpoint: c.eps.api.String(), NotFound: notFound, Probe: err}
	}
	return notFound
}
