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

// splitBotImportID reads the import ID of something that belongs to a bot:
// fields parts separated by "/", the first the bot's ID, as
// `{bot_id}/{rich_menu_id}`. Blanks around a field, as a copy and paste
// leaves them, do not count; the last field keeps any further "/", for its
// own check to refuse. It returns the bot's ID and the other fields, or
// false when there are fewer fields or the first is not a bot ID.
func splitBotImportID(id string, parts int) (botID int64, rest []string, ok bool) {
	fields := strings.SplitN(id, "/", parts)
	if len(fields) != parts {
		return 0, nil, false
	}
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	botID, err := lineworks.ParseBotID(fields[0])
	if err != nil {
		return 0, nil, false
	}
	return botID, fields[1:], true
}

// parseBotDomainID reads `{bot_id}/{domain_id}`, blanks around either
// aside.
func parseBotDomainID(id string) (botID, domainID int64, err error) {
	fail := fmt.Errorf("%q is not {bot_id}/{domain_id}: import a registration by the bot's ID and the domain's ID, both in decimal digits, such as 2000001/10000001", id)
	botID, rest, ok := splitBotImportID(id, 2)
	if !ok {
		return 0, 0, fail
	}
	if domainID, ok = parseDomainID(rest[0]); !ok {
		return 0, 0, fail
	}
	return botID, domainID, nil
}

// parseDomainID reads a domain's ID in an import ID by the rule of a bot
// ID (lineworks.ParseBotID): a positive number in decimal digits, written
// as Terraform writes it back (no sign, no leading zeros), so that the
// import round-trips.
func parseDomainID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}
