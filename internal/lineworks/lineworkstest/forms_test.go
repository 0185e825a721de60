package lineworkstest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func setForms(t *testing.T, s *lineworkstest.Server, f lineworkstest.AnswerForms) {
	t.Helper()
	if err := s.Forms.Set(f); err != nil {
		t.Fatal(err)
	}
}

func TestFormsDefault(t *testing.T) {
	s, tok := newBotServer(t)
	f := s.Forms.Get()
	if f.CreateStatus != 201 || f.CreateAnswer != lineworkstest.CreateAnswerFull || f.WriteAnswer != lineworkstest.WriteAnswerFull ||
		f.Administrators != lineworkstest.UsersAsSent || f.PhotoURL != lineworkstest.PhotoURLAsSent || f.AllDomains != lineworkstest.AllDomainsAbsent ||
		f.DeletedBotStatus != 404 || f.LastPageCursor != lineworkstest.CursorNull || !slices.Equal(f.ChannelEventsDefault, lineworkstest.DefaultChannelEvents) ||
		f.RichMenuCreateAnswer != lineworkstest.RichMenuCreateFull || f.PersistentMenuNone != lineworkstest.PersistentMenuNoneNotFound || f.AllUsersMembers != lineworkstest.AllUsersList {
		t.Errorf("default forms %+v", f)
	}
	// The zero AnswerForms is the default.
	setForms(t, s, lineworkstest.AnswerForms{})
	r := botCall(t, s, http.MethodPost, "/bots", tok, validBot())
	wantStatus(t, r, http.StatusCreated)
	if r.body["botName"] != "Example Bot" || r.body["administrators"].([]any)[0] != "admin@example.com" {
		t.Errorf("create answered %s", r.raw)
	}
}

func TestFormCreate(t *testing.T) {
	s, tok := newBotServer(t)
	setForms(t, s, lineworkstest.AnswerForms{CreateStatus: 200})
	r := botCall(t, s, http.MethodPost, "/bots", tok, validBot())
	wantStatus(t, r, http.StatusOK)
	if r.body["botName"] != "Example Bot" {
		t.Errorf("create answered %s", r.raw)
	}

	setForms(t, s, lineworkstest.AnswerForms{CreateAnswer: lineworkstest.CreateAnswerIDOnly})
	r = botCall(t, s, http.MethodPost, "/bots", tok, validBot())
	wantStatus(t, r, http.StatusCreated)
	id := int64(r.body["botId"].(float64))
	if string(r.raw) != fmt.Sprintf(`{"botId":%d}`, id) {
		t.Errorf("create answered %s, want only the bot ID", r.raw)
	}
	if b, ok := s.Bots.Get(id); !ok || b.BotName != "Example Bot" {
		t.Errorf("the bot was not stored whole: %+v", b)
	}
}

func TestFormWriteNoBody(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	setForms(t, s, lineworkstest.AnswerForms{WriteAnswer: lineworkstest.WriteAnswerNoBody})
	for _, tt := range []struct {
		method string
		body   map[string]any
		want   string
	}{
		{http.MethodPatch, map[string]any{"description": "patched"}, "patched"},
		{http.MethodPut, with(validBot(), "description", "replaced"), "replaced"},
	} {
		r := botCall(t, s, tt.method, botPath(id), tok, tt.body)
		wantStatus(t, r, http.StatusNoContent)
		if len(r.raw) != 0 {
			t.Errorf("%s answered a body: %s", tt.method, r.raw)
		}
		if b, _ := s.Bots.Get(id); b.Description != tt.want {
			t.Errorf("%s not applied: %+v", tt.method, b)
		}
	}
	// A refused write still says why.
	wantAPIError(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"botName": ""}), http.StatusBadRequest, "INVALID_PARAMETER")
	// Registrations answer as before.
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "domains", "10000001"), tok, nil), http.StatusCreated)
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id, "domains", "10000001"), tok, map[string]any{"visible": true}), http.StatusOK)
}

