package lineworks

// What an error tells its reader to check or do, in LINE WORKS's terms. The
// client knows nothing of Terraform: where a setting lives in a Terraform
// configuration is for the provider to say.

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

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
		return "This is likely a bug in this client or an endpoint that is not LINE WORKS's token endpoint; check auth_endpoint."
	}
	return ""
}

// statusHint explains a failure the service did not explain itself.
func statusHint(status, retries int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return fmt.Sprintf("LINE WORKS kept answering 429 Too Many Requests after %d retries: the API's per-minute rate limit is exhausted. "+
			"This client waits for the budget LINE WORKS announces, so something else is spending it: another program calling the same API for the same LINE WORKS domain. "+
			"Run them one after another, or try again later.", retries)
	case status >= 500:
		return fmt.Sprintf("LINE WORKS kept failing after %d retries; try again later.", retries)
	}
	return ""
}

// The scopes any one of which allows a call.
var (
	scopesToWrite    = []string{"bot"}
	scopesToRead     = []string{"bot", "bot.read"}
	scopesToDownload = []string{"bot", "bot.message"}
	// Menus (and the uploads their images take) also allow bot.message.
	scopesToWriteMenus = []string{"bot", "bot.message"}
	scopesToReadMenus  = []string{"bot", "bot.message", "bot.read"}
)

// ScopesToWrite are the scopes any one of which allows the bot calls that
// change something (a bot, a registration, a secret), for a caller that
// checks them before calling.
func ScopesToWrite() []string { return slices.Clone(scopesToWrite) }

// ScopesToWriteMenus are the scopes any one of which allows the menu calls
// that change something (rich menus, the default and a user's rich menu,
// the persistent menu).
func ScopesToWriteMenus() []string { return slices.Clone(scopesToWriteMenus) }

// scopeAdvice is what an *APIError with Scopes advises by default.
func scopeAdvice(scopes []string) string {
	which := "it"
	if len(scopes) > 1 {
		which = "one of them"
	}
	return fmt.Sprintf("This call needs the %s scope: include %s in the scopes the token is issued for, and enable it for the app in the LINE WORKS Developer Console (API 2.0 > the app > OAuth Scopes).",
		strings.Join(scopes, " or "), which)
}

// apiErrorHint explains a refusal of the bot API, and marks one a missing
// scope may explain with the scopes that would allow call.
func (c *Client) apiErrorHint(e *APIError, call apiCall) {
	switch {
	case e.StatusCode == http.StatusForbidden:
		// The scope advice says it all; a hint beside it would say it twice.
		e.Hint, e.Scopes = "", call.neededScopes()
	case e.StatusCode == http.StatusConflict && e.Code == "CONFLICT":
		e.Hint = conflictHint(0)
	case call.once && e.StatusCode >= 500:
		// Not retried (retry.go): the statusHint's retries never happened.
		e.Hint = "LINE WORKS failed after receiving the request, which may have taken effect all the same, so it was not sent again (a second one could create a duplicate): check whether it was created before trying again."
	case e.StatusCode == http.StatusNotFound && !call.isBotScoped():
		// A bot call's 404 is confirmed instead (confirm.go).
		e.Hint = fmt.Sprintf("A wrong api_endpoint answers 404 to every call: it must be the base URL of LINE WORKS API 2.0 with its version, such as %s.", DefaultAPIEndpoint)
	default:
		e.Hint = statusHint(e.StatusCode, c.cfg.MaxRetries)
	}
}

// conflictHint explains a 409 CONFLICT still answered after retries: the
// service refuses parallel changes to one bot, and this client's own calls
// on a bot wait for each other, across the processes of this machine too.
func conflictHint(retries int) string {
	return fmt.Sprintf("LINE WORKS refuses parallel changes to one bot, and kept refusing this one after %d retries: another change to the bot was in progress, "+
		"from a program other than this machine's provider processes (a script, the Developer Console, a run on another machine), or one the service was still finishing. Try again once it is done.", retries)
}
