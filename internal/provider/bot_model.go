package provider

// What the lineworks_bot resource and data source share: the model and its
// conversions to and from the client's types.

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// botModel maps a bot: the lineworks_bot resource and data source have the
// same attributes (the data source computes them all).
type botModel struct {
	ID                types.String `tfsdk:"id"`
	BotID             types.String `tfsdk:"bot_id"`
	BotName           types.String `tfsdk:"bot_name"`
	Description       types.String `tfsdk:"description"`
	PhotoURL          types.String `tfsdk:"photo_url"`
	Administrators    types.Set    `tfsdk:"administrators"`
	Subadministrators types.Set    `tfsdk:"subadministrators"`
	AllowDomains      types.Set    `tfsdk:"allow_domains"`
	EnableCallback    types.Bool   `tfsdk:"enable_callback"`
	CallbackURL       types.String `tfsdk:"callback_url"`
	CallbackEvents    types.Set    `tfsdk:"callback_events"`
	ChannelEvents     types.Set    `tfsdk:"channel_events"`
	EnableGroupJoin   types.Bool   `tfsdk:"enable_group_join"`
	DefaultRichMenuID types.String `tfsdk:"default_rich_menu_id"`
	I18nBotNames      types.Map    `tfsdk:"i18n_bot_names"`
	I18nDescriptions  types.Map    `tfsdk:"i18n_descriptions"`
	I18nPhotoURLs     types.Map    `tfsdk:"i18n_photo_urls"`
	CreatedTime       types.String `tfsdk:"created_time"`
	ModifiedTime      types.String `tfsdk:"modified_time"`
}

// settings is the bot as the model configures it: the body of a create or a
// full replace. Null optional values are left out.
func (m *botModel) settings(ctx context.Context, diags *diag.Diagnostics) lineworks.BotSettings {
	return lineworks.BotSettings{
		BotName:           m.BotName.ValueString(),
		PhotoURL:          m.PhotoURL.ValueString(),
		Description:       m.Description.ValueString(),
		Administrators:    stringsOf(ctx, m.Administrators, diags),
		Subadministrators: stringsOf(ctx, m.Subadministrators, diags),
		AllowDomains:      int64sOf(ctx, m.AllowDomains, diags),
		EnableCallback:    m.EnableCallback.ValueBool(),
		CallbackURL:       m.CallbackURL.ValueString(),
		CallbackEvents:    stringsOf(ctx, m.CallbackEvents, diags),
		ChannelEvents:     stringsOf(ctx, m.ChannelEvents, diags),
		EnableGroupJoin:   m.EnableGroupJoin.ValueBool(),
		DefaultRichmenuID: m.DefaultRichMenuID.ValueString(),
		I18nBotNames:      i18nBotNames(byLanguage(ctx, m.I18nBotNames, diags)),
		I18nDescriptions:  i18nDescriptions(byLanguage(ctx, m.I18nDescriptions, diags)),
		I18nPhotoURLs:     i18nPhotoURLs(byLanguage(ctx, m.I18nPhotoURLs, diags)),
	}
}

// patch is the PATCH body that turns state into m: only the fields that
// differ. A removed callback_url is sent as "" and a removed list as [], which
// is how the API clears them. needReplace reports a removal PATCH cannot
// express (allow_domains back to "all domains", default_rich_menu_id gone):
// the caller then replaces the whole bot with PUT.
func (m *botModel) patch(ctx context.Context, state *botModel, diags *diag.Diagnostics) (p lineworks.BotPatch, changed, needReplace bool) {
	str := func(plan, old types.String) *string {
		if plan.Equal(old) || plan.IsUnknown() {
			return nil
		}
		changed = true
		v := plan.ValueString() // "" for null: clears the field
		return &v
	}
	boolean := func(plan, old types.Bool) *bool {
		if plan.Equal(old) || plan.IsUnknown() {
			return nil
		}
		changed = true
		v := plan.ValueBool()
		return &v
	}
	strs := func(plan, old types.Set) *[]string {
		if plan.Equal(old) || plan.IsUnknown() {
			return nil
		}
		changed = true
		v := stringsOf(ctx, plan, diags)
		if v == nil {
			v = []string{}
		}
		return &v
	}
	p = lineworks.BotPatch{
		BotName:           str(m.BotName, state.BotName),
		PhotoURL:          str(m.PhotoURL, state.PhotoURL),
		Description:       str(m.Description, state.Description),
		Administrators:    strs(m.Administrators, state.Administrators),
		Subadministrators: strs(m.Subadministrators, state.Subadministrators),
		EnableCallback:    boolean(m.EnableCallback, state.EnableCallback),
		CallbackURL:       str(m.CallbackURL, state.CallbackURL),
		CallbackEvents:    strs(m.CallbackEvents, state.CallbackEvents),
		ChannelEvents:     strs(m.ChannelEvents, state.ChannelEvents),
		EnableGroupJoin:   boolean(m.EnableGroupJoin, state.EnableGroupJoin),
	}
	if !m.AllowDomains.Equal(state.AllowDomains) && !m.AllowDomains.IsUnknown() {
		changed = true
		if m.AllowDomains.IsNull() {
			needReplace = true
		} else {
			v := int64sOf(ctx, m.AllowDomains, diags)
			p.AllowDomains = &v
		}
	}
	if !m.DefaultRichMenuID.Equal(state.DefaultRichMenuID) && !m.DefaultRichMenuID.IsUnknown() {
		changed = true
		if m.DefaultRichMenuID.IsNull() {
			needReplace = true
		} else {
			v := m.DefaultRichMenuID.ValueString()
			p.DefaultRichmenuID = &v
		}
	}
	p.I18nBotNames = i18nPatch(ctx, m.I18nBotNames, state.I18nBotNames, i18nBotNames, &changed, diags)
	p.I18nDescriptions = i18nPatch(ctx, m.I18nDescriptions, state.I18nDescriptions, i18nDescriptions, &changed, diags)
	p.I18nPhotoURLs = i18nPatch(ctx, m.I18nPhotoURLs, state.I18nPhotoURLs, i18nPhotoURLs, &changed, diags)
	return p, changed, needReplace
}

