package lineworkstest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestRecording(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	get(t, http.DefaultClient, attachmentURL(s, botID, fileID), access)

	reqs := s.Requests.All()
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
	if n := s.Requests.Count("api", "/v1.0/bots/"); n != 1 {
		t.Errorf("Requests.Count(api) = %d", n)
	}
	if n := s.Requests.Count("", "/"); n != 3 {
		t.Errorf("Requests.Count(any) = %d", n)
	}
	reqs[0].Header.Set("Authorization", "changed")
	if s.Requests.All()[0].Header.Get("Authorization") == "changed" {
		t.Error("Requests.All returns shared headers")
	}
	s.Requests.Reset()
	if len(s.Requests.All()) != 0 {
		t.Error("Requests.Reset kept requests")
	}
}

func TestBotRequestBodiesAreRecorded(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	s.Requests.Reset()
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, `{"description":"only this"}`), http.StatusOK)
	reqs := s.Requests.All()
	if len(reqs) != 1 || string(reqs[0].Body) != `{"description":"only this"}` || reqs[0].Method != http.MethodPatch {
		t.Fatalf("recorded %+v", reqs)
	}
	reqs[0].Body[0] = 'X'
	if s.Requests.All()[0].Body[0] == 'X' {
		t.Error("Requests.All returned the recorded slice")
	}
	// Bounded: a large body is recorded in part, and still served whole.
	big := `{"description":"` + strings.Repeat("x", 70<<10) + `"}`
	r := botCall(t, s, http.MethodPatch, botPath(id), tok, big)
	wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER") // too long a description: the handler saw it all
	if n := len(s.Requests.All()[1].Body); n != 64<<10 {
		t.Errorf("recorded %d bytes", n)
	}
}

// Every response carries the emulator's clock in its Date header, which is
// what a client compares its own clock with.
func TestDateHeaderFollowsTheEmulatorsClock(t *testing.T) {
	s := newServer(t)
	fixClock(s)
	for _, u := range []string{tokenURL(s), attachmentURL(s, botID, fileID), s.Storage.DerivedURL(fileID)} {
		if got := get(t, noRedirect, u, "").header.Get("Date"); got != "Wed, 16 Jul 2025 08:21:35 GMT" {
			t.Errorf("%s: Date %q", u, got)
		}
	}
}
