package provider

// Import IDs: what `terraform import` and an import block's `id` give, read
// by one rule whichever resource takes them. Blanks around an ID, as a copy
// and paste leaves them, do not count.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// importByBotID imports a resource of which a bot has one (its default rich
// menu, its persistent menu) by the bot's ID; typeName and what say which,
// in the error.
func importByBotID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, typeName, what string) {
	id := strings.TrimSpace(req.ID) // blanks around it, as a copy and paste leaves them, do not count
	if _, err := lineworks.ParseBotID(id); err != nil {
		resp.Diagnostics.AddError("Invalid import ID for "+typeName,
			fmt.Sprintf("%s. Import %s by the bot's ID, such as 2000001.", err, what))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), id)...)
}

// parseBotDomainID reads `{bot_id}/{domain_id}`, blanks around either
// aside.
func parseBotDomainID(id string) (botID, domainID int64, err error) {
	fail := fmt.Errorf("%q is not {bot_id}/{domain_id}: import a registration by the bot's ID and the domain's ID, both in decimal digits, such as 2000001/10000001", id)
	bot, domain, ok := strings.Cut(id, "/")
	if !ok {
		return 0, 0, fail
	}
	bot, domain = strings.TrimSpace(bot), strings.TrimSpace(domain)
	if botID, err = lineworks.ParseBotID(bot); err != nil {
		return 0, 0, fail
	}
	if domainID, ok = parseDomainID(domain); !ok {
		return 0, 0, fail
	}
	return botID, domainID, nil
}

// parseDomainID reads the domain's ID in an import ID by the rule of a bot
// ID (lineworks.ParseBotID): a positive number in decimal digits, written
// as such (no sign, no leading zeros).
func parseDomainID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}
