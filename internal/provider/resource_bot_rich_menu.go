package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ resource.Resource                   = (*botRichMenuResource)(nil)
	_ resource.ResourceWithConfigure      = (*botRichMenuResource)(nil)
	_ resource.ResourceWithImportState    = (*botRichMenuResource)(nil)
	_ resource.ResourceWithValidateConfig = (*botRichMenuResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*botRichMenuResource)(nil)
)

// NewBotRichMenuResource returns the lineworks_bot_rich_menu resource.
func NewBotRichMenuResource() resource.Resource {
	return &botRichMenuResource{}
}

// botRichMenuResource manages a rich menu of a bot and its image. LINE WORKS
// has no call that changes a rich menu, so a change of name, height or areas
// replaces it; its image is uploaded and set again in place.
type botRichMenuResource struct {
	data *providerData
}

func (r *botRichMenuResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_rich_menu"
}

func (r *botRichMenuResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	bound := func(desc string, least int64) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Required: true, Validators: []validator.Int64{int64validator.AtLeast(least)}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A rich menu of a bot (`POST /bots/{botId}/richmenus`): an image under the chat, " +
			fmt.Sprintf("%d pixels wide, whose areas do something when tapped. ", lineworks.RichMenuWidth) +
			"LINE WORKS cannot change a rich menu, so a change of `name`, `height` or `areas` replaces it (a new `rich_menu_id`); " +
			"a change of image only uploads the new image and sets it again. A menu is shown once it is the bot's default " +
			"(`lineworks_bot_default_rich_menu`) or a user's (`lineworks_bot_user_rich_menu`). " +
			"**Creating a rich menu deletes the bot's persistent menu.** " + menuScopeNote,
		Attributes: map[string]schema.Attribute{
			"id":     importIDAttribute("{bot_id}/{rich_menu_id}"),
			"bot_id": botIDArgument("The bot's ID, such as `lineworks_bot.x.bot_id`. Changing it creates the menu on the other bot."),
			"rich_menu_id": schema.StringAttribute{
				MarkdownDescription: "The menu's ID assigned by LINE WORKS, such as `40001`. Feed it to `lineworks_bot_default_rich_menu` and `lineworks_bot_user_rich_menu`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The menu's name, 1 to %d characters, to tell menus apart; users never see it. Changing it replaces the menu.", lineworks.MaxRichMenuNameLength),
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{clientValidator{"rich menu name", lineworks.ValidateRichMenuName}},
			},
			"height": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The menu's height in pixels: `%d` (compact) or `%d` (full); the width is always %d. Its images must be exactly this size. Changing it replaces the menu.",
					lineworks.RichMenuHeightCompact, lineworks.RichMenuHeightFull, lineworks.RichMenuWidth),
				Required:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:    []validator.Int64{int64validator.OneOf(lineworks.RichMenuHeightCompact, lineworks.RichMenuHeightFull)},
			},
			"areas": schema.ListNestedAttribute{
				MarkdownDescription: fmt.Sprintf("The tappable areas, %d to %d, each a rectangle (`bounds`) inside the menu and what a tap does (`action`). Changing them replaces the menu.",
					lineworks.MinRichMenuAreas, lineworks.MaxRichMenuAreas),
				Required:      true,
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
				Validators:    []validator.List{listvalidator.SizeBetween(lineworks.MinRichMenuAreas, lineworks.MaxRichMenuAreas)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"bounds": schema.SingleNestedAttribute{
						MarkdownDescription: "The area's rectangle in pixels from the menu's top left corner; it must lie inside the menu.",
						Required:            true,
						Attributes: map[string]schema.Attribute{
							"x":      bound("Left edge, from 0.", 0),
							"y":      bound("Top edge, from 0.", 0),
							"width":  bound("Width, from 1; `x + width` is at most 2500.", 1),
							"height": bound("Height, from 1; `y + height` is at most the menu's `height`.", 1),
						},
					},
					"action": schema.SingleNestedAttribute{
						MarkdownDescription: "What a tap on the area does.",
						Required:            true,
						Attributes:          menuActionAttributes(false),
					},
				}},
			},
			"image_path": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Path of the menu's image on the machine running Terraform: a JPEG or PNG of exactly %d × `height` pixels, at most 1 MB (%d bytes), "+
					"checked at plan time from the file's header. A change of the file's content (see `image_sha256`) uploads it again and sets it on the same menu. "+
					"Without it the menu has no image. Removing it later leaves the image LINE WORKS has (there is no call that removes one).",
					lineworks.RichMenuWidth, lineworks.MaxRichMenuImageSize),
				Optional: true,
			},
			"i18n_image_paths": schema.MapAttribute{
				MarkdownDescription: "Images shown to users of other languages, keyed by language: " + botLanguagesMarkd + "; each as `image_path` requires. Needs `image_path`.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Map{
					botLanguageKeys,
					mapvalidator.AlsoRequires(path.MatchRoot("image_path")),
				},
			},
			"image_sha256": schema.StringAttribute{
				MarkdownDescription: "SHA-256 (hex) of the image set on the menu, as uploaded. Planned from the file at plan time, so a changed file shows as a change here; " +
					"null when an image changed or went away outside Terraform (or after an import: an image cannot be read back), which plans its upload again.",
				Computed: true,
			},
			"i18n_image_sha256": schema.MapAttribute{
				MarkdownDescription: "SHA-256 (hex) of each image of `i18n_image_paths`, by language.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (r *botRichMenuResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig applies the client's own rules to each area that is known,
// with each finding on the attribute at fault.
func (r *botRichMenuResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var height types.Int64
	var areas types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("height"), &height)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("areas"), &areas)...)
	if resp.Diagnostics.HasError() || areas.IsNull() || areas.IsUnknown() {
		return
	}
	menuHeight := 0 // unknown: the bounds are checked against the width only
	if !height.IsNull() && !height.IsUnknown() {
		menuHeight = int(height.ValueInt64())
	}
	var problems []*lineworks.FieldError
	for i, elem := range areas.Elements() {
		obj, ok := elem.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		var area struct {
			Bounds types.Object `tfsdk:"bounds"`
			Action types.Object `tfsdk:"action"`
		}
		resp.Diagnostics.Append(obj.As(ctx, &area, objectAsOptions)...)
		var bounds richMenuBoundsModel
		if knownObject(area.Bounds) {
			resp.Diagnostics.Append(area.Bounds.As(ctx, &bounds, objectAsOptions)...)
			if b, ok := bounds.clientBounds(); ok {
				if err := lineworks.ValidateRichMenuBounds(b, menuHeight); err != nil {
					problems = append(problems, &lineworks.FieldError{List: "areas", Index: i, Field: "bounds", Problem: err.Error()})
				}
			}
		}
		var action menuActionModel
		if knownObject(area.Action) {
			resp.Diagnostics.Append(area.Action.As(ctx, &action, objectAsOptions)...)
			if action.known() {
				for _, p := range lineworks.ValidateRichMenuAction(action.clientAction(ctx, &resp.Diagnostics)) {
					p.List, p.Index, p.Field = "areas", i, "action."+p.Field
					problems = append(problems, p)
				}
			}
		}
	}
	addMenuProblems(&resp.Diagnostics, "rich menu", problems)
}

