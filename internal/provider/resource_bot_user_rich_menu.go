package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                = (*botUserRichMenuResource)(nil)
	_ resource.ResourceWithConfigure   = (*botUserRichMenuResource)(nil)
	_ resource.ResourceWithImportState = (*botUserRichMenuResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*botUserRichMenuResource)(nil)
)

// NewBotUserRichMenuResource returns the lineworks_bot_user_rich_menu resource.
func NewBotUserRichMenuResource() resource.Resource {
	return &botUserRichMenuResource{}
}

// botUserRichMenuResource manages the rich menu one user sees in place of
// the bot's default.
type botUserRichMenuResource struct {
	data *providerData
}

type botUserRichMenuModel struct {
	ID         types.String `tfsdk:"id"`
	BotID      types.String `tfsdk:"bot_id"`
	UserID     types.String `tfsdk:"user_id"`
	RichMenuID types.String `tfsdk:"rich_menu_id"`
}

func (r *botUserRichMenuResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_user_rich_menu"
}

func (r *botUserRichMenuResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A rich menu of a bot for one user (`POST /bots/{botId}/richmenus/{richmenuId}/users/{userId}`), shown to that user in place of the bot's default. " +
			"Destroying it shows the user the default again. " + menuScopeNote,
		Attributes: map[string]schema.Attribute{
			"id":     importIDAttribute("{bot_id}/{user_id}"),
			"bot_id": botIDArgument("The bot's ID, such as `lineworks_bot.x.bot_id`. Changing it gives the user a menu of the other bot instead."),
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The user: a user ID such as `userf7da-f82c-4284-13e7-030f3b4c756x`, or a login ID (e-mail). Changing it gives the other user the menu instead.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{userIDValidator},
			},
			"rich_menu_id": schema.StringAttribute{
				MarkdownDescription: "The rich menu the user sees, such as `lineworks_bot_rich_menu.x.rich_menu_id`: a menu of the same bot. Changing it (a replaced menu included) gives the user the new menu in place.",
				Required:            true,
				Validators:          []validator.String{richMenuIDValidator},
			},
		},
	}
}

func (r *botUserRichMenuResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, a change the provider block cannot make:
// no credentials to get a token with, or tokens without the scope it needs.
func (r *botUserRichMenuResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot_user_rich_menu", lineworks.ScopesToWriteMenus(), &resp.Diagnostics)
}

func (r *botUserRichMenuResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botUserRichMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	r.set(ctx, m, &resp.State, &resp.Diagnostics)
}

func (r *botUserRichMenuResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botUserRichMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	menu, err := r.data.client.GetUserRichMenu(ctx, botID, m.UserID.ValueString())
	// ErrNotSet: removed outside Terraform, or its menu deleted.
	if r.data.stopRead(ctx, resp, err, errors.Is(err, lineworks.ErrNotSet), "Failed to read the LINE WORKS user's rich menu") {
		return
	}
	m.ID = types.StringValue(userRichMenuResourceID(botID, m.UserID.ValueString()))
	m.BotID, m.RichMenuID = types.StringValue(formatBotID(botID)), types.StringValue(menu.ID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botUserRichMenuResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m botUserRichMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	r.set(ctx, m, &resp.State, &resp.Diagnostics)
}

func (r *botUserRichMenuResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botUserRichMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	// None set, or a bot already gone, counts as done (the client says so).
	if err := r.data.client.DeleteUserRichMenu(ctx, botID, m.UserID.ValueString()); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to remove the LINE WORKS user's rich menu", err)
	}
}

// ImportState takes `{bot_id}/{user_id}`.
func (r *botUserRichMenuResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	botID, rest, ok := splitBotImportID(req.ID, 2)
	if !ok || lineworks.ValidateUserID(rest[0]) != nil {
		resp.Diagnostics.AddError("Invalid import ID for lineworks_bot_user_rich_menu",
			fmt.Sprintf("%q is not {bot_id}/{user_id}: import a user's rich menu by the bot's ID and the user's ID or login ID, such as 2000001/admin@example.com.", req.ID))
		return
	}
	user := rest[0]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), userRichMenuResourceID(botID, user))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), formatBotID(botID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), user)...)
}

// set gives m's user m's menu, and makes m the state.
func (r *botUserRichMenuResource) set(ctx context.Context, m botUserRichMenuModel, state *tfsdk.State, diags *diag.Diagnostics) {
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, diags)
	if !ok {
		return
	}
	if err := r.data.client.SetUserRichMenu(ctx, botID, m.UserID.ValueString(), m.RichMenuID.ValueString()); err != nil {
		r.data.addClientError(diags, "Failed to give the LINE WORKS user the rich menu", err)
		return
	}
	m.ID = types.StringValue(userRichMenuResourceID(botID, m.UserID.ValueString()))
	diags.Append(state.Set(ctx, &m)...)
}

func userRichMenuResourceID(botID int64, userID string) string {
	return formatBotID(botID) + "/" + userID
}
