package provider

// What the menu resources share: the scopes they need, and, for
// lineworks_bot_rich_menu and lineworks_bot_persistent_menu, the action
// object (bot-actionobject) in Terraform's terms, its conversions to and
// from the client's, and where the client's findings about a menu land in a
// configuration.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// menuScopeNote says which scopes the menu resources need.
const menuScopeNote = "The provider's token needs the `bot` or `bot.message` scope (add it to the provider's `scopes` and enable it for the app in the Developer Console)."

// menuActionModel is an action: a rich menu area's (every field) or a
// persistent menu button's (no data, display_text or i18n_display_texts).
type menuActionModel struct {
	Type             types.String `tfsdk:"type"`
	Label            types.String `tfsdk:"label"`
	Data             types.String `tfsdk:"data"`
	DisplayText      types.String `tfsdk:"display_text"`
	Text             types.String `tfsdk:"text"`
	Postback         types.String `tfsdk:"postback"`
	URI              types.String `tfsdk:"uri"`
	CopyText         types.String `tfsdk:"copy_text"`
	I18nLabels       types.Map    `tfsdk:"i18n_labels"`
	I18nDisplayTexts types.Map    `tfsdk:"i18n_display_texts"`
	I18nTexts        types.Map    `tfsdk:"i18n_texts"`
}

// persistentMenuActionModel is a persistent menu button.
type persistentMenuActionModel struct {
	Type       types.String `tfsdk:"type"`
	Label      types.String `tfsdk:"label"`
	Text       types.String `tfsdk:"text"`
	Postback   types.String `tfsdk:"postback"`
	URI        types.String `tfsdk:"uri"`
	CopyText   types.String `tfsdk:"copy_text"`
	I18nLabels types.Map    `tfsdk:"i18n_labels"`
	I18nTexts  types.Map    `tfsdk:"i18n_texts"`
}

func (p persistentMenuActionModel) action() menuActionModel {
	return menuActionModel{
		Type: p.Type, Label: p.Label, Text: p.Text, Postback: p.Postback, URI: p.URI, CopyText: p.CopyText,
		I18nLabels: p.I18nLabels, I18nTexts: p.I18nTexts,
		Data: types.StringNull(), DisplayText: types.StringNull(), I18nDisplayTexts: types.MapNull(types.StringType),
	}
}

func (a menuActionModel) persistent() persistentMenuActionModel {
	return persistentMenuActionModel{
		Type: a.Type, Label: a.Label, Text: a.Text, Postback: a.Postback, URI: a.URI, CopyText: a.CopyText,
		I18nLabels: a.I18nLabels, I18nTexts: a.I18nTexts,
	}
}

// objectAsOptions read a known object into a struct of Terraform values,
// which may themselves be unknown.
var objectAsOptions = basetypes.ObjectAsOptions{}

// knownObject reports whether o is neither null nor unknown.
func knownObject(o types.Object) bool { return !o.IsNull() && !o.IsUnknown() }

