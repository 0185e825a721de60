// Package provider is the Terraform surface of the LINE WORKS provider. It
// converts between Terraform values and calls into internal/lineworks, which
// does all the talking, signing, caching and retrying.
package provider

import (
	"context"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ provider.Provider                       = (*lineworksProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*lineworksProvider)(nil)
	_ provider.ProviderWithFunctions          = (*lineworksProvider)(nil)
	_ provider.ProviderWithListResources      = (*lineworksProvider)(nil)
)

// lineworksProvider is the provider implementation.
type lineworksProvider struct {
	version string
	// now is the clock every signature and expiry is computed with; tests fix it.
	now func() time.Time
}

// providerModel maps the provider block.
type providerModel struct {
	ClientID         types.String `tfsdk:"client_id"`
	ClientSecret     types.String `tfsdk:"client_secret"`
	ServiceAccountID types.String `tfsdk:"service_account_id"`
	PrivateKey       types.String `tfsdk:"private_key"`
	PrivateKeyPath   types.String `tfsdk:"private_key_path"`
	Scopes           types.Set    `tfsdk:"scopes"`
	AccessToken      types.String `tfsdk:"access_token"`
	AuthEndpoint     types.String `tfsdk:"auth_endpoint"`
	APIEndpoint      types.String `tfsdk:"api_endpoint"`
	StorageEndpoint  types.String `tfsdk:"storage_endpoint"`
	APIID            types.String `tfsdk:"api_id"`
	ServerID         types.String `tfsdk:"server_id"`
	ConsumerKey      types.String `tfsdk:"consumer_key"`
	RequestTimeout   types.String `tfsdk:"request_timeout"`
	MaxRetries       types.Int64  `tfsdk:"max_retries"`
}

// New returns a provider factory for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &lineworksProvider{version: version, now: time.Now}
	}
}

func (p *lineworksProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "lineworks"
	resp.Version = p.version
}

func (p *lineworksProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	endpoint := []validator.String{endpointValidator{}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Issues LINE WORKS API credentials (API 2.0 access tokens and JWT assertions, " +
			"and the legacy API 1.0 tokens) and downloads files sent to a bot.\n\n" +
			"Every argument is optional and falls back to its environment variable; an empty variable counts as unset. " +
			"A missing setting is reported only when something needs it. Nothing is sent when the provider is configured: " +
			"a token is requested on first use.",
		Attributes: map[string]schema.Attribute{
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Client ID of the app (Developer Console > API 2.0). The `iss` of the JWT assertion. Environment: `" + envClientID + "`.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "Client Secret of the app. Environment: `" + envClientSecret + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"service_account_id": schema.StringAttribute{
				MarkdownDescription: "Service Account of the app, such as `abcde.serviceaccount@example.com`. The `sub` of the JWT assertion. Environment: `" + envServiceAccountID + "`.",
				Optional:            true,
			},
			"private_key": schema.StringAttribute{
				MarkdownDescription: "The app's Private Key as PEM text. PKCS#8 (`BEGIN PRIVATE KEY`, as downloaded from the Developer Console), " +
					"PKCS#1 (`BEGIN RSA PRIVATE KEY`) and a PKCS#8 body under an `RSA PRIVATE KEY` label all work; literal `\\n` sequences are read as line breaks. " +
					"Conflicts with `private_key_path`. Environment: `" + envPrivateKey + "`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("private_key_path"))},
			},
			"private_key_path": schema.StringAttribute{
				MarkdownDescription: "Path of the Private Key file as downloaded from the Developer Console; `~/` is expanded, and a relative path is read from the directory Terraform runs in. " +
					"It must be a regular file (a symbolic link to one is fine) of at most 64 KiB; one that users other than its owner may read gets a warning (`chmod 600`). " +
					"Conflicts with `private_key`. Environment: `" + envPrivateKeyPath + "`.",
				Optional: true,
			},
			"scopes": schema.SetAttribute{
				MarkdownDescription: "OAuth scopes the provider's tokens are issued for, such as `[\"bot\", \"bot.message\"]`; each must be enabled for the app in the Developer Console. " +
					"Defaults to `[\"bot\"]`, which covers bots, their domains and secrets, and attachment downloads; `bot.read` is enough for the `lineworks_bot` data source alone. " +
					"A plan that changes a bot with tokens lacking `bot` fails. Environment: `" + envScopes + "` (space- or comma-separated).",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  scopeSetValidators(),
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "An access token to call the API with, instead of issuing one. This is how a token from the `lineworks_access_token` " +
					"ephemeral resource reaches a second provider block; the scopes it has are those of the block that issued it. " +
					"The token alone, without a `Bearer ` prefix; an empty string is an error (leave the argument out instead). Environment: `" + envAccessToken + "`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{accessTokenValidator{}},
			},
			"auth_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the authentication server. Defaults to `" + lineworks.DefaultAuthEndpoint + "` (token at `/oauth2/v2.0/token`). " +
					"Must be https, except on a loopback host. Environment: `" + envAuthEndpoint + "`.",
				Optional:   true,
				Validators: endpoint,
			},
			"api_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the API, with its version. Defaults to `" + lineworks.DefaultAPIEndpoint + "`. Must be https, except on a loopback host. " +
					"A URL without the version (such as `https://www.worksapis.com`) answers 404 to every call, and gets a warning; the provider never takes such 404s for deleted bots. Environment: `" + envAPIEndpoint + "`.",
				Optional:   true,
				Validators: endpoint,
			},
			"storage_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the file storage host, used to derive an attachment's URL from its file ID. Defaults to `" + lineworks.DefaultStorageEndpoint + "`. " +
					"Must be https, except on a loopback host. Environment: `" + envStorageEndpoint + "`.",
				Optional:   true,
				Validators: endpoint,
			},
			"api_id": schema.StringAttribute{
				MarkdownDescription: "Legacy API 1.0: the domain's API ID. Environment: `" + envAPIID + "`.",
				Optional:            true,
			},
			"server_id": schema.StringAttribute{
				MarkdownDescription: "Legacy API 1.0: the 32-character server ID of an \"ID registration\" server; its key is `private_key`. Environment: `" + envServerID + "`.",
				Optional:            true,
			},
			"consumer_key": schema.StringAttribute{
				MarkdownDescription: "Legacy API 1.0: the service API consumer key. Environment: `" + envConsumerKey + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long to wait for an answer to start, and for any answer that stalls half-way (a token, an API answer, a download) to send more, as a Go duration such as `30s` or `2m`. " +
					"An answer that keeps flowing is never cut, however long a download takes. Defaults to `30s`. Environment: `" + envRequestTimeout + "`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a request answered with 429 or a 5xx is retried, with backoff that honours `rateLimit-reset` and `Retry-After`: from 0 to " + strconv.Itoa(maxRetriesLimit) + ". " +
					"Defaults to `" + strconv.Itoa(lineworks.DefaultMaxRetries) + "`. Environment: `" + envMaxRetries + "`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
		},
	}
}

