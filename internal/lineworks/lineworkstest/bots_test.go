package lineworkstest_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
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

func wantStatus(t *testing.T, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("got %d %s, want %d", r.status, r.raw, status)
	}
}

// newBotServer is a server with a fixed clock, no mutation hold and a token
// with the bot scope.
func newBotServer(t *testing.T) (*lineworkstest.Server, string) {
	t.Helper()
	s := newServer(t)
	fixClock(s)
	s.SetMutationHold(0)
	return s, s.IssueAccessToken(clientID, "bot")
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

func TestBotCreateReadDelete(t *testing.T) {
	s, tok := newBotServer(t)
	s.AddDomains(10000002)
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
	b, ok := s.Bot(id)
	if !ok || b.BotName != "Deploy Bot" || b.CallbackURL != "https://hooks.example.com/lineworks" || !slices.Equal(b.AllowDomains, []int64{lineworkstest.DefaultDomainID, 10000002}) ||
		b.I18nBotNames[0].BotName != "デプロイ Bot" || !b.CreatedTime.Equal(fixedNow) {
		t.Errorf("Bot(%d) = %+v, %t", id, b, ok)
	}

	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(id), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(id), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodDelete, botPath(id), tok, nil), http.StatusNotFound, "NOT_FOUND")
	if _, ok := s.Bot(id); ok || len(s.Bots()) != 0 {
		t.Error("the bot is still there")
	}
	if id2 := createBot(t, s, tok, validBot()); id2 == id {
		t.Error("a bot ID was reused")
	}
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

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func TestBotValidation(t *testing.T) {
	s, tok := newBotServer(t)
	s.AddDomains(10000002)
	long := strings.Repeat("a", 101)
	longURL := "https://example.com/" + strings.Repeat("p", 1000-len("https://example.com/")+1)
	tests := []struct {
		name  string
		body  any
		field string // the description must name it
	}{
		{"no botName", with(validBot(), "botName", nil), "botName"},
		{"empty botName", with(validBot(), "botName", ""), "botName"},
		{"long botName", with(validBot(), "botName", long), "botName"},
		{"botName not a string", with(validBot(), "botName", 12), "botName"},
		{"botName null", with(validBot(), "botName", json.RawMessage("null")), "botName"},
		{"no photoUrl", with(validBot(), "photoUrl", nil), "photoUrl"},
		{"http photoUrl", with(validBot(), "photoUrl", "http://example.com/bot.png"), "photoUrl"},
		{"relative photoUrl", with(validBot(), "photoUrl", "/bot.png"), "photoUrl"},
		{"long photoUrl", with(validBot(), "photoUrl", longURL), "photoUrl"},
		{"no description", with(validBot(), "description", nil), "description"},
		{"long description", with(validBot(), "description", long), "description"},
		{"no administrators", with(validBot(), "administrators", nil), "administrators"},
		{"zero administrators", with(validBot(), "administrators", []string{}), "administrators"},
		{"four administrators", with(validBot(), "administrators", lineworkstest.DefaultUsers[:4]), "administrators"},
		{"repeated administrator", with(validBot(), "administrators", []string{"admin@example.com", "admin@example.com"}), "administrators"},
		{"unknown administrator", with(validBot(), "administrators", []string{"stranger@example.com"}), "administrators"},
		{"administrators not an array", with(validBot(), "administrators", "admin@example.com"), "administrators"},
		{"administrator not a string", with(validBot(), "administrators", []any{1}), "administrators[0]"},
		{"four subadministrators", with(validBot(), "subadministrators", lineworkstest.DefaultUsers[:4]), "subadministrators"},
		{"repeated subadministrator", with(validBot(), "subadministrators", []string{"ops@example.com", "ops@example.com"}), "subadministrators"},
		{"unknown subadministrator", with(validBot(), "subadministrators", []string{"nobody"}), "subadministrators"},
		{"empty allowDomains", with(validBot(), "allowDomains", []int64{}), "allowDomains"},
		{"repeated allowDomains", with(validBot(), "allowDomains", []int64{10000002, 10000002}), "allowDomains"},
		{"unknown allowDomains", with(validBot(), "allowDomains", []int64{99}), "allowDomains"},
		{"allowDomains of strings", with(validBot(), "allowDomains", []string{"10000001"}), "allowDomains[0]"},
		{"fractional domain", with(validBot(), "allowDomains", []float64{1.5}), "allowDomains[0]"},
		{"enableCallback not a bool", with(validBot(), "enableCallback", "true"), "enableCallback"},
		{"callback without URL", with(validBot(), "enableCallback", true), "callbackUrl"},
		{"http callbackUrl", with(validBot(), "callbackUrl", "http://hooks.example.com/"), "callbackUrl"},
		{"callbackUrl with credentials", with(validBot(), "callbackUrl", "https://u:p@hooks.example.com/"), "callbackUrl"},
		{"long callbackUrl", with(validBot(), "callbackUrl", longURL), "callbackUrl"},
		{"unknown callbackEvent", with(validBot(), "callbackEvents", []string{"text", "poll"}), "callbackEvents"},
		{"repeated callbackEvent", with(validBot(), "callbackEvents", []string{"text", "text"}), "callbackEvents"},
		{"unknown channelEvent", with(validBot(), "channelEvents", []string{"typing"}), "channelEvents"},
		{"repeated channelEvent", with(validBot(), "channelEvents", []string{"join", "join"}), "channelEvents"},
		{"enableGroupJoin not a bool", with(validBot(), "enableGroupJoin", 1), "enableGroupJoin"},
		{"defaultRichmenuId not a string", with(validBot(), "defaultRichmenuId", 400001), "defaultRichmenuId"},
		{"unknown language", with(validBot(), "i18nBotNames", []map[string]string{{"language": "fr_FR", "botName": "x"}}), "i18nBotNames"},
		{"repeated language", with(validBot(), "i18nDescriptions", []map[string]string{{"language": "ja_JP", "description": "a"}, {"language": "ja_JP", "description": "b"}}), "i18nDescriptions"},
		{"long i18n name", with(validBot(), "i18nBotNames", []map[string]string{{"language": "ja_JP", "botName": long}}), "i18nBotNames[0].botName"},
		{"empty i18n description", with(validBot(), "i18nDescriptions", []map[string]string{{"language": "ja_JP", "description": ""}}), "i18nDescriptions[0].description"},
		{"http i18n photo", with(validBot(), "i18nPhotoUrls", []map[string]string{{"language": "ja_JP", "photoUrl": "http://example.com/a.png"}}), "i18nPhotoUrls[0].photoUrl"},
		{"i18n without value", with(validBot(), "i18nPhotoUrls", []map[string]string{{"language": "ja_JP"}}), "i18nPhotoUrls[0].photoUrl"},
		{"i18n with another field", with(validBot(), "i18nBotNames", []map[string]string{{"language": "ja_JP", "botName": "x", "name": "x"}}), "i18nBotNames[0].name"},
		{"i18n not objects", with(validBot(), "i18nBotNames", []string{"ja_JP"}), "i18nBotNames[0]"},
		{"misspelt field", with(validBot(), "i18nPhotoURLs", []any{}), "i18nPhotoURLs"},
		{"read-only botId", with(validBot(), "botId", 5), "botId"},
		{"not JSON", `{"botName":`, "JSON"},
		{"not an object", `[1,2]`, "object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := botCall(t, s, http.MethodPost, "/bots", tok, tt.body)
			wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
			if d, _ := r.body["description"].(string); !strings.Contains(d, tt.field) {
				t.Errorf("description %q does not name %s", d, tt.field)
			}
		})
	}
	t.Run("no Content-Type", func(t *testing.T) {
		req := botRequest(s, http.MethodPost, "/bots", tok, validBot())
		req.Header.Del("Content-Type")
		wantAPIError(t, do(t, noRedirect, req), http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
	})
	t.Run("charset", func(t *testing.T) {
		req := botRequest(s, http.MethodPost, "/bots", tok, validBot())
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		wantStatus(t, do(t, noRedirect, req), http.StatusCreated)
	})
	t.Run("limits are inclusive", func(t *testing.T) {
		b := with(validBot(),
			"botName", strings.Repeat("名", 100), "description", strings.Repeat("d", 100),
			"photoUrl", longURL[:1000], "administrators", lineworkstest.DefaultUsers[:3], "subadministrators", lineworkstest.DefaultUsers[1:4],
			"callbackEvents", []string{"text", "location", "sticker", "image", "file", "audio", "video"},
			"channelEvents", []string{"message", "join", "leave", "joined", "left", "postback", "begin", "end"},
			"i18nBotNames", []map[string]string{{"language": "ko_KR", "botName": "a"}, {"language": "ja_JP", "botName": "b"}, {"language": "en_US", "botName": "c"}, {"language": "zh_CN", "botName": "d"}, {"language": "zh_TW", "botName": "e"}})
		wantStatus(t, botCall(t, s, http.MethodPost, "/bots", tok, b), http.StatusCreated)
	})
	t.Run("AddUsers", func(t *testing.T) {
		b := with(validBot(), "administrators", []string{"newcomer@example.com"})
		wantAPIError(t, botCall(t, s, http.MethodPost, "/bots", tok, b), http.StatusBadRequest, "INVALID_PARAMETER")
		s.AddUsers("newcomer@example.com")
		wantStatus(t, botCall(t, s, http.MethodPost, "/bots", tok, b), http.StatusCreated)
	})
}

