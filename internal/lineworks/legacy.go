package lineworks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"
)

// API 1.0 (retired 30 April 2023): the server token of the "ID registration"
// type and the service API token refresh, as the API 1.0 authentication guide
// describes them.

// legacyAssertionLifetime is the API 1.0 guide's own example: exp 30 minutes after iat.
const legacyAssertionLifetime = 30 * time.Minute

var apiIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// LegacyError is an API 1.0 refusal in its own shape ({"message","detail","code"}).
type LegacyError struct {
	StatusCode int
	Code       string
	Message    string
	Detail     string
	Hint       string
}

func (e *LegacyError) Error() string {
	msg := fmt.Sprintf("LINE WORKS API 1.0 server token endpoint answered HTTP %d%s", e.StatusCode, codeAndDescription(e.Code, e.Message))
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return withHint(msg, e.Hint)
}

// ServiceTokenError is a failed API 1.0 service API token refresh, which
// LINE WORKS reports in errorCode with HTTP 200.
type ServiceTokenError struct {
	ErrorCode string
}

func (e *ServiceTokenError) Error() string {
	switch e.ErrorCode {
	case "107":
		return "LINE WORKS API 1.0 refused the service API token refresh with errorCode 107 (parameter error): check consumer_key (the service API consumer key of this API ID), api_id and refresh_token."
	case "502":
		return "LINE WORKS API 1.0 refused the service API token refresh with errorCode 502 (error while issuing the access token): the refresh token is probably expired or revoked; obtain a new one with the authorization-code flow."
	case "99":
		return "LINE WORKS API 1.0 refused the service API token refresh with errorCode 99 (unknown error): try again later."
	}
	return fmt.Sprintf("LINE WORKS API 1.0 refused the service API token refresh with errorCode %q.", e.ErrorCode)
}

// newServiceTokenError reports an errorCode in words fit for a message;
// secrets are the request's credentials, never quoted.
func newServiceTokenError(code string, secrets ...string) *ServiceTokenError {
	return &ServiceTokenError{ErrorCode: serviceText(code, secrets)}
}

// ValidateAPIID checks that id has the shape of an API 1.0 API ID.
func ValidateAPIID(id string) error {
	if !apiIDPattern.MatchString(id) {
		return fmt.Errorf("%q is not a LINE WORKS API ID: expected letters and digits such as jp1PrJVEbjpFi", id)
	}
	return nil
}

// ServerToken issues an API 1.0 server token of the "ID registration" type:
// a JWT with iss = server ID, signed with the server's key, sent to
// {auth}/b/{apiID}/server/token. Empty apiID and serverID default to the
// configured ones. A reissue invalidates the server's previous token, so one
// token per API ID and server is shared by every caller of this Client.
func (c *Client) ServerToken(ctx context.Context, apiID, serverID string) (*Token, error) {
	const op = "issuing an API 1.0 server token"
	apiID, serverID = c.LegacyIDs(apiID, serverID)
	switch {
	case apiID == "":
		return nil, &MissingSettingError{Setting: SettingAPIID, Operation: op}
	case serverID == "":
		return nil, &MissingSettingError{Setting: SettingServerID, Operation: op}
	}
	if err := ValidateAPIID(apiID); err != nil {
		return nil, err
	}
	return c.shared(ctx, "server:"+apiID+"/"+serverID, func(ctx context.Context) (*Token, error) {
		a, err := c.SignServerAssertion(serverID, legacyAssertionLifetime)
		if err != nil {
			return nil, err
		}
		issuedAt := c.cfg.Now()
		resp, err := c.postLegacyForm(ctx, joinEscaped(c.eps.auth, "b", apiID, "server", "token"), url.Values{
			"grant_type": {grantTypeJWTBearer},
			"assertion":  {a.JWT},
		})
		if err != nil {
			return nil, fmt.Errorf("requesting an API 1.0 server token: %w", err)
		}
		offset, dated := clockOffset(resp, issuedAt, c.cfg.Now())
		if resp.StatusCode != http.StatusOK {
			le := parseLegacyError(resp.StatusCode, readErrorBody(resp), a.JWT)
			le.Hint = withClock(le.Hint, offset, dated, le.timeGrounds())
			return nil, le
		}
		c.warnClock(ctx, offset, dated)
		tr, err := parseTokenResponse(readBody(resp))
		if err != nil {
			return nil, fmt.Errorf("reading the API 1.0 server token response: %w", err)
		}
		return legacyToken(tr.AccessToken, tr.TokenType, int64(tr.ExpiresIn), issuedAt)
	})
}

