package lineworkstest_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// botRequest builds a bot API request. body is sent as is when it is a
// string, JSON-encoded otherwise, and not at all when nil.
func botRequest(s *lineworkstest.Server, method, path, bearer string, body any) *http.Request {
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			panic(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.APIURL()+path, rd)
	if err != nil {
		panic(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return req
}

func botCall(t *testing.T, s *lineworkstest.Server, method, path, bearer string, body any) reply {
	t.Helper()
	return do(t, noRedirect, botRequest(s, method, path, bearer, body))
}

// newBotServer is a server with a fixed clock, no mutation hold and a token
// with the bot scope.
func newBotServer(t *testing.T) (*lineworkstest.Server, string) {
	t.Helper()
	s := newServer(t)
	fixClock(s)
	s.Bots.SetMutationHold(0)
	return s, s.Auth.IssueAccessToken(clientID, "bot")
}

func validBot() map[string]any {
	return map[string]any{
		"botName":        "Example Bot",
		"photoUrl":       "https://example.com/bot.png",
		"description":    "Answers questions",
		"administrators": []string{lineworkstest.DefaultUsers[0]},
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func createBot(t *testing.T, s *lineworkstest.Server, tok string, body map[string]any) int64 {
	t.Helper()
	r := botCall(t, s, http.MethodPost, "/bots", tok, body)
	wantStatus(t, r, http.StatusCreated)
	return int64(r.body["botId"].(float64))
}

func botPath(id int64, rest ...string) string {
	return "/bots/" + fmt.Sprint(id) + strings.Join(append([]string{""}, rest...), "/")
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func TestBotCreateReadDelete(t *testing.T) {
	s, tok := newBotServer(t)
	s.Directory.AddDomains(10000002)
	full := map[string]any{
		"botName":           "Deploy Bot",
		"photoUrl":          "https://example.com/bot.png",
		"description":       "Tells you what shipped",
		"administrators":    []string{"admin@example.com", "dev@example.com"},
		"subadministrators": []string{"ops@example.com"},
		"allowDomains":      []int64{lineworkstest.DefaultDomainID, 10000002},
		"enableCallback":    true,
		"callbackUrl":       "https://hooks.example.com/lineworks",
		"callbackEvents":    []string{"text", "image"},
		"channelEvents":     []string{"join", "leave"},
		"enableGroupJoin":   true,
		"defaultRichmenuId": "400001",
		"i18nBotNames":      []map[string]string{{"language": "ja_JP", "botName": "デプロイ Bot"}},
		"i18nDescriptions":  []map[string]string{{"language": "en_US", "description": "Tells you what shipped"}},
		"i18nPhotoUrls":     []map[string]string{{"language": "ko_KR", "photoUrl": "https://example.com/ko.png"}},
	}
	r := botCall(t, s, http.MethodPost, "/bots", tok, full)
	wantStatus(t, r, http.StatusCreated)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	id := int64(r.body["botId"].(float64))
	if id != 2000001 {
		t.Errorf("first bot ID %d", id)
	}
	want := with(full, "botId", float64(id), "createdTime", "2025-07-16T08:21:35Z", "modifiedTime", "2025-07-16T08:21:35Z")
	if got, wantJSON := mustJSON(t, r.body), mustJSON(t, want); got != wantJSON {
		t.Errorf("create answered\n%s\nwant\n%s", got, wantJSON)
	}

	g := botCall(t, s, http.MethodGet, botPath(id), tok, nil)
	wantStatus(t, g, http.StatusOK)
	if mustJSON(t, g.body) != mustJSON(t, r.body) {
		t.Errorf("GET answered\n%s\nthe create answered\n%s", g.raw, r.raw)
	}
	b, ok := s.Bots.Get(id)
	if !ok || b.BotName != "Deploy Bot" || b.CallbackURL != "https://hooks.example.com/lineworks" || !slices.Equal(b.AllowDomains, []int64{lineworkstest.DefaultDomainID, 10000002}) ||
		b.I18nBotNames[0].BotName != "デプロイ Bot" || !b.CreatedTime.Equal(fixedNow) {
		t.Errorf("Bot(%d) = %+v, %t", id, b, ok)
	}

	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(id), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(id), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodDelete, botPath(id), tok, nil), http.StatusNotFound, "NOT_FOUND")
	if _, ok := s.Bots.Get(id); ok || len(s.Bots.List()) != 0 {
		t.Error("the bot is still there")
	}
	if id2 := createBot(t, s, tok, validBot()); id2 == id {
		t.Error("a bot ID was reused")
	}
}

func TestBotDefaults(t *testing.T) {
	s, tok := newBotServer(t)
	r := botCall(t, s, http.MethodPost, "/bots", tok, with(validBot(), "botName", "two\r\nlines\nhere"))
	wantStatus(t, r, http.StatusCreated)
	if r.body["botName"] != "two lines here" {
		t.Errorf("newlines were not replaced: %q", r.body["botName"])
	}
	if _, ok := r.body["allowDomains"]; ok {
		t.Errorf("allowDomains present for a bot of every domain: %s", r.raw)
	}
	for _, k := range []string{"subadministrators", "callbackEvents", "i18nBotNames", "i18nDescriptions", "i18nPhotoUrls"} {
		if v, ok := r.body[k].([]any); !ok || len(v) != 0 {
			t.Errorf("%s = %v, want []", k, r.body[k])
		}
	}
	if got := fmt.Sprint(r.body["channelEvents"]); got != fmt.Sprint(toAny(lineworkstest.DefaultChannelEvents)) {
		t.Errorf("channelEvents = %s", got)
	}
	if r.body["enableCallback"] != false || r.body["enableGroupJoin"] != false || r.body["callbackUrl"] != "" {
		t.Errorf("defaults: %s", r.raw)
	}
	if strings.Contains(string(r.raw), "secret") {
		t.Errorf("a bot carries a secret: %s", r.raw)
	}
}

func TestBotPatch(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, with(validBot(), "callbackUrl", "https://hooks.example.com/", "callbackEvents", []string{"text"}))
	before, _ := s.Bots.Get(id)

	r := botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"description": "New words", "enableGroupJoin": true})
	wantStatus(t, r, http.StatusOK)
	after, _ := s.Bots.Get(id)
	if after.Description != "New words" || !after.EnableGroupJoin {
		t.Errorf("not applied: %+v", after)
	}
	if after.BotName != before.BotName || after.CallbackURL != before.CallbackURL || !slices.Equal(after.CallbackEvents, before.CallbackEvents) {
		t.Errorf("fields not sent changed: %+v", after)
	}
	if !after.ModifiedTime.After(before.ModifiedTime) || !after.CreatedTime.Equal(before.CreatedTime) {
		t.Errorf("times: created %v→%v modified %v→%v", before.CreatedTime, after.CreatedTime, before.ModifiedTime, after.ModifiedTime)
	}
	if r.body["modifiedTime"] != after.ModifiedTime.Format(time.RFC3339) {
		t.Errorf("answered modifiedTime %v, stored %v", r.body["modifiedTime"], after.ModifiedTime)
	}

	// "" removes the callback URL; an empty list clears a list.
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"callbackUrl": "", "callbackEvents": []string{}}), http.StatusOK)
	if b, _ := s.Bots.Get(id); b.CallbackURL != "" || len(b.CallbackEvents) != 0 {
		t.Errorf("not cleared: %+v", b)
	}

	// The result is checked, not only the fields sent.
	cur, _ := s.Bots.Get(id)
	for _, tt := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"callback without URL", map[string]any{"enableCallback": true}, "callbackUrl"},
		{"empty botName", map[string]any{"botName": ""}, "botName"},
		{"no administrators", map[string]any{"administrators": []string{}}, "administrators"},
		{"empty allowDomains", map[string]any{"allowDomains": []int64{}}, "allowDomains"},
		{"null", map[string]any{"description": nil}, "description"},
		{"read-only", map[string]any{"createdTime": "2025-01-01T00:00:00Z"}, "createdTime"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := botCall(t, s, http.MethodPatch, botPath(id), tok, tt.body)
			wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
			if d, _ := r.body["description"].(string); !strings.Contains(d, tt.field) {
				t.Errorf("description %q does not name %s", d, tt.field)
			}
			if b, _ := s.Bots.Get(id); !b.ModifiedTime.Equal(cur.ModifiedTime) || b.Description != cur.Description {
				t.Error("a refused PATCH changed the bot")
			}
		})
	}
	wantAPIError(t, botCall(t, s, http.MethodPatch, botPath(999), tok, map[string]any{"description": "x"}), http.StatusNotFound, "NOT_FOUND")
}

