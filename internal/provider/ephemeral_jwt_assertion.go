package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	_ ephemeral.EphemeralResource              = (*jwtAssertionEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*jwtAssertionEphemeralResource)(nil)
)

// NewJWTAssertionEphemeralResource returns the lineworks_jwt_assertion ephemeral resource.
func NewJWTAssertionEphemeralResource() ephemeral.EphemeralResource {
	return &jwtAssertionEphemeralResource{}
}

// jwtAssertionEphemeralResource signs a JWT assertion that never reaches plan or state.
type jwtAssertionEphemeralResource struct {
	data *providerData
}

func (r *jwtAssertionEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_jwt_assertion"
}

func (r *jwtAssertionEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: jwtAssertionDescription + "\n\n" +
			"As an ephemeral resource it is signed anew in every phase that needs it and never written to the plan or the state. Requires Terraform 1.10 or later.",
		Attributes: map[string]schema.Attribute{
			"api_version": schema.StringAttribute{
				MarkdownDescription: jwtAPIVersionDescription,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.OneOf(apiVersion2, apiVersion1)},
			},
			"issuer": schema.StringAttribute{
				MarkdownDescription: jwtIssuerDescription,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"subject": schema.StringAttribute{
				MarkdownDescription: jwtSubjectDescription,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"expires_in": schema.Int64Attribute{
				MarkdownDescription: jwtExpiresInDescription,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 3600)},
			},
			"assertion": schema.StringAttribute{
				MarkdownDescription: jwtAssertionAttrDescription,
				Computed:            true,
				Sensitive:           true,
			},
			"issued_at": schema.StringAttribute{
				MarkdownDescription: jwtIssuedAtDescription,
				Computed:            true,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: jwtExpiresAtDescription,
				Computed:            true,
			},
		},
	}
}

func (r *jwtAssertionEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *jwtAssertionEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m jwtAssertionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if resp.Diagnostics.Append(m.sign(r.data)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
