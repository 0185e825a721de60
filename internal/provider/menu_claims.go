package provider

import (
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// menuKind is the kind of menu a resource gives a bot.
type menuKind int

const (
	richMenus menuKind = iota
	persistentMenu
)

// menuClaims records which bots the configuration gives rich menus, and
// which a persistent menu, as each resource is planned. LINE WORKS keeps only
// one kind per bot (creating a rich menu deletes the persistent menu; a
// persistent menu is refused while rich menus exist), so a configuration that
// manages both for one bot would undo itself at every apply. One provider
// process plans every resource of its provider block, in the plan and again
// in the apply (where a bot_id unknown at plan is known), so the second
// resource planned sees the first. Resources of other provider blocks, and
// bot IDs never known before their apply, are not seen: the service's own
// refusal is explained instead (lineworks.ErrRichMenusExist).
type menuClaims struct {
	mu    sync.Mutex
	kinds map[int64]map[menuKind]bool
}

// claim records that kind is planned for botID, and adds an error on bot_id
// when the other kind is too.
func (c *menuClaims) claim(botID int64, kind menuKind, diags *diag.Diagnostics) {
	c.mu.Lock()
	if c.kinds == nil {
		c.kinds = map[int64]map[menuKind]bool{}
	}
	if c.kinds[botID] == nil {
		c.kinds[botID] = map[menuKind]bool{}
	}
	c.kinds[botID][kind] = true
	both := c.kinds[botID][richMenus] && c.kinds[botID][persistentMenu]
	c.mu.Unlock()
	if both {
		diags.AddAttributeError(path.Root("bot_id"), "Rich menus and a persistent menu for one LINE WORKS bot",
			fmt.Sprintf("This configuration gives bot %d both rich menus (lineworks_bot_rich_menu) and a persistent menu (lineworks_bot_persistent_menu). "+
				"A LINE WORKS bot has one kind or the other: creating a rich menu deletes the persistent menu, and a persistent menu cannot be added while the bot has rich menus, "+
				"so every apply would undo the last. Keep one kind for this bot: remove the lineworks_bot_persistent_menu, or every lineworks_bot_rich_menu of the bot (with its default and per-user menus).", botID))
	}
}
