package lineworkstest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestJWTGrant(t *testing.T) {
	s := newServer(t)
	r := postForm(t, tokenURL(s), jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now()))))
	if r.status != http.StatusOK {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	if r.body["expires_in"] != "86400" || r.body["token_type"] != "Bearer" || r.body["scope"] != "bot bot.message" {
		t.Errorf("reply %s", r.raw)
	}
	access, _ := r.body["access_token"].(string)
	refresh, _ := r.body["refresh_token"].(string)
	if len(access) < 32 || len(refresh) < 32 || access == refresh {
		t.Errorf("tokens %q %q", access, refresh)
	}
	// The real alphabet, so that a client that forgets to encode a token
	// breaks here; one of the two carries a .suffix.
	for _, tok := range []string{access, refresh} {
		if !strings.Contains(tok, "+") || !strings.Contains(tok, "/") || !strings.Contains(tok, "=") {
			t.Errorf("token %q lacks +, / or =", tok)
		}
	}
	if strings.Contains(access, ".") == strings.Contains(refresh, ".") {
		t.Errorf("tokens %q and %q: want exactly one with a .suffix", access, refresh)
	}
	if !s.Auth.TokenValid(access) || !s.Auth.TokenValid(refresh) || s.Auth.TokenValid("nope") {
		t.Error("TokenValid disagrees")
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Error("token reply is cacheable")
	}
}

func TestJWTGrantOptions(t *testing.T) {
	s := newServer(t)
	s.Auth.RegisterApp(lineworkstest.App{
		ClientID: "c2", ClientSecret: "s2", ServiceAccountID: "x.serviceaccount@example.com",
		PublicKey: &lineworkstest.TestKey(1).PublicKey, AccessTokenTTL: time.Hour, ExpiresInAsNumber: true,
	})
	now := time.Now()
	f := url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "client_id": {"c2"}, "client_secret": {"s2"}, "scope": {"bot"},
		"assertion": {sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(1), jwt.MapClaims{
			"iss": "c2", "sub": "x.serviceaccount@example.com", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})},
	}
	r := postForm(t, tokenURL(s), f)
	if r.status != http.StatusOK || r.body["expires_in"] != float64(3600) {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

// The official Python sample percent-encodes grant_type before form-encoding
// and sends float iat/exp; LINE WORKS accepts that.
func TestJWTGrantPythonSample(t *testing.T) {
	s := newServer(t)
	now := float64(time.Now().UnixNano())/1e9 - 0.5
	claims := jwt.MapClaims{"iss": clientID, "sub": serviceAccount, "iat": now, "exp": now + 3600}
	f := jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), claims))
	f.Set("grant_type", url.QueryEscape("urn:ietf:params:oauth:grant-type:jwt-bearer"))
	req, _ := http.NewRequest(http.MethodPost, tokenURL(s), strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	if r := do(t, noRedirect, req); r.status != http.StatusOK {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

func TestTokenRequestErrors(t *testing.T) {
	s := newServer(t)
	good := jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now())))
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range good {
			f[key] = vs
		}
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"bad grant_type", with("grant_type", "client_credentials"), 400, "unsupported_grant_type"},
		{"no grant_type", with("grant_type", ""), 400, "invalid_request"},
		{"unknown client", with("client_id", "nobody"), 401, "invalid_client"},
		{"wrong secret", with("client_secret", "wrong"), 401, "invalid_client"},
		{"no secret", with("client_secret", ""), 401, "invalid_client"},
		{"no assertion", with("assertion", ""), 400, "invalid_request"},
		{"repeated parameter", func() url.Values { f := with("scope", "bot"); f.Add("scope", "bot"); return f }(), 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOAuthError(t, postForm(t, tokenURL(s), tt.form), tt.status, tt.code)
		})
	}

	t.Run("GET", func(t *testing.T) {
		r := get(t, noRedirect, tokenURL(s)+"?"+good.Encode(), "")
		wantOAuthError(t, r, 405, "invalid_request")
	})
	t.Run("JSON body", func(t *testing.T) {
		body, _ := json.Marshal(map[string]string{"grant_type": good.Get("grant_type")})
		req, _ := http.NewRequest(http.MethodPost, tokenURL(s), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		wantOAuthError(t, do(t, noRedirect, req), 400, "invalid_request")
	})
	t.Run("parameters in the query", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, tokenURL(s)+"?"+good.Encode(), nil)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		wantOAuthError(t, do(t, noRedirect, req), 400, "invalid_request")
	})
}

