package lineworks

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// TokenError is a refusal from the OAuth token or revoke endpoint, in the
// service's own words ({"error","error_description"}) plus what to check.
type TokenError struct {
	StatusCode  int
	Code        string // e.g. invalid_client, invalid_scope, invalid_grant
	Description string
	Hint        string
}

func (e *TokenError) Error() string {
	return withHint(fmt.Sprintf("LINE WORKS token endpoint answered HTTP %d%s", e.StatusCode, codeAndDescription(e.Code, e.Description)), e.Hint)
}

// APIError is a refusal from a LINE WORKS API or storage host
// ({"code","description"}).
type APIError struct {
	StatusCode  int
	Code        string // e.g. UNAUTHORIZED, FORBIDDEN, NOT_FOUND, TOO_MANY_REQUESTS
	Description string
	// Host is the host that answered; its path is left out on purpose.
	Host string
	// Hint says what to check, in LINE WORKS's terms.
	Hint string
	// Scopes is set when the token may lack the scope the call needs: any
	// one of these allows it (see IsScopeMissing). The message then ends
	// with ScopeAdvice.
	Scopes []string
}

func (e *APIError) Error() string {
	msg := withHint(fmt.Sprintf("%s answered HTTP %d%s", e.Host, e.StatusCode, codeAndDescription(e.Code, e.Description)), e.Hint)
	if len(e.Scopes) == 0 {
		return msg
	}
	return withHint(msg, e.ScopeAdvice())
}

// ScopeAdvice is the last sentence of the message of an error with Scopes:
// which scopes the call needs, and where to enable them. A caller that
// knows where its own scopes are configured may put its own words in its
// place.
func (e *APIError) ScopeAdvice() string {
	if len(e.Scopes) == 0 {
		return ""
	}
	return scopeAdvice(e.Scopes)
}

// IsStaleToken reports the answer the official samples treat as an expired
// token: 403 with code UNAUTHORIZED, or a plain 401.
func (e *APIError) IsStaleToken() bool {
	return e.StatusCode == http.StatusUnauthorized ||
		(e.StatusCode == http.StatusForbidden && e.Code == "UNAUTHORIZED")
}

// ErrStaticTokenRejected is returned when the service refuses a token that was
// configured rather than issued: the client cannot replace it.
var ErrStaticTokenRejected = errors.New("the configured access token was refused: it has expired, been revoked, or lacks the scope this API needs; issue a fresh one")

// EndpointError is a 404 (or 410) for a bot, its registrations or its
// secret that the client could not confirm as the bot's: listing the
// tenant's bots (GET /bots?count=1), which succeeds at a right api_endpoint,
// failed too. A wrong api_endpoint (no /v1.0, another version, a proxy path)
// answers 404 for every call, so such a 404 proves nothing about the bot, and
// nothing may be taken for deleted on its word. IsNotFound is false for it.
type EndpointError struct {
	// APIEndpoint is the configured api_endpoint, as the client uses it.
	APIEndpoint string
	// NotFound is the bot call's 404 or 410.
	NotFound *APIError
	// Probe is why listing the bots failed.
	Probe error
}

func (e *EndpointError) Error() string {
	status := apiStatus(e.Probe)
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed || status == http.StatusGone {
		return withHint(e.NotFound.Error(), fmt.Sprintf("Listing the tenant's bots at the same api_endpoint (%s) answered HTTP %d too: api_endpoint is wrong, not the bot. "+
			"It must be the base URL of LINE WORKS API 2.0 with its version, such as %s. Nothing was taken for deleted.",
			e.APIEndpoint, status, DefaultAPIEndpoint))
	}
	return withHint(e.NotFound.Error(), fmt.Sprintf("Whether the bot is gone could not be confirmed: listing the tenant's bots at api_endpoint %s failed (%v). "+
		"Nothing was taken for deleted; try again, and check that api_endpoint is the base URL of LINE WORKS API 2.0 with its version, such as %s.",
		e.APIEndpoint, e.Probe, DefaultAPIEndpoint))
}

// DomainNotAllowedError reports a registration in a domain that the bot's
// allowDomains leaves out. The service answers such a registration with a
// 400 whose code it does not document, so RegisterBotDomain reads the bot
// again to tell this case from other refusals.
type DomainNotAllowedError struct {
	BotID, DomainID int64
	// AllowDomains is the bot's allowDomains as read after the refusal.
	AllowDomains []int64
	// Err is the refusal, as RegisterBotDomain would otherwise return it.
	Err error
}

func (e *DomainNotAllowedError) Error() string {
	return fmt.Sprintf("%v (bot %d allows only the domains %s in its allowDomains: add %d there first)", e.Err, e.BotID, joinIDs(e.AllowDomains), e.DomainID)
}

func (e *DomainNotAllowedError) Unwrap() error { return e.Err }

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

func codeAndDescription(code, desc string) string {
	switch {
	case code != "" && desc != "":
		return fmt.Sprintf(": %s: %s", code, desc)
	case code != "":
		return ": " + code
	case desc != "":
		return ": " + desc
	}
	return ""
}

func withHint(msg, hint string) string {
	if hint == "" {
		return msg
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg + " " + hint
}

// parseTokenError reads an OAuth error body. A body that is not the expected
// JSON is summarised rather than quoted whole. secrets are the request's
// credentials: a service that echoes one never gets it into the message.
func parseTokenError(status int, body []byte, secrets ...string) *TokenError {
	var e struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		return &TokenError{StatusCode: status, Code: serviceText(e.Error, secrets), Description: serviceText(e.ErrorDescription, secrets)}
	}
	return &TokenError{StatusCode: status, Description: summarizeBody(body, secrets...)}
}

// parseAPIError reads a resource API error body ({"code","description"}).
// What the request carried as a credential (requestSecrets) never reaches
// the message.
func parseAPIError(resp *http.Response, body []byte) *APIError {
	var e struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	}
	secrets := requestSecrets(resp.Request)
	apiErr := &APIError{StatusCode: resp.StatusCode, Host: resp.Request.URL.Host}
	if json.Unmarshal(body, &e) == nil && (e.Code != "" || e.Description != "") {
		apiErr.Code, apiErr.Description = serviceText(e.Code, secrets), serviceText(e.Description, secrets)
	} else {
		apiErr.Description = summarizeBody(body, secrets...)
	}
	return apiErr
}
