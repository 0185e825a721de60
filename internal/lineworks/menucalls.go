package lineworks

// What the menu calls share: the per-bot lock for their changes, the scope
// hint (bot.message is enough for menus), and the rule that turns a 404 into
// "not there" only once the bot is known to exist.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// ErrNotSet is returned (wrapped) by the reads of what a bot may or may not
// have set (its default rich menu, a user's rich menu, its persistent menu,
// a rich menu's image) when the bot exists, as a call on it has just shown,
// and has none. A 404 for which that could not be confirmed is an error for
// which IsNotFound is true instead when the bot is gone, and an
// *EndpointError when api_endpoint is wrong (confirm.go).
var ErrNotSet = errors.New("none is set")

// mutateMenu runs a change to a bot's menus under the bot's lock, as every
// change to a bot: the service forbids parallel changes to one bot.
func (c *Client) mutateMenu(ctx context.Context, botID int64, desc string, call apiCall) error {
	return withMenuScopeHint(c.mutateBot(ctx, botID, desc, call), desc, true)
}

// readMenu runs a read of a bot's menus.
func (c *Client) readMenu(ctx context.Context, botID int64, desc string, call apiCall) error {
	if err := checkBotID(botID); err != nil {
		return err
	}
	if err := c.callAPI(ctx, call); err != nil {
		return withMenuScopeHint(fmt.Errorf("%s: %w", desc, err), desc, false)
	}
	return nil
}

// confirmAbsent is called with the 404 a read (desc) of something of botID
// got. When listing the bot's rich menus succeeds, the bot exists and the
// endpoint is right, so the thing is absent: the result wraps absent.
// Otherwise notFound stands.
func (c *Client) confirmAbsent(ctx context.Context, botID int64, desc string, notFound, absent error) error {
	if err := c.callAPI(ctx, apiCall{method: http.MethodGet, segments: richMenusPath(botID), query: probeQuery}); err != nil {
		c.cfg.Logger.Debug(ctx, "a 404 could not be confirmed: listing the bot's rich menus failed too", map[string]any{"bot_id": botID})
		return notFound
	}
	return fmt.Errorf("%s: %w", desc, absent)
}

// withMenuScopeHint replaces the hint of a 403 (menu calls accept
// bot.message where bot calls need bot), and returns the refusal anew as
// desc's: an error's message is fixed when it is wrapped.
func withMenuScopeHint(err error, desc string, write bool) error {
	var apiErr *APIError
	if err == nil || errors.Is(err, ErrStaticTokenRejected) || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
		return err
	}
	scopes := "bot or bot.message"
	if !write {
		scopes = "bot, bot.message or bot.read"
	}
	prefix := "The token may lack the scope this call needs. "
	if apiErr.IsStaleToken() {
		prefix = "LINE WORKS refused a newly issued access token too. "
	}
	apiErr.Hint = prefix + "Menu calls need " + scopes + ": include one in the scopes tokens are issued for, and enable it for the app in the LINE WORKS Developer Console (API 2.0 > the app > OAuth Scopes)."
	return fmt.Errorf("%s: %w", desc, apiErr)
}