func TestBotPut(t *testing.T) {
	s, tok := newBotServer(t)
	s.Directory.AddDomains(10000002)
	id := createBot(t, s, tok, with(validBot(), "subadministrators", []string{"ops@example.com"}, "channelEvents", []string{"join"},
		"allowDomains", []int64{10000002}, "enableCallback", true, "callbackUrl", "https://hooks.example.com/"))

	// Missing required fields are refused: PUT replaces the whole object.
	r := botCall(t, s, http.MethodPut, botPath(id), tok, map[string]any{"botName": "Only a name"})
	wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")

	r = botCall(t, s, http.MethodPut, botPath(id), tok, with(validBot(), "botName", "Replaced"))
	wantStatus(t, r, http.StatusOK)
	b, _ := s.Bots.Get(id)
	if b.BotName != "Replaced" || len(b.Subadministrators) != 0 || b.AllowDomains != nil || b.EnableCallback || b.CallbackURL != "" ||
		!slices.Equal(b.ChannelEvents, lineworkstest.DefaultChannelEvents) || b.BotID != id {
		t.Errorf("after PUT: %+v", b)
	}
	wantAPIError(t, botCall(t, s, http.MethodPut, botPath(999), tok, validBot()), http.StatusNotFound, "NOT_FOUND")
}

