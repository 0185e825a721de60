package lineworks

// What a caller may ask of an error from this client, so that no caller
// compares HTTP status codes itself.

import (
	"errors"
	"net/http"
)

// IsNotFound reports whether err is the service saying the bot (or the
// bot's registration in a domain, or what the call asked for) does not
// exist: 404, or 410 DELETED, from the bot API, at an api_endpoint known to
// be right. A 404 the client could not confirm is an *EndpointError
// instead, for which IsNotFound is false: nothing may be dropped on its word.
func IsNotFound(err error) bool {
	if IsWrongEndpoint(err) {
		return false
	}
	status := apiStatus(err)
	return status == http.StatusNotFound || status == http.StatusGone
}

// IsWrongEndpoint reports whether err is a 404 for a bot that the client
// could not confirm, because listing the tenant's bots at the same
// api_endpoint failed too; errors.As with an *EndpointError gives the
// details.
func IsWrongEndpoint(err error) bool {
	var e *EndpointError
	return errors.As(err, &e)
}

// IsScopeMissing reports whether err is a refusal that the token lacking a
// scope explains: a 403 for a token the service otherwise accepts, or a
// newly issued token refused too. The *APIError's Scopes say which scopes
// would allow the call.
func IsScopeMissing(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && len(apiErr.Scopes) > 0
}

// IsRateLimited reports whether err is the service still answering 429 Too
// Many Requests once the client's retries were spent, from any LINE WORKS
// host.
func IsRateLimited(err error) bool {
	var (
		apiErr    *APIError
		tokenErr  *TokenError
		legacyErr *LegacyError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr.StatusCode == http.StatusTooManyRequests
	case errors.As(err, &tokenErr):
		return tokenErr.StatusCode == http.StatusTooManyRequests
	case errors.As(err, &legacyErr):
		return legacyErr.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// IsConflict reports whether err is the service refusing a change to a bot
// while another change to it is in progress (409 CONFLICT).
func IsConflict(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict && apiErr.Code == "CONFLICT"
}

// IsDomainNotAllowed reports whether err is a registration refused because
// the bot's allowDomains leaves the domain out; errors.As with a
// *DomainNotAllowedError gives the details.
func IsDomainNotAllowed(err error) bool {
	var e *DomainNotAllowedError
	return errors.As(err, &e)
}

// IsStalled reports whether err is an answer that stopped arriving: its
// headers came, then no data within the request timeout.
func IsStalled(err error) bool {
	return errors.Is(err, errStalled)
}

// IsStaticTokenRejected reports whether err is the service refusing the
// configured access token, which the client cannot replace.
func IsStaticTokenRejected(err error) bool {
	return errors.Is(err, ErrStaticTokenRejected)
}

func apiStatus(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}
