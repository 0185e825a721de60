package lineworks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/oauth2"
)

const (
	grantTypeJWTBearer    = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantTypeRefreshToken = "refresh_token"

	tokenPath  = "/oauth2/v2.0/token"
	revokePath = "/oauth2/v2.0/revoke"

	// expiryMargin is how long before its expiry a cached token is replaced,
	// so that no request leaves with a token about to lapse: a quarter of
	// the token's lifetime when that is shorter.
	expiryMargin = time.Minute

	// maxExpiresIn caps an expires_in beyond any lifetime LINE WORKS issues
	// (24 hours for API 2.0, 365 days for API 1.0 consumer keys).
	maxExpiresIn = 400 * 24 * time.Hour
)

// Token is an access token issued by LINE WORKS.
type Token struct {
	oauth2.Token // AccessToken, TokenType, RefreshToken, Expiry and ExpiresIn

	// Scope is the space-separated scope list the service granted.
	Scope string
	// IssuedAt is when the request for it was sent.
	IssuedAt time.Time
}

// Token returns this client's access token for scopes (the configured scopes
// when none are given), issuing one with the service-account JWT grant on
// first use. Every caller shares it: concurrent callers wait for a single
// request rather than each sending one, since every token request counts.
func (c *Client) Token(ctx context.Context, scopes []string) (*Token, error) {
	scopes = c.scopesOrDefault(scopes)
	return c.shared(ctx, scopeKey(scopes), func(ctx context.Context) (*Token, error) {
		return c.issueWithJWT(ctx, scopes)
	})
}