func TestFormAdministratorsAsUserIDs(t *testing.T) {
	s, tok := newBotServer(t)
	setForms(t, s, lineworkstest.AnswerForms{Administrators: lineworkstest.UsersAsIDs})
	admin, ops := lineworkstest.UserIDFor("admin@example.com"), lineworkstest.UserIDFor("ops@example.com")
	plain := "d191e339-3299-44e6-7a44-04d9cb01a5e0" // a user ID without an e-mail
	body := with(validBot(), "administrators", []string{"admin@example.com", plain}, "subadministrators", []string{"ops@example.com"})

	r := botCall(t, s, http.MethodPost, "/bots", tok, body)
	wantStatus(t, r, http.StatusCreated)
	id := int64(r.body["botId"].(float64))
	for _, reply := range []reply{r, botCall(t, s, http.MethodGet, botPath(id), tok, nil), botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"description": "x"})} {
		if got := fmt.Sprint(reply.body["administrators"], reply.body["subadministrators"]); got != fmt.Sprint([]any{admin, plain}, []any{ops}) {
			t.Errorf("answered users %s, want user IDs", got)
		}
	}
	if !strings.HasPrefix(admin, "user") || len(admin) != len("userf7da-f82c-4284-13e7-030f3b4c756x") || admin == ops || admin != lineworkstest.UserIDFor("admin@example.com") {
		t.Errorf("user IDs %q %q", admin, ops)
	}
	// What was sent is stored; the answer form shapes the answer only.
	if b, _ := s.Bots.Get(id); !slices.Equal(b.Administrators, []string{"admin@example.com", plain}) {
		t.Errorf("stored %v", b.Administrators)
	}
	// The user ID is accepted as the e-mail is, and one user named both ways is named twice.
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"administrators": []string{admin}}), http.StatusOK)
	r = botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"administrators": []string{admin, "admin@example.com"}})
	wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
	if !strings.Contains(r.body["description"].(string), "twice") {
		t.Errorf("description %s", r.raw)
	}
	wantAPIError(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"administrators": []string{"stranger@example.com"}}), http.StatusBadRequest, "INVALID_PARAMETER")

	// The directory maps both ways, and AddUser sets an ID of one's choosing.
	s.Directory.AddUser(lineworkstest.User{UserID: "userf7da-f82c-4284-13e7-030f3b4c756x", Email: "chosen@example.com"})
	if u, ok := s.Directory.User("chosen@example.com"); !ok || u.UserID != "userf7da-f82c-4284-13e7-030f3b4c756x" {
		t.Errorf("User(e-mail) = %+v, %t", u, ok)
	}
	if u, ok := s.Directory.User(admin); !ok || u.Email != "admin@example.com" {
		t.Errorf("User(ID) = %+v, %t", u, ok)
	}
}

func TestFormPhotoURLRewritten(t *testing.T) {
	s, tok := newBotServer(t)
	setForms(t, s, lineworkstest.AnswerForms{PhotoURL: lineworkstest.PhotoURLRewritten})
	body := with(validBot(), "i18nPhotoUrls", []map[string]string{{"language": "ja_JP", "photoUrl": "https://example.com/ja.png"}})
	r := botCall(t, s, http.MethodPost, "/bots", tok, body)
	wantStatus(t, r, http.StatusCreated)
	id := int64(r.body["botId"].(float64))
	photo, _ := r.body["photoUrl"].(string)
	i18n := r.body["i18nPhotoUrls"].([]any)[0].(map[string]any)["photoUrl"].(string)
	for _, u := range []string{photo, i18n} {
		if !strings.HasPrefix(u, "https://developers.worksmobile.com/gateway/image/view?") {
			t.Errorf("photo URL %q is not rewritten", u)
		}
	}
	if photo == i18n {
		t.Error("two photos got one URL")
	}
	g := botCall(t, s, http.MethodGet, botPath(id), tok, nil)
	l := botCall(t, s, http.MethodGet, "/bots", tok, nil)
	if g.body["photoUrl"] != photo || l.body["bots"].([]any)[0].(map[string]any)["photoUrl"] != photo {
		t.Errorf("not stable: GET %v, list %s", g.body["photoUrl"], l.raw)
	}
	// The rewritten URL sent back stays as it is.
	r = botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"photoUrl": photo})
	wantStatus(t, r, http.StatusOK)
	if r.body["photoUrl"] != photo {
		t.Errorf("PATCH with the rewritten URL answered %v", r.body["photoUrl"])
	}
	r = botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"photoUrl": "https://example.com/other.png"})
	if r.body["photoUrl"] == photo || !strings.HasPrefix(r.body["photoUrl"].(string), "https://developers.worksmobile.com/gateway/") {
		t.Errorf("another photo answered %v", r.body["photoUrl"])
	}
}