func TestJWTValidation(t *testing.T) {
	s := newServer(t)
	fixClock(s)
	key := lineworkstest.TestKey(0)
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := appClaims(fixedNow)
		edit(c)
		return c
	}
	tests := []struct {
		name      string
		assertion string
		want      string // in error_description
	}{
		{"alg none", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, appClaims(fixedNow)), "RS256"},
		{"HS256", sign(t, jwt.SigningMethodHS256, []byte(clientSecret), appClaims(fixedNow)), "RS256"},
		{"RS512", sign(t, jwt.SigningMethodRS512, key, appClaims(fixedNow)), "RS256"},
		{"other key", sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(1), appClaims(fixedNow)), "signature verification failed"},
		{"tampered", sign(t, jwt.SigningMethodRS256, key, appClaims(fixedNow)) + "x", "signature verification failed"},
		{"malformed", "not.a.jwt", "Malformed"},
		{"iss", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iss"] = "other" })), "iss does not match"},
		{"sub", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["sub"] = "y.serviceaccount@example.com" })), "sub does not match the service account"},
		{"no sub", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { delete(c, "sub") })), "sub does not match"},
		{"no iat", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { delete(c, "iat") })), "iat claim is required"},
		{"no exp", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { delete(c, "exp") })), "exp claim is required"},
		{"string iat", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iat"] = fmt.Sprint(fixedNow.Unix()) })), "iat claim must be a number"},
		{"iat in the future", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iat"] = fixedNow.Unix() + 1 })), "iat is in the future"},
		{"iat slightly in the future", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iat"] = float64(fixedNow.Unix()) + 0.001 })), "iat is in the future"},
		{"expired", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iat"] = fixedNow.Unix() - 600; c["exp"] = fixedNow.Unix() })), "JWT expired"},
		{"too long", sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["exp"] = fixedNow.Unix() + 3601 })), "more than 60 minutes after iat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postForm(t, tokenURL(s), jwtForm(tt.assertion))
			wantOAuthError(t, r, 400, "invalid_grant")
			if d, _ := r.body["error_description"].(string); !strings.Contains(d, tt.want) {
				t.Errorf("description %q does not mention %q", d, tt.want)
			}
		})
	}

	t.Run("exactly 60 minutes", func(t *testing.T) {
		c := claims(func(c jwt.MapClaims) { c["exp"] = fixedNow.Unix() + 3600 })
		if r := postForm(t, tokenURL(s), jwtForm(sign(t, jwt.SigningMethodRS256, key, c))); r.status != 200 {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
	})
}

func TestScopes(t *testing.T) {
	s := newServer(t)
	s.Auth.RegisterApp(lineworkstest.App{
		ClientID: clientID, ClientSecret: clientSecret, ServiceAccountID: serviceAccount,
		PublicKey: &lineworkstest.TestKey(0).PublicKey, Scopes: []string{"bot", "user.read"},
	})
	assertion := sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now()))
	for _, tt := range []struct {
		scope string
		ok    bool
	}{
		{"bot", true},
		{"bot.read", true}, // the parent covers .read
		{"bot user.read", true},
		{"bot.message", false}, // bot does not cover bot.message
		{"user", false},
		{"bot nonsense", false},
		{"", false},
	} {
		t.Run(tt.scope, func(t *testing.T) {
			f := jwtForm(assertion)
			f.Set("scope", tt.scope)
			r := postForm(t, tokenURL(s), f)
			if tt.ok {
				if r.status != 200 || r.body["scope"] != tt.scope {
					t.Fatalf("got %d %s", r.status, r.raw)
				}
				return
			}
			wantOAuthError(t, r, 400, "invalid_scope")
			if r.body["error_description"] != "Request scope is not valid." {
				t.Errorf("description %v", r.body["error_description"])
			}
		})
	}
}