func TestBotPatch(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, with(validBot(), "callbackUrl", "https://hooks.example.com/", "callbackEvents", []string{"text"}))
	before, _ := s.Bot(id)

	r := botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"description": "New words", "enableGroupJoin": true})
	wantStatus(t, r, http.StatusOK)
	after, _ := s.Bot(id)
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
	if b, _ := s.Bot(id); b.CallbackURL != "" || len(b.CallbackEvents) != 0 {
		t.Errorf("not cleared: %+v", b)
	}

	// The result is checked, not only the fields sent.
	cur, _ := s.Bot(id)
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
			if b, _ := s.Bot(id); !b.ModifiedTime.Equal(cur.ModifiedTime) || b.Description != cur.Description {
				t.Error("a refused PATCH changed the bot")
			}
		})
	}
	wantAPIError(t, botCall(t, s, http.MethodPatch, botPath(999), tok, map[string]any{"description": "x"}), http.StatusNotFound, "NOT_FOUND")
}

func TestBotPut(t *testing.T) {
	s, tok := newBotServer(t)
	s.AddDomains(10000002)
	id := createBot(t, s, tok, with(validBot(), "subadministrators", []string{"ops@example.com"}, "channelEvents", []string{"join"},
		"allowDomains", []int64{10000002}, "enableCallback", true, "callbackUrl", "https://hooks.example.com/"))

	// Missing required fields are refused: PUT replaces the whole object.
	r := botCall(t, s, http.MethodPut, botPath(id), tok, map[string]any{"botName": "Only a name"})
	wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")

	r = botCall(t, s, http.MethodPut, botPath(id), tok, with(validBot(), "botName", "Replaced"))
	wantStatus(t, r, http.StatusOK)
	b, _ := s.Bot(id)
	if b.BotName != "Replaced" || len(b.Subadministrators) != 0 || b.AllowDomains != nil || b.EnableCallback || b.CallbackURL != "" ||
		!slices.Equal(b.ChannelEvents, lineworkstest.DefaultChannelEvents) || b.BotID != id {
		t.Errorf("after PUT: %+v", b)
	}
	wantAPIError(t, botCall(t, s, http.MethodPut, botPath(999), tok, validBot()), http.StatusNotFound, "NOT_FOUND")
}

