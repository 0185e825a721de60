package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	_ datasource.DataSource              = (*jwtAssertionDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*jwtAssertionDataSource)(nil)
)

// NewJWTAssertionDataSource returns the lineworks_jwt_assertion data source.
func NewJWTAssertionDataSource() datasource.DataSource {
	return &jwtAssertionDataSource{}
}

// jwtAssertionDataSource signs a JWT assertion during plan.
type jwtAssertionDataSource struct {
	data *providerData
}

func (d *jwtAssertionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_jwt_assertion"
}

func (d *jwtAssertionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: jwtAssertionDescription + "\n\n" +
			"As a data source it is signed anew at every plan, and the assertion is stored (as a sensitive value) in the state, where it stays usable until it expires. " +
			"Prefer the `lineworks_jwt_assertion` ephemeral resource (Terraform 1.10 and later), which never reaches the state.",
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

func (d *jwtAssertionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *jwtAssertionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m jwtAssertionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if resp.Diagnostics.Append(m.sign(d.data)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