func TestFormAllDomains(t *testing.T) {
	for _, tt := range []struct {
		form lineworkstest.AllDomainsAnswer
		want string // allowDomains in the answer, "" for none
		sent any    // what a request may send for every domain
	}{
		{lineworkstest.AllDomainsAbsent, "", nil},
		{lineworkstest.AllDomainsEmpty, "[]", []int64{}},
		{lineworkstest.AllDomainsZero, "[0]", []int64{0}},
	} {
		t.Run(string(tt.form), func(t *testing.T) {
			s, tok := newBotServer(t)
			setForms(t, s, lineworkstest.AnswerForms{AllDomains: tt.form})
			r := botCall(t, s, http.MethodPost, "/bots", tok, validBot())
			wantStatus(t, r, http.StatusCreated)
			id := int64(r.body["botId"].(float64))
			g := botCall(t, s, http.MethodGet, botPath(id), tok, nil)
			for _, reply := range []reply{r, g} {
				got, ok := reply.body["allowDomains"]
				if (tt.want == "") != !ok || (ok && mustJSON(t, got) != tt.want) {
					t.Errorf("allowDomains %v (present %t), want %q", got, ok, tt.want)
				}
			}
			// A listed domain shows as listed in every form.
			r = botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"allowDomains": []int64{lineworkstest.DefaultDomainID}})
			wantStatus(t, r, http.StatusOK)
			if mustJSON(t, r.body["allowDomains"]) != "[10000001]" {
				t.Errorf("listed: %s", r.raw)
			}
			wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "domains", "10000001"), tok, nil), http.StatusCreated)
			if tt.sent == nil {
				wantAPIError(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"allowDomains": []int64{}}), http.StatusBadRequest, "INVALID_PARAMETER")
				wantAPIError(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"allowDomains": []int64{0}}), http.StatusBadRequest, "INVALID_PARAMETER")
				return
			}
			// The form's own "every domain" is taken back, and narrows nothing.
			wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"allowDomains": tt.sent}), http.StatusOK)
			if b, _ := s.Bots.Get(id); b.AllowDomains != nil || len(s.Bots.Domains(id)) != 1 {
				t.Errorf("after sending %v: allowDomains %v, registrations %v", tt.sent, b.AllowDomains, s.Bots.Domains(id))
			}
		})
	}
}

func TestFormDeletedBotGone(t *testing.T) {
	s, tok := newBotServer(t)
	id := createBot(t, s, tok, validBot())
	setForms(t, s, lineworkstest.AnswerForms{DeletedBotStatus: 410})
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(id), tok, nil), http.StatusNoContent)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, botPath(id), nil},
		{http.MethodPatch, botPath(id), map[string]any{"description": "x"}},
		{http.MethodPut, botPath(id), validBot()},
		{http.MethodDelete, botPath(id), nil},
		{http.MethodPost, botPath(id, "secret"), nil},
		{http.MethodGet, botPath(id, "domains"), nil},
		{http.MethodPost, botPath(id, "domains", "10000001"), nil},
	} {
		wantAPIError(t, botCall(t, s, c.method, c.path, tok, c.body), http.StatusGone, "DELETED")
	}
	// A bot that never existed is still 404, and so is one removed out of band without the form.
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(999), tok, nil), http.StatusNotFound, "NOT_FOUND")
	other := createBot(t, s, tok, validBot())
	s.Bots.Remove(other)
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(other), tok, nil), http.StatusGone, "DELETED")
	setForms(t, s, lineworkstest.AnswerForms{})
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(other), tok, nil), http.StatusNotFound, "NOT_FOUND")
}

