package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                = (*botDefaultRichMenuResource)(nil)
	_ resource.ResourceWithConfigure   = (*botDefaultRichMenuResource)(nil)
	_ resource.ResourceWithImportState = (*botDefaultRichMenuResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*botDefaultRichMenuResource)(nil)
)

// NewBotDefaultRichMenuResource returns the lineworks_bot_default_rich_menu resource.
func NewBotDefaultRichMenuResource() resource.Resource {
	return &botDefaultRichMenuResource{}
}

// botDefaultRichMenuResource manages which rich menu a bot shows to users who
// have none of their own.
type botDefaultRichMenuResource struct {
	data *providerData
}

type botDefaultRichMenuModel struct {
	BotID      types.String `tfsdk:"bot_id"`
	RichMenuID types.String `tfsdk:"rich_menu_id"`
}

func (r *botDefaultRichMenuResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_default_rich_menu"
}

func (r *botDefaultRichMenuResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The rich menu a bot shows to every user who has no rich menu of their own (`POST /bots/{botId}/richmenus/{richmenuId}/set-default`). " +
			"One per bot; destroying it leaves the bot without a default. It is the bot's `defaultRichmenuId`, which this resource manages " +
			"in place of `lineworks_bot`'s `default_rich_menu_id` (leave that unset): the rich menu depends on the bot, so the bot cannot name it without a cycle. " + menuScopeNote,
		Attributes: map[string]schema.Attribute{
			"bot_id": botIDArgument("The bot's ID, such as `lineworks_bot.x.bot_id`. Changing it sets the default of the other bot instead."),
			"rich_menu_id": schema.StringAttribute{
				MarkdownDescription: "The rich menu to show, such as `lineworks_bot_rich_menu.x.rich_menu_id`: a menu of the same bot. " +
					"Changing it (a replaced menu included) sets the new default in place.",
				Required:   true,
				Validators: []validator.String{richMenuIDValidator},
			},
		},
	}
}

func (r *botDefaultRichMenuResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, a change the provider block cannot make:
// no credentials to get a token with, or tokens without the scope it needs.
func (r *botDefaultRichMenuResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot_default_rich_menu", lineworks.ScopesToWriteMenus(), &resp.Diagnostics)
}

func (r *botDefaultRichMenuResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botDefaultRichMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	r.set(ctx, m, &resp.State, &resp.Diagnostics)
}

func (r *botDefaultRichMenuResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botDefaultRichMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	id, err := r.data.client.GetDefaultRichMenu(ctx, botID)
	// ErrNotSet: removed outside Terraform, or its menu deleted.
	if r.data.stopRead(ctx, resp, err, errors.Is(err, lineworks.ErrNotSet), "Failed to read the LINE WORKS bot's default rich menu") {
		return
	}
	m.BotID, m.RichMenuID = types.StringValue(formatBotID(botID)), types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botDefaultRichMenuResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m botDefaultRichMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	r.set(ctx, m, &resp.State, &resp.Diagnostics)
}

func (r *botDefaultRichMenuResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botDefaultRichMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	// None set, or a bot already gone, counts as done (the client says so).
	if err := r.data.client.DeleteDefaultRichMenu(ctx, botID); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to remove the LINE WORKS bot's default rich menu", err)
	}
}

// ImportState takes the bot's ID: `terraform import lineworks_bot_default_rich_menu.x 2000001`.
func (r *botDefaultRichMenuResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByBotID(ctx, req, resp, "lineworks_bot_default_rich_menu", "a bot's default rich menu")
}

// set makes m's menu the default, and m the state.
func (r *botDefaultRichMenuResource) set(ctx context.Context, m botDefaultRichMenuModel, state *tfsdk.State, diags *diag.Diagnostics) {
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, diags)
	if !ok {
		return
	}
	if err := r.data.client.SetDefaultRichMenu(ctx, botID, m.RichMenuID.ValueString()); err != nil {
		r.data.addClientError(diags, "Failed to set the LINE WORKS bot's default rich menu", err)
		return
	}
	diags.Append(state.Set(ctx, &m)...)
}
