package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                = (*botDomainMemberResource)(nil)
	_ resource.ResourceWithConfigure   = (*botDomainMemberResource)(nil)
	_ resource.ResourceWithImportState = (*botDomainMemberResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*botDomainMemberResource)(nil)
)

// NewBotDomainMemberResource returns the lineworks_bot_domain_member resource.
func NewBotDomainMemberResource() resource.Resource {
	return &botDomainMemberResource{}
}

// botDomainMemberResource allows one user to use a bot in a domain whose
// registration is limited to selected members.
type botDomainMemberResource struct {
	data *providerData
}

type botDomainMemberModel struct {
	ID       types.String `tfsdk:"id"`
	BotID    types.String `tfsdk:"bot_id"`
	DomainID types.Int64  `tfsdk:"domain_id"`
	UserID   types.String `tfsdk:"user_id"`
}

// memberListedAsKey holds, in the private state, the name LINE WORKS lists
// the member under when it is not user_id as configured (a login e-mail
// stored as the user's ID), as JSON.
const memberListedAsKey = "listed_as"

// memberImportedKey marks, in the private state, a member imported and not
// yet read: not finding it then is an error that says what LINE WORKS lists,
// rather than "gone".
const memberImportedKey = "imported"

func (r *botDomainMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_domain_member"
}

func (r *botDomainMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Allows one user to use a bot in a domain (`POST /bots/{botId}/domains/{domainId}/members`) where the bot's registration is limited to selected members " +
			"(`lineworks_bot_domain` with `allow_to_selected_member = true`). Without members, such a registration lets nobody use the bot. " +
			"Every argument forces a new member: there is nothing to update. The token needs the `bot` scope.",
		Attributes: map[string]schema.Attribute{
			"id":     importIDAttribute("{bot_id}/{domain_id}/{user_id}"),
			"bot_id": botIDArgument("The bot's ID, such as `lineworks_bot.x.bot_id`."),
			"domain_id": schema.Int64Attribute{
				MarkdownDescription: "The domain's ID. Take it from the registration, `lineworks_bot_domain.x.domain_id`, so that the member is added after the registration exists and removed before it goes.",
				Required:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The user: a user ID such as `userf7da-f82c-4284-13e7-030f3b4c756x`, or a login ID (e-mail). " +
					"LINE WORKS may list a user added by e-mail under their user ID; the provider remembers which, so the plan stays empty.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{userIDValidator},
			},
		},
	}
}

func (r *botDomainMemberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, a change the provider block cannot make:
// no credentials to get a token with, or tokens without the scope it needs.
func (r *botDomainMemberResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot_domain_member", lineworks.ScopesToWrite(), &resp.Diagnostics)
}

func (r *botDomainMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botDomainMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	domainID, userID := m.DomainID.ValueInt64(), m.UserID.ValueString()
	listedAs, err := r.data.client.AddBotDomainMemberListed(ctx, botID, domainID, userID)
	if err != nil {
		r.addMemberError(&resp.Diagnostics, botID, domainID, err)
		return
	}
	if listedAs == "" {
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), "LINE WORKS lists this user under another name",
			fmt.Sprintf("User %s may use bot %d in domain %d, but LINE WORKS lists the bot's users by user ID, and %s was a member already, so which ID is theirs cannot be told. "+
				"Set user_id to the user's ID as LINE WORKS lists it (such as userf7da-f82c-4284-13e7-030f3b4c756x), or import the member under that ID.", userID, botID, domainID, userID))
		return
	}
	if listedAs != userID {
		writePrivate(ctx, resp.Private, memberListedAsKey, listedAs, &resp.Diagnostics)
	}
	m.ID = types.StringValue(botDomainMemberID(botID, domainID, userID))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botDomainMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botDomainMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	listedAs := r.listedAs(ctx, req.Private, m, &resp.Diagnostics)
	members, err := r.data.client.ListBotDomainMembers(ctx, botID, m.DomainID.ValueInt64())
	// The registration, or its bot, is gone, or open to all users: it has
	// no members.
	gone := errors.Is(err, lineworks.ErrNotRegistered) || errors.Is(err, lineworks.ErrAllUsers)
	if r.data.stopRead(ctx, resp, err, gone, "Failed to read the LINE WORKS bot's users") {
		return
	}
	switch {
	case !slices.Contains(members, listedAs) && r.imported(ctx, req.Private, &resp.Diagnostics):
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), "No such LINE WORKS bot user to import",
			fmt.Sprintf("Bot %d's registration in domain %d does not list %s among its %d users%s. LINE WORKS lists a user added by login e-mail under their user ID: "+
				"import the member by the name it lists, and write user_id so.", botID, m.DomainID.ValueInt64(), listedAs, len(members), listing(members)))
		return
	case !slices.Contains(members, listedAs):
		// Removed outside Terraform: the next plan adds the user again.
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, memberImportedKey, nil)...)
	m.ID = types.StringValue(botDomainMemberID(botID, m.DomainID.ValueInt64(), m.UserID.ValueString()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update is never called: every argument forces a new member.
func (r *botDomainMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("lineworks_bot_domain_member cannot be updated", "Every argument of lineworks_bot_domain_member forces a new member. This is a bug in the provider; please report it.")
}

func (r *botDomainMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botDomainMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	// Removed under the name LINE WORKS lists the user by. A member, a
	// registration or a bot already gone counts as done (the client says so),
	// and so does a registration now open to all users, which has no members.
	err := r.data.client.DeleteBotDomainMember(ctx, botID, m.DomainID.ValueInt64(), r.listedAs(ctx, req.Private, m, &resp.Diagnostics))
	if err != nil && !errors.Is(err, lineworks.ErrAllUsers) {
		r.data.addClientError(&resp.Diagnostics, "Failed to remove the user from the LINE WORKS bot's users", err)
	}
}

// ImportState takes `{bot_id}/{domain_id}/{user_id}`, the user as LINE
// WORKS lists them.
func (r *botDomainMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	botID, rest, ok := splitBotImportID(req.ID, 3)
	var domainID int64
	if ok {
		domainID, ok = parseDomainID(rest[0])
	}
	if !ok || lineworks.ValidateUserID(rest[1]) != nil {
		resp.Diagnostics.AddError("Invalid import ID for lineworks_bot_domain_member",
			fmt.Sprintf("%q is not {bot_id}/{domain_id}/{user_id}: import a bot's user by the bot's ID, the domain's ID and the user as LINE WORKS lists them, such as 2000001/10000001/userf7da-f82c-4284-13e7-030f3b4c756x.", req.ID))
		return
	}
	userID := rest[1]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), botDomainMemberID(botID, domainID, userID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), formatBotID(botID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("domain_id"), domainID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), userID)...)
	writePrivate(ctx, resp.Private, memberImportedKey, true, &resp.Diagnostics)
}

