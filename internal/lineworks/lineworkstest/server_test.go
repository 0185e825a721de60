package lineworkstest_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const (
	clientID       = "client-1"
	clientSecret   = "secret-1"
	serviceAccount = "abcde.serviceaccount@example.com"
	botID          = "2000001"
	fileID         = "jp1.1628695315008671000.1628781715.0.1000001.0.0.0"
)

// fixedNow is the clock of tests that need exact times.
var fixedNow = time.Date(2025, 7, 16, 8, 21, 35, 0, time.UTC)

func newServer(t *testing.T) *lineworkstest.Server {
	t.Helper()
	s := lineworkstest.NewServer()
	t.Cleanup(s.Close)
	s.RegisterApp(lineworkstest.App{
		ClientID:         clientID,
		ClientSecret:     clientSecret,
		ServiceAccountID: serviceAccount,
		PublicKey:        &lineworkstest.TestKey(0).PublicKey,
	})
	return s
}

func fixClock(s *lineworkstest.Server) {
	s.SetClock(func() time.Time { return fixedNow })
}

func sign(t *testing.T, m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	v, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func appClaims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": clientID,
		"sub": serviceAccount,
		"iat": now.Unix(),
		"exp": now.Add(30 * time.Minute).Unix(),
	}
}

func jwtForm(assertion string) url.Values {
	return url.Values{
		"grant_type":    {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"assertion":     {assertion},
		"client_id":     {clientID},
		"client_secret": {clientSecret},
		"scope":         {"bot bot.message"},
	}
}

type reply struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// noRedirect lets tests see the API's 302 itself.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// fetch does req and reads the reply. Unlike do, it may be called from any goroutine.
func fetch(c *http.Client, req *http.Request) (reply, error) {
	resp, err := c.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			return reply{}, fmt.Errorf("decoding %q: %w", raw, err)
		}
	}
	return r, nil
}

