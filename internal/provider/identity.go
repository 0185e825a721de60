package provider

// Resource identity (Terraform 1.12+): what names a bot or a registration
// at LINE WORKS, so that an `import` block can name it by its parts
// (`identity = { bot_id = "2000001" }`) and `terraform query` can list it.
// Older Terraform ignores it. The identity never changes while the object
// lives: it is set from the IDs in every Create, Read and Update.

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// botIdentityModel is the identity of a lineworks_bot.
type botIdentityModel struct {
	BotID types.String `tfsdk:"bot_id"`
}

// botDomainIdentityModel is the identity of a lineworks_bot_domain.
type botDomainIdentityModel struct {
	BotID    types.String `tfsdk:"bot_id"`
	DomainID types.Int64  `tfsdk:"domain_id"`
}

const (
	identityBotIDDescription    = "The bot's ID, such as `2000001`, in decimal digits."
	identityDomainIDDescription = "The domain's ID, such as `10000001`."
)

func (r *botResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"bot_id": identityschema.StringAttribute{RequiredForImport: true, Description: identityBotIDDescription},
		},
	}
}

func (r *botDomainResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"bot_id":    identityschema.StringAttribute{RequiredForImport: true, Description: identityBotIDDescription},
			"domain_id": identityschema.Int64Attribute{RequiredForImport: true, Description: identityDomainIDDescription},
		},
	}
}

// setBotIdentity sets a bot's identity. identity is nil where Terraform
// sends none.
func setBotIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, botID int64, diags *diag.Diagnostics) {
	if identity != nil {
		diags.Append(identity.Set(ctx, botIdentityModel{BotID: types.StringValue(formatBotID(botID))})...)
	}
}

// setBotDomainIdentity sets a registration's identity.
func setBotDomainIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, botID, domainID int64, diags *diag.Diagnostics) {
	if identity != nil {
		diags.Append(identity.Set(ctx, botDomainIdentityModel{BotID: types.StringValue(formatBotID(botID)), DomainID: types.Int64Value(domainID)})...)
	}
}

// importIDOf is what an import names: the ID (`terraform import`, an
// import block's `id`), or else the identity (an import block's
// `identity`) in the same form, so that both go through one parser and one
// error. format renders the identity's model.
func importIDOf[M any](ctx context.Context, req resource.ImportStateRequest, format func(M) string, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	var m M
	diags.Append(req.Identity.Get(ctx, &m)...)
	return format(m)
}

func (m botIdentityModel) importID() string { return m.BotID.ValueString() }

// importID is `{bot_id}/{domain_id}`; a domain_id left out stays empty,
// which the parser refuses.
func (m botDomainIdentityModel) importID() string {
	domain := ""
	if !m.DomainID.IsNull() && !m.DomainID.IsUnknown() {
		domain = strconv.FormatInt(m.DomainID.ValueInt64(), 10)
	}
	return m.BotID.ValueString() + "/" + domain
}