func TestFormLastPageCursor(t *testing.T) {
	for _, tt := range []struct {
		form lineworkstest.CursorAnswer
		want string
	}{
		{lineworkstest.CursorNull, `{"nextCursor":null}`},
		{lineworkstest.CursorEmpty, `{"nextCursor":""}`},
		{lineworkstest.CursorAbsent, `{}`},
	} {
		t.Run(string(tt.form), func(t *testing.T) {
			s, tok := newBotServer(t)
			setForms(t, s, lineworkstest.AnswerForms{LastPageCursor: tt.form})
			id := createBot(t, s, tok, validBot())
			createBot(t, s, tok, validBot())
			first := botCall(t, s, http.MethodGet, "/bots?count=1", tok, nil)
			next, _ := first.body["responseMetaData"].(map[string]any)["nextCursor"].(string)
			if next == "" {
				t.Fatalf("first page %s has no cursor", first.raw)
			}
			last := botCall(t, s, http.MethodGet, "/bots?count=1&cursor="+url.QueryEscape(next), tok, nil)
			domains := botCall(t, s, http.MethodGet, botPath(id, "domains"), tok, nil)
			for _, r := range []reply{last, domains} {
				wantStatus(t, r, http.StatusOK)
				if got := mustJSON(t, r.body["responseMetaData"]); got != tt.want {
					t.Errorf("last page's responseMetaData %s, want %s", got, tt.want)
				}
			}
		})
	}
}

func TestFormChannelEventsDefault(t *testing.T) {
	s, tok := newBotServer(t)
	setForms(t, s, lineworkstest.AnswerForms{ChannelEventsDefault: lineworkstest.DocumentedChannelEvents})
	r := botCall(t, s, http.MethodPost, "/bots", tok, validBot())
	wantStatus(t, r, http.StatusCreated)
	if got := mustJSON(t, r.body["channelEvents"]); got != `["message","join","leave","joined","left","postback"]` {
		t.Errorf("channelEvents %s, want the documented six", got)
	}
	id := int64(r.body["botId"].(float64))
	wantStatus(t, botCall(t, s, http.MethodPut, botPath(id), tok, with(validBot(), "channelEvents", []string{"join"})), http.StatusOK)
	if r := botCall(t, s, http.MethodPut, botPath(id), tok, validBot()); mustJSON(t, r.body["channelEvents"]) != `["message","join","leave","joined","left","postback"]` {
		t.Errorf("a PUT without channelEvents answered %s", r.raw)
	}
}

// Every form at once: a create, read, update, list, delete cycle a client
// must get through.
func TestAllAnswerForms(t *testing.T) {
	s, tok := newBotServer(t)
	setForms(t, s, lineworkstest.AllAnswerForms())
	r := botCall(t, s, http.MethodPost, "/bots", tok, validBot())
	wantStatus(t, r, http.StatusOK)
	if len(r.body) != 1 {
		t.Fatalf("create answered %s", r.raw)
	}
	id := int64(r.body["botId"].(float64))
	g := botCall(t, s, http.MethodGet, botPath(id), tok, nil)
	if mustJSON(t, g.body["allowDomains"]) != "[0]" || g.body["administrators"].([]any)[0] != lineworkstest.UserIDFor("admin@example.com") ||
		!strings.Contains(g.body["photoUrl"].(string), "/gateway/") || len(g.body["channelEvents"].([]any)) != 6 {
		t.Errorf("GET answered %s", g.raw)
	}
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"description": "x"}), http.StatusNoContent)
	if l := botCall(t, s, http.MethodGet, "/bots", tok, nil); mustJSON(t, l.body["responseMetaData"]) != "{}" {
		t.Errorf("list answered %s", l.raw)
	}
	// The menus' forms too.
	if p := botCall(t, s, http.MethodGet, botPath(id, "persistentmenu"), tok, nil); p.status != http.StatusOK || string(p.raw) != `{"content":{"actions":[]}}` {
		t.Errorf("no persistent menu answered %d %s", p.status, p.raw)
	}
	if m := botCall(t, s, http.MethodPost, botPath(id, "richmenus"), tok, validMenu()); m.status != http.StatusCreated || len(m.body) != 1 || m.body["richmenuId"] == nil {
		t.Errorf("a rich menu's create answered %d %s", m.status, m.raw)
	}
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "domains", "10000001"), tok, map[string]any{"allowToSelectedMember": false}), http.StatusCreated)
	if got := rawGet(t, s, botPath(id, "domains", "10000001", "members"), tok); got != `{"members":"All users","responseMetaData":{}}` {
		t.Errorf("the members of a registration open to all answered %s", got)
	}
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(id), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(id), tok, nil), http.StatusGone, "DELETED")
}

