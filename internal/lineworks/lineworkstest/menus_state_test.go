package lineworkstest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Menus are part of the saved state: rich menus with their images, the
// default and per-user menus, the persistent menu and members come back
// from a state file, and the admin door shows them.
func TestSaveAndLoadMenus(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	s.Directory.AddUsers("a@example.com", "b@example.com")
	id := createMenu(t, s, tok, bot, validMenu())
	png := upload(t, s, tok, bot, "menu.png", lineworkstest.RichMenuPNG(843))
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", id, "image"), tok, map[string]any{"fileId": png}), http.StatusNoContent)
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", id, "set-default"), tok, nil), http.StatusCreated)
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", id, "users", "a@example.com"), tok, nil), http.StatusNoContent)
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "domains", "10000001"), tok, map[string]any{"allowToSelectedMember": true}), http.StatusCreated)
	members := botPath(bot, "domains", "10000001", "members")
	for _, u := range []string{"b@example.com", "a@example.com"} {
		wantStatus(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": u}), http.StatusCreated)
	}
	other := createBot(t, s, tok, validBot())
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(other, "persistentmenu"), tok, validPersistentMenu()), http.StatusCreated)
	// A deleted bot's menus are not part of the state.
	gone := createBot(t, s, tok, validBot())
	createMenu(t, s, tok, gone, validMenu())
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(gone), tok, nil), http.StatusNoContent)

	reads := []string{
		botPath(bot, "richmenus"), botPath(bot, "richmenus", id, "image"), botPath(bot, "richmenus", "default"),
		botPath(bot, "richmenus", "users", "a@example.com"), members, botPath(other, "persistentmenu"),
	}
	want := map[string]string{}
	for _, p := range reads {
		want[p] = rawGet(t, s, p, tok)
	}

	loaded, path := saveAndLoad(t, s)
	if st := loaded.State(); len(st.Menus.Bots) != 2 {
		t.Errorf("menus of %d bots in the state, want 2 (the deleted bot's left out): %s", len(st.Menus.Bots), mustJSON(t, st.Menus))
	}
	for _, p := range reads {
		if got := rawGet(t, loaded, p, tok); got != want[p] {
			t.Errorf("GET %s after loading: %s, want %s", p, got, want[p])
		}
	}
	if next := createMenu(t, loaded, tok, bot, validMenu()); next <= id {
		t.Errorf("new rich menu ID %s reuses one (after %s)", next, id)
	}

	// The admin door shows them.
	door, _ := newAdminServer(t)
	if err := door.LoadState(path); err != nil {
		t.Fatal(err)
	}
	var shown lineworkstest.State
	if status := admin(t, door, http.MethodGet, "/_emulator/state", nil, &shown); status != http.StatusOK {
		t.Fatalf("GET /_emulator/state: %d", status)
	}
	if got := mustJSON(t, shown.Menus); got != mustJSON(t, s.State().Menus) {
		t.Errorf("the admin door shows menus %s", got)
	}
}

// A state whose menus do not fit its bots, users or the API's rules
// changes nothing and says what is wrong.
func TestRestoreRefusesBadMenus(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	s.Directory.AddUsers("a@example.com")
	id := createMenu(t, s, tok, bot, validMenu())
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", id, "users", "a@example.com"), tok, nil), http.StatusNoContent)
	good := s.State()
	edit := func(f func(*lineworkstest.BotMenusState)) lineworkstest.State {
		var st lineworkstest.State
		if err := json.Unmarshal([]byte(mustJSON(t, good)), &st); err != nil {
			t.Fatal(err)
		}
		f(&st.Menus.Bots[0])
		return st
	}
	for _, tt := range []struct {
		name  string
		state lineworkstest.State
		want  string
	}{
		{"unknown bot", edit(func(b *lineworkstest.BotMenusState) { b.BotID = 999 }), "bot 999"},
		{"bad menu", edit(func(b *lineworkstest.BotMenusState) { b.RichMenus[0].Size.Height = 100 }), "size.height"},
		{"duplicate ID", edit(func(b *lineworkstest.BotMenusState) { b.RichMenus = append(b.RichMenus, b.RichMenus[0]) }), "unique"},
		{"user's menu missing", edit(func(b *lineworkstest.BotMenusState) { b.Users["a@example.com"] = "1" }), "not a rich menu of the bot"},
		{"unknown user", edit(func(b *lineworkstest.BotMenusState) { b.Users["stranger@example.com"] = id }), "stranger@example.com"},
		{"persistent beside rich", edit(func(b *lineworkstest.BotMenusState) {
			b.PersistentMenu = &lineworkstest.PersistentMenu{Actions: []lineworkstest.MenuAction{{Type: "message", Label: "Hi", Text: "hi"}}}
		}), "persistent menu beside rich menus"},
		{"members unregistered", edit(func(b *lineworkstest.BotMenusState) {
			b.Members = []lineworkstest.DomainMembersState{{DomainID: lineworkstest.DefaultDomainID, Members: []string{"a@example.com"}}}
		}), "not registered"},
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
}