// listedAs is the name LINE WORKS lists m's user under: what Create
// recorded, else user_id.
func (r *botDomainMemberResource) listedAs(ctx context.Context, private privateStore, m botDomainMemberModel, diags *diag.Diagnostics) string {
	var name string
	if readPrivate(ctx, private, memberListedAsKey, &name, diags) && name != "" {
		return name
	}
	return m.UserID.ValueString()
}

// imported reports whether the state comes from an import not yet read.
func (r *botDomainMemberResource) imported(ctx context.Context, private privateStore, diags *diag.Diagnostics) bool {
	var imported bool
	return readPrivate(ctx, private, memberImportedKey, &imported, diags) && imported
}

// listing renders a few members for a message: ": a, b, c" (and how many
// more).
func listing(members []string) string {
	const most = 10
	if len(members) == 0 {
		return ""
	}
	if len(members) > most {
		return fmt.Sprintf(": %s and %d more", strings.Join(members[:most], ", "), len(members)-most)
	}
	return ": " + strings.Join(members, ", ")
}

// addMemberError explains a refused member: a registration open to all
// users has none, a missing registration cannot have any.
func (r *botDomainMemberResource) addMemberError(diags *diag.Diagnostics, botID, domainID int64, err error) {
	switch {
	case errors.Is(err, lineworks.ErrAllUsers):
		diags.AddAttributeError(path.Root("domain_id"), "LINE WORKS bot open to all users of the domain",
			fmt.Sprintf("Bot %d's registration in domain %d lets every user of the domain use the bot, so it has no members to add (%s). "+
				"Set allow_to_selected_member = true on its lineworks_bot_domain to limit it to the users of lineworks_bot_domain_member, "+
				"and take this member's domain_id from that lineworks_bot_domain so that the change is applied first.", botID, domainID, err))
	case errors.Is(err, lineworks.ErrNotRegistered):
		diags.AddAttributeError(path.Root("domain_id"), "LINE WORKS bot not registered in the domain",
			fmt.Sprintf("Bot %d is not registered in domain %d (%s). Register it with a lineworks_bot_domain (allow_to_selected_member = true), "+
				"and take this member's domain_id from it (domain_id = lineworks_bot_domain.x.domain_id) so that the registration comes first.", botID, domainID, err))
	default:
		r.data.addClientError(diags, "Failed to allow the user to use the LINE WORKS bot", err)
	}
}

func botDomainMemberID(botID, domainID int64, userID string) string {
	return botDomainID(botID, domainID) + "/" + userID
}