func do(t *testing.T, c *http.Client, req *http.Request) reply {
	t.Helper()
	r, err := fetch(c, req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newGet(u, bearer string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		panic(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return req
}

func newPost(u string, form url.Values) *http.Request {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func postForm(t *testing.T, u string, form url.Values) reply {
	t.Helper()
	return do(t, noRedirect, newPost(u, form))
}

func get(t *testing.T, c *http.Client, u, bearer string) reply {
	t.Helper()
	return do(t, c, newGet(u, bearer))
}

func tokenURL(s *lineworkstest.Server) string { return s.AuthURL() + "/oauth2/v2.0/token" }

func attachmentURL(s *lineworkstest.Server, bot, file string) string {
	return s.APIURL() + "/bots/" + bot + "/attachments/" + file
}

func wantOAuthError(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.status != status || r.body["error"] != code {
		t.Fatalf("got %d %s, want %d error %q", r.status, r.raw, status, code)
	}
	if _, ok := r.body["error_description"].(string); !ok {
		t.Errorf("no error_description in %s", r.raw)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func wantAPIError(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.status != status || r.body["code"] != code {
		t.Fatalf("got %d %s, want %d code %q", r.status, r.raw, status, code)
	}
	if _, ok := r.body["description"].(string); !ok {
		t.Errorf("no description in %s", r.raw)
	}
}

// accessToken gets a token the way the provider does.
func accessToken(t *testing.T, s *lineworkstest.Server) (access, refresh string) {
	t.Helper()
	r := postForm(t, tokenURL(s), jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now()))))
	if r.status != http.StatusOK {
		t.Fatalf("token: %d %s", r.status, r.raw)
	}
	return r.body["access_token"].(string), r.body["refresh_token"].(string)
}

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
	if !s.TokenValid(access) || !s.TokenValid(refresh) || s.TokenValid("nope") {
		t.Error("TokenValid disagrees")
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Error("token reply is cacheable")
	}
}

func TestJWTGrantOptions(t *testing.T) {
	s := newServer(t)
	s.RegisterApp(lineworkstest.App{
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
	s.RegisterApp(lineworkstest.App{
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

func refreshForm(refresh string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {clientID}, "client_secret": {clientSecret}}
}

func TestRefreshGrant(t *testing.T) {
	s := newServer(t)
	_, refresh := accessToken(t, s)

	r := postForm(t, tokenURL(s), refreshForm(refresh))
	if r.status != 200 || r.body["refresh_token"] != refresh || r.body["scope"] != "bot bot.message" || r.body["expires_in"] != "86400" {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	if !s.TokenValid(r.body["access_token"].(string)) {
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
	s.RegisterApp(lineworkstest.App{ClientID: "c2", ClientSecret: "s2"})
	f = refreshForm(refresh)
	f.Set("client_id", "c2")
	f.Set("client_secret", "s2")
	wantOAuthError(t, postForm(t, tokenURL(s), f), 400, "invalid_grant")

	// As if from a user-account login.
	user := s.IssueRefreshToken(clientID, "bot", "user.read")
	r = postForm(t, tokenURL(s), refreshForm(user))
	if r.status != 200 || r.body["scope"] != "bot user.read" {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

func TestRefreshRotation(t *testing.T) {
	s := newServer(t)
	s.RegisterApp(lineworkstest.App{
		ClientID: clientID, ClientSecret: clientSecret, ServiceAccountID: serviceAccount,
		PublicKey: &lineworkstest.TestKey(0).PublicKey, RotateRefreshTokens: true,
	})
	_, old := accessToken(t, s)
	r := postForm(t, tokenURL(s), refreshForm(old))
	if r.status != 200 {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	if next := r.body["refresh_token"]; next == old || !s.TokenValid(next.(string)) {
		t.Errorf("refresh token not rotated: %v", next)
	}
	wantOAuthError(t, postForm(t, tokenURL(s), refreshForm(old)), 400, "invalid_grant")
}

func TestRefreshTokenExpiry(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	refresh := s.IssueRefreshToken(clientID)
	mu.Lock()
	now = now.Add(90 * 24 * time.Hour)
	mu.Unlock()
	wantOAuthError(t, postForm(t, tokenURL(s), refreshForm(refresh)), 400, "invalid_grant")
}

func TestRevoke(t *testing.T) {
	s := newServer(t)
	revokeURL := s.AuthURL() + "/oauth2/v2.0/revoke"
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: "a.txt", Content: []byte("hi")})
	revoke := func(tok, secret string) reply {
		return postForm(t, revokeURL, url.Values{"token": {tok}, "client_id": {clientID}, "client_secret": {secret}, "token_type_hint": {"access_token"}})
	}

	access, refresh := accessToken(t, s)
	wantOAuthError(t, revoke(access, "wrong"), 401, "invalid_client")
	if r := revoke(access, clientSecret); r.status != 200 || len(r.raw) != 0 {
		t.Fatalf("got %d %q", r.status, r.raw)
	}
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), access), 401, "UNAUTHORIZED")
	if !s.TokenValid(refresh) {
		t.Error("revoking the access token revoked the refresh token")
	}

	// Revoking a refresh token revokes the grant's access tokens too.
	access, refresh = accessToken(t, s)
	if r := revoke(refresh, clientSecret); r.status != 200 {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	wantOAuthError(t, postForm(t, tokenURL(s), refreshForm(refresh)), 400, "invalid_grant")
	if s.TokenValid(access) {
		t.Error("access token survives its revoked refresh token")
	}

	if r := revoke("unknown", clientSecret); r.status != 200 {
		t.Errorf("unknown token: %d %s", r.status, r.raw)
	}
}

func TestAttachmentDownload(t *testing.T) {
	s := newServer(t)
	content := []byte("%PDF-1.7 hello")
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: "報告書 1.pdf", ContentType: "application/pdf", Content: content})
	access, _ := accessToken(t, s)

	r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	derived := s.StorageURL() + "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/"
	if s.DerivedURL(fileID) != derived {
		t.Errorf("DerivedURL = %q, want %q", s.DerivedURL(fileID), derived)
	}
	// The Location is another URL than the derived one, on the storage host,
	// signed: "followed the redirect" and "fell back" differ.
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusFound || err != nil {
		t.Fatalf("got %d Location %q", r.status, r.header.Get("Location"))
	}
	if loc.Scheme+"://"+loc.Host != s.StorageURL() || !strings.HasPrefix(loc.Path, lineworkstest.SignedPathPrefix+"jp1/") ||
		loc.Query().Get("signature") == "" || loc.Query().Get("expires") == "" {
		t.Fatalf("Location %s, want a signed URL under %s on %s", loc, lineworkstest.SignedPathPrefix, s.StorageURL())
	}

	for _, u := range []string{loc.String(), derived} {
		r = get(t, noRedirect, u, access)
		if r.status != 200 || !bytes.Equal(r.raw, content) {
			t.Fatalf("%s: got %d %q", u, r.status, r.raw)
		}
		for k, v := range map[string]string{
			"Content-Type":        "application/pdf",
			"Content-Length":      fmt.Sprint(len(content)),
			"Content-Disposition": `attachment; filename="___ 1.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8%201.pdf`,
		} {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
	}

	// Following the redirect with net/http drops Authorization, because the
	// storage host name differs: the forum's 401.
	if u, _ := url.Parse(s.StorageURL()); u.Hostname() != "localhost" {
		t.Fatalf("StorageURL %s", s.StorageURL())
	}
	r = get(t, http.DefaultClient, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 401, "UNAUTHORIZED")
	if r.header.Get("Server") != "FileCloud" || r.body["description"] != "Authentication failed." {
		t.Errorf("storage 401: %v %s", r.header, r.raw)
	}
	reqs := s.Requests()
	last := reqs[len(reqs)-1]
	if last.Host != lineworkstest.HostStorage || last.Header.Get("Authorization") != "" || last.Status != 401 {
		t.Errorf("last request %+v", last)
	}
}

func TestAPIErrors(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	noScope := s.IssueAccessToken(clientID, "user.read")

	tests := []struct {
		name, url, token string
		status           int
		code             string
	}{
		{"no token", attachmentURL(s, botID, fileID), "", 401, "UNAUTHORIZED"},
		{"unknown token", attachmentURL(s, botID, fileID), "nope", 401, "UNAUTHORIZED"},
		{"refresh token as bearer", attachmentURL(s, botID, fileID), s.IssueRefreshToken(clientID), 401, "UNAUTHORIZED"},
		{"no bot scope", attachmentURL(s, botID, fileID), noScope, 403, "FORBIDDEN"},
		{"unknown bot", attachmentURL(s, "999", fileID), access, 404, "NOT_FOUND"},
		{"unknown file", attachmentURL(s, botID, "jp1.0"), access, 404, "NOT_FOUND"},
		{"extra segment", attachmentURL(s, botID, fileID) + "/x", access, 404, "NOT_FOUND"},
		{"trailing slash", attachmentURL(s, botID, fileID) + "/", access, 404, "NOT_FOUND"},
		{"dot dot", s.APIURL() + "/bots/" + botID + "/attachments/../attachments/" + fileID, access, 404, "NOT_FOUND"},
		{"escaped slash", attachmentURL(s, botID, "jp1%2F"+fileID), access, 404, "NOT_FOUND"},
		{"other path", s.APIURL() + "/users/me", access, 404, "NOT_FOUND"},
		{"no version", strings.TrimSuffix(s.APIURL(), "/v1.0") + "/bots/" + botID + "/attachments/" + fileID, access, 404, "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, noRedirect, tt.url, tt.token)
			wantAPIError(t, r, tt.status, tt.code)
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			// RFC 6750: a challenge on every 401, with error="invalid_token"
			// only when a token was sent.
			challenge := r.header.Get("WWW-Authenticate")
			switch {
			case tt.status != 401 && challenge != "":
				t.Errorf("WWW-Authenticate %q on a %d", challenge, tt.status)
			case tt.status == 401 && tt.token == "" && challenge != `Bearer realm="worksapis"`:
				t.Errorf("WWW-Authenticate %q without a token", challenge)
			case tt.status == 401 && tt.token != "" && !strings.HasPrefix(challenge, `Bearer realm="worksapis", error="invalid_token"`):
				t.Errorf("WWW-Authenticate %q for a bad token", challenge)
			}
		})
	}

	t.Run("dot dot reaches the server unresolved", func(t *testing.T) {
		var found bool
		for _, r := range s.Requests() {
			found = found || strings.Contains(r.Path, "/../")
		}
		if !found {
			t.Error("the client cleaned the path; the test proves nothing")
		}
	})
	t.Run("scheme", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, attachmentURL(s, botID, fileID), nil)
		req.Header.Set("Authorization", "Token "+access)
		wantAPIError(t, do(t, noRedirect, req), 401, "UNAUTHORIZED")
	})
	t.Run("bot.message scope", func(t *testing.T) {
		if r := get(t, noRedirect, attachmentURL(s, botID, fileID), s.IssueAccessToken(clientID, "bot.message")); r.status != 302 {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
	})
	t.Run("POST", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, attachmentURL(s, botID, fileID), nil)
		req.Header.Set("Authorization", "Bearer "+access)
		wantAPIError(t, do(t, noRedirect, req), 405, "METHOD_NOT_ALLOWED")
	})
}

func TestAccessTokenExpiry(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	access := s.IssueAccessToken(clientID)
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), access), 401, "UNAUTHORIZED")
	if s.TokenValid(access) {
		t.Error("expired token is valid")
	}
}

