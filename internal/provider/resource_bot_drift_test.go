package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// botDrifts change each attribute of the bot outside Terraform (as in the
// Developer Console), away from driftConfig's value; patch is what the
// PATCH that puts it back must send, and nothing else.
var botDrifts = []struct {
	attr   string
	change func(*lineworkstest.Bot)
	patch  map[string]string
}{
	{"bot_name", func(b *lineworkstest.Bot) { b.BotName = "Renamed" }, map[string]string{"botName": `"tf-acc-Expense bot"`}},
	{"description", func(b *lineworkstest.Bot) { b.Description = "Changed" }, map[string]string{"description": `"Files expense reports"`}},
	{"photo_url", func(b *lineworkstest.Bot) { b.PhotoURL = "https://example.com/other.png" }, map[string]string{"photoUrl": `"https://example.com/bot.png"`}},
	{"administrators", func(b *lineworkstest.Bot) { b.Administrators = []string{testUsers[2]} }, map[string]string{"administrators": fmt.Sprintf("[%q, %q]", testUsers[0], testUsers[1])}},
	{"subadministrators", func(b *lineworkstest.Bot) { b.Subadministrators = testSubs[1:] }, map[string]string{"subadministrators": fmt.Sprintf("[%q]", testSubs[0])}},
	{"allow_domains", func(b *lineworkstest.Bot) { b.AllowDomains = nil }, map[string]string{"allowDomains": hclInts(testDomain, testDomain2)}},
	{"enable_callback", func(b *lineworkstest.Bot) { b.EnableCallback = false }, map[string]string{"enableCallback": "true"}},
	{"callback_url", func(b *lineworkstest.Bot) { b.CallbackURL = "https://bots.example.com/other" }, map[string]string{"callbackUrl": `"https://bots.example.com/callback"`}},
	{"callback_events", func(b *lineworkstest.Bot) { b.CallbackEvents = []string{"file"} }, map[string]string{"callbackEvents": `["text", "image"]`}},
	{"channel_events", func(b *lineworkstest.Bot) { b.ChannelEvents = []string{"leave"} }, map[string]string{"channelEvents": `["message", "join"]`}},
	{"enable_group_join", func(b *lineworkstest.Bot) { b.EnableGroupJoin = false }, map[string]string{"enableGroupJoin": "true"}},
	{"default_rich_menu_id", func(b *lineworkstest.Bot) { b.DefaultRichmenuID = "40009" }, map[string]string{"defaultRichmenuId": `"40001"`}},
	{"i18n_bot_names", func(b *lineworkstest.Bot) { b.I18nBotNames = b.I18nBotNames[:1] }, map[string]string{"i18nBotNames": `[{"language":"ja_JP","botName":"経費ボット"},{"language":"en_US","botName":"Expense bot (en)"}]`}},
	{"i18n_descriptions", func(b *lineworkstest.Bot) { b.I18nDescriptions = nil }, map[string]string{"i18nDescriptions": `[{"language":"ja_JP","description":"経費精算"}]`}},
	{"i18n_photo_urls", func(b *lineworkstest.Bot) {
		b.I18nPhotoURLs = []lineworkstest.I18nPhotoURL{{Language: "ko_KR", PhotoURL: "https://example.com/other-ko.png"}}
	}, map[string]string{"i18nPhotoUrls": `[{"language":"ko_KR","photoUrl":"https://example.com/ko.png"}]`}},
}

// driftConfig sets every attribute of the bot.
func driftConfig() string {
	return botConfig("x",
		`administrators = `+hclList(testUsers[:2]),
		`subadministrators = `+hclList(testSubs[:1]),
		`allow_domains = `+hclInts(testDomain, testDomain2),
		`enable_callback = true`,
		`callback_url = "https://bots.example.com/callback"`,
		`callback_events = ["text", "image"]`,
		`channel_events = ["message", "join"]`,
		`enable_group_join = true`,
		`default_rich_menu_id = "40001"`,
		`i18n_bot_names = { ja_JP = "経費ボット", en_US = "Expense bot (en)" }`,
		`i18n_descriptions = { ja_JP = "経費精算" }`,
		`i18n_photo_urls = { ko_KR = "https://example.com/ko.png" }`,
	)
}

// Every attribute changed outside Terraform shows as drift, and only it is
// put back: a Read that kept any attribute's old value (or took the
// service's other form of a value for drift) fails here. In the default
// answer forms and in all of the others at once.
func TestAccBot_driftOfEveryAttribute(t *testing.T) {
	if len(botDrifts) != len(botSettingsAttributes) {
		t.Fatalf("%d drifts for %d attributes: every attribute a user sets needs one", len(botDrifts), len(botSettingsAttributes))
	}
	for name, forms := range map[string]lineworkstest.AnswerForms{"default": {}, "all": lineworkstest.AllAnswerForms()} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newFormsEnv(t, forms)
			var id int64
			config := env.provider() + driftConfig()
			steps := []resource.TestStep{{Config: config, Check: captureBotID("lineworks_bot.x", &id)}}
			for _, d := range botDrifts {
				if _, ok := botSettingsAttributes[d.attr]; !ok {
					t.Fatalf("no attribute %s", d.attr)
				}
				steps = append(steps, resource.TestStep{
					PreConfig: func() {
						if !env.emu.Bots.Modify(id, d.change) {
							t.Fatalf("%s: no bot %d", d.attr, id)
						}
						env.emu.Requests.Reset()
					},
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
						knownBotID(&id),
					}},
					Check: env.expectPatch(&id, d.patch),
				})
			}
			env.botTest(t, steps...)
		})
	}
}
