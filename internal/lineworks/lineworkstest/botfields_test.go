package lineworkstest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestBotValidation(t *testing.T) {
	s, tok := newBotServer(t)
	s.Directory.AddDomains(10000002)
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
		s.Directory.AddUsers("newcomer@example.com")
		wantStatus(t, botCall(t, s, http.MethodPost, "/bots", tok, b), http.StatusCreated)
	})
}