func TestExpireAccessTokens(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	old, refresh := accessToken(t, s)
	issued := s.IssueAccessToken(clientID)
	s.ExpireAccessTokens()

	for _, tok := range []string{old, issued} {
		wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), tok), 403, "UNAUTHORIZED")
		wantAPIError(t, get(t, noRedirect, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", tok), 401, "UNAUTHORIZED")
		if s.TokenValid(tok) {
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

func TestAPIAnswers401(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	s.SetAPIAnswers401(true)
	r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 401, "UNAUTHORIZED")
	if r.body["description"] != "Authentication failed." {
		t.Errorf("body %s", r.raw)
	}
	if r := get(t, noRedirect, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", access); r.status != 200 {
		t.Errorf("storage: %d %s", r.status, r.raw)
	}
	s.SetAPIAnswers401(false)
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Errorf("after reset: %d %s", r.status, r.raw)
	}
}

func TestRateLimit(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	s.RateLimitNext(2, 7)
	for range 2 {
		r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
		wantAPIError(t, r, 429, "TOO_MANY_REQUESTS")
		wantRateLimitHeaders(t, r, "240", "0", "7", "240")
	}
	// Rate limiting is for the API host only.
	s.RateLimitNext(1, 7)
	accessToken(t, s)
	if r := get(t, noRedirect, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", access); r.status != 200 {
		t.Errorf("storage: %d", r.status)
	}
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), access), 429, "TOO_MANY_REQUESTS")
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Errorf("after the limit: %d", r.status)
	}
}

func wantRateLimitHeaders(t *testing.T, r reply, limit, remaining, reset, used string) {
	t.Helper()
	for k, v := range map[string]string{"rateLimit-limit": limit, "rateLimit-remaining": remaining, "rateLimit-reset": reset, "rateLimit-used": used} {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// The docs mention no Retry-After: a client must read rateLimit-reset.
	if r.header.Get("Retry-After") != "" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	if r.body["description"] != "API rate limit exceeded" {
		t.Errorf("body %s", r.raw)
	}
}

// The per-minute limit counts each API on its own, in windows of the
// emulator's clock; the Free plan allows 60.
func TestRateLimitPerMinute(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	s.AddAttachment(botID, "jp1.2", lineworkstest.Attachment{Content: []byte("y")})
	access := s.IssueAccessToken(clientID)
	s.SetRateLimit(lineworkstest.RateLimitFree)

	for i := range lineworkstest.RateLimitFree {
		// Another file ID is the same API.
		file := []string{fileID, "jp1.2"}[i%2]
		if r := get(t, noRedirect, attachmentURL(s, botID, file), access); r.status != 302 {
			t.Fatalf("request %d: %d %s", i+1, r.status, r.raw)
		}
	}
	advance(45 * time.Second)
	r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 429, "TOO_MANY_REQUESTS")
	wantRateLimitHeaders(t, r, "60", "0", "15", "61")

	// Another API has its own count.
	if r := get(t, noRedirect, s.APIURL()+"/bots/"+botID+"/attachments", access); r.status == 429 {
		t.Errorf("another API was limited: %s", r.raw)
	}
	advance(15 * time.Second)
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Errorf("after the window: %d %s", r.status, r.raw)
	}

	s.SetRateLimit(0)
	for range 2 * lineworkstest.RateLimitStandard {
		if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
			t.Fatalf("without a limit: %d", r.status)
		}
	}
}