func TestBotDomains(t *testing.T) {
	s, tok := newBotServer(t)
	s.AddDomains(10000002, 10000003)
	id := createBot(t, s, tok, with(validBot(), "allowDomains", []int64{lineworkstest.DefaultDomainID, 10000002}))
	dpath := func(d int64) string { return botPath(id, "domains", fmt.Sprint(d)) }

	r := botCall(t, s, http.MethodPost, dpath(lineworkstest.DefaultDomainID), tok, map[string]any{"visible": true, "allowToSelectedMember": true})
	wantStatus(t, r, http.StatusCreated)
	if mustJSON(t, r.body) != `{"allowToSelectedMember":true,"domainId":10000001,"visible":true}` {
		t.Errorf("register answered %s", r.raw)
	}
	// Both fields default to false; an empty body is an empty object.
	wantStatus(t, botCall(t, s, http.MethodPost, dpath(10000002), tok, nil), http.StatusCreated)
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(10000002), tok, map[string]any{}), http.StatusConflict, "ALREADY_EXISTS")
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(10000003), tok, map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER") // outside allowDomains
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(99), tok, map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER")       // not a tenant domain
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(10000002)+"x", tok, map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER")
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(999, "domains", "10000001"), tok, map[string]any{}), http.StatusNotFound, "NOT_FOUND")
	for _, body := range []any{map[string]any{"visible": "yes"}, map[string]any{"administrators": []string{}}, map[string]any{"domainId": 1}, "[]"} {
		wantAPIError(t, botCall(t, s, http.MethodPut, dpath(10000002), tok, body), http.StatusBadRequest, "INVALID_PARAMETER")
	}

	if got := s.BotDomains(id); !slices.Equal(got, []lineworkstest.BotDomain{{DomainID: 10000001, Visible: true, AllowToSelectedMember: true}, {DomainID: 10000002}}) {
		t.Fatalf("domains %+v", got)
	}

	// PATCH changes what it sends; PUT replaces both fields.
	r = botCall(t, s, http.MethodPatch, dpath(lineworkstest.DefaultDomainID), tok, map[string]any{"visible": false})
	wantStatus(t, r, http.StatusOK)
	if r.body["visible"] != false || r.body["allowToSelectedMember"] != true {
		t.Errorf("PATCH answered %s", r.raw)
	}
	r = botCall(t, s, http.MethodPut, dpath(lineworkstest.DefaultDomainID), tok, map[string]any{"visible": true})
	wantStatus(t, r, http.StatusOK)
	if r.body["visible"] != true || r.body["allowToSelectedMember"] != false {
		t.Errorf("PUT answered %s", r.raw)
	}
	wantAPIError(t, botCall(t, s, http.MethodPut, dpath(10000003), tok, map[string]any{}), http.StatusNotFound, "NOT_FOUND")

	l := botCall(t, s, http.MethodGet, botPath(id, "domains"), tok, nil)
	wantStatus(t, l, http.StatusOK)
	if mustJSON(t, l.body) != `{"domains":[{"allowToSelectedMember":false,"domainId":10000001,"visible":true},{"allowToSelectedMember":false,"domainId":10000002,"visible":false}],"responseMetaData":{"nextCursor":null}}` {
		t.Errorf("list answered %s", l.raw)
	}

	wantStatus(t, botCall(t, s, http.MethodDelete, dpath(10000002), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodDelete, dpath(10000002), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(999, "domains"), tok, nil), http.StatusNotFound, "NOT_FOUND")
	if len(s.BotDomains(id)) != 1 {
		t.Errorf("domains %+v", s.BotDomains(id))
	}
}

