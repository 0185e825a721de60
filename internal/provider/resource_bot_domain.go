package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                = (*botDomainResource)(nil)
	_ resource.ResourceWithConfigure   = (*botDomainResource)(nil)
	_ resource.ResourceWithImportState = (*botDomainResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*botDomainResource)(nil)
	_ resource.ResourceWithIdentity    = (*botDomainResource)(nil)
)

// NewBotDomainResource returns the lineworks_bot_domain resource.
func NewBotDomainResource() resource.Resource {
	return &botDomainResource{}
}

// botDomainResource manages a bot's registration in one domain.
type botDomainResource struct {
	data *providerData
}

type botDomainModel struct {
	ID                    types.String `tfsdk:"id"`
	BotID                 types.String `tfsdk:"bot_id"`
	DomainID              types.Int64  `tfsdk:"domain_id"`
	Visible               types.Bool   `tfsdk:"visible"`
	AllowToSelectedMember types.Bool   `tfsdk:"allow_to_selected_member"`
}

func (r *botDomainResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_domain"
}

func (r *botDomainResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Registers a bot in a domain (`POST /bots/{botId}/domains/{domainId}`), so that the domain's members can use it. " +
			"A bot is created for the tenant (`lineworks_bot`) and must be registered in each domain that uses it. " + botScopeNote,
		Attributes: map[string]schema.Attribute{
			"id":     importIDAttribute("{bot_id}/{domain_id}"),
			"bot_id": botIDArgument("The bot's ID, such as `lineworks_bot.x.bot_id`. Changing it registers the other bot instead."),
			"domain_id": schema.Int64Attribute{
				MarkdownDescription: "The domain's ID, such as `10000001`: the Developer Console shows it at the bottom of its left menu, and callbacks carry it as `domainId`. " +
					"It must be allowed by the bot's `allow_domains` when that is set. Changing it registers the bot in the other domain instead.",
				Required:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:    []validator.Int64{domainIDValidator},
			},
			"visible": schema.BoolAttribute{
				MarkdownDescription: "Whether the bot is listed for the domain's members. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"allow_to_selected_member": schema.BoolAttribute{
				MarkdownDescription: "Whether only selected members may use the bot (they are chosen in the Admin console). Defaults to `false`: every member of the domain.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
		},
	}
}

func (r *botDomainResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, a change the provider block cannot make:
// no credentials to get a token with, or tokens without the bot scope.
func (r *botDomainResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot_domain", lineworks.ScopesToWrite(), &resp.Diagnostics)
}

func (r *botDomainResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botDomainModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	domainID := m.DomainID.ValueInt64()
	reg, err := r.data.client.RegisterBotDomain(ctx, botID, domainID, m.settings())
	if err != nil {
		r.addRegisterError(&resp.Diagnostics, err)
		return
	}
	noteInterrupted(ctx, &resp.Diagnostics, fmt.Sprintf("the registration of bot %d in domain %d", botID, domainID))
	setBotDomainIdentity(ctx, resp.Identity, botID, reg.DomainID, &resp.Diagnostics)
	m.set(botID, reg)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botDomainResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botDomainModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	setBotDomainIdentity(ctx, resp.Identity, botID, m.DomainID.ValueInt64(), &resp.Diagnostics)
	// The registration or the bot may be gone: deleted outside Terraform, or
	// by LINE WORKS when allow_domains was narrowed.
	reg, err := r.data.client.GetBotDomain(ctx, botID, m.DomainID.ValueInt64())
	if r.data.stopRead(ctx, resp, err, lineworks.IsNotFound(err), "Failed to read the LINE WORKS bot's domain registration") {
		return
	}
	m.set(botID, reg)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botDomainResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m botDomainModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	reg, err := r.data.client.UpdateBotDomain(ctx, botID, m.DomainID.ValueInt64(), m.settings())
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to update the LINE WORKS bot's domain registration", err)
		return
	}
	setBotDomainIdentity(ctx, resp.Identity, botID, reg.DomainID, &resp.Diagnostics)
	m.set(botID, reg)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botDomainResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botDomainModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	// A registration or bot already gone counts as deleted (the client says so).
	if err := r.data.client.DeleteBotDomain(ctx, botID, m.DomainID.ValueInt64()); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to remove the LINE WORKS bot from the domain", err)
	}
}

