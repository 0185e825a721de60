package lineworks

// Rich menus (bot-richmenu-create, -list, -get, -delete). A rich menu has no
// update call: a changed name, size or area means a new menu. Its image is
// set separately (richmenu_image.go), and it is shown once it is the bot's
// default or a user's menu (richmenu_assignments.go).
//
// Scopes: bot or bot.message; bot.read is enough for the reads.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"unicode/utf8"
)

// Documented limits of rich menus (bot-richmenu-create, bot-menu).
const (
	MaxRichMenuNameLength = 300
	// RichMenuWidth is the width of every rich menu and its image, in pixels.
	RichMenuWidth = 2500
	// RichMenuHeightCompact and RichMenuHeightFull are the two heights a
	// rich menu and its image may have, in pixels.
	RichMenuHeightCompact = 843
	RichMenuHeightFull    = 1686
	MinRichMenuAreas      = 1
	MaxRichMenuAreas      = 20
	// MaxRichMenusPerBot is how many rich menus one bot may hold.
	MaxRichMenusPerBot = 1000
)

// RichMenuHeights are the heights a rich menu may have.
var RichMenuHeights = []int{RichMenuHeightCompact, RichMenuHeightFull}

// RichMenuSize is a rich menu's size in pixels: RichMenuWidth wide, and one
// of RichMenuHeights high.
type RichMenuSize struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// RichMenuBounds is an area's rectangle, in pixels from the menu's top left.
type RichMenuBounds struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// RichMenuArea is one tappable area of a rich menu.
type RichMenuArea struct {
	Bounds RichMenuBounds `json:"bounds"`
	Action MenuAction     `json:"action"`
}

// RichMenuSettings is everything a user sets on a rich menu: the body of
// POST /bots/{botId}/richmenus.
type RichMenuSettings struct {
	// Name is for managing menus only; users never see it.
	Name  string         `json:"richmenuName"`
	Size  RichMenuSize   `json:"size"`
	Areas []RichMenuArea `json:"areas"`
}

// RichMenu is a rich menu as LINE WORKS lists and reads it.
type RichMenu struct {
	ID string `json:"richmenuId"`
	RichMenuSettings
}

// ErrRichMenuNotFound is returned (wrapped) when the bot exists, as a call
// on it has just shown, or is gone (at an api_endpoint known to be right),
// taking its menus; a 404 at an endpoint that could not be confirmed right
// is an *EndpointError instead (confirm.go).
var ErrRichMenuNotFound = errors.New("the bot has no rich menu with this ID")

// richMenuIDPattern: rich menu IDs are numeric strings such as "40001"; any
// word is accepted, but nothing that could change the path it goes in.
var richMenuIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidateRichMenuID checks that id has the shape of a rich menu ID.
func ValidateRichMenuID(id string) error {
	if !richMenuIDPattern.MatchString(id) {
		return fmt.Errorf("%q is not a LINE WORKS rich menu ID: expected up to 64 letters, digits, '-' or '_', such as 40001", id)
	}
	return nil
}

// ValidateRichMenuName checks a rich menu's name: 1 to MaxRichMenuNameLength characters.
func ValidateRichMenuName(name string) error {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return errors.New("is empty; LINE WORKS needs a name of 1 to 300 characters (users never see it)")
	case n > MaxRichMenuNameLength:
		return fmt.Errorf("is %d characters long; LINE WORKS accepts at most %d", n, MaxRichMenuNameLength)
	}
	return nil
}

// ValidateRichMenuHeight checks a rich menu's height: one of RichMenuHeights.
func ValidateRichMenuHeight(height int) error {
	if !slices.Contains(RichMenuHeights, height) {
		return fmt.Errorf("is %d; a rich menu is %d or %d pixels high (and always %d wide)", height, RichMenuHeightCompact, RichMenuHeightFull, RichMenuWidth)
	}
	return nil
}

// ValidateRichMenuBounds checks that an area lies inside a menu of the given
// height: x and y from 0, width and height from 1, and no edge beyond the
// menu's. A height that is not one of RichMenuHeights is not checked against.
func ValidateRichMenuBounds(b RichMenuBounds, height int) error {
	switch {
	case b.X < 0 || b.Y < 0:
		return fmt.Errorf("x and y are %d and %d; they start at 0 (the menu's top left corner)", b.X, b.Y)
	case b.Width < 1 || b.Height < 1:
		return fmt.Errorf("width and height are %d and %d; an area is at least 1 × 1 pixels", b.Width, b.Height)
	case b.X+b.Width > RichMenuWidth:
		return fmt.Errorf("x + width is %d, beyond the menu's right edge at %d", b.X+b.Width, RichMenuWidth)
	case slices.Contains(RichMenuHeights, height) && b.Y+b.Height > height:
		return fmt.Errorf("y + height is %d, beyond the bottom edge of a menu %d pixels high", b.Y+b.Height, height)
	}
	return nil
}