// i18nPatch is the patch of one i18n map: nil when it did not change, else
// every entry (an empty list clears it), and then changed is set.
func i18nPatch[T any](ctx context.Context, plan, old types.Map, toAPI func([]languageValue) []T, changed *bool, diags *diag.Diagnostics) *[]T {
	if plan.Equal(old) || plan.IsUnknown() {
		return nil
	}
	*changed = true
	v := toAPI(byLanguage(ctx, plan, diags))
	return &v
}

// setBot sets every attribute from the service's bot, so that a change made
// outside Terraform shows as drift. An empty list or map the service returns
// stays an empty value when m already held one, and is null otherwise:
// `subadministrators = []` and leaving it out both mean "none".
func (m *botModel) setBot(ctx context.Context, b *lineworks.Bot, diags *diag.Diagnostics) {
	m.BotID = types.StringValue(formatBotID(b.BotID))
	m.ID = m.BotID
	m.BotName = types.StringValue(b.BotName)
	m.Description = types.StringValue(b.Description)
	m.PhotoURL = types.StringValue(b.PhotoURL)
	m.Administrators = stringSet(ctx, m.Administrators, b.Administrators, diags)
	m.Subadministrators = stringSet(ctx, m.Subadministrators, b.Subadministrators, diags)
	m.AllowDomains = int64Set(ctx, m.AllowDomains, b.AllowDomains, diags)
	m.EnableCallback = types.BoolValue(b.EnableCallback)
	m.CallbackURL = optionalString(b.CallbackURL)
	m.CallbackEvents = stringSet(ctx, m.CallbackEvents, b.CallbackEvents, diags)
	m.ChannelEvents = stringSet(ctx, m.ChannelEvents, b.ChannelEvents, diags)
	m.EnableGroupJoin = types.BoolValue(b.EnableGroupJoin)
	m.DefaultRichMenuID = optionalString(b.DefaultRichmenuID)

	names := map[string]string{}
	for _, v := range b.I18nBotNames {
		names[v.Language] = v.BotName
	}
	m.I18nBotNames = stringMap(ctx, m.I18nBotNames, names, diags)
	descriptions := map[string]string{}
	for _, v := range b.I18nDescriptions {
		descriptions[v.Language] = v.Description
	}
	m.I18nDescriptions = stringMap(ctx, m.I18nDescriptions, descriptions, diags)
	photos := map[string]string{}
	for _, v := range b.I18nPhotoURLs {
		photos[v.Language] = v.PhotoURL
	}
	m.I18nPhotoURLs = stringMap(ctx, m.I18nPhotoURLs, photos, diags)

	m.CreatedTime = optionalTime(b.CreatedTime)
	m.ModifiedTime = optionalTime(b.ModifiedTime)
}

// The i18n lists are never nil, so that a patch sends [] to clear them; a
// create leaves empty ones out (omitempty).

// byLanguage is a map keyed by language, in the order of
// lineworks.BotLanguages; nil when the map is null or unknown.
func byLanguage(ctx context.Context, m types.Map, diags *diag.Diagnostics) []languageValue {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	var values map[string]string
	diags.Append(m.ElementsAs(ctx, &values, false)...)
	keys := slices.Collect(maps.Keys(values))
	slices.SortFunc(keys, func(a, b string) int { return languageRank(a) - languageRank(b) })
	out := make([]languageValue, 0, len(keys))
	for _, k := range keys {
		out = append(out, languageValue{k, values[k]})
	}
	return out
}

type languageValue struct{ language, value string }

// languageRank orders languages as lineworks.BotLanguages lists them, then
// anything else (refused at plan time) by name.
func languageRank(l string) int {
	if i := slices.Index(lineworks.BotLanguages, l); i >= 0 {
		return i
	}
	return len(lineworks.BotLanguages)
}

func i18nBotNames(values []languageValue) []lineworks.I18nBotName {
	out := []lineworks.I18nBotName{}
	for _, v := range values {
		out = append(out, lineworks.I18nBotName{Language: v.language, BotName: v.value})
	}
	return out
}

func i18nDescriptions(values []languageValue) []lineworks.I18nDescription {
	out := []lineworks.I18nDescription{}
	for _, v := range values {
		out = append(out, lineworks.I18nDescription{Language: v.language, Description: v.value})
	}
	return out
}

func i18nPhotoURLs(values []languageValue) []lineworks.I18nPhotoURL {
	out := []lineworks.I18nPhotoURL{}
	for _, v := range values {
		out = append(out, lineworks.I18nPhotoURL{Language: v.language, PhotoURL: v.value})
	}
	return out
}

// botsNamed are the IDs of the bots named name exactly (case included), in
// order.
func botsNamed(bots []lineworks.BotSummary, name string) []int64 {
	var ids []int64
	for _, b := range bots {
		if b.BotName == name {
			ids = append(ids, b.BotID)
		}
	}
	slices.Sort(ids)
	return ids
}