func TestRedirectLocation(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, "file1", lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	s.SetRedirectLocation("https://evil.example/steal")
	if r := get(t, noRedirect, attachmentURL(s, botID, "file1"), access); r.header.Get("Location") != "https://evil.example/steal" {
		t.Errorf("Location %q", r.header.Get("Location"))
	}
	s.SetRedirectLocation("")
	s.SetLocationStyle(lineworkstest.LocationDerived)
	loc := s.StorageURL() + "/k/emsg/r/file1/"
	if r := get(t, noRedirect, attachmentURL(s, botID, "file1"), access); r.header.Get("Location") != loc {
		t.Errorf("Location %q, want %q", r.header.Get("Location"), loc)
	}
	if r := get(t, noRedirect, loc, access); r.status != 200 || string(r.raw) != "x" {
		t.Errorf("download: %d %q", r.status, r.raw)
	}

	s.SetLocationStyle(lineworkstest.LocationPlainHTTP)
	r := get(t, noRedirect, attachmentURL(s, botID, "file1"), access)
	if u, err := url.Parse(r.header.Get("Location")); err != nil || u.Scheme != "http" || u.Host != lineworkstest.ProductionStorageHost ||
		!strings.HasPrefix(u.Path, lineworkstest.SignedPathPrefix) || u.Query().Get("signature") == "" {
		t.Errorf("plain http Location %q", r.header.Get("Location"))
	}
}

// A signed Location works until it expires, by the emulator's clock, and
// only as signed; the derived URL keeps working.
func TestSignedLocation(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access := s.IssueAccessToken(clientID)
	loc, err := url.Parse(get(t, noRedirect, attachmentURL(s, botID, fileID), access).header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, noRedirect, loc.String(), ""); r.status != 401 {
		t.Errorf("signed URL without the token: %d", r.status)
	}
	tampered := *loc
	q := tampered.Query()
	q.Set("expires", fmt.Sprint(fixedNow.Add(time.Hour).Unix()))
	tampered.RawQuery = q.Encode()
	unsigned := *loc
	unsigned.RawQuery = ""
	for _, u := range []*url.URL{&tampered, &unsigned} {
		if r := get(t, noRedirect, u.String(), access); r.status != 403 || r.body["code"] != "FORBIDDEN" {
			t.Errorf("%s: %d %s", u, r.status, r.raw)
		}
	}
	mu.Lock()
	now = now.Add(5 * time.Minute)
	mu.Unlock()
	if r := get(t, noRedirect, loc.String(), access); r.status != 403 {
		t.Errorf("expired signed URL: %d", r.status)
	}
	if r := get(t, noRedirect, s.DerivedURL(fileID), access); r.status != 200 {
		t.Errorf("derived URL: %d", r.status)
	}
}