func TestBotSecret(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	if s.Bots.Secret(id) != "" || s.Bots.CallbackSignature(id, []byte("{}")) != "" {
		t.Error("a new bot has a secret")
	}
	var secrets []string
	for range 2 {
		r := botCall(t, s, http.MethodPost, botPath(id, "secret"), tok, nil)
		wantStatus(t, r, http.StatusOK)
		secret, _ := r.body["secret"].(string)
		if len(secret) < 20 || len(r.body) != 1 {
			t.Fatalf("secret answer %s", r.raw)
		}
		secrets = append(secrets, secret)
	}
	if secrets[0] == secrets[1] {
		t.Fatal("the secret did not change")
	}
	if s.Bots.Secret(id) != secrets[1] {
		t.Error("Bots.Secret is not the last secret issued")
	}
	body := []byte(`{"type":"message","source":{"userId":"u1"},"content":{"type":"text","text":"hi"}}`)
	mac := hmac.New(sha256.New, []byte(secrets[1]))
	mac.Write(body)
	if got := s.Bots.CallbackSignature(id, body); got != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signature %s", got)
	}
	old := hmac.New(sha256.New, []byte(secrets[0]))
	old.Write(body)
	if s.Bots.CallbackSignature(id, body) == base64.StdEncoding.EncodeToString(old.Sum(nil)) {
		t.Error("the old secret still signs")
	}
	for _, r := range []reply{botCall(t, s, http.MethodGet, botPath(id), tok, nil), botCall(t, s, http.MethodGet, "/bots", tok, nil)} {
		for _, secret := range secrets {
			if strings.Contains(string(r.raw), secret) {
				t.Errorf("a GET shows the secret: %s", r.raw)
			}
		}
	}
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(999, "secret"), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(id, "secret"), tok, nil), http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")

	// Deleting the bot deletes its secret and registrations.
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "domains", "10000001"), tok, nil), http.StatusCreated)
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(id), tok, nil), http.StatusNoContent)
	if s.Bots.Secret(id) != "" || s.Bots.Domains(id) != nil {
		t.Error("the secret or a registration outlived the bot")
	}
}

