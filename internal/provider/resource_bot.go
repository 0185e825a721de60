package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                   = (*botResource)(nil)
	_ resource.ResourceWithConfigure      = (*botResource)(nil)
	_ resource.ResourceWithImportState    = (*botResource)(nil)
	_ resource.ResourceWithValidateConfig = (*botResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*botResource)(nil)
	_ resource.ResourceWithIdentity       = (*botResource)(nil)
)

// NewBotResource returns the lineworks_bot resource.
func NewBotResource() resource.Resource {
	return &botResource{}
}

// botResource manages a bot of the tenant (API 2.0 /bots).
type botResource struct {
	data *providerData
}

func (r *botResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot"
}

func (r *botResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A LINE WORKS bot (API 2.0 `/bots`): its name, photo and description, who administers it, which domains may use it, " +
			"and where its callbacks go. " + botScopeNote,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The bot's ID, the same as `bot_id`: what Terraform names the bot by in its progress lines (`[id=2000001]`) and `terraform import` takes.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"bot_id": schema.StringAttribute{
				MarkdownDescription: "The bot's ID assigned by LINE WORKS, such as `2000001`, in decimal digits. Feed it to `lineworks_bot_domain`, `lineworks_bot_secret` and `lineworks_bot_attachment`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"bot_name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The bot's name, 1 to %d characters, on one line (LINE WORKS would turn line breaks into spaces).", lineworks.MaxBotNameLength),
				Required:            true,
				Validators:          []validator.String{botNameLength, noLineBreaks},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("What the bot does, shown to users; at most %d characters.", lineworks.MaxBotDescriptionLength),
				Required:            true,
				Validators:          []validator.String{botDescLength},
			},
			"photo_url": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("URL of the bot's profile picture: https only, at most %d characters; a 640×640 PNG is recommended.", lineworks.MaxBotURLLength),
				Required:            true,
				Validators:          []validator.String{botURLValidator},
			},
			"administrators": schema.SetAttribute{
				MarkdownDescription: fmt.Sprintf("The bot's administrators: %d to %d members of the tenant, each by login e-mail address (`kim@example.com`) or user ID "+
					"(such as `userf7da-f82c-4284-13e7-030f3b4c756x`: the `userId` of a callback's `source`, or of the Directory API's `GET /users/{email}`).", lineworks.MinBotAdministrators, lineworks.MaxBotAdministrators),
				ElementType: types.StringType,
				Required:    true,
				Validators:  []validator.Set{botAdministratorsCount, botUserIDs},
			},
			"subadministrators": schema.SetAttribute{
				MarkdownDescription: fmt.Sprintf("The bot's subadministrators: at most %d user IDs. Removing them clears the list at LINE WORKS.", lineworks.MaxBotSubadministrators),
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{botSubadministratorsCount, botUserIDs},
			},
			"allow_domains": schema.SetAttribute{
				MarkdownDescription: "IDs of the domains that may use the bot, such as `10000001` (the Developer Console shows a domain's ID at the bottom of its left menu; callbacks carry it as `domainId`). " +
					"Leave it out to allow every domain of the tenant (an empty set is refused, as it would be ambiguous). " +
					"**Narrowing it makes LINE WORKS delete the bot's registrations in the domains no longer listed** (`lineworks_bot_domain`).",
				ElementType: types.Int64Type,
				Optional:    true,
				Validators:  []validator.Set{botAllowDomainsNotEmpty, botDomainIDs},
			},
			"enable_callback": schema.BoolAttribute{
				MarkdownDescription: "Whether LINE WORKS sends messages to `callback_url`, which it then requires. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"callback_url": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Where LINE WORKS posts callbacks: https only (no self-signed certificates), at most %d characters. "+
					"Each callback carries `X-WORKS-Signature`, checked with the Bot Secret (`lineworks_bot_secret`; see the `callback_signature` function). "+
					"Removing it clears it at LINE WORKS, which then sends no callbacks.", lineworks.MaxBotURLLength),
				Optional:   true,
				Validators: []validator.String{botURLValidator},
			},
			"callback_events": schema.SetAttribute{
				MarkdownDescription: botCallbackEventsDescription + botCallbackEventsLeftOut,
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(botCallbackEvent)},
			},
			"channel_events": schema.SetAttribute{
				MarkdownDescription: botChannelEventsDescription + " At least one. LINE WORKS chooses a default when it is not set; leaving it out later keeps what the bot has.",
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
				Validators:          []validator.Set{botChannelEventsNotEmpty, setvalidator.ValueStringsAre(botChannelEvent)},
			},
			"enable_group_join": schema.BoolAttribute{
				MarkdownDescription: "Whether the bot may be invited to group and multi-person chat rooms. Defaults to `false`. Turning it off removes the bot from the rooms it is in.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"default_rich_menu_id": schema.StringAttribute{
				MarkdownDescription: "ID of the rich menu shown to users who have no rich menu of their own, such as `40001`. " +
					"Prefer `lineworks_bot_default_rich_menu`, which can name a `lineworks_bot_rich_menu` of this bot (the bot cannot: the menu depends on the bot). " +
					"Left unset, the bot's default is not managed here: whatever sets it (that resource, the Developer Console) is not a change to this bot.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:    []validator.String{botDefaultRichMenuIDNotEmpty},
			},
			"i18n_bot_names": schema.MapAttribute{
				MarkdownDescription: fmt.Sprintf("The bot's name in other languages, keyed by language: %s. Each 1 to %d characters, on one line.", botLanguagesMarkd, lineworks.MaxBotNameLength),
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Map{
					botLanguageKeys,
					mapvalidator.ValueStringsAre(botNameLength, noLineBreaks),
				},
			},
			"i18n_descriptions": schema.MapAttribute{
				MarkdownDescription: fmt.Sprintf("The description in other languages, keyed by language: %s. Each 1 to %d characters.", botLanguagesMarkd, lineworks.MaxBotDescriptionLength),
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Map{
					botLanguageKeys,
					mapvalidator.ValueStringsAre(botDescLength),
				},
			},
			"i18n_photo_urls": schema.MapAttribute{
				MarkdownDescription: fmt.Sprintf("Profile picture URLs for other languages, keyed by language: %s. https only, at most %d characters each.", botLanguagesMarkd, lineworks.MaxBotURLLength),
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Map{botLanguageKeys, mapvalidator.ValueStringsAre(botURLValidator)},
			},
			"allow_duplicate_name": schema.BoolAttribute{
				MarkdownDescription: "Whether to create the bot even when the tenant already has a bot of the same `bot_name`. Defaults to `false`: " +
					"creating then fails and names the bot that has the name, with its ID and creation time, since it is most often one an interrupted apply created " +
					"(import it instead). The check costs one listing of the tenant's bots per create; nothing is sent to LINE WORKS for this argument.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_time": schema.StringAttribute{
				MarkdownDescription: "When the bot was created, RFC 3339 in UTC.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"modified_time": schema.StringAttribute{
				MarkdownDescription: "When the bot was last changed, RFC 3339 in UTC.",
				Computed:            true,
			},
		},
	}
}

