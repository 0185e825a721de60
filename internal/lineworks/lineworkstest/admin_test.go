package lineworkstest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// admin calls the admin door and decodes its JSON answer into out, when out is not nil.
func admin(t *testing.T, s *lineworkstest.Server, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		raw, ok := body.(string)
		if !ok {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			raw = string(b)
		}
		rd = strings.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.AdminURL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s answered %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	if resp.StatusCode >= 400 {
		if resp.Header.Get("Content-Type") != "application/json" || !bytes.Contains(raw, []byte(`"error"`)) {
			t.Errorf("%s %s: error %d %q is not {\"error\"}", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

func newAdminServer(t *testing.T) (*lineworkstest.Server, string) {
	t.Helper()
	s, err := lineworkstest.Start(lineworkstest.Options{AdminAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	s.Bots.SetMutationHold(0)
	s.Auth.RegisterApp(lineworkstest.App{ClientID: clientID, ClientSecret: clientSecret, ServiceAccountID: serviceAccount, PublicKey: &lineworkstest.TestKey(0).PublicKey})
	return s, s.Auth.IssueAccessToken(clientID, "bot")
}

// The admin door changes a bot behind the client's back, as an
// administrator in the Developer Console would, and the API shows it.
func TestAdminBots(t *testing.T) {
	s, tok := newAdminServer(t)
	if s.AdminURL() == "" || !strings.HasPrefix(s.AdminURL(), "http://127.0.0.1:") {
		t.Fatalf("AdminURL %q", s.AdminURL())
	}
	var seeded lineworkstest.BotState
	seed := with(validBot(), "botId", 3000001, "secret", "seeded-secret", "domains", []map[string]any{{"domainId": lineworkstest.DefaultDomainID, "visible": true}})
	if st := admin(t, s, http.MethodPost, "/_emulator/bots", seed, &seeded); st != http.StatusCreated || seeded.BotID != 3000001 || seeded.Secret != "seeded-secret" || len(seeded.Domains) != 1 {
		t.Fatalf("seed: %d %+v", st, seeded)
	}
	id := seeded.BotID
	if got := s.Bots.CallbackSignature(id, []byte("{}")); got == "" {
		t.Error("the seeded secret does not sign")
	}
	wantStatus(t, botCall(t, s, http.MethodGet, botPath(id), tok, nil), http.StatusOK)
	if next := createBot(t, s, tok, validBot()); next != 3000002 {
		t.Errorf("the next bot is %d, want one after the seeded one", next)
	}

	var changed lineworkstest.BotState
	if st := admin(t, s, http.MethodPatch, fmt.Sprintf("/_emulator/bots/%d", id), map[string]any{"description": "changed in the console", "allowDomains": []int64{}}, nil); st != http.StatusBadRequest {
		t.Errorf("an invalid change: %d", st)
	}
	if st := admin(t, s, http.MethodPatch, fmt.Sprintf("/_emulator/bots/%d", id), map[string]any{"description": "changed in the console"}, &changed); st != http.StatusOK ||
		changed.Description != "changed in the console" || !changed.ModifiedTime.After(seeded.ModifiedTime) && !changed.ModifiedTime.Equal(seeded.ModifiedTime.Add(1e9)) {
		t.Errorf("change: %d %+v", st, changed)
	}
	if r := botCall(t, s, http.MethodGet, botPath(id), tok, nil); r.body["description"] != "changed in the console" {
		t.Errorf("the API shows %s", r.raw)
	}

	var rotated lineworkstest.BotState
	if admin(t, s, http.MethodPost, fmt.Sprintf("/_emulator/bots/%d/secret", id), nil, &rotated); rotated.Secret == "" || rotated.Secret == "seeded-secret" {
		t.Errorf("secret after rotation %q", rotated.Secret)
	}
	if admin(t, s, http.MethodDelete, fmt.Sprintf("/_emulator/bots/%d/domains/%d", id, lineworkstest.DefaultDomainID), nil, nil); len(s.Bots.Domains(id)) != 0 {
		t.Error("the registration is still there")
	}
	if st := admin(t, s, http.MethodPut, fmt.Sprintf("/_emulator/bots/%d/domains/%d", id, lineworkstest.DefaultDomainID), map[string]any{"allowToSelectedMember": true}, nil); st != http.StatusOK ||
		!s.Bots.Domains(id)[0].AllowToSelectedMember {
		t.Errorf("register: %d %v", st, s.Bots.Domains(id))
	}
	if st := admin(t, s, http.MethodPut, fmt.Sprintf("/_emulator/bots/%d/domains/99", id), nil, nil); st != http.StatusBadRequest {
		t.Errorf("register in an unknown domain: %d", st)
	}

	var all []lineworkstest.BotState
	if admin(t, s, http.MethodGet, "/_emulator/bots", nil, &all); len(all) != 2 {
		t.Errorf("bots %+v", all)
	}
	if st := admin(t, s, http.MethodDelete, fmt.Sprintf("/_emulator/bots/%d", id), nil, nil); st != http.StatusNoContent {
		t.Errorf("delete: %d", st)
	}
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(id), tok, nil), http.StatusNotFound, "NOT_FOUND")
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, fmt.Sprintf("/_emulator/bots/%d", id)},
		{http.MethodPatch, "/_emulator/bots/x"},
		{http.MethodGet, "/_emulator/nothing"},
	} {
		if st := admin(t, s, c.method, c.path, map[string]any{}, nil); st != http.StatusNotFound {
			t.Errorf("%s %s: %d", c.method, c.path, st)
		}
	}
	if st := admin(t, s, http.MethodPost, "/_emulator/bots", with(validBot(), "botNmae", "x"), nil); st != http.StatusBadRequest {
		t.Errorf("a misspelt field: %d", st)
	}
	if st := admin(t, s, http.MethodPost, "/_emulator/state", nil, nil); st != http.StatusMethodNotAllowed {
		t.Errorf("POST state: %d", st)
	}
}

func TestAdminSettingsAndState(t *testing.T) {
	s, tok := newAdminServer(t)
	var settings lineworkstest.Settings
	if admin(t, s, http.MethodGet, "/_emulator/settings", nil, &settings); settings.AnswerForms == nil || settings.AnswerForms.CreateStatus != 201 ||
		*settings.RateLimitPerMinute != lineworkstest.RateLimitStandard || *settings.BotLimit != lineworkstest.DefaultBotLimit {
		t.Fatalf("settings %+v", settings)
	}
	if st := admin(t, s, http.MethodPut, "/_emulator/settings", `{"answer_forms":"all","rate_limit_per_minute":60,"bot_limit":10}`, &settings); st != http.StatusOK {
		t.Fatalf("PUT settings: %d", st)
	}
	if mustJSON(t, s.Forms.Get()) != mustJSON(t, lineworkstest.AllAnswerForms()) || s.Faults.RateLimit() != 60 {
		t.Errorf("settings not applied: %+v %d", s.Forms.Get(), s.Faults.RateLimit())
	}
	// The menus' forms, by name.
	admin(t, s, http.MethodPut, "/_emulator/settings", `{"answer_forms":{"rich_menu_create_answer":"id_only","persistent_menu_none":"empty","all_users_members":"body"}}`, nil)
	if f := s.Forms.Get(); f.RichMenuCreateAnswer != lineworkstest.RichMenuCreateIDOnly || f.PersistentMenuNone != lineworkstest.PersistentMenuNoneEmpty ||
		f.AllUsersMembers != lineworkstest.AllUsersBody || f.CreateAnswer != lineworkstest.CreateAnswerFull {
		t.Errorf("the menus' forms not applied: %+v", f)
	}
	if st := admin(t, s, http.MethodPut, "/_emulator/settings", `{"rate_limit_per_minute":20,"rate_limit_window_ms":3000,"read_latency_ms":50,"mutation_hold_ms":150}`, &settings); st != http.StatusOK ||
		*settings.RateLimitPerMinute != 20 || *settings.RateLimitWindowMillis != 3000 || *settings.ReadLatencyMillis != 50 || *settings.MutationHoldMillis != 150 {
		t.Fatalf("PUT limit window and latencies: %d %+v", st, settings)
	}
	if s.Faults.RateLimit() != 20 || s.Faults.RateLimitWindow() != 3*time.Second || s.Faults.ReadLatency() != 50*time.Millisecond {
		t.Errorf("limit window and latencies not applied: %d per %s, reads %s", s.Faults.RateLimit(), s.Faults.RateLimitWindow(), s.Faults.ReadLatency())
	}
	admin(t, s, http.MethodPut, "/_emulator/settings", `{"rate_limit_per_minute":60,"rate_limit_window_ms":60000,"read_latency_ms":0}`, nil)
	for _, bad := range []string{`{"answer_forms":{"create_answer":"partial"},"rate_limit_per_minute":5}`, `{"faults":{"unavailable":1.5}}`, `{"rate_limit":5}`,
		`{"rate_limit_window_ms":500}`, `{"read_latency_ms":-1}`, `{"answer_forms":{"budget_headers":"sometimes"}}`,
		`{"answer_forms":{"all_users_members":"sometimes"}}`, `{"answer_forms":{"persistent_menu_none":404}}`} {
		if st := admin(t, s, http.MethodPut, "/_emulator/settings", bad, nil); st != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, st)
		}
	}
	if s.Faults.RateLimit() != 60 {
		t.Error("a refused change changed a setting")
	}
	admin(t, s, http.MethodPut, "/_emulator/settings", `{"answer_forms":{},"faults":{"seed":1,"unavailable":1}}`, nil)
	if r := botCall(t, s, http.MethodGet, "/bots", tok, nil); r.status != http.StatusServiceUnavailable {
		t.Errorf("with every request failing: %d", r.status)
	}
	admin(t, s, http.MethodPut, "/_emulator/settings", `{"faults":{}}`, nil)
	admin(t, s, http.MethodPost, "/_emulator/faults/too-many-requests", `{"count":1,"reset":9}`, nil)
	if r := botCall(t, s, http.MethodGet, "/bots", tok, nil); r.status != http.StatusTooManyRequests || r.header.Get("rateLimit-reset") != "9" {
		t.Errorf("forced 429: %d %v", r.status, r.header)
	}
	admin(t, s, http.MethodPost, "/_emulator/tokens/expire", nil, nil)
	wantAPIError(t, botCall(t, s, http.MethodGet, "/bots", tok, nil), http.StatusForbidden, "UNAUTHORIZED")
	tok = s.Auth.IssueAccessToken(clientID, "bot")

	// The directory and attachments.
	var dir lineworkstest.DirectoryState
	admin(t, s, http.MethodPost, "/_emulator/directory", `{"domains":[10000002],"users":[{"email":"new@example.com"},{"userId":"u-1"}]}`, &dir)
	if len(dir.Domains) != 2 {
		t.Errorf("directory %+v", dir)
	}
	createBot(t, s, tok, with(validBot(), "administrators", []string{"new@example.com", "u-1"}, "allowDomains", []int64{10000002}))
	var added map[string]string
	if st := admin(t, s, http.MethodPost, "/_emulator/attachments", map[string]any{"bot_id": botID, "file_id": fileID, "file_name": "a.txt", "content": []byte("hello")}, &added); st != http.StatusCreated {
		t.Fatalf("attachment: %d", st)
	}
	if r := get(t, noRedirect, added["derived_url"], tok); r.status != 200 || string(r.raw) != "hello" {
		t.Errorf("download: %d %q", r.status, r.raw)
	}

	// Requests seen, then forgotten.
	var seen []map[string]any
	admin(t, s, http.MethodGet, "/_emulator/requests", nil, &seen)
	if len(seen) == 0 || seen[0]["host"] != "api" || seen[0]["path"] != "/v1.0/bots" {
		t.Errorf("requests %v", seen)
	}
	admin(t, s, http.MethodDelete, "/_emulator/requests", nil, nil)
	if len(s.Requests.All()) != 0 {
		t.Error("requests kept")
	}

	// The whole state, out and back in.
	var st lineworkstest.State
	admin(t, s, http.MethodGet, "/_emulator/state", nil, &st)
	if len(st.Bots) != 1 || len(st.Apps) != 1 || st.Apps[0].ClientSecret != clientSecret || len(st.Attachments) != 1 {
		t.Fatalf("state %+v", st)
	}
	saved := mustJSON(t, st)
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(st.Bots[0].BotID), tok, nil), http.StatusNoContent)
	if code := admin(t, s, http.MethodPut, "/_emulator/state", saved, nil); code != http.StatusNoContent || len(s.Bots.List()) != 1 {
		t.Errorf("PUT state: %d, %d bots", code, len(s.Bots.List()))
	}
	if code := admin(t, s, http.MethodPut, "/_emulator/state", `{"version":7}`, nil); code != http.StatusBadRequest {
		t.Errorf("PUT a bad state: %d", code)
	}
}

// The emulator listens on loopback only: the provider sends a token over
// plain http only there.
func TestStartListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "example.com:0", "nonsense"} {
		if s, err := lineworkstest.Start(lineworkstest.Options{APIAddr: addr}); err == nil {
			s.Close()
			t.Errorf("%s was accepted", addr)
		} else if addr != "nonsense" && !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: %v", addr, err)
		}
	}
	s, err := lineworkstest.Start(lineworkstest.Options{AuthAddr: "localhost:0", StorageAddr: "[::1]:0"})
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.StorageURL(), "http://localhost:") || s.AdminURL() != "" {
		t.Errorf("StorageURL %s, AdminURL %q", s.StorageURL(), s.AdminURL())
	}
}
