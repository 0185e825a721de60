package provider

// The lineworks_bot_rich_menu model and its conversions to and from the
// client's types.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

type botRichMenuModel struct {
	ID              types.String        `tfsdk:"id"`
	BotID           types.String        `tfsdk:"bot_id"`
	RichMenuID      types.String        `tfsdk:"rich_menu_id"`
	Name            types.String        `tfsdk:"name"`
	Height          types.Int64         `tfsdk:"height"`
	Areas           []richMenuAreaModel `tfsdk:"areas"`
	ImagePath       types.String        `tfsdk:"image_path"`
	I18nImagePaths  types.Map           `tfsdk:"i18n_image_paths"`
	ImageSHA256     types.String        `tfsdk:"image_sha256"`
	I18nImageSHA256 types.Map           `tfsdk:"i18n_image_sha256"`
}

type richMenuAreaModel struct {
	Bounds richMenuBoundsModel `tfsdk:"bounds"`
	Action menuActionModel     `tfsdk:"action"`
}

type richMenuBoundsModel struct {
	X      types.Int64 `tfsdk:"x"`
	Y      types.Int64 `tfsdk:"y"`
	Width  types.Int64 `tfsdk:"width"`
	Height types.Int64 `tfsdk:"height"`
}

// settings is the menu as the plan configures it.
func (m *botRichMenuModel) settings(ctx context.Context, diags *diag.Diagnostics) lineworks.RichMenuSettings {
	s := lineworks.RichMenuSettings{
		Name: m.Name.ValueString(),
		Size: lineworks.RichMenuSize{Width: lineworks.RichMenuWidth, Height: int(m.Height.ValueInt64())},
	}
	for _, a := range m.Areas {
		b, _ := a.Bounds.clientBounds()
		s.Areas = append(s.Areas, lineworks.RichMenuArea{Bounds: b, Action: a.Action.clientAction(ctx, diags)})
	}
	return s
}

// setMenu sets the menu's own attributes from the service's answer, so that
// a menu that differs from its configuration (after an import) shows.
func (m *botRichMenuModel) setMenu(ctx context.Context, botID int64, menu *lineworks.RichMenu, diags *diag.Diagnostics) {
	m.ID = types.StringValue(richMenuResourceID(botID, menu.ID))
	m.BotID = types.StringValue(formatBotID(botID))
	m.RichMenuID = types.StringValue(menu.ID)
	m.Name = types.StringValue(menu.Name)
	m.Height = types.Int64Value(int64(menu.Size.Height))
	areas := make([]richMenuAreaModel, len(menu.Areas))
	for i, a := range menu.Areas {
		var prior menuActionModel
		if i < len(m.Areas) {
			prior = m.Areas[i].Action
		}
		areas[i] = richMenuAreaModel{
			Bounds: richMenuBoundsModel{
				X: types.Int64Value(int64(a.Bounds.X)), Y: types.Int64Value(int64(a.Bounds.Y)),
				Width: types.Int64Value(int64(a.Bounds.Width)), Height: types.Int64Value(int64(a.Bounds.Height)),
			},
			Action: menuActionFrom(ctx, a.Action, prior, diags),
		}
	}
	m.Areas = areas
}

func (b richMenuBoundsModel) clientBounds() (lineworks.RichMenuBounds, bool) {
	for _, v := range []types.Int64{b.X, b.Y, b.Width, b.Height} {
		if v.IsNull() || v.IsUnknown() {
			return lineworks.RichMenuBounds{}, false
		}
	}
	return lineworks.RichMenuBounds{X: int(b.X.ValueInt64()), Y: int(b.Y.ValueInt64()), Width: int(b.Width.ValueInt64()), Height: int(b.Height.ValueInt64())}, true
}

func richMenuResourceID(botID int64, richMenuID string) string {
	return formatBotID(botID) + "/" + richMenuID
}
