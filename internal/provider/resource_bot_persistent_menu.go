package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                   = (*botPersistentMenuResource)(nil)
	_ resource.ResourceWithConfigure      = (*botPersistentMenuResource)(nil)
	_ resource.ResourceWithImportState    = (*botPersistentMenuResource)(nil)
	_ resource.ResourceWithValidateConfig = (*botPersistentMenuResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*botPersistentMenuResource)(nil)
)

// NewBotPersistentMenuResource returns the lineworks_bot_persistent_menu resource.
func NewBotPersistentMenuResource() resource.Resource {
	return &botPersistentMenuResource{}
}

// botPersistentMenuResource manages a bot's persistent menu: its buttons,
// replaced as a whole by each change.
type botPersistentMenuResource struct {
	data *providerData
}

type botPersistentMenuModel struct {
	BotID   types.String                `tfsdk:"bot_id"`
	Actions []persistentMenuActionModel `tfsdk:"actions"`
}

func (r *botPersistentMenuResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_persistent_menu"
}

func (r *botPersistentMenuResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A bot's persistent menu (`POST /bots/{botId}/persistentmenu`): up to four buttons under the chat, the same for every user, " +
			"shown as a drop-down in the desktop and browser apps. Each change sends the whole menu again. " +
			"**A bot has a persistent menu or rich menus, never both**: creating a rich menu deletes the persistent menu, and a persistent menu " +
			"cannot be added while the bot has any rich menu. " + menuScopeNote,
		Attributes: map[string]schema.Attribute{
			"bot_id": botIDArgument("The bot's ID, such as `lineworks_bot.x.bot_id`. Changing it gives the other bot the menu instead."),
			"actions": schema.ListNestedAttribute{
				MarkdownDescription: fmt.Sprintf("The buttons, %d to %d, in order. Labels and texts are on one line: LINE WORKS would turn a line break into a space.",
					lineworks.MinPersistentMenuActions, lineworks.MaxPersistentMenuActions),
				Required:     true,
				Validators:   []validator.List{listvalidator.SizeBetween(lineworks.MinPersistentMenuActions, lineworks.MaxPersistentMenuActions)},
				NestedObject: schema.NestedAttributeObject{Attributes: menuActionAttributes(true)},
			},
		},
	}
}

func (r *botPersistentMenuResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig applies the client's own rules to each button that is
// known, with each finding on the attribute at fault.
func (r *botPersistentMenuResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var actions types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("actions"), &actions)...)
	if resp.Diagnostics.HasError() || actions.IsNull() || actions.IsUnknown() {
		return
	}
	var problems []*lineworks.FieldError
	for i, elem := range actions.Elements() {
		obj, ok := elem.(types.Object)
		if !ok || !knownObject(obj) {
			continue
		}
		var button persistentMenuActionModel
		resp.Diagnostics.Append(obj.As(ctx, &button, objectAsOptions)...)
		if a := button.action(); a.known() {
			for _, p := range lineworks.ValidatePersistentMenuAction(a.clientAction(ctx, &resp.Diagnostics)) {
				p.List, p.Index = "actions", i
				problems = append(problems, p)
			}
		}
	}
	addMenuProblems(&resp.Diagnostics, "persistent menu", problems)
}

// ModifyPlan refuses a change the provider block cannot make (checkAccess),
// and claims the bot for a persistent menu (see menuClaims).
func (r *botPersistentMenuResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot_persistent_menu", lineworks.ScopesToWriteMenus(), &resp.Diagnostics)
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroyed, or not configured (validation)
	}
	var botID types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("bot_id"), &botID)...)
	if botID.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	if id, err := lineworks.ParseBotID(botID.ValueString()); err == nil {
		r.data.menus.claim(id, persistentMenu, &resp.Diagnostics)
	}
}

func (r *botPersistentMenuResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botPersistentMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	r.set(ctx, m, &resp.State, &resp.Diagnostics)
}

func (r *botPersistentMenuResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botPersistentMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	menu, err := r.data.client.GetPersistentMenu(ctx, botID)
	// ErrNotSet: deleted outside Terraform, or by a rich menu's creation.
	if r.data.stopRead(ctx, resp, err, errors.Is(err, lineworks.ErrNotSet), "Failed to read the LINE WORKS bot's persistent menu") {
		return
	}
	m.BotID = types.StringValue(formatBotID(botID))
	actions := make([]persistentMenuActionModel, len(menu.Actions))
	for i, a := range menu.Actions {
		var prior menuActionModel
		if i < len(m.Actions) {
			prior = m.Actions[i].action()
		}
		actions[i] = menuActionFrom(ctx, a, prior, &resp.Diagnostics).persistent()
	}
	m.Actions = actions
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update sends the whole menu again: a POST replaces it.
func (r *botPersistentMenuResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m botPersistentMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	r.set(ctx, m, &resp.State, &resp.Diagnostics)
}

func (r *botPersistentMenuResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botPersistentMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	// None set, or a bot already gone, counts as done (the client says so).
	if err := r.data.client.DeletePersistentMenu(ctx, botID); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to delete the LINE WORKS bot's persistent menu", err)
	}
}

// ImportState takes the bot's ID: `terraform import lineworks_bot_persistent_menu.x 2000001`.
func (r *botPersistentMenuResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByBotID(ctx, req, resp, "lineworks_bot_persistent_menu", "a bot's persistent menu")
}

// set sends m's menu and makes m the state. The service's refusal while the
// bot has rich menus says why, on bot_id.
func (r *botPersistentMenuResource) set(ctx context.Context, m botPersistentMenuModel, state *tfsdk.State, diags *diag.Diagnostics) {
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, diags)
	if !ok {
		return
	}
	var menu lineworks.PersistentMenu
	for _, a := range m.Actions {
		menu.Actions = append(menu.Actions, a.action().clientAction(ctx, diags))
	}
	if diags.HasError() {
		return
	}
	err := r.data.client.SetPersistentMenu(ctx, botID, menu)
	if errors.Is(err, lineworks.ErrRichMenusExist) {
		diags.AddAttributeError(path.Root("bot_id"), "LINE WORKS bot has rich menus",
			fmt.Sprintf("LINE WORKS refused the persistent menu of bot %d: %s. A bot has a persistent menu or rich menus, never both. "+
				"Destroy the bot's lineworks_bot_rich_menu resources (and delete any rich menu made outside Terraform) and apply, then apply again; "+
				"or keep the rich menus and remove this lineworks_bot_persistent_menu.", botID, err))
		return
	}
	if err != nil {
		r.data.addClientError(diags, "Failed to set the LINE WORKS bot's persistent menu", err)
		return
	}
	diags.Append(state.Set(ctx, &m)...)
}