func TestRefreshGrant(t *testing.T) {
	s := newServer(t)
	_, refresh := accessToken(t, s)

	r := postForm(t, tokenURL(s), refreshForm(refresh))
	if r.status != 200 || r.body["refresh_token"] != refresh || r.body["scope"] != "bot bot.message" || r.body["expires_in"] != "86400" {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	if !s.Auth.TokenValid(r.body["access_token"].(string)) {
		t.Error("refreshed access token is not valid")
	}

	wantOAuthError(t, postForm(t, tokenURL(s), refreshForm("unknown")), 400, "invalid_grant")
	f := refreshForm(refresh)
	f.Del("refresh_token")
	wantOAuthError(t, postForm(t, tokenURL(s), f), 400, "invalid_request")
	f = refreshForm(refresh)
	f.Set("client_secret", "wrong")
	wantOAuthError(t, postForm(t, tokenURL(s), f), 401, "invalid_client")

	// A refresh token of another client is refused.
	s.Auth.RegisterApp(lineworkstest.App{ClientID: "c2", ClientSecret: "s2"})
	f = refreshForm(refresh)
	f.Set("client_id", "c2")
	f.Set("client_secret", "s2")
	wantOAuthError(t, postForm(t, tokenURL(s), f), 400, "invalid_grant")

	// As if from a user-account login.
	user := s.Auth.IssueRefreshToken(clientID, "bot", "user.read")
	r = postForm(t, tokenURL(s), refreshForm(user))
	if r.status != 200 || r.body["scope"] != "bot user.read" {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

func TestRefreshRotation(t *testing.T) {
	s := newServer(t)
	s.Auth.RegisterApp(lineworkstest.App{
		ClientID: clientID, ClientSecret: clientSecret, ServiceAccountID: serviceAccount,
		PublicKey: &lineworkstest.TestKey(0).PublicKey, RotateRefreshTokens: true,
	})
	_, old := accessToken(t, s)
	r := postForm(t, tokenURL(s), refreshForm(old))
	if r.status != 200 {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	if next := r.body["refresh_token"]; next == old || !s.Auth.TokenValid(next.(string)) {
		t.Errorf("refresh token not rotated: %v", next)
	}
	wantOAuthError(t, postForm(t, tokenURL(s), refreshForm(old)), 400, "invalid_grant")
}

func TestRefreshTokenExpiry(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	refresh := s.Auth.IssueRefreshToken(clientID)
	mu.Lock()
	now = now.Add(90 * 24 * time.Hour)
	mu.Unlock()
	wantOAuthError(t, postForm(t, tokenURL(s), refreshForm(refresh)), 400, "invalid_grant")
}

func TestRevoke(t *testing.T) {
	s := newServer(t)
	revokeURL := s.AuthURL() + "/oauth2/v2.0/revoke"
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: "a.txt", Content: []byte("hi")})
	revoke := func(tok, secret string) reply {
		return postForm(t, revokeURL, url.Values{"token": {tok}, "client_id": {clientID}, "client_secret": {secret}, "token_type_hint": {"access_token"}})
	}

	access, refresh := accessToken(t, s)
	wantOAuthError(t, revoke(access, "wrong"), 401, "invalid_client")
	if r := revoke(access, clientSecret); r.status != 200 || len(r.raw) != 0 {
		t.Fatalf("got %d %q", r.status, r.raw)
	}
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), access), 401, "UNAUTHORIZED")
	if !s.Auth.TokenValid(refresh) {
		t.Error("revoking the access token revoked the refresh token")
	}

	// Revoking a refresh token revokes the grant's access tokens too.
	access, refresh = accessToken(t, s)
	if r := revoke(refresh, clientSecret); r.status != 200 {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	wantOAuthError(t, postForm(t, tokenURL(s), refreshForm(refresh)), 400, "invalid_grant")
	if s.Auth.TokenValid(access) {
		t.Error("access token survives its revoked refresh token")
	}

	if r := revoke("unknown", clientSecret); r.status != 200 {
		t.Errorf("unknown token: %d %s", r.status, r.raw)
	}
}

func TestAccessTokenExpiry(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	access := s.Auth.IssueAccessToken(clientID)
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), access), 401, "UNAUTHORIZED")
	if s.Auth.TokenValid(access) {
		t.Error("expired token is valid")
	}
}

func TestExpireAccessTokens(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	old, refresh := accessToken(t, s)
	issued := s.Auth.IssueAccessToken(clientID)
	s.Auth.ExpireAccessTokens()

	for _, tok := range []string{old, issued} {
		wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), tok), 403, "UNAUTHORIZED")
		wantAPIError(t, get(t, noRedirect, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", tok), 401, "UNAUTHORIZED")
		if s.Auth.TokenValid(tok) {
			t.Error("stale token is valid")
		}
	}

	// The refresh token still works, and so does what it issues.
	r := postForm(t, tokenURL(s), refreshForm(refresh))
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.raw)
	}
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), r.body["access_token"].(string)); r.status != 302 {
		t.Fatalf("new token: %d %s", r.status, r.raw)
	}
}

// A token used after its expiry is counted, on the API and storage hosts.
func TestExpiredTokenRequests(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access := s.Auth.IssueAccessToken(clientID)
	get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	get(t, noRedirect, attachmentURL(s, botID, fileID), "unknown")
	if n := s.Auth.ExpiredTokenRequests(); n != 0 {
		t.Fatalf("%d expired-token requests before expiry", n)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	get(t, noRedirect, s.Storage.DerivedURL(fileID), access)
	if n := s.Auth.ExpiredTokenRequests(); n != 2 {
		t.Fatalf("%d expired-token requests, want 2", n)
	}
}
