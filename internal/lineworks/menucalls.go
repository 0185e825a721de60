package lineworks

// What the menu calls share: the per-bot lock for their changes, the scopes
// that allow them (bot.message is enough for menus, where bot calls need
// bot), and the rule that turns a 404 into "not there" only once the bot is
// known to exist, or known to be gone.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// ErrNotSet is returned (wrapped) by the reads of what a bot may or may not
// have set (its default rich menu, a user's rich menu, its persistent menu,
// a rich menu's image) when the bot exists, as a call on it has just shown,
// and has none, or is gone. A 404 at an api_endpoint that could not be
// confirmed right is an *EndpointError instead (confirm.go): nothing may be
// dropped on its word.
var ErrNotSet = errors.New("none is set")

// mutateMenu runs a change to a bot's menus under the bot's lock, as every
// change to a bot: the service forbids parallel changes to one bot.
func (c *Client) mutateMenu(ctx context.Context, botID int64, desc string, call apiCall) error {
	call.scopes = scopesToWriteMenus
	return c.mutateBot(ctx, botID, desc, call)
}

// readMenu runs a read of a bot's menus.
func (c *Client) readMenu(ctx context.Context, botID int64, desc string, call apiCall) error {
	if err := checkBotID(botID); err != nil {
		return err
	}
	call.scopes = scopesToReadMenus
	if err := c.callAPI(ctx, call); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	return nil
}

// errGone is what confirmAbsent wraps for a delete that found nothing.
var errGone = errors.New("already gone")

// alreadyGone is err, the answer of a delete (desc) of something of botID,
// or nil when err is a 404 that confirmAbsent confirms: the thing, or its
// bot, is gone, so the delete is done. A 404 that cannot be confirmed (a
// wrong api_endpoint answers 404 to everything) stays an error, so that
// nothing is forgotten that still exists.
func (c *Client) alreadyGone(ctx context.Context, botID int64, desc string, err error) error {
	if !IsNotFound(err) {
		return err
	}
	if !errors.Is(c.confirmAbsent(ctx, botID, desc, err, errGone), errGone) {
		return err
	}
	c.cfg.Logger.Debug(ctx, "what was to be deleted was already gone", map[string]any{"bot_id": botID, "what": desc})
	return nil
}

// confirmAbsent is called with the 404 a read (desc) of something of botID
// got, at an endpoint callAPI has confirmed right (confirm.go), and decides
// what it proves. When listing the bot's rich menus succeeds, the bot
// exists, so the thing is absent. When that listing is a 404 too, the bot
// is gone, and the thing with it. In both cases the result wraps absent.
// Otherwise (the service failing) notFound stands.
func (c *Client) confirmAbsent(ctx context.Context, botID int64, desc string, notFound, absent error) error {
	err := c.callAPI(ctx, apiCall{method: http.MethodGet, segments: richMenusPath(botID), query: probeQuery, scopes: scopesToReadMenus})
	if err == nil {
		return fmt.Errorf("%s: %w", desc, absent)
	}
	if IsNotFound(err) {
		c.cfg.Logger.Debug(ctx, "the bot itself is gone: listing the tenant's bots works, and the bot answers 404", map[string]any{"bot_id": botID})
		return fmt.Errorf("%s: bot %d no longer exists: %w", desc, botID, absent)
	}
	c.cfg.Logger.Debug(ctx, "a 404 could not be confirmed: listing the bot's rich menus failed too", map[string]any{"bot_id": botID})
	return notFound
}
