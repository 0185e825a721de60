package provider

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// serviceBot is stateBot as the service would answer it, with edit applied.
func serviceBot(edit func(*lineworks.Bot)) *lineworks.Bot {
	b := &lineworks.Bot{BotID: 2000001, BotSettings: lineworks.BotSettings{
		BotName: "Expense bot", Description: "Files expense reports", PhotoURL: "https://example.com/bot.png",
		Administrators: []string{"a@example.com"}, Subadministrators: []string{"b@example.com"}, AllowDomains: []int64{10000002, 10000001},
		EnableCallback: true, CallbackURL: "https://example.com/callback", CallbackEvents: []string{"image", "text"}, ChannelEvents: []string{"message"},
		DefaultRichmenuID: "40001",
		I18nBotNames:      []lineworks.I18nBotName{{Language: "en_US", BotName: "Expense bot"}, {Language: "ja_JP", BotName: "経費ボット"}},
		I18nDescriptions:  []lineworks.I18nDescription{{Language: "ja_JP", Description: "経費精算"}},
		I18nPhotoURLs:     []lineworks.I18nPhotoURL{{Language: "ja_JP", PhotoURL: "https://example.com/ja.png"}},
	}}
	if edit != nil {
		edit(b)
	}
	return b
}

// On refresh, an answer that is what the service made of the value in the
// state keeps that value; any other answer is the state's new value.
func TestRefreshKeepsOnlyWhatTheServiceMadeOfTheValueSent(t *testing.T) {
	ctx := context.Background()
	noted := botAnswers{
		"administrators": {Sent: json.RawMessage(`["a@example.com"]`), Got: json.RawMessage(`["user-a"]`)},
		"photo_url":      {Sent: json.RawMessage(`"https://example.com/bot.png"`), Got: json.RawMessage(`"https://gw.example.com/1"`)},
	}
	for _, tt := range []struct {
		name      string
		answers   botAnswers
		edit      func(*lineworks.Bot)
		wantAdmin []string
		wantPhoto string
	}{
		{"as sent", noted, nil, []string{"a@example.com"}, "https://example.com/bot.png"},
		{"as the service made them", noted, func(b *lineworks.Bot) {
			b.Administrators, b.PhotoURL = []string{"user-a"}, "https://gw.example.com/1"
		}, []string{"a@example.com"}, "https://example.com/bot.png"},
		{"changed outside", noted, func(b *lineworks.Bot) {
			b.Administrators, b.PhotoURL = []string{"user-c"}, "https://gw.example.com/2"
		}, []string{"user-c"}, "https://gw.example.com/2"},
		{"no notes (imported)", botAnswers{}, func(b *lineworks.Bot) {
			b.Administrators, b.PhotoURL = []string{"user-a"}, "https://gw.example.com/1"
		}, []string{"user-a"}, "https://gw.example.com/1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := stateBot()
			var diags diag.Diagnostics
			m.refreshFrom(ctx, serviceBot(tt.edit), tt.answers, &diags)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !m.Administrators.Equal(strSet(tt.wantAdmin...)) || m.PhotoURL.ValueString() != tt.wantPhoto {
				t.Errorf("administrators %v, photo_url %v", m.Administrators, m.PhotoURL)
			}
			// Whatever was noted, the rest is the service's, in any order.
			want := stateBot()
			want.Administrators, want.PhotoURL = m.Administrators, m.PhotoURL
			want.CreatedTime, want.ModifiedTime = m.CreatedTime, m.ModifiedTime
			for name := range botSettingsAttributes {
				if !m.attribute(name).Equal(want.attribute(name)) {
					t.Errorf("%s = %v, want %v", name, m.attribute(name), want.attribute(name))
				}
			}
		})
	}
}

// After a write, the state is the plan; where the service answered
// otherwise for an attribute sent, that is noted, and an attribute not
// sent keeps its note.
func TestAfterWriteNotesWhatTheServiceMadeOfWhatWasSent(t *testing.T) {
	ctx := context.Background()
	old := botAnswers{"photo_url": {Sent: json.RawMessage(`"https://example.com/bot.png"`), Got: json.RawMessage(`"https://gw.example.com/1"`)}}
	answered := serviceBot(func(b *lineworks.Bot) {
		b.Administrators, b.PhotoURL, b.Subadministrators = []string{"user-a"}, "https://gw.example.com/1", []string{"user-b"}
	})
	m := stateBot()
	m.ModifiedTime = types.StringUnknown()
	var diags diag.Diagnostics
	notes := m.afterWrite(ctx, answered, map[string]bool{"administrators": true}, old, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	plan := stateBot()
	for name := range botSettingsAttributes {
		if !m.attribute(name).Equal(plan.attribute(name)) {
			t.Errorf("%s = %v, want the planned %v", name, m.attribute(name), plan.attribute(name))
		}
	}
	if got := slices.Sorted(maps.Keys(notes)); !slices.Equal(got, []string{"administrators", "photo_url"}) {
		t.Fatalf("notes on %v", got)
	}
	if string(notes["administrators"].Sent) != `["a@example.com"]` || string(notes["administrators"].Got) != `["user-a"]` {
		t.Errorf("administrators noted %+v", notes["administrators"])
	}
	if !m.ModifiedTime.IsNull() || m.BotID.ValueString() != "2000001" {
		t.Errorf("modified_time %v, bot_id %v", m.ModifiedTime, m.BotID)
	}
}

// Sets compare whatever their order; a PATCH sends what its body holds.
func TestPlainJSONAndPatchedSettings(t *testing.T) {
	if string(plainJSON(strSet("b", "a"))) != string(plainJSON(strSet("a", "b"))) || string(plainJSON(intSet(2, 10))) != `[10,2]` {
		t.Errorf("sets: %s %s %s", plainJSON(strSet("b", "a")), plainJSON(strSet("a", "b")), plainJSON(intSet(2, 10)))
	}
	if string(plainJSON(types.StringNull())) != "null" || string(plainJSON(strMap("ja_JP", "x"))) != `{"ja_JP":"x"}` {
		t.Error("null or map")
	}
	d, empty := "d", []string{}
	sent := patchedBotSettings(lineworks.BotPatch{Description: &d, Subadministrators: &empty})
	if got := slices.Sorted(maps.Keys(sent)); !slices.Equal(got, []string{"description", "subadministrators"}) {
		t.Errorf("sent %v", got)
	}
	if len(everyBotSetting()) != 15 {
		t.Errorf("%d settings", len(everyBotSetting()))
	}
}
