package lineworks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func examplePersistentMenu() PersistentMenu {
	return PersistentMenu{Actions: []MenuAction{
		{Type: ActionMessage, Label: "Help", Text: "help", Postback: "help", I18nLabels: []I18nLabel{{"ja_JP", "ヘルプ"}}, I18nTexts: []I18nText{{"ja_JP", "ヘルプ"}}},
		{Type: ActionURI, Label: "Docs", URI: "https://example.com/docs"},
		{Type: ActionCopy, Label: "Code", CopyText: "ABC-123"},
		{Type: ActionMessage, Label: strings.Repeat("長", 1000)},
	}}
}

func TestPersistentMenu(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	ctx := context.Background()
	menu := examplePersistentMenu()
	if err := c.SetPersistentMenu(ctx, botID, menu); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetPersistentMenu(ctx, botID)
	if err != nil || fmt.Sprint(*got) != fmt.Sprint(menu) {
		t.Fatalf("GetPersistentMenu = %+v, %v", got, err)
	}
	// A set replaces.
	menu.Actions = menu.Actions[:1]
	if err := c.SetPersistentMenu(ctx, botID, menu); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.emu.Menus.PersistentMenu(botID); len(got.Actions) != 1 {
		t.Fatalf("stored %+v", got)
	}
	if err := c.DeletePersistentMenu(ctx, botID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeletePersistentMenu(ctx, botID); err != nil {
		t.Fatalf("deleting one already gone: %v", err)
	}
	if _, err := c.GetPersistentMenu(ctx, botID); !errors.Is(err, ErrNotSet) {
		t.Fatalf("after delete: %v", err)
	}
}

// Whether the service answers 404 or an empty menu for "none", it reads as ErrNotSet.
func TestPersistentMenuNoneForms(t *testing.T) {
	for _, form := range []lineworkstest.PersistentMenuNoneAnswer{lineworkstest.PersistentMenuNoneNotFound, lineworkstest.PersistentMenuNoneEmpty} {
		t.Run(fmt.Sprint(form), func(t *testing.T) {
			f, c, botID := newMenuFixture(t)
			if err := f.emu.Forms.Set(lineworkstest.AnswerForms{PersistentMenuNone: form}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetPersistentMenu(context.Background(), botID); !errors.Is(err, ErrNotSet) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// A bot has rich menus or a persistent menu: creating a rich menu deletes
// the persistent menu, and a persistent menu is refused while rich menus
// exist, with an error that says why.
func TestPersistentMenuAndRichMenusExcludeEachOther(t *testing.T) {
	_, c, botID := newMenuFixture(t)
	ctx := context.Background()
	if err := c.SetPersistentMenu(ctx, botID, examplePersistentMenu()); err != nil {
		t.Fatal(err)
	}
	menu, err := c.CreateRichMenu(ctx, botID, twoAreaMenu("m"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPersistentMenu(ctx, botID); !errors.Is(err, ErrNotSet) {
		t.Fatalf("persistent menu after a rich menu was created: %v", err)
	}
	err = c.SetPersistentMenu(ctx, botID, examplePersistentMenu())
	var apiErr *APIError
	if !errors.Is(err, ErrRichMenusExist) || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Fatalf("err = %v", err)
	}
	if err := c.DeleteRichMenu(ctx, botID, menu.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPersistentMenu(ctx, botID, examplePersistentMenu()); err != nil {
		t.Fatalf("once the rich menus are gone: %v", err)
	}
}

// One apply that swaps a bot's rich menus for a persistent menu deletes the
// menus beside the persistent menu's call, maybe from another provider
// process: while their number falls, the call waits for them and goes
// through; the refusal stands only once they stop going (above).
func TestAPersistentMenuWaitsForRichMenusBeingDeleted(t *testing.T) {
	_, c, botID := newMenuFixture(t)
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"a", "b"} {
		menu, err := c.CreateRichMenu(ctx, botID, twoAreaMenu(name))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, menu.ID)
	}
	deleted := make(chan error, 1)
	go func() {
		for _, id := range ids {
			time.Sleep(richMenusGoingInterval)
			if err := c.DeleteRichMenu(ctx, botID, id); err != nil {
				deleted <- err
				return
			}
		}
		deleted <- nil
	}()
	if err := c.SetPersistentMenu(ctx, botID, examplePersistentMenu()); err != nil {
		t.Fatalf("while the rich menus were being deleted: %v", err)
	}
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPersistentMenu(ctx, botID); err != nil {
		t.Fatal(err)
	}
}

func TestValidatePersistentMenu(t *testing.T) {
	one := func(a MenuAction) PersistentMenu { return PersistentMenu{Actions: []MenuAction{a}} }
	five := examplePersistentMenu()
	five.Actions = append(five.Actions, five.Actions[0])
	for name, tc := range map[string]struct {
		menu PersistentMenu
		want string
	}{
		"valid":           {examplePersistentMenu(), ""},
		"message no text": {one(MenuAction{Type: ActionMessage, Label: "Help"}), ""},
		"none":            {PersistentMenu{}, "actions: has 0 actions; a persistent menu has 1 to 4"},
		"five":            {five, "has 5 actions"},
		"postback":        {one(MenuAction{Type: ActionPostback, Label: "x", Data: "d"}), `actions[0].type: "postback" is not an action type this menu takes: use one of copy, message, uri`},
		"no label":        {one(MenuAction{Type: ActionURI, URI: "https://x.example"}), "actions[0].label: is required for a uri action"},
		"label too long":  {one(MenuAction{Type: ActionMessage, Label: strings.Repeat("x", 1001)}), "actions[0].label: is 1001 characters long; LINE WORKS accepts at most 1000"},
		"newline":         {one(MenuAction{Type: ActionMessage, Label: "a\nb"}), "actions[0].label: contains a newline"},
		"newline text":    {one(MenuAction{Type: ActionMessage, Label: "a", I18nTexts: []I18nText{{"en_US", "a\r\nb"}}}), "actions[0].i18nTexts[en_US]: contains a newline"},
		"display text":    {one(MenuAction{Type: ActionMessage, Label: "a", DisplayText: "x"}), "actions[0].displayText: is not a field of a message action"},
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidatePersistentMenu(tc.menu)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
