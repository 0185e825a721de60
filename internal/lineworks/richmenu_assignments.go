package lineworks

// Which rich menu users see: the bot's default rich menu
// (bot-default-richmenu-set, -get, -delete) and a user's own rich menu
// (bot-richmenu-user-set, -get, -delete), which takes precedence over the
// default. The default is the bot's defaultRichmenuId, which UpdateBot can
// also set.
//
// What 404 means here: on a read, "none is set" (ErrNotSet), and on a delete,
// already done, once confirmed (confirmAbsent): the bot answers, or is gone.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// ValidateUserID checks a user ID or login ID (e-mail) that goes in a path.
func ValidateUserID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("the user ID is empty: give a user ID such as userf7da-f82c-4284-13e7-030f3b4c756x or a login ID (e-mail)")
	case id == "." || id == ".." || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("%q is not a LINE WORKS user ID: give a user ID such as userf7da-f82c-4284-13e7-030f3b4c756x or a login ID (e-mail)", id)
	}
	return nil
}

// SetDefaultRichMenu makes a rich menu the bot's default (POST
// /bots/{botId}/richmenus/{richmenuId}/set-default): what every user sees
// who has no rich menu of their own.
func (c *Client) SetDefaultRichMenu(ctx context.Context, botID int64, richMenuID string) error {
	desc := fmt.Sprintf("making rich menu %s the default of bot %d", richMenuID, botID)
	if err := ValidateRichMenuID(richMenuID); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	return c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodPost, segments: append(richMenuPath(botID, richMenuID), "set-default")})
}

// GetDefaultRichMenu returns the ID of the bot's default rich menu (GET
// /bots/{botId}/richmenus/default). A bot without one is an error wrapping
// ErrNotSet.
func (c *Client) GetDefaultRichMenu(ctx context.Context, botID int64) (string, error) {
	desc := fmt.Sprintf("reading the default rich menu of bot %d", botID)
	var out struct {
		DefaultRichmenuID string `json:"defaultRichmenuId"`
	}
	err := c.readMenu(ctx, botID, desc, apiCall{method: http.MethodGet, segments: defaultRichMenuPath(botID), out: &out})
	switch {
	case IsNotFound(err):
		return "", c.confirmAbsent(ctx, botID, desc, err, ErrNotSet)
	case err != nil:
		return "", err
	case out.DefaultRichmenuID == "": // an answer that says "none" outright
		return "", fmt.Errorf("%s: %w", desc, ErrNotSet)
	}
	return out.DefaultRichmenuID, nil
}

// DeleteDefaultRichMenu leaves the bot without a default rich menu (DELETE
// /bots/{botId}/richmenus/default). None being set is not an error.
func (c *Client) DeleteDefaultRichMenu(ctx context.Context, botID int64) error {
	desc := fmt.Sprintf("removing the default rich menu of bot %d", botID)
	err := c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodDelete, segments: defaultRichMenuPath(botID)})
	return c.alreadyGone(ctx, botID, desc, err)
}

// SetUserRichMenu gives one user a rich menu of their own (POST
// /bots/{botId}/richmenus/{richmenuId}/users/{userId}). userID is a user ID
// or a login ID (e-mail).
func (c *Client) SetUserRichMenu(ctx context.Context, botID int64, userID, richMenuID string) error {
	desc := fmt.Sprintf("giving user %s rich menu %s on bot %d", userID, richMenuID, botID)
	if err := ValidateRichMenuID(richMenuID); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	if err := ValidateUserID(userID); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	return c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodPost, segments: append(richMenuPath(botID, richMenuID), "users", userID)})
}

// GetUserRichMenu returns the rich menu a user has of their own (GET
// /bots/{botId}/richmenus/users/{userId}); never the default. A user without
// one is an error wrapping ErrNotSet.
func (c *Client) GetUserRichMenu(ctx context.Context, botID int64, userID string) (*RichMenu, error) {
	desc := fmt.Sprintf("reading the rich menu of user %s on bot %d", userID, botID)
	if err := ValidateUserID(userID); err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}
	var menu RichMenu
	err := c.readMenu(ctx, botID, desc, apiCall{method: http.MethodGet, segments: userRichMenuPath(botID, userID), out: &menu})
	switch {
	case IsNotFound(err):
		return nil, c.confirmAbsent(ctx, botID, desc, err, ErrNotSet)
	case err != nil:
		return nil, err
	case menu.ID == "":
		return nil, fmt.Errorf("%s: LINE WORKS answered without a richmenuId", desc)
	}
	return &menu, nil
}

// DeleteUserRichMenu takes a user's own rich menu away, so that they see the
// default again (DELETE /bots/{botId}/richmenus/users/{userId}). None being
// set is not an error.
func (c *Client) DeleteUserRichMenu(ctx context.Context, botID int64, userID string) error {
	desc := fmt.Sprintf("removing the rich menu of user %s on bot %d", userID, botID)
	if err := ValidateUserID(userID); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	err := c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodDelete, segments: userRichMenuPath(botID, userID)})
	return c.alreadyGone(ctx, botID, desc, err)
}

func defaultRichMenuPath(botID int64) []string { return append(richMenusPath(botID), "default") }

func userRichMenuPath(botID int64, userID string) []string {
	return append(richMenusPath(botID), "users", userID)
}
