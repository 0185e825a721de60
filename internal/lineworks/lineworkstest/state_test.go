package lineworkstest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// A state saved to a file and loaded into another emulator is the same
// tenant: the same apps, tokens that still work, bots with their secrets and
// registrations, files, API 1.0 registrations and settings.
func TestSaveAndLoadState(t *testing.T) {
	s, tok := newBotServer(t)
	s.Directory.AddDomains(10000002)
	s.Directory.AddUser(lineworkstest.User{UserID: "userf7da-f82c-4284-13e7-030f3b4c756x", Email: "chosen@example.com"})
	id := createBot(t, s, tok, with(validBot(), "allowDomains", []int64{10000002}, "administrators", []string{"chosen@example.com"}))
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "domains", "10000002"), tok, map[string]any{"visible": true}), http.StatusCreated)
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "secret"), tok, nil), http.StatusOK)
	gone := createBot(t, s, tok, validBot())
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(gone), tok, nil), http.StatusNoContent)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: "a.pdf", ContentType: "application/pdf", Content: []byte("%PDF")})
	s.Storage.AddAttachment(botID, "jp1.2", lineworkstest.Attachment{FileName: "big.bin", Size: 1 << 20})
	s.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: legacyAPIID, ServerID: legacyServerID, PublicKey: &lineworkstest.TestKey(2).PublicKey})
	s.Legacy.RegisterConsumer(lineworkstest.LegacyConsumer{APIID: legacyAPIID, ConsumerKey: "key"})
	refresh := s.Auth.IssueRefreshToken(clientID)
	revoked := s.Auth.IssueAccessToken(clientID)
	if r := postForm(t, s.AuthURL()+"/oauth2/v2.0/revoke", url.Values{"token": {revoked}, "client_id": {clientID}, "client_secret": {clientSecret}}); r.status != 200 {
		t.Fatalf("revoke: %d %s", r.status, r.raw)
	}
	setForms(t, s, lineworkstest.AnswerForms{DeletedBotStatus: 410, AllDomains: lineworkstest.AllDomainsZero})
	s.Faults.SetRateLimit(lineworkstest.RateLimitFree)

	loaded, _ := saveAndLoad(t, s)
	// The tenant works as before.
	r := botCall(t, loaded, http.MethodGet, botPath(id), tok, nil)
	wantStatus(t, r, http.StatusOK)
	if loaded.Bots.Secret(id) != s.Bots.Secret(id) || len(loaded.Bots.Domains(id)) != 1 {
		t.Errorf("secret or registration lost: %q %v", loaded.Bots.Secret(id), loaded.Bots.Domains(id))
	}
	wantAPIError(t, botCall(t, loaded, http.MethodGet, botPath(gone), tok, nil), http.StatusGone, "DELETED")
	if next := createBot(t, loaded, tok, validBot()); next <= gone {
		t.Errorf("new bot ID %d reuses one", next)
	}
	if loaded.Auth.TokenValid(revoked) || strings.Contains(mustJSON(t, loaded.State()), revoked) {
		t.Error("a revoked token came back")
	}
	if r := postForm(t, tokenURL(loaded), refreshForm(refresh)); r.status != 200 {
		t.Errorf("refresh token: %d %s", r.status, r.raw)
	}
	if r := postForm(t, tokenURL(loaded), jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(fixedNow)))); r.status != 200 {
		t.Errorf("JWT grant with the restored app's key: %d %s", r.status, r.raw)
	}
	for _, f := range []string{fileID, "jp1.2"} {
		if r := get(t, noRedirect, loaded.Storage.DerivedURL(f), tok); r.status != 200 {
			t.Errorf("download %s: %d", f, r.status)
		}
	}
	if loaded.Faults.RateLimit() != lineworkstest.RateLimitFree || loaded.Forms.Get().AllDomains != lineworkstest.AllDomainsZero {
		t.Error("settings lost")
	}
}

// saveAndLoad saves s's state to a file, which only its owner may read and
// which is alone in its directory, and loads it into a new emulator, whose
// state must then be s's.
func saveAndLoad(t *testing.T, s *lineworkstest.Server) (loaded *lineworkstest.Server, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "state.json")
	if err := s.SaveState(path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, %v: it holds secrets", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("files beside the state: %v", entries)
	}
	loaded = lineworkstest.NewServer()
	t.Cleanup(loaded.Close)
	fixClock(loaded)
	if err := loaded.LoadState(path); err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(t, loaded.State()), mustJSON(t, s.State()); got != want {
		t.Errorf("loaded state\n%s\nsaved\n%s", got, want)
	}
	return loaded, path
}

// A bad state changes nothing and says what is wrong.
func TestRestoreRefusesABadState(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	good := s.State()
	edit := func(f func(*lineworkstest.State)) lineworkstest.State {
		var st lineworkstest.State
		if err := json.Unmarshal([]byte(mustJSON(t, good)), &st); err != nil {
			t.Fatal(err)
		}
		f(&st)
		// Good changes beside the bad one, which must not be applied either.
		st.Apps[0].ClientSecret = "changed"
		st.Directory.Domains = append(st.Directory.Domains, 20000001)
		return st
	}
	for _, tt := range []struct {
		name  string
		state lineworkstest.State
		want  string
	}{
		{"version", edit(func(st *lineworkstest.State) { st.Version = 2 }), "version"},
		{"key", edit(func(st *lineworkstest.State) { st.Apps[0].PublicKeyPEM = "nope" }), "PEM"},
		{"token kind", edit(func(st *lineworkstest.State) { st.Tokens[0].Kind = "magic" }), "kind"},
		{"unknown administrator", edit(func(st *lineworkstest.State) { st.Bots[0].Administrators = []string{"stranger@example.com"} }), "administrators"},
		{"registration outside allowDomains", edit(func(st *lineworkstest.State) {
			st.Bots[0].AllowDomains = []int64{lineworkstest.DefaultDomainID}
			st.Bots[0].Domains = []lineworkstest.BotDomain{{DomainID: 99}}
		}), "domain 99"},
		{"forms", edit(func(st *lineworkstest.State) { st.Settings.AnswerForms.CreateAnswer = "partial" }), "create_answer"},
		{"faults", edit(func(st *lineworkstest.State) { st.Settings.Faults.Unavailable = 2 }), "faults"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Restore(tt.state)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one naming %s", err, tt.want)
			}
			if mustJSON(t, s.State()) != mustJSON(t, good) {
				t.Error("a refused state changed the emulator")
			}
		})
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"bots":[],"botz":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadState(path); err == nil || !strings.Contains(err.Error(), "botz") || !strings.Contains(err.Error(), path) {
		t.Errorf("a misspelt field: %v", err)
	}
	if _, ok := s.Bots.Get(id); !ok {
		t.Error("the bot is gone")
	}
}