// ImportState takes `{bot_id}/{domain_id}`, or an import block's
// `identity = { bot_id = "2000001", domain_id = 10000001 }`. Blanks around
// either ID do not count. Where LINE WORKS can be asked, the registration
// must exist: when it does not and the ID read the other way round names
// one, the error gives the ID in the right order.
func (r *botDomainResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importIDOf(ctx, req, botDomainIdentityModel.importID, &resp.Diagnostics)
	botID, domainID, err := parseBotDomainID(id)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID for lineworks_bot_domain", err.Error())
		return
	}
	if !r.importable(ctx, id, botID, domainID, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), botDomainID(botID, domainID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), formatBotID(botID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("domain_id"), domainID)...)
}

func (m *botDomainModel) settings() lineworks.BotDomainSettings {
	return lineworks.BotDomainSettings{Visible: m.Visible.ValueBool(), AllowToSelectedMember: m.AllowToSelectedMember.ValueBool()}
}

func (m *botDomainModel) set(botID int64, reg *lineworks.BotDomain) {
	m.ID = types.StringValue(botDomainID(botID, reg.DomainID))
	m.BotID = types.StringValue(formatBotID(botID))
	m.DomainID = types.Int64Value(reg.DomainID)
	m.Visible = types.BoolValue(reg.Visible)
	m.AllowToSelectedMember = types.BoolValue(reg.AllowToSelectedMember)
}

func botDomainID(botID, domainID int64) string {
	return formatBotID(botID) + "/" + strconv.FormatInt(domainID, 10)
}

// importable reports whether the registration botID/domainID may be
// imported: it exists, or LINE WORKS cannot be asked in this phase (the
// Read after the import then says). A registration that does not exist is
// an error that says so, and gives the ID in the right order when the
// other order names one: the domain's ID and the bot's are both numbers.
func (r *botDomainResource) importable(ctx context.Context, given string, botID, domainID int64, diags *diag.Diagnostics) bool {
	if r.data == nil || r.data.accessTokenUnknown {
		return true
	}
	ctx = r.data.logContext(ctx)
	_, err := r.data.client.GetBotDomain(ctx, botID, domainID)
	if err == nil || !lineworks.IsNotFound(err) {
		return true // found, or something the Read will report
	}
	if _, swapErr := r.data.client.GetBotDomain(ctx, domainID, botID); swapErr == nil {
		diags.AddError("Import ID of lineworks_bot_domain in the wrong order",
			fmt.Sprintf("%q is {domain_id}/{bot_id}: bot %d is registered in domain %d. lineworks_bot_domain imports {bot_id}/{domain_id}: import it as %s.",
				given, domainID, botID, botDomainID(domainID, botID)))
		return false
	}
	diags.AddError("No such LINE WORKS bot registration to import",
		fmt.Sprintf("Bot %d is not registered in domain %d (%s). Check both IDs ({bot_id}/{domain_id}), or create the registration with this lineworks_bot_domain instead of importing it.",
			botID, domainID, r.data.inTerraformTerms(err)))
	return false
}

// addRegisterError explains a refused registration. LINE WORKS refuses a
// domain the bot's allow_domains leaves out; when that is the cause, the
// error says so on domain_id.
func (r *botDomainResource) addRegisterError(diags *diag.Diagnostics, err error) {
	var notAllowed *lineworks.DomainNotAllowedError
	if !errors.As(err, &notAllowed) {
		r.data.addClientError(diags, "Failed to register the LINE WORKS bot in the domain", err)
		return
	}
	diags.AddAttributeError(path.Root("domain_id"), "Domain not allowed for this LINE WORKS bot",
		fmt.Sprintf("Bot %d allows only the domains %s in allow_domains, so it cannot be registered in domain %d (%s). "+
			"Add %d to the bot's allow_domains, or remove this lineworks_bot_domain.",
			notAllowed.BotID, joinInt64s(notAllowed.AllowDomains), notAllowed.DomainID, notAllowed.Err, notAllowed.DomainID))
}