// RefreshServiceAPIToken refreshes an API 1.0 service API access token at
// {auth}/ba/{apiID}/service/token/refresh, with the consumer key as
// client_id. Empty apiID and consumerKey default to the configured ones.
func (c *Client) RefreshServiceAPIToken(ctx context.Context, apiID, consumerKey, refreshToken string) (*Token, error) {
	const op = "refreshing an API 1.0 service API token"
	apiID, _ = c.LegacyIDs(apiID, "")
	if consumerKey == "" {
		consumerKey = c.cfg.ConsumerKey
	}
	switch {
	case apiID == "":
		return nil, &MissingSettingError{Setting: SettingAPIID, Operation: op}
	case consumerKey == "":
		return nil, &MissingSettingError{Setting: SettingConsumerKey, Operation: op}
	}
	if err := ValidateAPIID(apiID); err != nil {
		return nil, err
	}
	issuedAt := c.cfg.Now()
	resp, err := c.postLegacyForm(ctx, joinEscaped(c.eps.auth, "ba", apiID, "service", "token", "refresh"), url.Values{
		"client_id":     {consumerKey},
		"refresh_token": {refreshToken},
	})
	if err != nil {
		return nil, fmt.Errorf("refreshing the API 1.0 service API token: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("refreshing the API 1.0 service API token: HTTP %d: %s", resp.StatusCode, summarizeBody(readErrorBody(resp), refreshToken, consumerKey))
	}
	var reply struct {
		ErrorCode   string  `json:"errorCode"`
		AccessToken string  `json:"access_token"`
		ExpireIn    seconds `json:"expire_in"` // so spelled by API 1.0
		ExpiresIn   seconds `json:"expires_in"`
	}
	if err := decodeJSON(resp, &reply); err != nil {
		return nil, fmt.Errorf("reading the API 1.0 service API token response: %w", err)
	}
	if reply.ErrorCode != "00" {
		return nil, newServiceTokenError(reply.ErrorCode, refreshToken, consumerKey)
	}
	return legacyToken(reply.AccessToken, "Bearer", int64(max(reply.ExpireIn, reply.ExpiresIn)), issuedAt)
}

func legacyToken(accessToken, tokenType string, expiresIn int64, issuedAt time.Time) (*Token, error) {
	if accessToken == "" {
		return nil, fmt.Errorf("the LINE WORKS API 1.0 endpoint answered success without an access_token; check auth_endpoint")
	}
	if tokenType == "" {
		tokenType = "Bearer"
	}
	tok := &Token{Token: oauth2.Token{AccessToken: accessToken, TokenType: tokenType, ExpiresIn: expiresIn}, IssuedAt: issuedAt}
	if expiresIn > 0 {
		tok.Expiry = issuedAt.Add(time.Duration(expiresIn) * time.Second)
	}
	return tok, nil
}

// postLegacyForm posts a form with the Content-Type the API 1.0 guide shows.
func (c *Client) postLegacyForm(ctx context.Context, u *url.URL, form url.Values) (*http.Response, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, u.String(), []byte(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	req.Header.Set("Accept", "application/json")
	return c.do(req)
}

// parseLegacyError reads an API 1.0 error body; secrets are the request's
// credentials, never quoted.
func parseLegacyError(status int, body []byte, secrets ...string) *LegacyError {
	var e struct {
		Message string `json:"message"`
		Detail  string `json:"detail"`
		Code    string `json:"code"`
	}
	le := &LegacyError{StatusCode: status}
	if json.Unmarshal(body, &e) == nil && (e.Code != "" || e.Message != "") {
		le.Code, le.Message, le.Detail = serviceText(e.Code, secrets), serviceText(e.Message, secrets), serviceText(e.Detail, secrets)
	} else {
		le.Message = summarizeBody(body, secrets...)
	}
	switch {
	case le.timeGrounds():
		le.Hint = fmt.Sprintf("API 1.0 allows no clock skew at all: check this machine's clock (sync it with NTP). The assertion's iat is back-dated %d seconds, so a clock up to that much ahead of the server's is accepted.", int(AssertionBackdate.Seconds()))
	case status >= 500 || status == http.StatusTooManyRequests:
		le.Hint = "LINE WORKS kept failing; try again later."
	default:
		le.Hint = "Check api_id, server_id, and that private_key is the key downloaded for this server ID."
	}
	return le
}

// timeGrounds reports a refusal because of iat or exp: code 31 ("jwt already
// expired", documented), or a message about the future.
func (e *LegacyError) timeGrounds() bool {
	return e.Code == "31" || strings.Contains(strings.ToLower(e.Message), "future") || strings.Contains(strings.ToLower(e.Message), "expired")
}

// LegacyIDs returns the API ID and server ID an API 1.0 call uses: the given
// ones, else the configured ones.
func (c *Client) LegacyIDs(apiID, serverID string) (string, string) {
	if apiID == "" {
		apiID = c.cfg.APIID
	}
	if serverID == "" {
		serverID = c.cfg.ServerID
	}
	return apiID, serverID
}