// Bot users put files with the upload call: a file ID and an upload URL,
// then a multipart POST; the file is then served like any attachment.
func TestUploadAttachment(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	access := s.IssueAccessToken(clientID, "bot.message")
	content := []byte("%PDF-1.7 weekly report")

	fileID, err := s.UploadAttachment(access, botID, "週報.pdf", "application/pdf", content)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^jp1\.\d{19}\.\d{10}\.0\.1000001\.0\.0\.0$`).MatchString(fileID) {
		t.Errorf("file ID %q", fileID)
	}
	if exp := strings.Split(fileID, ".")[2]; exp != fmt.Sprint(fixedNow.Add(24*time.Hour).Unix()) {
		t.Errorf("file ID %q does not expire 24 hours after creation", fileID)
	}
	create, upload := s.Requests()[0], s.Requests()[1]
	if create.Host != lineworkstest.HostAPI || create.Method != http.MethodPost || create.Path != "/v1.0/bots/"+botID+"/attachments" ||
		upload.Host != lineworkstest.HostStorage || upload.Path != lineworkstest.DerivedPath(fileID)+"%E9%80%B1%E5%A0%B1.pdf" || upload.Status != 200 {
		t.Fatalf("requests %+v\n%+v", create, upload)
	}
	loc := get(t, noRedirect, attachmentURL(s, botID, fileID), access).header.Get("Location")
	for _, u := range []string{s.DerivedURL(fileID), loc} {
		r := get(t, noRedirect, u, access)
		if r.status != 200 || !bytes.Equal(r.raw, content) || r.header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(r.header.Get("Content-Disposition"), "%E9%80%B1%E5%A0%B1.pdf") {
			t.Errorf("download %s: %d %v %q", u, r.status, r.header, r.raw)
		}
	}

	// The upload URL works once.
	uploadURL := s.StorageURL() + upload.Path
	post := func(u, token, field string) reply {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		w, _ := mw.CreateFormFile(field, "a.txt")
		_, _ = w.Write([]byte("again"))
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, u, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return do(t, noRedirect, req)
	}
	if r := post(uploadURL, access, "Filedata"); r.status != 403 {
		t.Errorf("second upload: %d %s", r.status, r.raw)
	}

	// Refusals of the create call and of the upload.
	createReq := func(body, contentType, token string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, s.APIURL()+"/bots/"+botID+"/attachments", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+token)
		return req
	}
	for name, tc := range map[string]struct {
		req    *http.Request
		status int
		code   string
	}{
		"no fileName":  {createReq(`{}`, "application/json", access), 400, "INVALID_PARAMETER"},
		"not JSON":     {createReq(`fileName=a`, "application/x-www-form-urlencoded", access), 400, "INVALID_PARAMETER"},
		"no bot scope": {createReq(`{"fileName":"a"}`, "application/json", s.IssueAccessToken(clientID, "user.read")), 403, "FORBIDDEN"},
		"bad token":    {createReq(`{"fileName":"a"}`, "application/json", "nope"), 401, "UNAUTHORIZED"},
	} {
		t.Run(name, func(t *testing.T) { wantAPIError(t, do(t, noRedirect, tc.req), tc.status, tc.code) })
	}
	r := do(t, noRedirect, createReq(`{"fileName":"b.txt"}`, "application/json", access))
	uploadURL, _ = r.body["uploadUrl"].(string)
	if r := post(uploadURL, "", "Filedata"); r.status != 401 {
		t.Errorf("upload without a token: %d", r.status)
	}
	if r := post(uploadURL, access, "file"); r.status != 400 {
		t.Errorf("upload without a Filedata part: %d %s", r.status, r.raw)
	}

	// Uploaded files are gone after 24 hours.
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), s.IssueAccessToken(clientID)), 404, "NOT_FOUND")
	if r := post(uploadURL, s.IssueAccessToken(clientID), "Filedata"); r.status != 403 {
		t.Errorf("upload after 24 hours: %d", r.status)
	}
}

// Every response carries the emulator's clock in its Date header, which is
// what a client compares its own clock with.
func TestDateHeaderFollowsTheEmulatorsClock(t *testing.T) {
	s := newServer(t)
	fixClock(s)
	for _, u := range []string{tokenURL(s), attachmentURL(s, botID, fileID), s.DerivedURL(fileID)} {
		if got := get(t, noRedirect, u, "").header.Get("Date"); got != "Wed, 16 Jul 2025 08:21:35 GMT" {
			t.Errorf("%s: Date %q", u, got)
		}
	}
}

// A token used after its expiry is counted, on the API and storage hosts.
func TestExpiredTokenRequests(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access := s.IssueAccessToken(clientID)
	get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	get(t, noRedirect, attachmentURL(s, botID, fileID), "unknown")
	if n := s.ExpiredTokenRequests(); n != 0 {
		t.Fatalf("%d expired-token requests before expiry", n)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	get(t, noRedirect, s.DerivedURL(fileID), access)
	if n := s.ExpiredTokenRequests(); n != 2 {
		t.Fatalf("%d expired-token requests, want 2", n)
	}
}

// Faults are injected where the seed says, the same in every run, never on
// the auth host, and never more than MaxInARow in a row for one request.
func TestInjectFaults(t *testing.T) {
	run := func(seed uint64) []int {
		s := newServer(t)
		s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
		access := s.IssueAccessToken(clientID)
		s.InjectFaults(lineworkstest.Faults{Seed: seed, TooManyRequests: 0.3, Unavailable: 0.3, Reset: 2, MaxInARow: 2})
		var statuses []int
		inARow := 0
		for range 60 {
			r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
			statuses = append(statuses, r.status)
			switch r.status {
			case 302:
				inARow = 0
			case 429:
				inARow++
				wantRateLimitHeaders(t, r, "240", "0", "2", "240")
			case 503:
				inARow++
				wantAPIError(t, r, 503, "SERVICE_UNAVAILABLE")
			default:
				t.Fatalf("status %d", r.status)
			}
			if inARow > 2 {
				t.Fatalf("%d faults in a row", inARow)
			}
			if r := get(t, noRedirect, s.DerivedURL(fileID), access); r.status == 429 {
				t.Fatal("429 on the storage host")
			}
		}
		if r := postForm(t, tokenURL(s), jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now())))); r.status != 200 {
			t.Fatalf("token endpoint: %d", r.status)
		}
		tooMany, unavailable := s.InjectedFaults()
		if tooMany == 0 || unavailable == 0 {
			t.Fatalf("injected %d 429s and %d 503s", tooMany, unavailable)
		}
		return statuses
	}
	first, again, other := run(7), run(7), run(8)
	if fmt.Sprint(first) != fmt.Sprint(again) {
		t.Errorf("seed 7 gave\n%v\nthen\n%v", first, again)
	}
	if fmt.Sprint(first) == fmt.Sprint(other) {
		t.Error("seeds 7 and 8 gave the same faults")
	}
}

// Through Transport, the emulator answers under the service's host names,
// over https with a certificate the transport trusts, and nothing else is
// reachable.
func TestTransportServesTheProductionHostNames(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: "a.txt", Content: []byte("x")})
	c := &http.Client{Transport: s.Transport(), CheckRedirect: noRedirect.CheckRedirect}
	r, err := fetch(c, newPost("https://auth.worksmobile.com/oauth2/v2.0/token", jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now())))))
	if err != nil || r.status != 200 {
		t.Fatalf("token: %v %d %s", err, r.status, r.raw)
	}
	access := r.body["access_token"].(string)

	r, err = fetch(c, newGet("https://www.worksapis.com/v1.0/bots/"+botID+"/attachments/"+fileID, access))
	if err != nil || r.status != 302 {
		t.Fatalf("API: %v %d", err, r.status)
	}
	loc, _ := url.Parse(r.header.Get("Location"))
	if loc.Scheme != "https" || loc.Host != "jp1-apis-storage.worksmobile.com" || !strings.HasPrefix(loc.Path, lineworkstest.SignedPathPrefix) {
		t.Errorf("Location %s, want the regional storage host", loc)
	}
	for _, u := range []string{loc.String(), "https://apis-storage.worksmobile.com" + lineworkstest.DerivedPath(fileID), "http://apis-storage.worksmobile.com" + lineworkstest.DerivedPath(fileID)} {
		if r, err := fetch(c, newGet(u, access)); err != nil || r.status != 200 || string(r.raw) != "x" {
			t.Errorf("%s: %v %d", u, err, r.status)
		}
	}
	for _, u := range []string{"https://example.com/", "https://worksmobile.com.evil.example/", "https://www.worksapis.com:8443/"} {
		if _, err := fetch(c, newGet(u, "")); err == nil {
			t.Errorf("%s was reachable", u)
		}
	}
	// The emulator's certificate is trusted by its transport only.
	if _, err := fetch(http.DefaultClient, newGet(strings.Replace(s.APIURL(), "http://", "https://", 1), "")); err == nil {
		t.Error("plain listener answered https")
	}
}

func TestContentDispositionStyles(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: `週報 "1".pdf`, Content: []byte("x")})
	access := s.IssueAccessToken(clientID)
	for style, want := range map[lineworkstest.DispositionStyle]string{
		lineworkstest.DispositionRFC6266:        `attachment; filename="__ _1_.pdf"; filename*=UTF-8''%E9%80%B1%E5%A0%B1%20%221%22.pdf`,
		lineworkstest.DispositionQuotedUTF8:     `attachment; filename="週報 \"1\".pdf"`,
		lineworkstest.DispositionUnquoted:       `attachment; filename=週報 "1".pdf`,
		lineworkstest.DispositionPercentEncoded: `attachment; filename="%E9%80%B1%E5%A0%B1%20%221%22.pdf"`,
	} {
		s.SetContentDisposition(style)
		if got := get(t, noRedirect, s.DerivedURL(fileID), access).header.Get("Content-Disposition"); got != want {
			t.Errorf("style %d: %s, want %s", style, got, want)
		}
	}
}

func TestStorageErrors(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	base := s.StorageURL() + "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/"
	for _, tt := range []struct {
		name, url, token string
		status           int
	}{
		{"no token", base, "", 401},
		{"bad token", base, "nope", 401},
		{"unknown file", s.StorageURL() + "/k/emsg/r/jp1/2.0/", access, 404},
		{"no trailing slash", strings.TrimSuffix(base, "/"), access, 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, noRedirect, tt.url, tt.token)
			if r.status != tt.status || r.header.Get("Server") != "FileCloud" {
				t.Errorf("got %d %v %s", r.status, r.header, r.raw)
			}
		})
	}
}

func TestGeneratedContent(t *testing.T) {
	a := lineworkstest.Attachment{FileName: "big.bin", Size: 1<<20 + 3}
	h := func(a lineworkstest.Attachment) [32]byte {
		b, err := io.ReadAll(lineworkstest.AttachmentContent(a))
		if err != nil || int64(len(b)) != a.Size {
			t.Fatalf("read %d, %v", len(b), err)
		}
		return sha256.Sum256(b)
	}
	if first, second := h(a), h(a); first != second {
		t.Error("content is not deterministic")
	}
	b := a
	b.FileName = "other.bin"
	if h(a) == h(b) {
		t.Error("different attachments have the same content")
	}
}

// A 256 MiB attachment streams without being held in memory.
func TestLargeDownload(t *testing.T) {
	if testing.Short() {
		t.Skip("large download")
	}
	s := newServer(t)
	a := lineworkstest.Attachment{FileName: "big.bin", Size: 256 << 20}
	s.AddAttachment(botID, fileID, a)
	access, _ := accessToken(t, s)

	want := sha256.New()
	if _, err := io.Copy(want, lineworkstest.AttachmentContent(a)); err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	req, _ := http.NewRequest(http.MethodGet, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := sha256.New()
	n, err := io.CopyBuffer(got, resp.Body, make([]byte, 64<<10))
	if err != nil || n != a.Size || resp.ContentLength != a.Size {
		t.Fatalf("copied %d of %d (Content-Length %d): %v", n, a.Size, resp.ContentLength, err)
	}
	runtime.ReadMemStats(&after)
	if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Error("content differs from AttachmentContent")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("download allocated %d MiB", alloc>>20)
	}
}

func TestTruncateDownloads(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Size: 1 << 20})
	access, _ := accessToken(t, s)
	s.SetTruncateDownloads(true)
	req, _ := http.NewRequest(http.MethodGet, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if resp.ContentLength != 1<<20 || n != 1<<19 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Content-Length %d, read %d, err %v", resp.ContentLength, n, err)
	}
}

func TestHoldDownloads(t *testing.T) {
	s := newServer(t)
	access, _ := accessToken(t, s)
	const n = 4
	for i := range n {
		s.AddAttachment(botID, fmt.Sprintf("jp1.%d", i), lineworkstest.Attachment{Size: 1000})
	}
	// A generous timeout: the test passes only if the barrier, not the timer, releases.
	s.HoldDownloads(n, time.Minute)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := fetch(http.DefaultClient, newGet(fmt.Sprintf("%s/k/emsg/r/jp1/%d/", s.StorageURL(), i), access))
			if err != nil || r.status != 200 || len(r.raw) != 1000 {
				t.Errorf("download %d: %d %v", i, r.status, err)
			}
		})
	}
	wg.Wait()
	if got := s.MaxConcurrentDownloads(); got != n {
		t.Errorf("MaxConcurrentDownloads = %d, want %d", got, n)
	}
	if time.Since(start) > 30*time.Second {
		t.Error("downloads were released by the timeout")
	}

	// A lone download waits for the timeout only.
	s.HoldDownloads(n, 10*time.Millisecond)
	if r := get(t, http.DefaultClient, s.StorageURL()+"/k/emsg/r/jp1/0/", access); r.status != 200 {
		t.Errorf("lone download: %d", r.status)
	}
}

func TestRecording(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	get(t, http.DefaultClient, attachmentURL(s, botID, fileID), access)

	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests: %+v", len(reqs), reqs)
	}
	tok, api, storage := reqs[0], reqs[1], reqs[2]
	if tok.Host != "auth" || tok.Method != http.MethodPost || tok.Path != "/oauth2/v2.0/token" || tok.Status != 200 ||
		tok.Form.Get("client_id") != clientID || tok.Form.Get("scope") != "bot bot.message" {
		t.Errorf("token request %+v", tok)
	}
	if api.Host != "api" || api.Path != "/v1.0/bots/"+botID+"/attachments/"+fileID || api.Status != 302 ||
		api.Header.Get("Authorization") != "Bearer "+access || api.Form != nil {
		t.Errorf("API request %+v", api)
	}
	if storage.Host != "storage" || storage.Status != 401 || storage.Header.Get("Authorization") != "" {
		t.Errorf("storage request %+v", storage)
	}
	if n := s.CountRequests("api", "/v1.0/bots/"); n != 1 {
		t.Errorf("CountRequests(api) = %d", n)
	}
	if n := s.CountRequests("", "/"); n != 3 {
		t.Errorf("CountRequests(any) = %d", n)
	}
	reqs[0].Header.Set("Authorization", "changed")
	if s.Requests()[0].Header.Get("Authorization") == "changed" {
		t.Error("Requests returns shared headers")
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Error("ResetRequests kept requests")
	}
}

// Requests from many goroutines at once, for the race detector.
func TestConcurrentUse(t *testing.T) {
	s := newServer(t)
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Size: 10 << 10})
	var wg sync.WaitGroup
	assertion := sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now()))
	for i := range 8 {
		wg.Go(func() {
			r, err := fetch(noRedirect, newPost(tokenURL(s), jwtForm(assertion)))
			if err != nil || r.status != 200 {
				t.Errorf("token: %d %v", r.status, err)
				return
			}
			access, refresh := r.body["access_token"].(string), r.body["refresh_token"].(string)
			for _, req := range []*http.Request{
				newGet(attachmentURL(s, botID, fileID), access),
				newGet(s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", access),
				newPost(tokenURL(s), refreshForm(refresh)),
			} {
				if _, err := fetch(http.DefaultClient, req); err != nil {
					t.Error(err)
				}
			}
			if i%2 == 0 {
				s.ExpireAccessTokens()
				s.RateLimitNext(1, 1)
			}
			s.Requests()
			s.TokenValid(access)
		})
	}
	wg.Wait()
}

const (
	legacyAPIID    = "jp1PrJVEbjpFi"
	legacyServerID = "46c4f281f81148c9b846c59262ae5888"
)

func legacyForm(assertion string) url.Values {
	return url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}
}

func TestLegacyServerToken(t *testing.T) {
	s := newServer(t)
	key := lineworkstest.TestKey(2)
	s.RegisterLegacyServer(lineworkstest.LegacyServer{APIID: legacyAPIID, ServerID: legacyServerID, PublicKey: &key.PublicKey})
	tokenURL := s.AuthURL() + "/b/" + legacyAPIID + "/server/token"

	// The document's example: issued 2017-04-18 17:37:52 (UTC+9), 30 minutes.
	iat := time.Date(2017, 4, 18, 8, 37, 52, 0, time.UTC)
	claims := jwt.MapClaims{"iss": legacyServerID, "iat": iat.Unix(), "exp": iat.Add(30 * time.Minute).Unix()}
	assertion := sign(t, jwt.SigningMethodRS256, key, claims)
	s.SetClock(func() time.Time { return iat.Add(time.Minute) })

	// The document's request: percent-encoded grant_type, charset parameter.
	body := "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion
	req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	r := do(t, noRedirect, req)
	if r.status != 200 || r.body["token_type"] != "Bearer" || r.body["expires_in"] != float64(86400) {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	first := r.body["access_token"].(string)
	if !s.TokenValid(first) {
		t.Error("server token is not valid")
	}

	// A reissue invalidates the previous server token.
	r = postForm(t, tokenURL, legacyForm(assertion))
	if r.status != 200 {
		t.Fatalf("reissue: %d %s", r.status, r.raw)
	}
	if s.TokenValid(first) || !s.TokenValid(r.body["access_token"].(string)) {
		t.Error("reissue did not replace the server token")
	}

	// The document's error example, exactly.
	s.SetClock(func() time.Time { return time.Date(2017, 4, 19, 14, 27, 52, 480e6, time.UTC) })
	expired := sign(t, jwt.SigningMethodRS256, key, jwt.MapClaims{
		"iss": legacyServerID,
		"iat": time.Date(2017, 4, 19, 13, 27, 58, 0, time.UTC).Unix(),
		"exp": time.Date(2017, 4, 19, 13, 57, 58, 0, time.UTC).Unix(),
	})
	r = postForm(t, tokenURL, legacyForm(expired))
	want := `{"code":"31","detail":"JWT expired at 2017-04-19T13:57:58Z. Current time: 2017-04-19T14:27:52Z, a difference of 1794480 milliseconds. Allowed clock skew: 0 milliseconds.","message":"jwt already expired"}`
	if r.status != 400 || string(r.raw) != want {
		t.Errorf("got %d %s\nwant 400 %s", r.status, r.raw, want)
	}
}

func TestLegacyServerTokenErrors(t *testing.T) {
	s := newServer(t)
	fixClock(s)
	key := lineworkstest.TestKey(2)
	s.RegisterLegacyServer(lineworkstest.LegacyServer{APIID: legacyAPIID, ServerID: legacyServerID, PublicKey: &key.PublicKey})
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": legacyServerID, "iat": fixedNow.Unix(), "exp": fixedNow.Add(30 * time.Minute).Unix()}
		edit(c)
		return c
	}
	good := sign(t, jwt.SigningMethodRS256, key, claims(func(jwt.MapClaims) {}))
	tokenURL := s.AuthURL() + "/b/" + legacyAPIID + "/server/token"
	tests := []struct {
		name    string
		url     string
		form    url.Values
		status  int
		code    string
		message string
	}{
		{"future", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iat"] = fixedNow.Unix() + 5 }))), 400, "32", "jwt issued in the future"},
		{"unknown API ID", s.AuthURL() + "/b/other/server/token", legacyForm(good), 401, "41", "invalid api id"},
		{"unknown server ID", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iss"] = strings.Repeat("0", 32) }))), 401, "42", "invalid server id"},
		{"bad signature", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), claims(func(jwt.MapClaims) {}))), 401, "43", "jwt signature does not match"},
		{"HS256", tokenURL, legacyForm(sign(t, jwt.SigningMethodHS256, []byte("k"), claims(func(jwt.MapClaims) {}))), 400, "30", "invalid jwt"},
		{"no exp", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { delete(c, "exp") }))), 400, "30", "invalid jwt"},
		{"grant type", tokenURL, url.Values{"grant_type": {"client_credentials"}, "assertion": {good}}, 400, "12", "unsupported grant type"},
		{"no assertion", tokenURL, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}}, 400, "11", "invalid request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postForm(t, tt.url, tt.form)
			if r.status != tt.status || r.body["code"] != tt.code || r.body["message"] != tt.message || r.body["detail"] == "" {
				t.Errorf("got %d %s, want %d code %s %q", r.status, r.raw, tt.status, tt.code, tt.message)
			}
		})
	}

	// A sub claim is ignored.
	withSub := sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["sub"] = "whatever" }))
	if r := postForm(t, tokenURL, legacyForm(withSub)); r.status != 200 {
		t.Errorf("sub: %d %s", r.status, r.raw)
	}
	// Server tokens are not API 2.0 tokens.
	r := postForm(t, tokenURL, legacyForm(good))
	s.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), r.body["access_token"].(string)), 401, "UNAUTHORIZED")
}

func TestLegacyServiceRefresh(t *testing.T) {
	s := newServer(t)
	s.RegisterLegacyConsumer(lineworkstest.LegacyConsumer{APIID: legacyAPIID, ConsumerKey: "LQwDde6x8eV4ROOCOdSW"})
	refresh := s.IssueLegacyRefreshToken(legacyAPIID, "LQwDde6x8eV4ROOCOdSW")
	refreshURL := s.AuthURL() + "/ba/" + legacyAPIID + "/service/token/refresh"

	r := postForm(t, refreshURL, url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {refresh}})
	if r.status != 200 || r.body["errorCode"] != "00" || r.body["expire_in"] != "604800" || !s.TokenValid(r.body["access_token"].(string)) {
		t.Fatalf("POST: %d %s", r.status, r.raw)
	}
	r = get(t, noRedirect, refreshURL+"?"+url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {refresh}}.Encode(), "")
	if r.status != 200 || r.body["errorCode"] != "00" {
		t.Fatalf("GET: %d %s", r.status, r.raw)
	}

	for _, tt := range []struct {
		name string
		form url.Values
		code string
	}{
		{"unknown consumer key", url.Values{"client_id": {"other"}, "refresh_token": {refresh}}, "107"},
		{"no refresh token", url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}}, "107"},
		{"unknown refresh token", url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {"nope"}}, "502"},
		{"2.0 refresh token", url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {s.IssueRefreshToken(clientID)}}, "502"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := postForm(t, refreshURL, tt.form)
			if r.status != 200 || string(r.raw) != `{"errorCode":"`+tt.code+`"}` {
				t.Errorf("got %d %s, want errorCode %s", r.status, r.raw, tt.code)
			}
		})
	}

	s.SetLegacyServiceErrorCode("99")
	good := url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {refresh}}
	if r := postForm(t, refreshURL, good); r.body["errorCode"] != "99" {
		t.Errorf("forced: %s", r.raw)
	}
	if r := postForm(t, refreshURL, good); r.body["errorCode"] != "00" {
		t.Errorf("after forced: %s", r.raw)
	}
}

func TestKeys(t *testing.T) {
	k := lineworkstest.TestKey(0)
	if lineworkstest.TestKey(0) != k || k.N.BitLen() != 2048 {
		t.Fatal("TestKey is not stable or not 2048-bit")
	}
	for _, tt := range []struct {
		name  string
		pem   []byte
		label string
		parse func([]byte) (any, error)
	}{
		{"PKCS8", lineworkstest.PKCS8PEM(k), "PRIVATE KEY", x509.ParsePKCS8PrivateKey},
		{"PKCS1", lineworkstest.PKCS1PEM(k), "RSA PRIVATE KEY", func(b []byte) (any, error) { return x509.ParsePKCS1PrivateKey(b) }},
		{"PKCS8 under RSA label", lineworkstest.PKCS8UnderRSALabelPEM(k), "RSA PRIVATE KEY", x509.ParsePKCS8PrivateKey},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := pem.Decode(tt.pem)
			if b == nil || b.Type != tt.label {
				t.Fatalf("PEM %q", tt.pem)
			}
			got, err := tt.parse(b.Bytes)
			if err != nil || !k.Equal(got.(*rsa.PrivateKey)) {
				t.Errorf("parse: %v", err)
			}
		})
	}
}
