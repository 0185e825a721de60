package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ list.ListResource              = (*botListResource)(nil)
	_ list.ListResourceWithConfigure = (*botListResource)(nil)
)

// NewBotListResource returns the lineworks_bot list resource, for
// `terraform query` (Terraform 1.14+).
func NewBotListResource() list.ListResource {
	return &botListResource{}
}

// botListResource lists every bot of the tenant (GET /bots, every page).
type botListResource struct {
	data *providerData
}

func (r *botListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot"
}

func (r *botListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Every bot of the tenant (`GET /bots`, page after page), each with its identity (`bot_id`) and its name. " +
			"With `include_resource = true`, each bot is read in full (`GET /bots/{botId}`), so that " +
			"`terraform query -generate-config-out=bots.tf` writes a `lineworks_bot` and an `import` block for it. " +
			"Terraform stops at the list block's `limit`, 100 unless set. " + botScopeNote,
	}
}

func (r *botListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *botListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	ctx, ok := r.data.begin(ctx, &diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	bots, err := r.data.client.ListBots(ctx)
	if err != nil {
		r.data.addClientError(&diags, "Failed to list the LINE WORKS bots", err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(bots)) > req.Limit {
		bots = bots[:req.Limit]
	}
	stream.Results = r.results(ctx, req, bots)
}

// results are the bots in the order GET /bots gave them. With
// include_resource, each bot is read in full, a few at a time ahead of the
// one being given (the reads are paced like any other), and a bot deleted
// since the listing is left out.
func (r *botListResource) results(ctx context.Context, req list.ListRequest, bots []lineworks.BotSummary) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		var reads []func() (*lineworks.Bot, error)
		if req.IncludeResource {
			ids := make([]int64, len(bots))
			for i, b := range bots {
				ids[i] = b.BotID
			}
			var stop func()
			reads, stop = readAhead(ctx, ids, r.data.client.GetBot)
			defer stop()
		}
		for i, b := range bots {
			result := req.NewListResult(ctx)
			result.DisplayName = b.BotName
			setBotIdentity(ctx, result.Identity, b.BotID, &result.Diagnostics)
			if req.IncludeResource {
				bot, err := reads[i]()
				if lineworks.IsNotFound(err) {
					continue // deleted since the listing
				}
				if err != nil {
					r.data.addClientError(&result.Diagnostics, "Failed to read the LINE WORKS bot", err)
				} else {
					// A listed bot is imported: nothing is noted yet of what the
					// service made of values sent (bot_answers.go).
					m := botResourceModel{AllowDuplicateName: types.BoolValue(false)}
					m.setBot(ctx, bot, &result.Diagnostics)
					result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
				}
			}
			if !push(result) || result.Diagnostics.HasError() {
				return
			}
		}
	}
}
