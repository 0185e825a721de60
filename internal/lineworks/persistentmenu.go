package lineworks

// The persistent menu (bot-persistentmenu-create, -get, -delete): up to four
// buttons under the chat, for every user. A bot has it or rich menus, never
// both: creating a rich menu deletes the persistent menu, and a persistent
// menu is refused while the bot has any rich menu.
//
// What 404 means: on the read, "none is set" (ErrNotSet), and on the delete,
// already done, once confirmed (confirmAbsent): the bot answers, or is gone.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Documented limits of the persistent menu.
const (
	MinPersistentMenuActions = 1
	MaxPersistentMenuActions = 4
)

// PersistentMenu is a bot's persistent menu.
type PersistentMenu struct {
	Actions []MenuAction `json:"actions"`
}

// persistentMenuBody is the wire form: {"content":{"actions":[…]}}.
type persistentMenuBody struct {
	Content PersistentMenu `json:"content"`
}

// ErrRichMenusExist is returned (wrapped) when LINE WORKS refuses a
// persistent menu and the bot has rich menus, which is why: a bot has a
// persistent menu or rich menus, never both. Delete the rich menus first.
var ErrRichMenusExist = errors.New("the bot has rich menus, and LINE WORKS adds no persistent menu to a bot that has any: delete them first")

// ValidatePersistentMenu checks a persistent menu as LINE WORKS would (see
// ValidatePersistentMenuAction), and returns a *ValidationError listing
// every problem, or nil.
func ValidatePersistentMenu(m PersistentMenu) error {
	var problems []*FieldError
	if n := len(m.Actions); n < MinPersistentMenuActions || n > MaxPersistentMenuActions {
		problems = append(problems, &FieldError{Field: "actions", Problem: fmt.Sprintf("has %d actions; a persistent menu has %d to %d", n, MinPersistentMenuActions, MaxPersistentMenuActions)})
	}
	for i, a := range m.Actions {
		for _, p := range ValidatePersistentMenuAction(a) {
			p.List, p.Index = "actions", i
			problems = append(problems, p)
		}
	}
	return validationError("persistent menu", problems)
}

// While rich menus stand in the way of a persistent menu, how long to wait
// between looks at them, and how many looks in a row may find no fewer
// before the refusal stands.
const (
	richMenusGoingInterval = 500 * time.Millisecond
	richMenusGoingPatience = 3
)

// SetPersistentMenu creates or replaces the bot's persistent menu (POST
// /bots/{botId}/persistentmenu), after checking it with
// ValidatePersistentMenu. When the service refuses it and the bot has rich
// menus, the error wraps ErrRichMenusExist; but while their number falls
// (one apply that swaps a bot's rich menus for a persistent menu deletes
// them beside this call, maybe from another process) it waits and tries
// again.
func (c *Client) SetPersistentMenu(ctx context.Context, botID int64, m PersistentMenu) error {
	desc := fmt.Sprintf("setting the persistent menu of bot %d", botID)
	if err := ValidatePersistentMenu(m); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	fewest, unchanged := -1, 0
	for {
		err := c.setPersistentMenuOnce(ctx, botID, desc, m)
		if !errors.Is(err, ErrRichMenusExist) {
			return err
		}
		if sleep(ctx, richMenusGoingInterval) != nil {
			return err
		}
		menus, lerr := c.ListRichMenus(ctx, botID)
		switch {
		case lerr != nil:
			return err
		case fewest < 0 || len(menus) < fewest:
			fewest, unchanged = len(menus), 0
		default:
			unchanged++
		}
		if unchanged >= richMenusGoingPatience {
			return err
		}
	}
}

// setPersistentMenuOnce sends the persistent menu once (with the client's
// retries). The docs name no code for the refusal while rich menus exist:
// a 400 (or a 409 other than the bot being busy) is looked into.
func (c *Client) setPersistentMenuOnce(ctx context.Context, botID int64, desc string, m PersistentMenu) error {
	// Replacing the whole menu again is harmless, so retries are too.
	err := c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodPost, segments: persistentMenuPath(botID), body: persistentMenuBody{m}})
	var apiErr *APIError
	if errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusBadRequest || apiErr.StatusCode == http.StatusConflict && apiErr.Code != "CONFLICT") {
		var page struct {
			RichMenus []struct{} `json:"richmenus"`
		}
		if c.callAPI(ctx, apiCall{method: http.MethodGet, segments: richMenusPath(botID), query: probeQuery, out: &page}) == nil && len(page.RichMenus) > 0 {
			return fmt.Errorf("%s: %w (%w)", desc, ErrRichMenusExist, apiErr)
		}
	}
	return err
}

// GetPersistentMenu reads the bot's persistent menu (GET
// /bots/{botId}/persistentmenu). A bot without one (a 404 or an empty menu)
// is an error wrapping ErrNotSet.
func (c *Client) GetPersistentMenu(ctx context.Context, botID int64) (*PersistentMenu, error) {
	desc := fmt.Sprintf("reading the persistent menu of bot %d", botID)
	var out persistentMenuBody
	err := c.readMenu(ctx, botID, desc, apiCall{method: http.MethodGet, segments: persistentMenuPath(botID), out: &out})
	switch {
	case IsNotFound(err):
		return nil, c.confirmAbsent(ctx, botID, desc, err, ErrNotSet)
	case err != nil:
		return nil, err
	case len(out.Content.Actions) == 0: // the other way the service may say "none"
		return nil, fmt.Errorf("%s: %w", desc, ErrNotSet)
	}
	return &out.Content, nil
}

// DeletePersistentMenu removes the bot's persistent menu (DELETE
// /bots/{botId}/persistentmenu). None being set is not an error.
func (c *Client) DeletePersistentMenu(ctx context.Context, botID int64) error {
	desc := fmt.Sprintf("removing the persistent menu of bot %d", botID)
	err := c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodDelete, segments: persistentMenuPath(botID)})
	return c.alreadyGone(ctx, botID, desc, err)
}

func persistentMenuPath(botID int64) []string { return append(botPath(botID), "persistentmenu") }
