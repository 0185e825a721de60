package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// importByBotID imports a resource of which a bot has one (its default rich
// menu, its persistent menu) by the bot's ID; typeName and what say which,
// in the error.
func importByBotID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, typeName, what string) {
	if _, err := lineworks.ParseBotID(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import ID for "+typeName,
			fmt.Sprintf("%s. Import %s by the bot's ID, such as 2000001.", err, what))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), req.ID)...)
}
