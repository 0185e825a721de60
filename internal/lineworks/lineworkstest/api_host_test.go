package lineworkstest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestAPIErrors(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	noScope := s.Auth.IssueAccessToken(clientID, "user.read")

	tests := []struct {
		name, url, token string
		status           int
		code             string
	}{
		{"no token", attachmentURL(s, botID, fileID), "", 401, "UNAUTHORIZED"},
		{"unknown token", attachmentURL(s, botID, fileID), "nope", 401, "UNAUTHORIZED"},
		{"refresh token as bearer", attachmentURL(s, botID, fileID), s.Auth.IssueRefreshToken(clientID), 401, "UNAUTHORIZED"},
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
		for _, r := range s.Requests.All() {
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
		if r := get(t, noRedirect, attachmentURL(s, botID, fileID), s.Auth.IssueAccessToken(clientID, "bot.message")); r.status != 302 {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
	})
	t.Run("POST", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, attachmentURL(s, botID, fileID), nil)
		req.Header.Set("Authorization", "Bearer "+access)
		wantAPIError(t, do(t, noRedirect, req), 405, "METHOD_NOT_ALLOWED")
	})
}

// A wrong api_endpoint (no /v1.0, another version, a proxy path) gets the
// very body a missing bot gets: a client must not take either for the other
// by the body, and must confirm before it drops anything.
func TestUnknownRouteAnswersAsAMissingBot(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	missing := botCall(t, s, http.MethodGet, botPath(999), tok, nil)
	wantAPIError(t, missing, http.StatusNotFound, "NOT_FOUND")
	unregistered := botCall(t, s, http.MethodDelete, botPath(id, "domains", "10000001"), tok, nil)
	root := strings.TrimSuffix(s.APIURL(), "/v1.0")
	for _, u := range []string{
		root + "/bots/" + fmt.Sprint(id),
		root + "/bots",
		root + "/v2.0/bots/" + fmt.Sprint(id),
		root + "/v1.0/bot/" + fmt.Sprint(id),
		root + "/proxy/v1.0/bots/" + fmt.Sprint(id),
		root + "/",
	} {
		r := get(t, noRedirect, u, tok)
		if r.status != http.StatusNotFound || string(r.raw) != string(missing.raw) || r.header.Get("Content-Type") != missing.header.Get("Content-Type") {
			t.Errorf("%s: %d %s %q, want the missing bot's %s", u, r.status, r.raw, r.header.Get("Content-Type"), missing.raw)
		}
	}
	if string(unregistered.raw) != string(missing.raw) {
		t.Errorf("a missing registration: %s, a missing bot: %s", unregistered.raw, missing.raw)
	}
	// Without a token, the preamble answers first, whatever the path.
	wantAPIError(t, get(t, noRedirect, root+"/bots/1", ""), http.StatusUnauthorized, "UNAUTHORIZED")
}

// The router never redirects and serves HEAD nowhere: ServeMux's own
// answers (a 301 to a cleaned path, text 404 and 405, HEAD as GET) are not
// the service's.
func TestRouting(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	for _, tt := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodHead, "/bots", 405, "GET, POST"},
		{http.MethodHead, botPath(id), 405, "DELETE, GET, PATCH, PUT"},
		{http.MethodOptions, botPath(id, "secret"), 405, "POST"},
		{http.MethodGet, "/bots//" + fmt.Sprint(id), 404, ""},
		{http.MethodGet, "/bots/./" + fmt.Sprint(id), 404, ""},
		{http.MethodGet, "/x/../bots/" + fmt.Sprint(id), 404, ""},
	} {
		r := botCall(t, s, tt.method, tt.path, tok, nil)
		if r.status != tt.status || r.header.Get("Allow") != tt.allow || r.header.Get("Location") != "" {
			t.Errorf("%s %s: %d Allow %q Location %q, want %d Allow %q", tt.method, tt.path, r.status, r.header.Get("Allow"), r.header.Get("Location"), tt.status, tt.allow)
		}
		if tt.method != http.MethodHead && !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: Content-Type %q", tt.method, tt.path, r.header.Get("Content-Type"))
		}
	}
	// The other hosts answer in their own shapes.
	wantOAuthError(t, get(t, noRedirect, s.AuthURL()+"/oauth2/v2.0/nothing", ""), 404, "not_found")
	if r := get(t, noRedirect, s.StorageURL()+"/elsewhere", s.Auth.IssueAccessToken(clientID)); r.status != 404 || r.body["code"] != "NOT_FOUND" || r.header.Get("Server") != "FileCloud" {
		t.Errorf("storage: %d %v %s", r.status, r.header, r.raw)
	}
	r := postForm(t, s.AuthURL()+"/b/api/server/token", nil)
	if r.status != 400 || r.body["code"] != "12" {
		t.Errorf("legacy: %d %s", r.status, r.raw)
	}
	r = get(t, noRedirect, s.AuthURL()+"/b/api/server/token", "")
	if r.status != 405 || r.body["code"] != "11" || r.header.Get("Allow") != "POST" {
		t.Errorf("legacy GET: %d %v %s", r.status, r.header, r.raw)
	}
	req, _ := http.NewRequest(http.MethodDelete, s.AuthURL()+"/ba/api/service/token/refresh", nil)
	if r := do(t, noRedirect, req); r.status != 405 || r.body["errorCode"] != "99" || r.header.Get("Allow") != "GET, POST" {
		t.Errorf("legacy service DELETE: %d %v %s", r.status, r.header, r.raw)
	}
}
