package lineworks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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
	// so that no request leaves with a token about to lapse.
	expiryMargin = time.Minute
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
		// Waiters share this request, so one caller's cancellation must not fail the others.
		tok, err := issue(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		c.tokensMu.Lock()
		c.tokens[key] = tok
		c.tokensMu.Unlock()
		return tok, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*Token), nil
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
	tok := c.tokens[key]
	if tok == nil || (!tok.Expiry.IsZero() && !c.cfg.Now().Add(expiryMargin).Before(tok.Expiry)) {
		return nil
	}
	return tok
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
		te := parseTokenError(resp.StatusCode, readErrorBody(resp))
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
	if resp.StatusCode != http.StatusOK {
		te := parseTokenError(resp.StatusCode, readErrorBody(resp))
		te.Hint = tokenErrorHint(te.Code, form.Get("grant_type"), scopes)
		if te.Hint == "" {
			te.Hint = statusHint(resp.StatusCode, c.cfg.MaxRetries)
		}
		return nil, te
	}
	var tr tokenResponse
	if err := decodeJSON(resp, &tr); err != nil {
		return nil, fmt.Errorf("reading the LINE WORKS token response: %w", err)
	}
	if tr.AccessToken == "" {
		return nil, fmt.Errorf("the LINE WORKS token endpoint answered 200 without an access_token; check auth_endpoint")
	}
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

// statusHint explains a failure the service did not explain itself.
func statusHint(status, retries int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return fmt.Sprintf("LINE WORKS kept answering 429 Too Many Requests after %d retries: the API's per-minute rate limit is exhausted; try again later or lower Terraform's -parallelism.", retries)
	case status >= 500:
		return fmt.Sprintf("LINE WORKS kept failing after %d retries; try again later.", retries)
	}
	return ""
}

// seconds decodes a duration in seconds sent as a JSON number or string:
// LINE WORKS sends expires_in as "86400" in practice, some clients see 86400.
type seconds int64

func (s *seconds) UnmarshalJSON(b []byte) error {
	text := strings.Trim(string(b), `"`)
	if text == "" || text == "null" {
		*s = 0
		return nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return fmt.Errorf("expires_in is neither a number nor a numeric string: %q", summarizeBody(b))
	}
	*s = seconds(f)
	return nil
}
