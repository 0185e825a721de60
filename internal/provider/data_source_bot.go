package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ datasource.DataSource              = (*botDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*botDataSource)(nil)
)

// NewBotDataSource returns the lineworks_bot data source.
func NewBotDataSource() datasource.DataSource {
	return &botDataSource{}
}

// botDataSource reads one bot, by ID or by exact name.
type botDataSource struct {
	data *providerData
}

func (d *botDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot"
}

func (d *botDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedString := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	computedSet := func(desc string) schema.SetAttribute {
		return schema.SetAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	}
	computedMap := func(desc string) schema.MapAttribute {
		return schema.MapAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	}
	oneOf := stringvalidator.ExactlyOneOf(path.MatchRoot("bot_id"), path.MatchRoot("bot_name"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a LINE WORKS bot, by `bot_id` (`GET /bots/{botId}`) or by its exact `bot_name` (paging through `GET /bots`). " +
			"Finding no bot of that name, or several, is an error that says which. " +
			"The token needs the `bot` or `bot.read` scope. Read during plan.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("The bot's ID, the same as `bot_id`."),
			"bot_id": schema.StringAttribute{
				MarkdownDescription: "The bot's ID, such as `2000001`. Exactly one of `bot_id` and `bot_name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{oneOf, botIDValidator},
			},
			"bot_name": schema.StringAttribute{
				MarkdownDescription: "The bot's name, matched exactly (case included). Exactly one of `bot_id` and `bot_name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{oneOf, stringvalidator.LengthAtLeast(1)},
			},
			"description":          computedString("What the bot does."),
			"photo_url":            computedString("URL of the bot's profile picture."),
			"administrators":       computedSet("User IDs of the bot's administrators."),
			"subadministrators":    computedSet("User IDs of the bot's subadministrators; null when none."),
			"allow_domains":        schema.SetAttribute{MarkdownDescription: "IDs of the domains that may use the bot; null when every domain may.", ElementType: types.Int64Type, Computed: true},
			"enable_callback":      schema.BoolAttribute{MarkdownDescription: "Whether callbacks are sent to `callback_url`.", Computed: true},
			"callback_url":         computedString("Where callbacks are posted; null when none."),
			"callback_events":      computedSet(botCallbackEventsDescription),
			"channel_events":       computedSet(botChannelEventsDescription),
			"enable_group_join":    schema.BoolAttribute{MarkdownDescription: "Whether the bot may be invited to group and multi-person chat rooms.", Computed: true},
			"default_rich_menu_id": computedString("ID of the default rich menu; null when none."),
			"i18n_bot_names":       computedMap("The bot's name in other languages, keyed by language (" + botLanguagesMarkd + ")."),
			"i18n_descriptions":    computedMap("The description in other languages, keyed by language."),
			"i18n_photo_urls":      computedMap("Profile picture URLs for other languages, keyed by language."),
			"created_time":         computedString("When the bot was created, RFC 3339 in UTC."),
			"modified_time":        computedString("When the bot was last changed, RFC 3339 in UTC."),
		},
	}
}

func (d *botDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *botDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m botModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	ctx, ok := d.data.begin(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	client := d.data.client

	var botID int64
	if !m.BotID.IsNull() {
		id, ok := botIDOf(m.BotID, &resp.Diagnostics)
		if !ok {
			return
		}
		botID = id
	} else {
		name := m.BotName.ValueString()
		bots, err := client.ListBots(ctx)
		if err != nil {
			d.data.addClientError(&resp.Diagnostics, "Failed to list the LINE WORKS bots", err)
			return
		}
		matches := botsNamed(bots, name)
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("bot_name"), "No LINE WORKS bot of that name",
				fmt.Sprintf("None of the tenant's %d bots is named %q (names match exactly, case included). Check the name, or use bot_id.", len(bots), name))
			return
		case 1:
			botID = matches[0]
		default:
			resp.Diagnostics.AddAttributeError(path.Root("bot_name"), "Several LINE WORKS bots of that name",
				fmt.Sprintf("%d bots are named %q: IDs %s. Use bot_id to choose one.", len(matches), name, joinInt64s(matches)))
			return
		}
	}

	bot, err := client.GetBot(ctx, botID)
	if lineworks.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("bot_id"), "LINE WORKS bot not found",
			fmt.Sprintf("The tenant has no bot %d (%s). Check the ID, as the Developer Console shows it.", botID, err))
		return
	}
	if err != nil {
		d.data.addClientError(&resp.Diagnostics, "Failed to read the LINE WORKS bot", err)
		return
	}
	m.setBot(ctx, bot, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