// AllAnswerForms turns every form, each field of AnswerForms, away from its
// default: a form added without an alternative there is never run by the
// tests and CI jobs that use "all".
func TestAllAnswerFormsTurnsEveryForm(t *testing.T) {
	var defaults, all map[string]json.RawMessage
	if err := json.Unmarshal([]byte(mustJSON(t, newServer(t).Forms.Get())), &defaults); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(mustJSON(t, lineworkstest.AllAnswerForms())), &all); err != nil {
		t.Fatal(err)
	}
	names := lineworkstest.AnswerFormNames()
	if len(defaults) != len(names) {
		t.Errorf("the defaults fill %d forms of %d: %v", len(defaults), len(names), defaults)
	}
	for _, name := range names {
		if d, a := string(defaults[name]), string(all[name]); a == "" || a == d {
			t.Errorf("AllAnswerForms leaves %s at its default %s", name, d)
		}
	}
}

func TestParseAnswerForms(t *testing.T) {
	all, err := lineworkstest.ParseAnswerForms("all")
	if err != nil || mustJSON(t, all) != mustJSON(t, lineworkstest.AllAnswerForms()) {
		t.Errorf("all: %+v, %v", all, err)
	}
	f, err := lineworkstest.ParseAnswerForms("create_answer=id_only, deleted_bot_status=410,channel_events_default=documented")
	if err != nil || f.CreateAnswer != lineworkstest.CreateAnswerIDOnly || f.DeletedBotStatus != 410 || f.CreateStatus != 201 ||
		!slices.Equal(f.ChannelEventsDefault, lineworkstest.DocumentedChannelEvents) {
		t.Errorf("pairs: %+v, %v", f, err)
	}
	f, err = lineworkstest.ParseAnswerForms("rich_menu_create_answer=id_only,persistent_menu_none=empty,all_users_members=body")
	if err != nil || f.RichMenuCreateAnswer != lineworkstest.RichMenuCreateIDOnly || f.PersistentMenuNone != lineworkstest.PersistentMenuNoneEmpty ||
		f.AllUsersMembers != lineworkstest.AllUsersBody || f.CreateAnswer != lineworkstest.CreateAnswerFull {
		t.Errorf("the menus' pairs: %+v, %v", f, err)
	}
	for _, bad := range []string{"create_answer=partial", "deleted_bot_status=500", "create_status=x", "nonsense=1", "create_answer", "channel_events_default=some",
		"rich_menu_create_answer=whole", "persistent_menu_none=404", "all_users_members=none"} {
		if _, err := lineworkstest.ParseAnswerForms(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}

	// A contract report, notes and nulls included, loads as forms.
	report := `{"create_status":200,"create_answer":"full","write_answer":"no_body","administrators":"user_ids","photo_url":null,
		"photo_url_note":"the tenant has no photo to compare","all_domains":"empty","deleted_bot_status":404,"last_page_cursor":"absent",
		"channel_events_default":["message","join","leave","joined","left","postback"],"created_time_example":"2026-12-02T10:00:00+09:00","left_behind":[]}`
	f, err = lineworkstest.DecodeAnswerForms([]byte(report))
	if err != nil || f.CreateStatus != 200 || f.WriteAnswer != lineworkstest.WriteAnswerNoBody || f.PhotoURL != lineworkstest.PhotoURLAsSent ||
		f.AllDomains != lineworkstest.AllDomainsEmpty || f.LastPageCursor != lineworkstest.CursorAbsent {
		t.Errorf("report: %+v, %v", f, err)
	}
	var back map[string]any
	if err := json.Unmarshal([]byte(mustJSON(t, f)), &back); err != nil || back["all_domains"] != "empty" {
		t.Errorf("forms marshal as %v", back)
	}
	if _, err := lineworkstest.DecodeAnswerForms([]byte(`{"create_anwser":"id_only"}`)); err == nil || !strings.Contains(err.Error(), "create_anwser") {
		t.Errorf("a misspelt form: %v", err)
	}
	s := newServer(t)
	if err := s.Forms.Set(lineworkstest.AnswerForms{AllDomains: "some"}); err == nil || !strings.Contains(err.Error(), "all_domains") {
		t.Errorf("Set accepted a bad form: %v", err)
	}
	if s.Forms.Get().AllDomains != lineworkstest.AllDomainsAbsent {
		t.Error("a refused Set changed the forms")
	}
}
