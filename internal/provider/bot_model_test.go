package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

func strSet(v ...string) types.Set {
	elems := make([]attr.Value, len(v))
	for i, s := range v {
		elems[i] = types.StringValue(s)
	}
	return types.SetValueMust(types.StringType, elems)
}

func intSet(v ...int64) types.Set {
	elems := make([]attr.Value, len(v))
	for i, n := range v {
		elems[i] = types.Int64Value(n)
	}
	return types.SetValueMust(types.Int64Type, elems)
}

func strMap(kv ...string) types.Map {
	elems := map[string]attr.Value{}
	for i := 0; i < len(kv); i += 2 {
		elems[kv[i]] = types.StringValue(kv[i+1])
	}
	return types.MapValueMust(types.StringType, elems)
}

// stateBot is a bot with every attribute set.
func stateBot() botModel {
	return botModel{
		BotID:             types.StringValue("2000001"),
		BotName:           types.StringValue("Expense bot"),
		Description:       types.StringValue("Files expense reports"),
		PhotoURL:          types.StringValue("https://example.com/bot.png"),
		Administrators:    strSet("a@example.com"),
		Subadministrators: strSet("b@example.com"),
		AllowDomains:      intSet(10000001, 10000002),
		EnableCallback:    types.BoolValue(true),
		CallbackURL:       types.StringValue("https://example.com/callback"),
		CallbackEvents:    strSet("text", "image"),
		ChannelEvents:     strSet("message"),
		EnableGroupJoin:   types.BoolValue(false),
		DefaultRichMenuID: types.StringValue("40001"),
		I18nBotNames:      strMap("ja_JP", "経費ボット", "en_US", "Expense bot"),
		I18nDescriptions:  strMap("ja_JP", "経費精算"),
		I18nPhotoURLs:     strMap("ja_JP", "https://example.com/ja.png"),
		CreatedTime:       types.StringValue("2026-11-22T09:00:00Z"),
		ModifiedTime:      types.StringValue("2026-11-22T09:00:00Z"),
	}
}

func TestBotPatchSendsOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name        string
		change      func(*botModel)
		want        string
		needReplace bool
	}{
		{"nothing", func(*botModel) {}, `{}`, false},
		{"name", func(m *botModel) { m.BotName = types.StringValue("Expenses") }, `{"botName":"Expenses"}`, false},
		{"flag off", func(m *botModel) { m.EnableCallback = types.BoolValue(false) }, `{"enableCallback":false}`, false},
		{"callback url removed", func(m *botModel) { m.CallbackURL = types.StringNull() }, `{"callbackUrl":""}`, false},
		{"subadministrators removed", func(m *botModel) { m.Subadministrators = types.SetNull(types.StringType) }, `{"subadministrators":[]}`, false},
		{"callback events emptied", func(m *botModel) { m.CallbackEvents = strSet() }, `{"callbackEvents":[]}`, false},
		{"i18n names removed", func(m *botModel) { m.I18nBotNames = types.MapNull(types.StringType) }, `{"i18nBotNames":[]}`, false},
		{"i18n names in language order", func(m *botModel) { m.I18nBotNames = strMap("zh_TW", "報帳機器人", "ko_KR", "경비 봇") },
			`{"i18nBotNames":[{"language":"ko_KR","botName":"경비 봇"},{"language":"zh_TW","botName":"報帳機器人"}]}`, false},
		{"allow domains narrowed", func(m *botModel) { m.AllowDomains = intSet(10000002) }, `{"allowDomains":[10000002]}`, false},
		{"allow domains removed", func(m *botModel) { m.AllowDomains = types.SetNull(types.Int64Type) }, `{}`, true},
		{"rich menu removed", func(m *botModel) { m.DefaultRichMenuID = types.StringNull() }, `{}`, true},
		{"channel events kept from state", func(m *botModel) { m.ChannelEvents = strSet("message") }, `{}`, false},
		{"several", func(m *botModel) {
			m.Description = types.StringValue("Files and approves expense reports")
			m.Administrators = strSet("a@example.com", "c@example.com")
			m.EnableGroupJoin = types.BoolValue(true)
		}, `{"description":"Files and approves expense reports","administrators":["a@example.com","c@example.com"],"enableGroupJoin":true}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			state, plan := stateBot(), stateBot()
			c.change(&plan)
			var diags diag.Diagnostics
			p, changed, needReplace := plan.patch(ctx, &state, &diags)
			if diags.HasError() {
				t.Fatal(diags)
			}
			body, _ := json.Marshal(p)
			if string(body) != c.want || needReplace != c.needReplace {
				t.Errorf("patch %s (replace %v), want %s (replace %v)", body, needReplace, c.want, c.needReplace)
			}
			if changed != (c.want != `{}` || c.needReplace) {
				t.Errorf("changed = %v", changed)
			}
		})
	}
}

// What the service returns as empty stays as the configuration wrote it:
// `[]` or `{}` stays empty, a left-out argument stays null.
func TestSetBotKeepsEmptyAsConfigured(t *testing.T) {
	ctx := context.Background()
	bot := &lineworks.Bot{BotID: 2000001, BotSettings: lineworks.BotSettings{
		BotName: "Expense bot", Description: "d", PhotoURL: "https://example.com/p.png", Administrators: []string{"a@example.com"},
		Subadministrators: []string{}, CallbackEvents: []string{}, ChannelEvents: []string{"message"},
	}}
	var diags diag.Diagnostics
	m := botModel{Subadministrators: strSet(), CallbackEvents: types.SetNull(types.StringType), I18nBotNames: strMap(), I18nDescriptions: types.MapNull(types.StringType)}
	m.setBot(ctx, bot, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if m.Subadministrators.IsNull() || len(m.Subadministrators.Elements()) != 0 {
		t.Errorf("subadministrators = [] became %v", m.Subadministrators)
	}
	if !m.CallbackEvents.IsNull() {
		t.Errorf("callback_events left out became %v", m.CallbackEvents)
	}
	if m.I18nBotNames.IsNull() || len(m.I18nBotNames.Elements()) != 0 {
		t.Errorf("i18n_bot_names = {} became %v", m.I18nBotNames)
	}
	if !m.I18nDescriptions.IsNull() || !m.AllowDomains.IsNull() || !m.CallbackURL.IsNull() || !m.CreatedTime.IsNull() {
		t.Errorf("null values became %v %v %v %v", m.I18nDescriptions, m.AllowDomains, m.CallbackURL, m.CreatedTime)
	}
	if m.BotID.ValueString() != "2000001" || m.ChannelEvents.Equal(strSet("message")) != true {
		t.Errorf("bot_id %v, channel_events %v", m.BotID, m.ChannelEvents)
	}
}