func TestBotAllowDomainsCascade(t *testing.T) {
	s, tok := newBotServer(t)
	s.AddDomains(10000002, 10000003)
	id := createBot(t, s, tok, validBot()) // every domain
	for _, d := range []int64{10000001, 10000002, 10000003} {
		wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "domains", fmt.Sprint(d)), tok, map[string]any{}), http.StatusCreated)
	}
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"allowDomains": []int64{10000001, 10000002}}), http.StatusOK)
	if got := s.BotDomains(id); len(got) != 2 || got[0].DomainID != 10000001 || got[1].DomainID != 10000002 {
		t.Errorf("after narrowing to two: %+v", got)
	}
	// A PUT narrows too; a PUT without allowDomains allows every domain again and deletes nothing.
	wantStatus(t, botCall(t, s, http.MethodPut, botPath(id), tok, with(validBot(), "allowDomains", []int64{10000002})), http.StatusOK)
	if got := s.BotDomains(id); len(got) != 1 || got[0].DomainID != 10000002 {
		t.Errorf("after a PUT to one: %+v", got)
	}
	wantStatus(t, botCall(t, s, http.MethodPut, botPath(id), tok, validBot()), http.StatusOK)
	if got := s.BotDomains(id); len(got) != 1 {
		t.Errorf("after a PUT to all: %+v", got)
	}
	// Out of band, as in the Developer Console.
	s.ModifyBot(id, func(b *lineworkstest.Bot) { b.AllowDomains = []int64{10000001} })
	if got := s.BotDomains(id); len(got) != 0 {
		t.Errorf("after ModifyBot: %+v", got)
	}
}