// ModifyPlan refuses a change the provider block cannot make (checkAccess),
// claims the bot for rich menus (see menuClaims), and plans the
// image: each file is checked as LINE WORKS would check it, and its SHA-256
// planned, so that a changed file plans an upload.
func (r *botRichMenuResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.checkAccess(req, "a lineworks_bot_rich_menu", lineworks.ScopesToWriteMenus(), &resp.Diagnostics)
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroyed, or not configured (validation)
	}
	var botID types.String
	var height types.Int64
	var imagePath types.String
	var i18nPaths types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("bot_id"), &botID)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("height"), &height)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("image_path"), &imagePath)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("i18n_image_paths"), &i18nPaths)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !botID.IsUnknown() {
		if id, err := lineworks.ParseBotID(botID.ValueString()); err == nil {
			r.data.menus.claim(id, richMenus, &resp.Diagnostics)
		}
	}

	sum, i18nSums := types.StringNull(), types.MapNull(types.StringType)
	switch {
	case imagePath.IsUnknown() || i18nPaths.IsUnknown():
		sum, i18nSums = types.StringUnknown(), types.MapUnknown(types.StringType)
	case !imagePath.IsNull():
		menuHeight := 0 // unknown: either height is accepted
		if !height.IsUnknown() {
			menuHeight = int(height.ValueInt64())
		}
		sum, i18nSums = planImages(ctx, imagePath, i18nPaths, menuHeight, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("image_sha256"), sum)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("i18n_image_sha256"), i18nSums)...)
}

