package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                = (*botSecretResource)(nil)
	_ resource.ResourceWithConfigure   = (*botSecretResource)(nil)
	_ resource.ResourceWithImportState = (*botSecretResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*botSecretResource)(nil)
)

// NewBotSecretResource returns the lineworks_bot_secret resource.
func NewBotSecretResource() resource.Resource {
	return &botSecretResource{}
}

// botSecretResource issues a bot's Bot Secret, the key of the callback
// signatures, as a credential Terraform manages: created by issuing, rotated
// by replacing, in the manner of google_service_account_key.
type botSecretResource struct {
	data *providerData
}

// privateIssueKey is the private state key of the secret's issue mark
// (lineworks.IssuedSecret.Issue).
const privateIssueKey = "issue"

type botSecretModel struct {
	ID               types.String `tfsdk:"id"`
	BotID            types.String `tfsdk:"bot_id"`
	RotationTriggers types.Map    `tfsdk:"rotation_triggers"`
	Secret           types.String `tfsdk:"secret"`
	IssuedTime       types.String `tfsdk:"issued_time"`
}

func (r *botSecretResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_secret"
}

func (r *botSecretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Issues a bot's Bot Secret (`POST /bots/{botId}/secret`): the key of the HMAC-SHA256 signature LINE WORKS sends with every callback in `X-WORKS-Signature`. " +
			"Creating this resource issues a new secret, and **the bot's previous secret stops working at once**; replacing it (a change of `bot_id` or `rotation_triggers`) rotates the secret. " +
			"Manage one `lineworks_bot_secret` per bot: each one issued invalidates the others. " +
			"Destroying it retires the secret (by issuing one nobody holds), unless a newer one was issued since. " + botScopeNote,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`{bot_id}/{issued_time}`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"bot_id": botIDArgument("The bot's ID, such as `lineworks_bot.x.bot_id`. Changing it issues a secret for the other bot."),
			"rotation_triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values that, when any of them changes, issue a new secret (the resource is replaced). " +
					"Feed it `time_rotating.x.id` from hashicorp/time for scheduled rotation, or a version number you bump by hand.",
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"secret": schema.StringAttribute{
				MarkdownDescription: "The Bot Secret, text as LINE WORKS issues it (its documentation shows one shaped like a UUID, `12345a12-b12c-12d3-e123fghijkl`). Sensitive, and stored in the state. " +
					"Verify a callback by comparing `X-WORKS-Signature` with " +
					"base64(HMAC-SHA256(key = this secret's bytes as they are, never a decoding of them, message = the raw request body)); `provider::lineworks::callback_signature` computes it.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"issued_time": schema.StringAttribute{
				MarkdownDescription: "When Terraform issued the secret, RFC 3339 in UTC.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *botSecretResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, a change the provider block cannot make:
// no credentials to get a token with, or tokens without the bot scope.
func (r *botSecretResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot_secret", lineworks.ScopesToWrite(), &resp.Diagnostics)
}

func (r *botSecretResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botSecretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	issued, err := r.data.client.IssueRecordedBotSecret(ctx, botID)
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to issue the LINE WORKS bot secret", err)
		return
	}
	ctx = maskSecrets(ctx, issued.Secret)
	noteInterrupted(ctx, &resp.Diagnostics, fmt.Sprintf("a new secret of bot %d", botID))
	at := formatTime(issued.IssuedAt)
	m.ID = types.StringValue(m.BotID.ValueString() + "/" + at)
	m.Secret = types.StringValue(issued.Secret)
	m.IssuedTime = types.StringValue(at)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	// Which issue this is, for Delete to tell it from a newer one.
	mark, _ := json.Marshal(issued.Issue) // a string
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateIssueKey, mark)...)
}

// Read checks that the bot still exists. The secret itself cannot be read
// back: the one in the state is kept.
func (r *botSecretResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	if s := m.Secret.ValueString(); s != "" {
		ctx = maskSecrets(ctx, s)
	}
	// A secret goes with its bot.
	_, err := r.data.client.GetBot(ctx, botID)
	if r.data.stopRead(ctx, resp, err, lineworks.IsNotFound(err), "Failed to read the LINE WORKS bot of the secret") {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update is never called with a change that matters: every argument
// replaces the resource. It keeps the state as it is.
func (r *botSecretResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m botSecretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete retires the secret. LINE WORKS cannot revoke one, but issuing a
// new secret stops the previous one, so Delete issues one and discards it:
// nobody ever holds it, and it is neither logged nor stored. It does not
// when a newer secret was issued for the bot since, from any provider
// block of this machine (a replacement that creates first, as with
// create_before_destroy, or another resource): that one stopped this
// secret already, and must go on working. A bot already gone took its
// secret with it.
func (r *botSecretResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botSecretModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx = maskSecrets(ctx, m.Secret.ValueString())
	var issue string
	if b, diags := req.Private.GetKey(ctx, privateIssueKey); !diags.HasError() && b != nil {
		_ = json.Unmarshal(b, &issue) // a mark that cannot be read counts as none
	}
	issuedAt, _ := time.Parse(time.RFC3339, m.IssuedTime.ValueString())
	if _, err := r.data.client.RetireBotSecret(ctx, botID, issue, issuedAt); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to retire the LINE WORKS bot secret", err)
	}
}

// ImportState refuses: the API never returns a secret, so an imported one
// would have no value.
func (r *botSecretResource) ImportState(_ context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("lineworks_bot_secret cannot be imported",
		fmt.Sprintf("LINE WORKS never returns a bot secret after issuing it, so an existing secret (import ID %q) cannot be brought into Terraform. "+
			"Create the lineworks_bot_secret instead: it issues a new secret for the bot, and the previous one stops working. "+
			"Update whatever verifies the callbacks with the new secret.", req.ID))
}