func TestBotLimit(t *testing.T) {
	s, tok := newBotServer(t)
	s.Bots.SetLimit(2)
	a := createBot(t, s, tok, validBot())
	createBot(t, s, tok, validBot())
	r := botCall(t, s, http.MethodPost, "/bots", tok, validBot())
	wantAPIError(t, r, http.StatusBadRequest, "LIMIT_EXCEEDED")
	if d := r.body["description"].(string); !strings.Contains(d, "300") || !strings.Contains(d, "Free plan") {
		t.Errorf("description %q", d)
	}
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(a), tok, nil), http.StatusNoContent)
	createBot(t, s, tok, validBot())

	s.Bots.SetLimit(0) // the default, 300
	// 300 creates in a row exceed the per-minute rate limit of POST /bots;
	// this test is about the tenant limit.
	s.Faults.SetRateLimit(0)
	for range lineworkstest.DefaultBotLimit - 2 {
		createBot(t, s, tok, validBot())
	}
	wantAPIError(t, botCall(t, s, http.MethodPost, "/bots", tok, validBot()), http.StatusBadRequest, "LIMIT_EXCEEDED")
}

func TestBotOutOfBand(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	before, _ := s.Bots.Get(id)
	if !s.Bots.Modify(id, func(b *lineworkstest.Bot) {
		b.Description = "changed in the console"
		b.BotID = 1 // ignored
	}) {
		t.Fatal("Bots.Modify: no bot")
	}
	after, _ := s.Bots.Get(id)
	if after.Description != "changed in the console" || after.BotID != id || !after.ModifiedTime.After(before.ModifiedTime) {
		t.Errorf("after Bots.Modify: %+v", after)
	}
	if r := botCall(t, s, http.MethodGet, botPath(id), tok, nil); r.body["description"] != "changed in the console" {
		t.Errorf("GET: %s", r.raw)
	}
	// Copies are copies.
	after.Administrators[0] = "mutated"
	if b, _ := s.Bots.Get(id); b.Administrators[0] == "mutated" {
		t.Error("Bots.Get returned the stored slice")
	}
	if s.Bots.Modify(999, func(*lineworkstest.Bot) {}) || s.Bots.Remove(999) {
		t.Error("an unknown bot was found")
	}
	if !s.Bots.Remove(id) {
		t.Fatal("Bots.Remove: no bot")
	}
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(id), tok, nil), http.StatusNotFound, "NOT_FOUND")
}

