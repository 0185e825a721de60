package lineworkstest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
	s.Auth.RegisterApp(lineworkstest.App{
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

func wantStatus(t *testing.T, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("got %d %s, want %d", r.status, r.raw, status)
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

func refreshForm(refresh string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {clientID}, "client_secret": {clientSecret}}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m any // normalize key order and number types
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(m)
	return string(b)
}

// waitFor polls cond until it holds, failing after a generous deadline. It
// waits for a state, not for time to pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// addBot seeds the bot id (as the first bot Bots gives) without a request,
// so that the request log holds only the test's own.
func addBot(t *testing.T, s *lineworkstest.Server, id string) {
	t.Helper()
	bot, err := s.Bots.Add(lineworkstest.Bot{BotName: "b", PhotoURL: "https://example.com/b.png", Description: "d", Administrators: []string{lineworkstest.DefaultUsers[0]}})
	if err != nil || fmt.Sprint(bot.BotID) != id {
		t.Fatalf("seeding bot %s: %d %v", id, bot.BotID, err)
	}
}
