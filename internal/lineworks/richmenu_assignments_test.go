package lineworks

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestDefaultRichMenu(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	ctx := context.Background()
	if _, err := c.GetDefaultRichMenu(ctx, botID); !errors.Is(err, ErrNotSet) || IsNotFound(err) {
		t.Fatalf("before any: %v", err)
	}
	menu, err := c.CreateRichMenu(ctx, botID, twoAreaMenu("m"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetDefaultRichMenu(ctx, botID, menu.ID); err != nil {
		t.Fatal(err)
	}
	if id, err := c.GetDefaultRichMenu(ctx, botID); err != nil || id != menu.ID {
		t.Fatalf("GetDefaultRichMenu = %q, %v", id, err)
	}
	// The default is the bot's defaultRichmenuId.
	if bot, err := c.GetBot(ctx, botID); err != nil || bot.DefaultRichmenuID != menu.ID {
		t.Fatalf("bot %+v, %v", bot, err)
	}
	if err := c.DeleteDefaultRichMenu(ctx, botID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteDefaultRichMenu(ctx, botID); err != nil {
		t.Fatalf("deleting a default already gone: %v", err)
	}
	if _, err := c.GetDefaultRichMenu(ctx, botID); !errors.Is(err, ErrNotSet) {
		t.Fatalf("after delete: %v", err)
	}

	// A menu that does not exist cannot be the default.
	err = c.SetDefaultRichMenu(ctx, botID, "999999")
	if !IsNotFound(err) {
		t.Fatalf("set-default of a missing menu: %v", err)
	}

	// Deleting the menu takes the default with it (inferred in the emulator).
	if err := c.SetDefaultRichMenu(ctx, botID, menu.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteRichMenu(ctx, botID, menu.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDefaultRichMenu(ctx, botID); !errors.Is(err, ErrNotSet) {
		t.Fatalf("after the menu's deletion: %v", err)
	}
	if b, _ := f.emu.Bots.Get(botID); b.DefaultRichmenuID != "" {
		t.Errorf("the bot still names %q", b.DefaultRichmenuID)
	}
}

// A 404 is "none set" only when the bot answers, or is known to be gone: a
// wrong api_endpoint must not read as "none set", which would drop state.
func TestAssignmentReadsConfirmTheBot(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	ctx := context.Background()
	wrong := f.client(t, func(cfg *Config) { cfg.APIEndpoint = strings.TrimSuffix(f.emu.APIURL(), "/v1.0") })
	f.emu.Directory.AddUsers("user1@example.com")
	reads := map[string]func(*Client, int64) error{
		"default": func(c *Client, id int64) error { _, err := c.GetDefaultRichMenu(ctx, id); return err },
		"user":    func(c *Client, id int64) error { _, err := c.GetUserRichMenu(ctx, id, "user1@example.com"); return err },
		"persistent": func(c *Client, id int64) error {
			_, err := c.GetPersistentMenu(ctx, id)
			return err
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			if err := read(c, botID); !errors.Is(err, ErrNotSet) {
				t.Fatalf("none set: %v", err)
			}
			if err := read(wrong, botID); errors.Is(err, ErrNotSet) || IsNotFound(err) || !IsWrongEndpoint(err) {
				t.Fatalf("wrong endpoint: %v", err)
			}
			if err := read(c, botID+1000); !errors.Is(err, ErrNotSet) {
				t.Fatalf("no such bot: %v", err)
			}
			if err := read(wrong, botID+1000); errors.Is(err, ErrNotSet) || IsNotFound(err) || !IsWrongEndpoint(err) {
				t.Fatalf("no such bot, wrong endpoint: %v", err)
			}
		})
	}
}

func TestUserRichMenu(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	ctx := context.Background()
	user := lineworkstest.DefaultUsers[1]
	menu, err := c.CreateRichMenu(ctx, botID, twoAreaMenu("for dev"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetUserRichMenu(ctx, botID, user, menu.ID); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetUserRichMenu(ctx, botID, user)
	if err != nil || got.ID != menu.ID || got.Name != "for dev" {
		t.Fatalf("GetUserRichMenu = %+v, %v", got, err)
	}
	// The user ID travels escaped: an e-mail's @ and a + stay in their segment.
	f.emu.Directory.AddUsers("a+b@example.com")
	if err := c.SetUserRichMenu(ctx, botID, "a+b@example.com", menu.ID); err != nil {
		t.Fatal(err)
	}
	if m := f.emu.Menus.UserRichMenus(botID); m["a+b@example.com"] != menu.ID || m[user] != menu.ID {
		t.Fatalf("stored %v", m)
	}
	if err := c.DeleteUserRichMenu(ctx, botID, user); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteUserRichMenu(ctx, botID, user); err != nil {
		t.Fatalf("deleting one already gone: %v", err)
	}
	if _, err := c.GetUserRichMenu(ctx, botID, user); !errors.Is(err, ErrNotSet) {
		t.Fatalf("after delete: %v", err)
	}
	for _, bad := range []string{"", "..", "a b"} {
		if err := c.SetUserRichMenu(ctx, botID, bad, menu.ID); err == nil || !strings.Contains(err.Error(), "user ID") {
			t.Errorf("user %q: %v", bad, err)
		}
	}
	// Deleting the menu takes the users' assignments with it.
	if err := c.DeleteRichMenu(ctx, botID, menu.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUserRichMenu(ctx, botID, "a+b@example.com"); !errors.Is(err, ErrNotSet) {
		t.Fatalf("after the menu's deletion: %v", err)
	}
}

// A delete that finds nothing is done only where that is confirmed: the bot
// answers, or is known gone. On a wrong api_endpoint, which answers 404 to
// everything, it is an error, so that nothing still there is forgotten.
func TestDeletesConfirmTheir404(t *testing.T) {
	f, c, botID := newMemberFixture(t, true)
	ctx := context.Background()
	wrong := f.client(t, func(cfg *Config) { cfg.APIEndpoint = strings.TrimSuffix(f.emu.APIURL(), "/v1.0") })
	deletes := map[string]func(*Client, int64) error{
		"rich menu":  func(c *Client, id int64) error { return c.DeleteRichMenu(ctx, id, "40999") },
		"default":    func(c *Client, id int64) error { return c.DeleteDefaultRichMenu(ctx, id) },
		"user":       func(c *Client, id int64) error { return c.DeleteUserRichMenu(ctx, id, "admin@example.com") },
		"persistent": func(c *Client, id int64) error { return c.DeletePersistentMenu(ctx, id) },
		"member": func(c *Client, id int64) error {
			return c.DeleteBotDomainMember(ctx, id, lineworkstest.DefaultDomainID, "admin@example.com")
		},
	}
	for name, del := range deletes {
		t.Run(name, func(t *testing.T) {
			if err := del(c, botID); err != nil {
				t.Fatalf("nothing there: %v", err)
			}
			if err := del(wrong, botID); IsNotFound(err) || !IsWrongEndpoint(err) {
				t.Fatalf("wrong endpoint: %v", err)
			}
			if err := del(c, botID+1000); err != nil {
				t.Fatalf("no such bot: %v", err)
			}
		})
	}
}
