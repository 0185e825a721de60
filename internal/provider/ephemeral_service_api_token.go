package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ ephemeral.EphemeralResource              = (*serviceAPITokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*serviceAPITokenEphemeralResource)(nil)
)

// NewServiceAPITokenEphemeralResource returns the lineworks_service_api_token ephemeral resource.
func NewServiceAPITokenEphemeralResource() ephemeral.EphemeralResource {
	return &serviceAPITokenEphemeralResource{}
}

// serviceAPITokenEphemeralResource refreshes a legacy API 1.0 service API token.
type serviceAPITokenEphemeralResource struct {
	data *providerData
}

type serviceAPITokenModel struct {
	APIID        types.String `tfsdk:"api_id"`
	ConsumerKey  types.String `tfsdk:"consumer_key"`
	RefreshToken types.String `tfsdk:"refresh_token"`
	AccessToken  types.String `tfsdk:"access_token"`
	ExpiresIn    types.Int64  `tfsdk:"expires_in"`
	ExpiresAt    types.String `tfsdk:"expires_at"`
}

func (r *serviceAPITokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_api_token"
}

func (r *serviceAPITokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "**Legacy API 1.0** (retired by LINE WORKS on 30 April 2023). Refreshes a service API access token, as the API 1.0 authentication guide describes: " +
			"`{auth_endpoint}/ba/{api_id}/service/token/refresh` with `client_id` = the service API consumer key and the `refresh_token` from an earlier authorization-code login. " +
			"Failures come back as an `errorCode` (`107` parameter error, `502` issuing error, `99` unknown), each reported with what to check.",
		Attributes: map[string]schema.Attribute{
			"api_id": schema.StringAttribute{
				MarkdownDescription: "The domain's API ID. Defaults to the provider's `api_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{clientValidator{"LINE WORKS API ID", lineworks.ValidateAPIID}},
			},
			"consumer_key": schema.StringAttribute{
				MarkdownDescription: "The service API consumer key. Defaults to the provider's `consumer_key`.",
				Optional:            true,
				Sensitive:           true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "The service API refresh token.",
				Required:            true,
				Sensitive:           true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The service API access token, for an `Authorization: Bearer` header beside `consumerKey`.",
				Computed:            true,
				Sensitive:           true,
			},
			"expires_in": schema.Int64Attribute{
				MarkdownDescription: "The token's lifetime in seconds, as the service stated it (`expire_in`): the consumer key's setting, 7 to 365 days.",
				Computed:            true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the token expires, in RFC 3339 format (UTC).",
				Computed:            true,
			},
		},
	}
}

func (r *serviceAPITokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *serviceAPITokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m serviceAPITokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	addLegacyWarning(&resp.Diagnostics, path.Empty(), "lineworks_service_api_token")
	client := r.data.client
	tok, err := client.RefreshServiceAPIToken(r.data.logContext(ctx, m.RefreshToken.ValueString(), m.ConsumerKey.ValueString()), m.APIID.ValueString(), m.ConsumerKey.ValueString(), m.RefreshToken.ValueString())
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to refresh the LINE WORKS API 1.0 service API token", err)
		return
	}
	apiID, _ := client.LegacyIDs(m.APIID.ValueString(), "")
	m.APIID = types.StringValue(apiID)
	m.AccessToken = types.StringValue(tok.AccessToken)
	m.ExpiresIn, m.ExpiresAt = expiry(tok)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
