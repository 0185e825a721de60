package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ list.ListResource              = (*botDomainListResource)(nil)
	_ list.ListResourceWithConfigure = (*botDomainListResource)(nil)
)

// NewBotDomainListResource returns the lineworks_bot_domain list resource,
// for `terraform query` (Terraform 1.14+).
func NewBotDomainListResource() list.ListResource {
	return &botDomainListResource{}
}

// botDomainListResource lists a bot's registrations in domains (GET
// /bots/{botId}/domains, every page).
type botDomainListResource struct {
	data *providerData
}

type botDomainListModel struct {
	BotID types.String `tfsdk:"bot_id"`
}

func (r *botDomainListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_domain"
}

func (r *botDomainListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "The registrations of one bot in domains (`GET /bots/{botId}/domains`, page after page), each with its identity " +
			"(`bot_id` and `domain_id`) and, with `include_resource = true`, its settings, so that `terraform query -generate-config-out` " +
			"writes a `lineworks_bot_domain` and an `import` block for each. To list every bot's, give the list block " +
			"`for_each = { for b in list.lineworks_bot.all.data : b.identity.bot_id => b }` and `bot_id = each.key`. " + botScopeNote,
		Attributes: map[string]listschema.Attribute{
			"bot_id": listschema.StringAttribute{
				MarkdownDescription: "The bot whose registrations to list, such as `2000001`.",
				Required:            true,
				Validators:          []validator.String{botIDValidator},
			},
		},
	}
}

func (r *botDomainListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *botDomainListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m botDomainListModel
	diags := req.Config.Get(ctx, &m)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	regs, err := r.data.client.ListBotDomains(ctx, botID)
	switch {
	case lineworks.IsNotFound(err):
		diags.AddAttributeError(path.Root("bot_id"), "LINE WORKS bot not found",
			fmt.Sprintf("There is no bot %d (%s). List the bots with a list block of lineworks_bot, and give one of their bot_id.", botID, err))
	case err != nil:
		r.data.addClientError(&diags, "Failed to list the LINE WORKS bot's domain registrations", err)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(regs)) > req.Limit {
		regs = regs[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for _, reg := range regs {
			result := req.NewListResult(ctx)
			result.DisplayName = fmt.Sprintf("bot %d in domain %d", botID, reg.DomainID)
			setBotDomainIdentity(ctx, result.Identity, botID, reg.DomainID, &result.Diagnostics)
			if req.IncludeResource {
				var dm botDomainModel
				dm.set(botID, &reg)
				result.Diagnostics.Append(result.Resource.Set(ctx, &dm)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