// known reports whether every value of a is known, so that the client's
// checks can be run on it.
func (a menuActionModel) known() bool {
	for _, v := range []attr.Value{a.Type, a.Label, a.Data, a.DisplayText, a.Text, a.Postback, a.URI, a.CopyText, a.I18nLabels, a.I18nDisplayTexts, a.I18nTexts} {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

// clientAction is a as the client sends it; i18n maps become lists in the
// order of lineworks.BotLanguages.
func (a menuActionModel) clientAction(ctx context.Context, diags *diag.Diagnostics) lineworks.MenuAction {
	out := lineworks.MenuAction{
		Type: a.Type.ValueString(), Label: a.Label.ValueString(), Data: a.Data.ValueString(), DisplayText: a.DisplayText.ValueString(),
		Text: a.Text.ValueString(), Postback: a.Postback.ValueString(), URI: a.URI.ValueString(), CopyText: a.CopyText.ValueString(),
	}
	for _, v := range byLanguage(ctx, a.I18nLabels, diags) {
		out.I18nLabels = append(out.I18nLabels, lineworks.I18nLabel{Language: v.language, Label: v.value})
	}
	for _, v := range byLanguage(ctx, a.I18nDisplayTexts, diags) {
		out.I18nDisplayTexts = append(out.I18nDisplayTexts, lineworks.I18nDisplayText{Language: v.language, DisplayText: v.value})
	}
	for _, v := range byLanguage(ctx, a.I18nTexts, diags) {
		out.I18nTexts = append(out.I18nTexts, lineworks.I18nText{Language: v.language, Text: v.value})
	}
	return out
}

// menuActionFrom is the action the service answered, in Terraform's terms.
// An empty field is null, and an empty i18n map stays empty where prior,
// the value before (the zero value when there was none), had one.
func menuActionFrom(ctx context.Context, a lineworks.MenuAction, prior menuActionModel, diags *diag.Diagnostics) menuActionModel {
	labels, displayTexts, texts := map[string]string{}, map[string]string{}, map[string]string{}
	for _, v := range a.I18nLabels {
		labels[v.Language] = v.Label
	}
	for _, v := range a.I18nDisplayTexts {
		displayTexts[v.Language] = v.DisplayText
	}
	for _, v := range a.I18nTexts {
		texts[v.Language] = v.Text
	}
	return menuActionModel{
		Type: types.StringValue(a.Type), Label: optionalString(a.Label), Data: optionalString(a.Data), DisplayText: optionalString(a.DisplayText),
		Text: optionalString(a.Text), Postback: optionalString(a.Postback), URI: optionalString(a.URI), CopyText: optionalString(a.CopyText),
		I18nLabels:       stringMap(ctx, prior.I18nLabels, labels, diags),
		I18nDisplayTexts: stringMap(ctx, prior.I18nDisplayTexts, displayTexts, diags),
		I18nTexts:        stringMap(ctx, prior.I18nTexts, texts, diags),
	}
}

// menuActionAttributes are the schema of an action; persistent leaves out
// what a persistent menu button cannot have, and requires a label.
func menuActionAttributes(persistent bool) map[string]schema.Attribute {
	labelMax, actionTypes := lineworks.MaxRichMenuLabelLength, lineworks.RichMenuActionTypes
	if persistent {
		labelMax, actionTypes = lineworks.MaxPersistentMenuLabelLength, lineworks.PersistentMenuActionTypes
	}
	optional := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: true}
	}
	i18n := func(what string, limit int) schema.MapAttribute {
		return schema.MapAttribute{
			MarkdownDescription: fmt.Sprintf("%s in other languages, keyed by language: %s. Each 1 to %d characters.", what, botLanguagesMarkd, limit),
			ElementType:         types.StringType,
			Optional:            true,
			Validators:          []validator.Map{botLanguageKeys},
		}
	}
	attrs := map[string]schema.Attribute{
		"type": schema.StringAttribute{
			MarkdownDescription: "What a tap does: " + markdownList(actionTypes) + ". " + actionTypesNote(persistent),
			Required:            true,
			Validators:          []validator.String{stringvalidator.OneOf(actionTypes...)},
		},
		"text": optional(fmt.Sprintf("`message`: the text the user sends by tapping, at most %d characters.", lineworks.MaxActionTextLength) +
			map[bool]string{false: " Required for a `message` action.", true: " Without it, the label is sent."}[persistent]),
		"postback":    optional(fmt.Sprintf("`message`: a value the bot receives with the message (`message.postback` of the callback), at most %d characters.", lineworks.MaxActionPostbackLength)),
		"uri":         optional(fmt.Sprintf("`uri`: the http or https URL opened by tapping, at most %d characters. Required for a `uri` action.", lineworks.MaxActionURILength)),
		"copy_text":   optional(fmt.Sprintf("`copy`: the text copied to the clipboard by tapping, at most %d characters. Required for a `copy` action.", lineworks.MaxActionCopyTextLength)),
		"i18n_labels": i18n("`label`", labelMax),
		"i18n_texts":  i18n("`message`: `text`", lineworks.MaxActionTextLength),
	}
	if persistent {
		attrs["label"] = schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("The button's text, 1 to %d characters, on one line (LINE WORKS would turn line breaks into spaces).", labelMax),
			Required:            true,
		}
		return attrs
	}
	attrs["label"] = optional(fmt.Sprintf("What the desktop and browser apps show for the area (they show no image), at most %d characters; LINE WORKS shows a default text without it.", labelMax))
	attrs["data"] = optional(fmt.Sprintf("`postback`: the value the bot receives in the callback's `postback.data`, at most %d characters. Required for a `postback` action.", lineworks.MaxActionDataLength))
	attrs["display_text"] = optional(fmt.Sprintf("`postback`: the text shown in the chat as the user's message, at most %d characters; nothing is shown without it.", lineworks.MaxActionDisplayTextLength))
	attrs["i18n_display_texts"] = i18n("`postback`: `display_text`", lineworks.MaxActionDisplayTextLength)
	return attrs
}

func actionTypesNote(persistent bool) string {
	if persistent {
		return "A persistent menu has no `postback` action."
	}
	return "Each type takes its own fields, listed with each field below; a field of another type is refused at plan time."
}

// markdownList renders values as `a`, `b`, `c`.
func markdownList(values []string) string {
	return "`" + strings.Join(values, "`, `") + "`"
}

// terraformNames turns the client's JSON field names into this provider's
// attribute names, in the client's words about a field.
var terraformNames = strings.NewReplacer(
	"i18nDisplayTexts", "i18n_display_texts", "i18nLabels", "i18n_labels", "i18nTexts", "i18n_texts",
	"displayText", "display_text", "copyText", "copy_text", "richmenuName", "name", "allowToSelectedMember", "allow_to_selected_member",
)

// addMenuProblems adds a diagnostic on the attribute at fault for each
// problem the client found in a menu; what names the menu.
func addMenuProblems(diags *diag.Diagnostics, what string, problems []*lineworks.FieldError) {
	for _, p := range problems {
		at := fieldErrorPath(p)
		diags.AddAttributeError(at, "Invalid "+what, fmt.Sprintf("Attribute %s %s.", at, strings.TrimSuffix(terraformNames.Replace(p.Problem), ".")))
	}
}

// fieldErrorPath is the attribute a *lineworks.FieldError is about: an item
// of its List (areas, actions) at its Index, then the field, then the
// language's key of an i18n map.
func fieldErrorPath(p *lineworks.FieldError) path.Path {
	at := path.Empty()
	if p.List != "" {
		at = path.Root(p.List).AtListIndex(p.Index)
	}
	field := p.Field
	switch field {
	case "richmenuName":
		field = "name"
	case "size.height":
		field = "height"
	}
	for _, seg := range strings.Split(field, ".") {
		name := terraformNames.Replace(seg)
		if at.Equal(path.Empty()) {
			at = path.Root(name)
		} else {
			at = at.AtName(name)
		}
	}
	if p.Language != "" {
		at = at.AtMapKey(p.Language)
	}
	return at
}
