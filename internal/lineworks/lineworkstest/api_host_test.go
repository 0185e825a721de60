package lineworkstest_test

import (
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