func (p *lineworksProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	cfg := lineworks.Config{
		ClientID:         stringSetting(m.ClientID, envClientID),
		ClientSecret:     stringSetting(m.ClientSecret, envClientSecret),
		ServiceAccountID: stringSetting(m.ServiceAccountID, envServiceAccountID),
		AccessToken:      stringSetting(m.AccessToken, envAccessToken),
		AuthEndpoint:     stringSetting(m.AuthEndpoint, envAuthEndpoint),
		APIEndpoint:      stringSetting(m.APIEndpoint, envAPIEndpoint),
		StorageEndpoint:  stringSetting(m.StorageEndpoint, envStorageEndpoint),
		APIID:            stringSetting(m.APIID, envAPIID),
		ServerID:         stringSetting(m.ServerID, envServerID),
		ConsumerKey:      stringSetting(m.ConsumerKey, envConsumerKey),
		UserAgent:        userAgent(p.version, req.TerraformVersion),
		Now:              p.now,
		Logger:           tflogLogger{},
	}

	// Again here: a value from an ephemeral resource is only known now, and
	// the variable is read only now.
	if from := accessTokenFrom(m); from != "" {
		if problem := accessTokenProblem(cfg.AccessToken, from); problem != "" {
			resp.Diagnostics.AddAttributeError(path.Root("access_token"), "Invalid LINE WORKS access token", problem)
		}
	}
	cfg.Scopes = scopesSetting(ctx, m.Scopes, &resp.Diagnostics)
	var key keySource
	cfg.PrivateKey, key = privateKeySetting(m, &resp.Diagnostics)
	cfg.RequestTimeout = requestTimeoutSetting(m.RequestTimeout, &resp.Diagnostics)
	cfg.MaxRetries = maxRetriesSetting(m.MaxRetries, &resp.Diagnostics)

	if resp.Diagnostics.HasError() {
		return
	}

	client, err := lineworks.New(cfg)
	if err != nil {
		addConfigErrors(&resp.Diagnostics, err)
		return
	}
	warnVersionlessAPIEndpoint(&resp.Diagnostics, cfg.APIEndpoint)
	data := &providerData{
		client: client,
		// PEM blocks are masked by pattern (secretPatterns).
		secrets:            nonEmpty(cfg.ClientSecret, cfg.AccessToken, cfg.ConsumerKey),
		unknown:            unknownSettings(m),
		accessTokenUnknown: m.AccessToken.IsUnknown(),
		key:                key,
		access:             newBlockAccess(m, cfg, unknownSettings(m)),
		now:                p.now,
	}
	// Ephemeral resources get their data from their own field: without it they
	// would never see the client.
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
}

func (p *lineworksProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewBotResource,
		NewBotDomainResource,
		NewBotSecretResource,
		NewBotRichMenuResource,
		NewBotDefaultRichMenuResource,
		NewBotUserRichMenuResource,
		NewBotPersistentMenuResource,
		NewBotDomainMemberResource,
	}
}

func (p *lineworksProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewJWTAssertionDataSource,
		NewBotAttachmentDataSource,
		NewBotDataSource,
	}
}

func (p *lineworksProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewAccessTokenEphemeralResource,
		NewJWTAssertionEphemeralResource,
		NewServerTokenEphemeralResource,
		NewServiceAPITokenEphemeralResource,
	}
}

func (p *lineworksProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		NewAttachmentURLFunction,
		NewCallbackSignatureFunction,
	}
}

// ListResources serve `terraform query` (Terraform 1.14+); older Terraform
// never asks for them.
func (p *lineworksProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewBotListResource,
		NewBotDomainListResource,
	}
}

// userAgent names this provider and the Terraform running it, so that LINE
// WORKS support and the user's proxies can tell where a request came from.
func userAgent(providerVersion, terraformVersion string) string {
	ua := "terraform-provider-lineworks/" + providerVersion
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}
