package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ ephemeral.EphemeralResource              = (*serverTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*serverTokenEphemeralResource)(nil)
)

// NewServerTokenEphemeralResource returns the lineworks_server_token ephemeral resource.
func NewServerTokenEphemeralResource() ephemeral.EphemeralResource {
	return &serverTokenEphemeralResource{}
}

// serverTokenEphemeralResource issues a legacy API 1.0 server token.
type serverTokenEphemeralResource struct {
	data *providerData
}

type serverTokenModel struct {
	APIID       types.String `tfsdk:"api_id"`
	ServerID    types.String `tfsdk:"server_id"`
	AccessToken types.String `tfsdk:"access_token"`
	TokenType   types.String `tfsdk:"token_type"`
	ExpiresIn   types.Int64  `tfsdk:"expires_in"`
	ExpiresAt   types.String `tfsdk:"expires_at"`
}

func (r *serverTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_server_token"
}

func (r *serverTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "**Legacy API 1.0** (retired by LINE WORKS on 30 April 2023). Issues a server token of the \"ID registration\" type, as the API 1.0 authentication guide describes: " +
			"a JWT with `iss` = the server ID, `iat` and `exp` (30 minutes later) and no `sub`, signed RS256 with the provider's `private_key` (the key downloaded for that server ID), " +
			"posted to `{auth_endpoint}/b/{api_id}/server/token`. Use it with the `consumerKey` header against `https://apis.worksmobile.com/{api_id}/…`.",
		Attributes: map[string]schema.Attribute{
			"api_id": schema.StringAttribute{
				MarkdownDescription: "The domain's API ID. Defaults to the provider's `api_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{clientValidator{"LINE WORKS API ID", lineworks.ValidateAPIID}},
			},
			"server_id": schema.StringAttribute{
				MarkdownDescription: "The 32-character server ID of the \"ID registration\" server. Defaults to the provider's `server_id`.",
				Optional:            true,
				Computed:            true,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The server token, for an `Authorization: Bearer` header.",
				Computed:            true,
				Sensitive:           true,
			},
			"token_type": schema.StringAttribute{
				MarkdownDescription: "The token type, `Bearer`.",
				Computed:            true,
			},
			"expires_in": schema.Int64Attribute{
				MarkdownDescription: "The token's lifetime in seconds (86400), as the service stated it.",
				Computed:            true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the token expires, in RFC 3339 format (UTC).",
				Computed:            true,
			},
		},
	}
}

func (r *serverTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *serverTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m serverTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	addLegacyWarning(&resp.Diagnostics, path.Empty(), "lineworks_server_token")
	client := r.data.client
	tok, err := client.ServerToken(r.data.logContext(ctx), m.APIID.ValueString(), m.ServerID.ValueString())
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to issue a LINE WORKS API 1.0 server token", err)
		return
	}
	apiID, serverID := client.LegacyIDs(m.APIID.ValueString(), m.ServerID.ValueString())
	m.APIID, m.ServerID = types.StringValue(apiID), types.StringValue(serverID)
	m.AccessToken = types.StringValue(tok.AccessToken)
	m.TokenType = types.StringValue(tok.TokenType)
	m.ExpiresIn, m.ExpiresAt = expiry(tok)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