func TestBotSecret(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	if s.BotSecret(id) != "" || s.CallbackSignature(id, []byte("{}")) != "" {
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
	if s.BotSecret(id) != secrets[1] {
		t.Error("BotSecret is not the last secret issued")
	}
	body := []byte(`{"type":"message","source":{"userId":"u1"},"content":{"type":"text","text":"hi"}}`)
	mac := hmac.New(sha256.New, []byte(secrets[1]))
	mac.Write(body)
	if got := s.CallbackSignature(id, body); got != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signature %s", got)
	}
	old := hmac.New(sha256.New, []byte(secrets[0]))
	old.Write(body)
	if s.CallbackSignature(id, body) == base64.StdEncoding.EncodeToString(old.Sum(nil)) {
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
	if s.BotSecret(id) != "" || s.BotDomains(id) != nil {
		t.Error("the secret or a registration outlived the bot")
	}
}

func TestBotPaging(t *testing.T) {
	s, tok := newBotServer(t)
	var ids []int64
	for i := range 7 {
		ids = append(ids, createBot(t, s, tok, with(validBot(), "botName", fmt.Sprintf("bot %d", i))))
	}
	var got []int64
	cursor := ""
	pages := 0
	for {
		q := url.Values{"count": {"3"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r := botCall(t, s, http.MethodGet, "/bots?"+q.Encode(), tok, nil)
		wantStatus(t, r, http.StatusOK)
		pages++
		for _, b := range r.body["bots"].([]any) {
			m := b.(map[string]any)
			got = append(got, int64(m["botId"].(float64)))
			if len(m) != 5 || m["botName"] == nil || m["photoUrl"] == nil {
				t.Errorf("summary %v", m)
			}
		}
		next, _ := r.body["responseMetaData"].(map[string]any)["nextCursor"].(string)
		if next == "" {
			break
		}
		if !strings.Contains(next, "+") || !strings.Contains(next, "/") {
			t.Errorf("cursor %q would not catch a client that forgets to escape it", next)
		}
		cursor = next
	}
	if pages != 3 || !slices.Equal(got, ids) {
		t.Errorf("%d pages, bots %v, want %v", pages, got, ids)
	}
	// Default page size 50: everything in one page.
	if r := botCall(t, s, http.MethodGet, "/bots", tok, nil); len(r.body["bots"].([]any)) != 7 {
		t.Errorf("default page: %s", r.raw)
	}

	first := botCall(t, s, http.MethodGet, "/bots?count=3", tok, nil)
	next := first.body["responseMetaData"].(map[string]any)["nextCursor"].(string)
	for _, q := range []string{"count=0", "count=101", "count=x", "cursor=nonsense", "cursor=" + next, "count=3&cursor=" + url.QueryEscape(next[:len(next)-4])} {
		t.Run(q, func(t *testing.T) {
			// "cursor=" + next unescaped: its '+' arrives as a space.
			wantAPIError(t, botCall(t, s, http.MethodGet, "/bots?"+q, tok, nil), http.StatusBadRequest, "INVALID_PARAMETER")
		})
	}
	// A bot list cursor is not a domain list cursor.
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(ids[0], "domains")+"?cursor="+url.QueryEscape(next), tok, nil), http.StatusBadRequest, "INVALID_PARAMETER")

	// Domains page the same way.
	var domains []int64
	for d := int64(20000001); d < 20000006; d++ {
		domains = append(domains, d)
	}
	s.AddDomains(domains...)
	for _, d := range domains {
		wantStatus(t, botCall(t, s, http.MethodPost, botPath(ids[0], "domains", fmt.Sprint(d)), tok, nil), http.StatusCreated)
	}
	got = nil
	cursor = ""
	for pages = 0; pages < 10; pages++ {
		q := url.Values{"count": {"2"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r := botCall(t, s, http.MethodGet, botPath(ids[0], "domains")+"?"+q.Encode(), tok, nil)
		wantStatus(t, r, http.StatusOK)
		for _, d := range r.body["domains"].([]any) {
			got = append(got, int64(d.(map[string]any)["domainId"].(float64)))
		}
		if cursor, _ = r.body["responseMetaData"].(map[string]any)["nextCursor"].(string); cursor == "" {
			break
		}
	}
	if pages != 2 || !slices.Equal(got, domains) {
		t.Errorf("%d pages, domains %v", pages+1, got)
	}
}

func TestBotScopes(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	read := s.IssueAccessToken(clientID, "bot.read")
	message := s.IssueAccessToken(clientID, "bot.message")
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
	if _, ok := s.Bot(id); !ok || len(s.Bots()) != 1 || s.BotSecret(id) != "" {
		t.Error("a refused call changed something")
	}
	wantAPIError(t, botCall(t, s, http.MethodGet, "/bots", "", nil), http.StatusUnauthorized, "UNAUTHORIZED")
}

func TestBotLimit(t *testing.T) {
	s, tok := newBotServer(t)
	s.SetBotLimit(2)
	a := createBot(t, s, tok, validBot())
	createBot(t, s, tok, validBot())
	r := botCall(t, s, http.MethodPost, "/bots", tok, validBot())
	wantAPIError(t, r, http.StatusBadRequest, "LIMIT_EXCEEDED")
	if d := r.body["description"].(string); !strings.Contains(d, "300") || !strings.Contains(d, "Free plan") {
		t.Errorf("description %q", d)
	}
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(a), tok, nil), http.StatusNoContent)
	createBot(t, s, tok, validBot())

	s.SetBotLimit(0) // the default, 300
	// 300 creates in a row exceed the per-minute rate limit of POST /bots;
	// this test is about the tenant limit.
	s.SetRateLimit(0)
	for range lineworkstest.DefaultBotLimit - 2 {
		createBot(t, s, tok, validBot())
	}
	wantAPIError(t, botCall(t, s, http.MethodPost, "/bots", tok, validBot()), http.StatusBadRequest, "LIMIT_EXCEEDED")
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

func TestBotParallelMutations(t *testing.T) {
	s, tok := newBotServer(t)
	a := createBot(t, s, tok, validBot())
	b := createBot(t, s, tok, validBot())
	patch := map[string]any{"description": "changed"}

	t.Run("same bot", func(t *testing.T) {
		s.SetMutationHold(time.Minute)
		first := make(chan reply, 1)
		go func() {
			r, err := fetch(noRedirect, botRequest(s, http.MethodPatch, botPath(a), tok, patch))
			if err != nil {
				panic(err)
			}
			first <- r
		}()
		waitFor(t, "the first PATCH to be in progress", func() bool { return s.MutationsInFlight() == 1 })
		r := botCall(t, s, http.MethodPatch, botPath(a), tok, patch)
		wantAPIError(t, r, http.StatusConflict, "CONFLICT")
		if d := r.body["description"].(string); !strings.Contains(d, "parallel") {
			t.Errorf("description %q", d)
		}
		// Domain and secret calls on the busy bot are refused too.
		wantAPIError(t, botCall(t, s, http.MethodPost, botPath(a, "domains", "10000001"), tok, nil), http.StatusConflict, "CONFLICT")
		wantAPIError(t, botCall(t, s, http.MethodPost, botPath(a, "secret"), tok, nil), http.StatusConflict, "CONFLICT")
		if s.ConflictCount() != 3 {
			t.Errorf("ConflictCount = %d", s.ConflictCount())
		}
		s.SetMutationHold(0) // releases the first PATCH
		wantStatus(t, <-first, http.StatusOK)
		if s.MutationsInFlight() != 0 {
			t.Errorf("in flight after: %d", s.MutationsInFlight())
		}
		// Reads are never refused.
		wantStatus(t, botCall(t, s, http.MethodGet, botPath(a), tok, nil), http.StatusOK)
	})

	t.Run("two bots", func(t *testing.T) {
		conflicts := s.ConflictCount()
		s.SetMutationHold(time.Minute)
		var wg sync.WaitGroup
		replies := make([]reply, 2)
		for i, id := range []int64{a, b} {
			wg.Go(func() {
				r, err := fetch(noRedirect, botRequest(s, http.MethodPatch, botPath(id), tok, patch))
				if err != nil {
					panic(err)
				}
				replies[i] = r
			})
		}
		waitFor(t, "both PATCHes to be in progress at once", func() bool { return s.MutationsInFlight() == 2 })
		s.SetMutationHold(0)
		wg.Wait()
		for _, r := range replies {
			wantStatus(t, r, http.StatusOK)
		}
		if s.ConflictCount() != conflicts {
			t.Error("calls on two bots conflicted")
		}
	})
}

func TestBotOutOfBand(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	before, _ := s.Bot(id)
	if !s.ModifyBot(id, func(b *lineworkstest.Bot) {
		b.Description = "changed in the console"
		b.BotID = 1 // ignored
	}) {
		t.Fatal("ModifyBot: no bot")
	}
	after, _ := s.Bot(id)
	if after.Description != "changed in the console" || after.BotID != id || !after.ModifiedTime.After(before.ModifiedTime) {
		t.Errorf("after ModifyBot: %+v", after)
	}
	if r := botCall(t, s, http.MethodGet, botPath(id), tok, nil); r.body["description"] != "changed in the console" {
		t.Errorf("GET: %s", r.raw)
	}
	// Copies are copies.
	after.Administrators[0] = "mutated"
	if b, _ := s.Bot(id); b.Administrators[0] == "mutated" {
		t.Error("Bot returned the stored slice")
	}
	if s.ModifyBot(999, func(*lineworkstest.Bot) {}) || s.RemoveBot(999) {
		t.Error("an unknown bot was found")
	}
	if !s.RemoveBot(id) {
		t.Fatal("RemoveBot: no bot")
	}
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(id), tok, nil), http.StatusNotFound, "NOT_FOUND")
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
	s.AddAttachment(fmt.Sprint(id), fileID, lineworkstest.Attachment{Content: []byte("x")})
	wantStatus(t, botCall(t, s, http.MethodGet, botPath(id, "attachments", fileID), tok, nil), http.StatusFound)
}

func TestBotRequestBodiesAreRecorded(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	s.ResetRequests()
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, `{"description":"only this"}`), http.StatusOK)
	reqs := s.Requests()
	if len(reqs) != 1 || string(reqs[0].Body) != `{"description":"only this"}` || reqs[0].Method != http.MethodPatch {
		t.Fatalf("recorded %+v", reqs)
	}
	reqs[0].Body[0] = 'X'
	if s.Requests()[0].Body[0] == 'X' {
		t.Error("Requests returned the recorded slice")
	}
	// Bounded: a large body is recorded in part, and still served whole.
	big := `{"description":"` + strings.Repeat("x", 70<<10) + `"}`
	r := botCall(t, s, http.MethodPatch, botPath(id), tok, big)
	wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER") // too long a description: the handler saw it all
	if n := len(s.Requests()[1].Body); n != 64<<10 {
		t.Errorf("recorded %d bytes", n)
	}
}
