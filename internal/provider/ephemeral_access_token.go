package provider

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ ephemeral.EphemeralResource              = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*accessTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithClose     = (*accessTokenEphemeralResource)(nil)
)

// privateRevokeKey holds, in the resource's private data, the handle of a
// token to revoke on Close. The token itself never leaves the provider.
const privateRevokeKey = "revoke"

// NewAccessTokenEphemeralResource returns the lineworks_access_token ephemeral resource.
func NewAccessTokenEphemeralResource() ephemeral.EphemeralResource {
	return &accessTokenEphemeralResource{}
}

// accessTokenEphemeralResource issues an API 2.0 access token.
type accessTokenEphemeralResource struct {
	data *providerData
}

type accessTokenModel struct {
	Scopes          types.Set    `tfsdk:"scopes"`
	RefreshToken    types.String `tfsdk:"refresh_token"`
	RevokeOnClose   types.Bool   `tfsdk:"revoke_on_close"`
	AccessToken     types.String `tfsdk:"access_token"`
	NewRefreshToken types.String `tfsdk:"new_refresh_token"`
	TokenType       types.String `tfsdk:"token_type"`
	Scope           types.String `tfsdk:"scope"`
	ExpiresIn       types.Int64  `tfsdk:"expires_in"`
	ExpiresAt       types.String `tfsdk:"expires_at"`
}

type revokePrivate struct {
	Handle string `json:"handle"`
}

func (r *accessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (r *accessTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Issues a LINE WORKS API 2.0 access token with the service-account JWT grant (or, given `refresh_token`, the refresh-token grant). " +
			"The token is never written to the plan or the state; hand it to a second `lineworks` provider block through `access_token`, or to any other provider or provisioner that takes ephemeral values.",
		Attributes: map[string]schema.Attribute{
			"scopes": schema.SetAttribute{
				MarkdownDescription: "Scopes to issue the token for, such as `[\"bot\", \"bot.message\"]`; each must be enabled for the app in the Developer Console. " +
					"Defaults to the provider's `scopes`. With `refresh_token`, the token keeps the scopes of the original login and this argument is not allowed.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators:  scopeSetValidators(),
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "A refresh token, for tokens that began with a user-account OAuth login: the token is then issued with the `refresh_token` grant (the provider's `client_id` and `client_secret` are still needed). " +
					"Refresh tokens last 90 days. When the app rotates refresh tokens, each use returns a new one in `new_refresh_token` and the old one stops working; since Terraform opens this resource in both plan and apply, use it only with rotation off.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("scopes")), stringvalidator.LengthAtLeast(1)},
			},
			"revoke_on_close": schema.BoolAttribute{
				MarkdownDescription: "Revoke the token when Terraform closes this resource at the end of each phase, for tokens needed only during the run. Defaults to `false`.",
				Optional:            true,
				Computed:            true,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The access token, for an `Authorization: Bearer` header.",
				Computed:            true,
				Sensitive:           true,
			},
			"new_refresh_token": schema.StringAttribute{
				MarkdownDescription: "The refresh token the service returned with this token: a new one when the app rotates refresh tokens. Null when none came back.",
				Computed:            true,
				Sensitive:           true,
			},
			"token_type": schema.StringAttribute{
				MarkdownDescription: "The token type, `Bearer`.",
				Computed:            true,
			},
			"scope": schema.StringAttribute{
				MarkdownDescription: "The scopes the service granted, space-separated.",
				Computed:            true,
			},
			"expires_in": schema.Int64Attribute{
				MarkdownDescription: "The token's lifetime in seconds as the service stated it: 3600 or 86400, depending on the app's setting.",
				Computed:            true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the token expires, in RFC 3339 format (UTC).",
				Computed:            true,
			},
		},
	}
}

func (r *accessTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *accessTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m accessTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = r.data.logContext(ctx, m.RefreshToken.ValueString())
	client := r.data.client

	var (
		tok *lineworks.Token
		err error
	)
	if rt := m.RefreshToken.ValueString(); rt != "" {
		tok, err = client.Refresh(ctx, rt)
	} else {
		var scopes []string
		if !m.Scopes.IsNull() {
			resp.Diagnostics.Append(m.Scopes.ElementsAs(ctx, &scopes, false)...)
		}
		tok, err = client.Token(ctx, scopes)
		if m.Scopes.IsNull() {
			m.Scopes, _ = types.SetValueFrom(ctx, types.StringType, client.Scopes())
		}
	}
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to issue a LINE WORKS access token", err)
		return
	}
	if m.Scopes.IsNull() { // refresh grant: report what the service granted
		m.Scopes, _ = types.SetValueFrom(ctx, types.StringType, strings.Fields(tok.Scope))
	}
	if m.RevokeOnClose.IsNull() {
		m.RevokeOnClose = types.BoolValue(false)
	}

	m.AccessToken = types.StringValue(tok.AccessToken)
	m.NewRefreshToken = optionalString(tok.RefreshToken)
	m.TokenType = types.StringValue(tok.TokenType)
	m.Scope = types.StringValue(tok.Scope)
	m.ExpiresIn, m.ExpiresAt = expiry(tok)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)

	if m.RevokeOnClose.ValueBool() {
		private, _ := json.Marshal(revokePrivate{Handle: r.data.holdForRevoke(tok.AccessToken)})
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRevokeKey, private)...)
	}
}

func (r *accessTokenEphemeralResource) Close(ctx context.Context, req ephemeral.CloseRequest, resp *ephemeral.CloseResponse) {
	raw, diags := req.Private.GetKey(ctx, privateRevokeKey)
	resp.Diagnostics.Append(diags...)
	if raw == nil || resp.Diagnostics.HasError() {
		return
	}
	var p revokePrivate
	if err := json.Unmarshal(raw, &p); err != nil {
		resp.Diagnostics.AddError("Cannot revoke the LINE WORKS access token", "The resource's private data is unreadable: "+err.Error())
		return
	}
	token, ok := r.data.takeForRevoke(p.Handle)
	if !ok {
		resp.Diagnostics.AddWarning("LINE WORKS access token not revoked",
			"This provider process no longer knows the token to revoke; it will expire on its own.")
		return
	}
	if err := r.data.client.Revoke(r.data.logContext(ctx), token); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to revoke the LINE WORKS access token", err)
	}
}