func TestBotScopes(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	read := s.Auth.IssueAccessToken(clientID, "bot.read")
	message := s.Auth.IssueAccessToken(clientID, "bot.message")
	for _, path := range []string{"/bots", botPath(id), botPath(id, "domains")} {
		wantStatus(t, botCall(t, s, http.MethodGet, path, read, nil), http.StatusOK)
		wantAPIError(t, botCall(t, s, http.MethodGet, path, message, nil), http.StatusForbidden, "FORBIDDEN")
	}
	writes := []struct {
		method, path string
		body         any
	}{
		{http.MethodPost, "/bots", validBot()},
		{http.MethodPatch, botPath(id), map[string]any{"description": "x"}},
		{http.MethodPut, botPath(id), validBot()},
		{http.MethodDelete, botPath(id), nil},
		{http.MethodPost, botPath(id, "secret"), nil},
		{http.MethodPost, botPath(id, "domains", "10000001"), map[string]any{}},
		{http.MethodPut, botPath(id, "domains", "10000001"), map[string]any{}},
		{http.MethodPatch, botPath(id, "domains", "10000001"), map[string]any{}},
		{http.MethodDelete, botPath(id, "domains", "10000001"), nil},
	}
	for _, w := range writes {
		for _, bad := range []string{read, message} {
			r := botCall(t, s, w.method, w.path, bad, w.body)
			wantAPIError(t, r, http.StatusForbidden, "FORBIDDEN")
			if !strings.Contains(r.body["description"].(string), "bot") {
				t.Errorf("%s %s: %s", w.method, w.path, r.raw)
			}
		}
	}
	if _, ok := s.Bots.Get(id); !ok || len(s.Bots.List()) != 1 || s.Bots.Secret(id) != "" {
		t.Error("a refused call changed something")
	}
	wantAPIError(t, botCall(t, s, http.MethodGet, "/bots", "", nil), http.StatusUnauthorized, "UNAUTHORIZED")
}

func TestBotRoutes(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	for _, tt := range []struct {
		method, path string
		status       int
		code         string
	}{
		{http.MethodDelete, "/bots", 405, "METHOD_NOT_ALLOWED"},
		{http.MethodPost, botPath(id), 405, "METHOD_NOT_ALLOWED"},
		{http.MethodPost, botPath(id, "domains"), 405, "METHOD_NOT_ALLOWED"},
		{http.MethodGet, botPath(id, "domains", "10000001"), 405, "METHOD_NOT_ALLOWED"},
		{http.MethodGet, "/bots/abc", 400, "INVALID_PARAMETER"},
		{http.MethodGet, "/bots/-1", 400, "INVALID_PARAMETER"},
		{http.MethodGet, "/bots/", 404, "NOT_FOUND"},
		{http.MethodGet, botPath(id, "unknown"), 404, "NOT_FOUND"},
		{http.MethodGet, botPath(id, "domains", "10000001", "x"), 404, "NOT_FOUND"},
		// The attachment routes are not the bot API's.
		{http.MethodGet, botPath(id, "attachments", fileID), 404, "NOT_FOUND"},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			wantAPIError(t, botCall(t, s, tt.method, tt.path, tok, nil), tt.status, tt.code)
		})
	}
	if r := botCall(t, s, http.MethodDelete, "/bots", tok, nil); r.header.Get("Allow") != "GET, POST" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	s.Storage.AddAttachment(fmt.Sprint(id), fileID, lineworkstest.Attachment{Content: []byte("x")})
	wantStatus(t, botCall(t, s, http.MethodGet, botPath(id, "attachments", fileID), tok, nil), http.StatusFound)
}

// A create held by SetCreateHold (or the admin door's create_hold_ms) is
// carried out when the hold ends, even when the client has gone away
// meanwhile: what an interrupted apply meets on the service.
func TestAHeldCreateIsCarriedOutForAClientGone(t *testing.T) {
	s, tok := newBotServer(t)
	if err := s.ChangeSettings(lineworkstest.Settings{CreateHoldMillis: ptrTo(int64(500))}); err != nil {
		t.Fatal(err)
	}
	if got := *s.State().Settings.CreateHoldMillis; got != 500 {
		t.Fatalf("create_hold_ms = %d", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req := botRequest(s, http.MethodPost, "/bots", tok, validBot()).WithContext(ctx)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	waitFor(t, "the create to arrive", func() bool { return s.Requests.Count(lineworkstest.HostAPI, "/v1.0/bots") == 1 })
	start := time.Now()
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the client was not cut off")
	}
	if len(s.Bots.List()) != 0 {
		t.Fatal("the bot was created before the hold ended")
	}
	waitFor(t, "the bot to be created", func() bool { return len(s.Bots.List()) == 1 })
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("created after %v", d)
	}
}

func ptrTo[T any](v T) *T { return &v }