// shared returns the cached token under key, or issues one with issue. One
// issue runs at a time per key; callers that arrive meanwhile wait for its
// result instead of sending their own request.
func (c *Client) shared(ctx context.Context, key string, issue func(context.Context) (*Token, error)) (*Token, error) {
	if tok := c.cachedToken(key); tok != nil {
		return tok, nil
	}
	ch := c.issuing.DoChan(key, func() (any, error) {
		if tok := c.cachedToken(key); tok != nil {
			return tok, nil // issued by a flight that ended just before this one began
		}
		// Waiters share this request, so one caller's cancellation must not fail
		// the others; and it is retried as every token request is, even when
		// issued for a call sent only once (retry.go).
		tok, err := issue(context.WithValue(context.WithoutCancel(ctx), onceKey{}, nil))
		if err != nil {
			return nil, err
		}
		c.tokensMu.Lock()
		c.tokens[key] = tok
		c.issuedFor[tok.AccessToken] = key
		c.tokensMu.Unlock()
		return tok, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		tok, ok := r.Val.(*Token)
		if !ok {
			return nil, fmt.Errorf("issuing a token: got a %T, want a *Token: a bug in this client", r.Val)
		}
		return tok, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func scopeKey(scopes []string) string { return "scopes:" + strings.Join(scopes, " ") }

// reissue replaces a token the service rejected. When parallel callers saw
// the same rejection, only the first one causes a new request: the others
// find the cached token already differs from the one they were refused with.
func (c *Client) reissue(ctx context.Context, scopes []string, rejected *Token) (*Token, error) {
	key := scopeKey(c.scopesOrDefault(scopes))
	c.tokensMu.Lock()
	if cur := c.tokens[key]; cur != nil && cur.AccessToken == rejected.AccessToken {
		delete(c.tokens, key)
	}
	c.tokensMu.Unlock()
	return c.Token(ctx, scopes)
}

func (c *Client) cachedToken(key string) *Token {
	c.tokensMu.Lock()
	defer c.tokensMu.Unlock()
	if tok := c.tokens[key]; tok != nil && c.usable(tok) {
		return tok
	}
	return nil
}

// usable reports whether tok may still be sent: it does not expire within
// its margin.
func (c *Client) usable(tok *Token) bool {
	if tok.Expiry.IsZero() {
		return true
	}
	margin := expiryMargin
	if !tok.IssuedAt.IsZero() {
		margin = min(margin, tok.Expiry.Sub(tok.IssuedAt)/4)
	}
	return c.cfg.Now().Add(margin).Before(tok.Expiry)
}

// freshen replaces, in a request about to be sent (or sent again), a bearer
// token this client issued that is no longer usable, with the current one
// for the same scopes: a token that expires during a long run, or while a
// request waits to be retried, is re-issued before use, never sent stale.
// Tokens it did not issue (a configured access_token) are left alone.
func (c *Client) freshen(req *http.Request) error {
	scheme, value, ok := strings.Cut(req.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil
	}
	c.tokensMu.Lock()
	key, issued := c.issuedFor[value]
	cur := c.tokens[key]
	c.tokensMu.Unlock()
	scopes, isScopes := strings.CutPrefix(key, "scopes:")
	if !issued || !isScopes || (cur != nil && cur.AccessToken == value && c.usable(cur)) {
		return nil
	}
	tok, err := c.Token(req.Context(), strings.Fields(scopes))
	if err != nil {
		return err
	}
	if tok.AccessToken != value {
		c.cfg.Logger.Debug(req.Context(), "replaced an access token about to expire before sending the request", nil)
		req.Header = req.Header.Clone() // the previous attempt's request shares the map
		tok.SetAuthHeader(req)
	}
	return nil
}

// forget drops accessToken from the cache, so it is never used again.
func (c *Client) forget(accessToken string) {
	c.tokensMu.Lock()
	defer c.tokensMu.Unlock()
	for k, tok := range c.tokens {
		if tok.AccessToken == accessToken {
			delete(c.tokens, k)
		}
	}
}

func (c *Client) scopesOrDefault(scopes []string) []string {
	if scopes = NormalizeScopes(scopes); len(scopes) == 0 {
		return c.Scopes()
	}
	return scopes
}

func (c *Client) issueWithJWT(ctx context.Context, scopes []string) (*Token, error) {
	if err := c.cfg.need("issuing an access token", SettingClientID, SettingClientSecret, SettingServiceAccountID, SettingPrivateKey); err != nil {
		return nil, err
	}
	a, err := c.SignServiceAccountAssertion("", "", MaxAssertionLifetime)
	if err != nil {
		return nil, err
	}
	return c.requestToken(ctx, url.Values{
		"assertion":     {a.JWT},
		"grant_type":    {grantTypeJWTBearer},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
		"scope":         {strings.Join(scopes, " ")},
	}, scopes)
}

// Refresh issues an access token with the refresh-token grant, for tokens
// that began with a user-account OAuth login. Like Token, it is shared: every
// caller with the same refresh token gets one token from one request. That
// matters beyond counting requests: when the app rotates refresh tokens, a
// second refresh with the same token would be refused. The returned Token
// carries the new refresh token, if any.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	if err := c.cfg.need("refreshing an access token", SettingClientID, SettingClientSecret); err != nil {
		return nil, err
	}
	if refreshToken == "" {
		return nil, fmt.Errorf("the refresh token is empty")
	}
	// Keyed by a digest, so the cache's keys hold no credential.
	sum := sha256.Sum256([]byte(refreshToken))
	return c.shared(ctx, "refresh:"+hex.EncodeToString(sum[:]), func(ctx context.Context) (*Token, error) {
		return c.requestToken(ctx, url.Values{
			"grant_type":    {grantTypeRefreshToken},
			"refresh_token": {refreshToken},
			"client_id":     {c.cfg.ClientID},
			"client_secret": {c.cfg.ClientSecret},
		}, nil)
	})
}

// Revoke revokes an access token and stops this client from using it.
func (c *Client) Revoke(ctx context.Context, accessToken string) error {
	c.forget(accessToken)
	if err := c.cfg.need("revoking an access token", SettingClientID, SettingClientSecret); err != nil {
		return err
	}
	resp, err := c.postForm(ctx, c.eps.auth.JoinPath(revokePath).String(), url.Values{
		"token":           {accessToken},
		"token_type_hint": {"access_token"},
		"client_id":       {c.cfg.ClientID},
		"client_secret":   {c.cfg.ClientSecret},
	})
	if err != nil {
		return fmt.Errorf("revoking the LINE WORKS access token: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		te := parseTokenError(resp.StatusCode, readErrorBody(resp), accessToken, c.cfg.ClientSecret)
		te.Hint = tokenErrorHint(te.Code, "", nil)
		return fmt.Errorf("revoking the LINE WORKS access token: %w", te)
	}
	resp.Body.Close()
	return nil
}

// tokenResponse is the token endpoint's answer.
type tokenResponse struct {
	AccessToken  string  `json:"access_token"`
	RefreshToken string  `json:"refresh_token"`
	Scope        string  `json:"scope"`
	TokenType    string  `json:"token_type"`
	ExpiresIn    seconds `json:"expires_in"`
}

func (c *Client) requestToken(ctx context.Context, form url.Values, scopes []string) (*Token, error) {
	issuedAt := c.cfg.Now() // before the request, so the computed expiry errs early
	resp, err := c.postForm(ctx, c.eps.auth.JoinPath(tokenPath).String(), form)
	if err != nil {
		return nil, fmt.Errorf("requesting a LINE WORKS access token: %w", err)
	}
	offset, dated := clockOffset(resp, issuedAt, c.cfg.Now())
	grantType := form.Get("grant_type")
	if resp.StatusCode != http.StatusOK {
		te := parseTokenError(resp.StatusCode, readErrorBody(resp), form.Get("assertion"), form.Get("client_secret"), form.Get("refresh_token"))
		te.Hint = tokenErrorHint(te.Code, grantType, scopes)
		if te.Hint == "" {
			te.Hint = statusHint(resp.StatusCode, c.cfg.MaxRetries)
		}
		timeGrounds := grantType == grantTypeJWTBearer && te.Code == "invalid_grant" && timeWords.MatchString(te.Description)
		if timeGrounds {
			te.Hint = "LINE WORKS refused the assertion's iat or exp, which it checks against its own clock."
			if !dated {
				te.Hint += " Check that this machine's clock is correct (synchronise it with NTP)."
			}
		}
		te.Hint = withClock(te.Hint, offset, dated, timeGrounds)
		return nil, te
	}
	c.warnClock(ctx, offset, dated)
	tr, err := parseTokenResponse(readBody(resp))
	if err != nil {
		return nil, fmt.Errorf("reading the LINE WORKS token response: %w", err)
	}
	tok := tr.token(issuedAt)
	c.cfg.Logger.Debug(ctx, "issued a LINE WORKS access token", map[string]any{
		"grant_type": form.Get("grant_type"),
		"scope":      tok.Scope,
		"expires_in": tok.ExpiresIn,
	})
	return tok, nil
}

func (c *Client) postForm(ctx context.Context, target string, form url.Values) (*http.Response, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, target, []byte(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return c.do(req)
}

// warnClock logs when the service's clock and this machine's are more than
// clockTolerance apart: nothing failed yet, but assertions will.
func (c *Client) warnClock(ctx context.Context, offset time.Duration, dated bool) {
	if dated && (offset > clockTolerance || offset < -clockTolerance) {
		c.cfg.Logger.Warn(ctx, clockHint(offset), nil)
	}
}

// parseTokenResponse reads a token endpoint's success body. Its errors
// never quote the body, which holds the tokens.
func parseTokenResponse(body []byte, readErr error) (tokenResponse, error) {
	var tr tokenResponse
	if readErr != nil {
		return tr, readErr
	}
	if err := json.Unmarshal(body, &tr); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || !json.Valid(body) {
			return tr, fmt.Errorf("the body (%d bytes) is not JSON; check auth_endpoint", len(body))
		}
		var se *secondsError
		if errors.As(err, &se) {
			return tr, se
		}
		return tr, errors.New("the body is not the expected JSON object (access_token, token_type, expires_in…); check auth_endpoint")
	}
	if tr.AccessToken == "" {
		return tr, errors.New("the answer has no access_token; check auth_endpoint")
	}
	return tr, nil
}

// token makes a Token of a parsed response, issued at issuedAt by this
// machine's clock.
func (tr tokenResponse) token(issuedAt time.Time) *Token {
	tok := &Token{
		Token: oauth2.Token{
			AccessToken:  tr.AccessToken,
			TokenType:    tr.TokenType,
			RefreshToken: tr.RefreshToken,
			ExpiresIn:    int64(tr.ExpiresIn),
		},
		Scope:    tr.Scope,
		IssuedAt: issuedAt,
	}
	if tok.TokenType == "" {
		tok.TokenType = "Bearer"
	}
	if tr.ExpiresIn > 0 {
		tok.Expiry = issuedAt.Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	return tok
}