func (r *botResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses callbacks turned on with nowhere to send them.
func (r *botResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var enable types.Bool
	var callbackURL types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("enable_callback"), &enable)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("callback_url"), &callbackURL)...)
	if enable.ValueBool() && callbackURL.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("callback_url"), "Missing callback URL",
			"enable_callback is true, so LINE WORKS needs a callback_url to send the callbacks to. Set callback_url, or set enable_callback = false.")
	}
}

// ModifyPlan refuses, at plan time, a change the provider block cannot make:
// no credentials to get a token with, or tokens without the bot scope.
func (r *botResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot", lineworks.ScopesToWrite(), &resp.Diagnostics)
}

// botResourceModel is the bot, and what only the resource has.
type botResourceModel struct {
	botModel
	AllowDuplicateName types.Bool `tfsdk:"allow_duplicate_name"`
}

func (r *botResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, ok := r.data.begin(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	settings := m.settings(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.AllowDuplicateName.ValueBool() && r.nameTaken(ctx, settings.BotName, &resp.Diagnostics) {
		return
	}
	bot, err := r.data.client.CreateBot(ctx, settings)
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to create the LINE WORKS bot", err)
		return
	}
	noteInterrupted(ctx, &resp.Diagnostics, fmt.Sprintf("bot %d", bot.BotID))
	setBotIdentity(ctx, resp.Identity, bot.BotID, &resp.Diagnostics)
	m.BotID = types.StringValue(formatBotID(bot.BotID))
	answers := m.afterWrite(ctx, bot, everyBotSetting(), botAnswers{}, &resp.Diagnostics)
	answers.save(ctx, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	setBotIdentity(ctx, resp.Identity, botID, &resp.Diagnostics)
	bot, err := r.data.client.GetBot(ctx, botID)
	if r.data.stopRead(ctx, resp, err, lineworks.IsNotFound(err), "Failed to read the LINE WORKS bot") {
		return
	}
	m.refreshFrom(ctx, bot, readBotAnswers(ctx, req.Private), &resp.Diagnostics)
	if m.AllowDuplicateName.IsNull() { // imported
		m.AllowDuplicateName = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state botResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, botID, ok := r.data.beginBot(ctx, state.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	setBotIdentity(ctx, resp.Identity, botID, &resp.Diagnostics)
	patch, changed, needReplace := plan.patch(ctx, &state.botModel, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	var (
		bot  *lineworks.Bot
		err  error
		sent map[string]bool
	)
	switch {
	case needReplace:
		// A patch cannot take allow_domains back to "every domain", nor
		// remove default_rich_menu_id: send the whole bot instead.
		settings := plan.settings(ctx, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		bot, err = r.data.client.ReplaceBot(ctx, botID, settings)
		sent = everyBotSetting()
	case changed:
		bot, err = r.data.client.UpdateBot(ctx, botID, patch)
		sent = patchedBotSettings(patch)
	default:
		bot, err = r.data.client.GetBot(ctx, botID)
	}
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to update the LINE WORKS bot", err)
		return
	}
	// bot_id is the one the request was made for, never the answer's.
	plan.BotID = state.BotID
	answers := plan.afterWrite(ctx, bot, sent, readBotAnswers(ctx, req.Private), &resp.Diagnostics)
	answers.save(ctx, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *botResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	// A bot already gone counts as deleted, once the client has made sure
	// the 404 is the bot's.
	if err := r.data.client.DeleteBot(ctx, botID); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to delete the LINE WORKS bot", err)
	}
}

// nameTaken reports, with an error on bot_name, a bot of the tenant that
// already has name: most often one an interrupted apply created, which
// Terraform never recorded. Creating another would leave the first
// unmanaged.
func (r *botResource) nameTaken(ctx context.Context, name string, diags *diag.Diagnostics) bool {
	bots, err := r.data.client.ListBots(ctx)
	if err != nil {
		r.data.addClientError(diags, "Failed to list the LINE WORKS bots to check that the name is free", err)
		return true
	}
	ids := botsNamed(bots, name)
	if len(ids) == 0 {
		return false
	}
	var named []string
	for _, id := range ids {
		created := "at a time LINE WORKS did not say"
		if b, err := r.data.client.GetBot(ctx, id); err == nil && !b.CreatedTime.IsZero() {
			created = "at " + formatTime(b.CreatedTime)
		}
		named = append(named, fmt.Sprintf("bot %d, created %s", id, created))
	}
	diags.AddAttributeError(path.Root("bot_name"), "A LINE WORKS bot of this name exists already",
		fmt.Sprintf("The tenant already has a bot named %q: %s. It may be one an interrupted apply created, which Terraform never recorded. "+
			"To manage it with this resource, import it: `terraform import <this resource's address> %d`, or an `import` block with id = %q. "+
			"To create another bot of the same name all the same, set allow_duplicate_name = true.",
			name, strings.Join(named, "; "), ids[0], formatBotID(ids[0])))
	return true
}

// ImportState takes the bot's ID: `terraform import lineworks_bot.x 2000001`,
// or an import block's `identity = { bot_id = "2000001" }`. Blanks around
// it, as a copy and paste leaves them, do not count.
func (r *botResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(importIDOf(ctx, req, botIdentityModel.importID, &resp.Diagnostics))
	if _, err := lineworks.ParseBotID(id); err != nil {
		resp.Diagnostics.AddError("Invalid import ID for lineworks_bot", fmt.Sprintf("%s. Import a bot by its ID, as the Developer Console or `GET /bots` shows it.", err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
