package lineworks

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
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
	Hint string
}

func (e *APIError) Error() string {
	return withHint(fmt.Sprintf("%s answered HTTP %d%s", e.Host, e.StatusCode, codeAndDescription(e.Code, e.Description)), e.Hint)
}

// IsStaleToken reports the answer the official samples treat as an expired
// token: 403 with code UNAUTHORIZED, or a plain 401.
func (e *APIError) IsStaleToken() bool {
	return e.StatusCode == http.StatusUnauthorized ||
		(e.StatusCode == http.StatusForbidden && e.Code == "UNAUTHORIZED")
}

// IsNotFound reports whether err is the service saying the bot (or the
// bot's registration in a domain) does not exist: 404 from the bot API.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// ErrStaticTokenRejected is returned when the service refuses a token that was
// configured rather than issued: the client cannot replace it.
var ErrStaticTokenRejected = errors.New("the configured access_token was refused: it has expired, been revoked, or lacks the scope this API needs; issue a fresh one (for example with the lineworks_access_token ephemeral resource)")

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

// tokenErrorHint says what to check for an OAuth error code.
func tokenErrorHint(code, grantType string, scopes []string) string {
	switch code {
	case "invalid_client":
		return "Check client_id and client_secret: both must belong to the same app in the LINE WORKS Developer Console (API 2.0)."
	case "invalid_scope":
		return fmt.Sprintf("Every requested scope (%s) must be enabled for the app in the Developer Console (API 2.0 > the app > OAuth Scopes); a newly enabled scope can take a few minutes to take effect.", strings.Join(scopes, " "))
	case "invalid_grant":
		if grantType == "refresh_token" {
			return "The refresh token is unknown, expired (they last 90 days), revoked, or was replaced by an earlier refresh when the app rotates refresh tokens."
		}
		return "The JWT assertion was refused. Check that service_account_id belongs to this app, that private_key is the key issued for this app, and that this machine's clock is correct: iat may not be in the future and exp may not be past."
	case "unsupported_grant_type", "invalid_request":
		return "This is likely a provider bug or an endpoint that is not LINE WORKS's token endpoint; check auth_endpoint."
	}
	return ""
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
// The bearer token the request carried never reaches the message.
func parseAPIError(resp *http.Response, body []byte) *APIError {
	var e struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	}
	var secrets []string
	if resp.Request != nil {
		if _, tok, ok := strings.Cut(resp.Request.Header.Get("Authorization"), " "); ok {
			secrets = append(secrets, tok)
		}
	}
	apiErr := &APIError{StatusCode: resp.StatusCode, Host: resp.Request.URL.Host}
	if json.Unmarshal(body, &e) == nil && (e.Code != "" || e.Description != "") {
		apiErr.Code, apiErr.Description = serviceText(e.Code, secrets), serviceText(e.Description, secrets)
	} else {
		apiErr.Description = summarizeBody(body, secrets...)
	}
	return apiErr
}

// serviceTextLimit bounds what of the service's own words an error quotes.
const serviceTextLimit = 300

// jwtShape matches a JWT, whatever produced it.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*`)

// serviceText makes text from the service fit for an error message: secrets
// and anything shaped like a JWT are taken out, control characters (which
// could rewrite a terminal) become spaces, runs of blanks one space, and it
// is cut to serviceTextLimit bytes.
func serviceText(s string, secrets []string) string {
	s = redact(strings.ToValidUTF8(s, "\uFFFD"), secrets)
	s = jwtShape.ReplaceAllString(s, "[redacted JWT]")
	s = strings.Join(strings.Fields(strings.Map(printable, s)), " ")
	// Again, in the form the secret takes once blanks are collapsed.
	s = redact(s, secrets)
	if len(s) > serviceTextLimit {
		cut := serviceTextLimit
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) < 4 {
			continue // too short to tell from ordinary words
		}
		s = strings.ReplaceAll(s, secret, "[redacted]")
		if flat := strings.Join(strings.Fields(strings.Map(printable, secret)), " "); flat != secret && len(flat) >= 4 {
			s = strings.ReplaceAll(s, flat, "[redacted]")
		}
	}
	return s
}

func printable(r rune) rune {
	if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
		return ' '
	}
	return r
}

// summarizeBody keeps an unexpected error body short and printable, without
// secrets.
func summarizeBody(body []byte, secrets ...string) string {
	if !utf8.Valid(body) {
		return fmt.Sprintf("(%d bytes of non-text body)", len(body))
	}
	return serviceText(string(body), secrets)
}