func (r *botRichMenuResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m botRichMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	settings := m.settings(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	menu, err := r.data.client.CreateRichMenu(ctx, botID, settings)
	if err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to create the LINE WORKS rich menu", err)
		return
	}
	planned := m
	m.setMenu(ctx, botID, menu, &resp.Diagnostics)
	m.ImageSHA256, m.I18nImageSHA256 = types.StringNull(), types.MapNull(types.StringType)
	// The menu exists from here on: it goes into the state even if its image
	// fails, so that Terraform replaces it (tainted) rather than forgets it.
	if !m.ImagePath.IsNull() {
		r.setImage(ctx, botID, &m, planned, resp.Private, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *botRichMenuResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m botRichMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	menu, err := r.data.client.GetRichMenu(ctx, botID, m.RichMenuID.ValueString())
	// ErrRichMenuNotFound: deleted outside Terraform, or with its bot.
	if r.data.stopRead(ctx, resp, err, errors.Is(err, lineworks.ErrRichMenuNotFound), "Failed to read the LINE WORKS rich menu") {
		return
	}
	m.setMenu(ctx, botID, menu, &resp.Diagnostics)
	if !m.ImageSHA256.IsNull() {
		r.readImage(ctx, botID, &m, req.Private, resp.Private, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update sets the image again when its files changed: name, height and areas
// replace the menu.
func (r *botRichMenuResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state botRichMenuModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, botID, ok := r.data.beginBot(ctx, state.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	planned := plan
	// What is not planned anew comes from the state: ID, the menu itself.
	plan.ID, plan.RichMenuID = state.ID, state.RichMenuID
	plan.ImageSHA256, plan.I18nImageSHA256 = state.ImageSHA256, state.I18nImageSHA256
	switch {
	case planned.ImagePath.IsNull():
		// No call removes an image: it stays at LINE WORKS, unmanaged.
		plan.ImageSHA256, plan.I18nImageSHA256 = types.StringNull(), types.MapNull(types.StringType)
	case !planned.ImageSHA256.Equal(state.ImageSHA256) || !planned.I18nImageSHA256.Equal(state.I18nImageSHA256):
		r.setImage(ctx, botID, &plan, planned, resp.Private, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return // the state keeps the image it had
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *botRichMenuResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m botRichMenuModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	ctx, botID, ok := r.data.beginBot(ctx, m.BotID, &resp.Diagnostics)
	if !ok {
		return
	}
	// A menu or bot already gone counts as deleted (the client says so).
	if err := r.data.client.DeleteRichMenu(ctx, botID, m.RichMenuID.ValueString()); err != nil {
		r.data.addClientError(&resp.Diagnostics, "Failed to delete the LINE WORKS rich menu", err)
	}
}

// ImportState takes `{bot_id}/{rich_menu_id}`. The image cannot be read
// back: with image_path set, the next apply uploads it.
func (r *botRichMenuResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	botID, rest, ok := splitBotImportID(req.ID, 2)
	if !ok || lineworks.ValidateRichMenuID(rest[0]) != nil {
		resp.Diagnostics.AddError("Invalid import ID for lineworks_bot_rich_menu",
			fmt.Sprintf("%q is not {bot_id}/{rich_menu_id}: import a rich menu by the bot's ID and the menu's ID, such as 2000001/40001.", req.ID))
		return
	}
	menuID := rest[0]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), richMenuResourceID(botID, menuID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("bot_id"), formatBotID(botID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("rich_menu_id"), menuID)...)
	resp.Diagnostics.AddWarning("The rich menu's image is not imported",
		"LINE WORKS gives a rich menu's image back only as file IDs, never as the image, so the imported menu has no image_sha256. "+
			"If the configuration sets image_path, the next apply uploads that file and sets it on this menu (the menu itself is kept).")
}