// ValidateRichMenu checks a whole rich menu as LINE WORKS would, and returns
// a *ValidationError listing every problem, or nil.
func ValidateRichMenu(s RichMenuSettings) error {
	var problems []*FieldError
	if err := ValidateRichMenuName(s.Name); err != nil {
		problems = append(problems, &FieldError{Field: "richmenuName", Problem: err.Error()})
	}
	if s.Size.Width != RichMenuWidth {
		problems = append(problems, &FieldError{Field: "size.width", Problem: fmt.Sprintf("is %d; every rich menu is %d pixels wide", s.Size.Width, RichMenuWidth)})
	}
	if err := ValidateRichMenuHeight(s.Size.Height); err != nil {
		problems = append(problems, &FieldError{Field: "size.height", Problem: err.Error()})
	}
	if n := len(s.Areas); n < MinRichMenuAreas || n > MaxRichMenuAreas {
		problems = append(problems, &FieldError{Field: "areas", Problem: fmt.Sprintf("has %d areas; a rich menu has %d to %d", n, MinRichMenuAreas, MaxRichMenuAreas)})
	}
	for i, a := range s.Areas {
		if err := ValidateRichMenuBounds(a.Bounds, s.Size.Height); err != nil {
			problems = append(problems, &FieldError{List: "areas", Index: i, Field: "bounds", Problem: err.Error()})
		}
		for _, p := range ValidateRichMenuAction(a.Action) {
			p.List, p.Index, p.Field = "areas", i, "action."+p.Field
			problems = append(problems, p)
		}
	}
	return validationError("rich menu", problems)
}

// CreateRichMenu creates a rich menu (POST /bots/{botId}/richmenus), after
// checking it with ValidateRichMenu. Creating a rich menu deletes the bot's
// persistent menu. The menu returned is the service's answer when it holds
// the whole menu, else s with the new ID.
//
// A failed creation is retried only when the service cannot have acted on
// it: a retry after a 5xx could create a second menu.
func (c *Client) CreateRichMenu(ctx context.Context, botID int64, s RichMenuSettings) (*RichMenu, error) {
	desc := fmt.Sprintf("creating the rich menu %q on bot %d", s.Name, botID)
	if err := ValidateRichMenu(s); err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}
	var menu RichMenu
	err := c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodPost, segments: richMenusPath(botID), body: s, out: &menu, once: true})
	if err != nil {
		return nil, err
	}
	if menu.ID == "" {
		return nil, fmt.Errorf("%s: LINE WORKS answered without a richmenuId", desc)
	}
	if err := ValidateRichMenuID(menu.ID); err != nil {
		return nil, fmt.Errorf("%s: LINE WORKS answered %w", desc, err)
	}
	if len(menu.Areas) == 0 { // only the ID came back
		menu.RichMenuSettings = s
	}
	c.cfg.Logger.Debug(ctx, "created a LINE WORKS rich menu", map[string]any{"bot_id": botID, "rich_menu_id": menu.ID})
	return &menu, nil
}

// GetRichMenu reads a rich menu (GET /bots/{botId}/richmenus/{richmenuId}).
// A menu the bot does not have, or whose bot is gone, is an error wrapping
// ErrRichMenuNotFound; a 404 at an endpoint that could not be confirmed
// right is an *EndpointError (confirm.go).
func (c *Client) GetRichMenu(ctx context.Context, botID int64, richMenuID string) (*RichMenu, error) {
	desc := fmt.Sprintf("reading rich menu %s of bot %d", richMenuID, botID)
	if err := ValidateRichMenuID(richMenuID); err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}
	var menu RichMenu
	err := c.readMenu(ctx, botID, desc, apiCall{method: http.MethodGet, segments: richMenuPath(botID, richMenuID), out: &menu})
	if IsNotFound(err) {
		return nil, c.confirmAbsent(ctx, botID, desc, err, ErrRichMenuNotFound)
	}
	if err != nil {
		return nil, err
	}
	if menu.ID == "" { // the path says which menu it is
		menu.ID = richMenuID
	}
	return &menu, nil
}

// richMenuPageSize is the count asked for when listing rich menus: few
// enough that the largest page the service may send is read whole within
// maxSuccessBody. The largest menu has 20 areas, each a message action with
// every field at its longest (label 20, text 300, postback 1000, five i18n
// labels of 20 and texts of 300: 2,920 characters), and a name of 300; with
// each character escaped by the service's encoder as a surrogate pair (12
// bytes) that is about 0.7 MB a menu, so a page of 100 could reach 70 MB.
// Ten are 7 MB (TestRichMenuPageFitsTheBodyBound).
const richMenuPageSize = 10

// ListRichMenus returns every rich menu of a bot, following nextCursor,
// richMenuPageSize at a time.
func (c *Client) ListRichMenus(ctx context.Context, botID int64) ([]RichMenu, error) {
	if err := checkBotID(botID); err != nil {
		return nil, err
	}
	menus, err := listPages(ctx, c, listing[RichMenu]{key: "richmenus", segments: richMenusPath(botID), count: richMenuPageSize, scopes: scopesToReadMenus})
	if err != nil {
		return nil, fmt.Errorf("listing the rich menus of bot %d: %w", botID, err)
	}
	return menus, nil
}

// DeleteRichMenu deletes a rich menu (DELETE
// /bots/{botId}/richmenus/{richmenuId}). A menu, or bot, already gone is not
// an error, once confirmed (see confirmAbsent): a 404 that could be a wrong
// api_endpoint is.
func (c *Client) DeleteRichMenu(ctx context.Context, botID int64, richMenuID string) error {
	desc := fmt.Sprintf("deleting rich menu %s of bot %d", richMenuID, botID)
	if err := ValidateRichMenuID(richMenuID); err != nil {
		return fmt.Errorf("%s: %w", desc, err)
	}
	err := c.mutateMenu(ctx, botID, desc, apiCall{method: http.MethodDelete, segments: richMenuPath(botID, richMenuID)})
	return c.alreadyGone(ctx, botID, desc, err)
}

func richMenusPath(botID int64) []string { return append(botPath(botID), "richmenus") }

func richMenuPath(botID int64, richMenuID string) []string {
	return append(richMenusPath(botID), richMenuID)
}
