package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// answerForms are the forms LINE WORKS may answer in where its docs leave
// the answer open (lineworkstest.AnswerForms), one at a time and all
// together: the bot resources must converge with each.
var answerForms = map[string]lineworkstest.AnswerForms{
	"default":             {},
	"create_200":          {CreateStatus: 200},
	"create_id_only":      {CreateAnswer: lineworkstest.CreateAnswerIDOnly},
	"write_no_body":       {WriteAnswer: lineworkstest.WriteAnswerNoBody},
	"users_as_ids":        {Administrators: lineworkstest.UsersAsIDs},
	"photo_rewritten":     {PhotoURL: lineworkstest.PhotoURLRewritten},
	"all_domains_empty":   {AllDomains: lineworkstest.AllDomainsEmpty},
	"all_domains_zero":    {AllDomains: lineworkstest.AllDomainsZero},
	"deleted_410":         {DeletedBotStatus: 410},
	"cursor_absent":       {LastPageCursor: lineworkstest.CursorAbsent},
	"channel_events_docs": {ChannelEventsDefault: lineworkstest.DocumentedChannelEvents},
	"all":                 lineworkstest.AllAnswerForms(),
}

// newFormsEnv is a bot env whose emulator answers in forms.
func newFormsEnv(t *testing.T, forms lineworkstest.AnswerForms) *accEnv {
	t.Helper()
	env := newBotEnv(t)
	if err := env.emu.Forms.Set(forms); err != nil {
		t.Fatal(err)
	}
	return env
}

// formsConfig is a bot with e-mail administrators and photo URLs (what the
// service may give back in other forms), every domain allowed; its
// registration (visible or not), its secret (rotated with rotation), and
// the data source reading the bot. args replace the bot's.
func formsConfig(visible bool, rotation string, args ...string) string {
	bot := append([]string{
		`administrators = ` + hclList(testUsers[:2]),
		`subadministrators = ` + hclList(testSubs[:1]),
		`i18n_photo_urls = { ja_JP = "https://example.com/ja.png" }`,
	}, args...)
	return botConfig("x", bot...) + fmt.Sprintf(`
resource "lineworks_bot_domain" "x" {
  bot_id    = lineworks_bot.x.bot_id
  domain_id = %d
  visible   = %v
}

resource "lineworks_bot_secret" "x" {
  bot_id            = lineworks_bot.x.bot_id
  rotation_triggers = { rotation = %q }
}

data "lineworks_bot" "x" {
  bot_id = lineworks_bot.x.bot_id
}
`, testDomain, visible, rotation)
}

// knownBotID checks, in a plan, that lineworks_bot.x's bot_id is known and
// is *id.
func knownBotID(id *int64) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue("lineworks_bot.x", tfjsonpath.New("bot_id"), knownvalue.StringFunc(func(v string) error { return sameID(v, *id) }))
}

// In every answer form, alone and all together: create, no diff; update,
// no diff (bot_id known in the plan, the bot and its registration updated
// in place, the secret rotated); fields changed outside (an administrator,
// the registration) show and are put back; a bot deleted outside is planned
// for creation with its registration and secret. Every apply is followed
// by a plan that must be empty (the testing framework checks it), and the
// data source reads the bot at each step.
func TestAccBotResources_everyAnswerForm(t *testing.T) {
	for name, forms := range answerForms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newFormsEnv(t, forms)
			var id, newID int64
			created := env.provider() + formsConfig(true, "1")
			updated := env.provider() + formsConfig(false, "2",
				`description = "Files and checks expense reports"`,
				`photo_url = "https://example.com/bot2.png"`,
				`administrators = `+hclList(testUsers[1:]),
				`allow_domains = `+hclInts(testDomain, testDomain2),
			)
			env.botTest(t,
				resource.TestStep{
					Config: created,
					ConfigStateChecks: []statecheck.StateCheck{
						// Every domain, whatever the service's spelling of it.
						statecheck.ExpectKnownValue("data.lineworks_bot.x", tfjsonpath.New("allow_domains"), knownvalue.Null()),
						// What only the service knows, from the create: an answer with
						// only the ID was completed by a read.
						statecheck.ExpectKnownValue("lineworks_bot.x", tfjsonpath.New("created_time"), knownvalue.StringRegexp(rfc3339)),
						statecheck.ExpectKnownValue("lineworks_bot.x", tfjsonpath.New("channel_events"), knownvalue.NotNull()),
					},
					Check: resource.ComposeTestCheckFunc(
						captureBotID("lineworks_bot.x", &id),
						resource.TestCheckResourceAttrPair("data.lineworks_bot.x", "bot_name", "lineworks_bot.x", "bot_name"),
						env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain, Visible: true}),
					),
				},
				resource.TestStep{
					// PATCH; then back to every domain, which only a PUT says.
					Config: updated,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
						knownBotID(&id),
						plancheck.ExpectResourceAction("lineworks_bot_domain.x", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("lineworks_bot_secret.x", plancheck.ResourceActionDestroyBeforeCreate),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.lineworks_bot.x", tfjsonpath.New("description"), knownvalue.StringExact("Files and checks expense reports")),
					},
					Check: resource.ComposeTestCheckFunc(
						env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain}),
						resource.TestCheckResourceAttrWith("lineworks_bot_secret.x", "secret", func(v string) error {
							if v == "" || v != env.emu.Bots.Secret(id) {
								return fmt.Errorf("the state's secret is not the bot's current one")
							}
							return nil
						}),
					),
				},
				resource.TestStep{
					Config: created,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
						knownBotID(&id),
					}},
					Check: func(*terraform.State) error {
						if b, err := env.emuBot(id); err != nil || b.AllowDomains != nil {
							return fmt.Errorf("allowDomains %v, %w: want every domain", b.AllowDomains, err)
						}
						return nil
					},
				},
				resource.TestStep{
					// An administrator and the registration changed in the
					// Developer Console show.
					PreConfig: func() {
						env.emu.Bots.Modify(id, func(b *lineworkstest.Bot) { b.Administrators = []string{testSubs[2]} })
						env.emu.Bots.SetDomain(id, lineworkstest.BotDomain{DomainID: testDomain, AllowToSelectedMember: true})
						env.emu.Requests.Reset()
					},
					Config: created,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
						knownBotID(&id),
						plancheck.ExpectResourceAction("lineworks_bot_domain.x", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("lineworks_bot_secret.x", plancheck.ResourceActionNoop),
					}},
					Check: resource.ComposeTestCheckFunc(
						env.expectPatch(&id, map[string]string{"administrators": fmt.Sprintf("[%q, %q]", testUsers[0], testUsers[1])}),
						env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain, Visible: true}),
					),
				},
				resource.TestStep{
					PreConfig: func() { env.emu.Bots.Remove(id) },
					Config:    created,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("lineworks_bot_domain.x", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("lineworks_bot_secret.x", plancheck.ResourceActionCreate),
					}},
					Check: resource.ComposeTestCheckFunc(
						captureBotID("lineworks_bot.x", &newID),
						func(*terraform.State) error {
							if newID == id || len(env.emu.Bots.List()) != 1 {
								return fmt.Errorf("bot %d after %d; the emulator holds %d bots", newID, id, len(env.emu.Bots.List()))
							}
							return nil
						},
						env.expectRegistrations(&newID, lineworkstest.BotDomain{DomainID: testDomain, Visible: true}),
					),
				},
			)
		})
	}
}

// An imported bot whose administrators and photo came back in other forms
// (user IDs, a rewritten URL) shows one update; after it the plan is empty.
func TestAccBot_importInOtherForms(t *testing.T) {
	t.Parallel()
	env := newFormsEnv(t, lineworkstest.AllAnswerForms())
	b, err := env.emu.Bots.Add(lineworkstest.Bot{
		BotName: "tf-acc-Expense bot", Description: "Files expense reports", PhotoURL: "https://example.com/bot.png",
		Administrators: testUsers[:2], Subadministrators: testSubs[:1],
		I18nPhotoURLs: []lineworkstest.I18nPhotoURL{{Language: "ja_JP", PhotoURL: "https://example.com/ja.png"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := b.BotID
	env.botTest(t, resource.TestStep{
		Config: env.provider() + botConfig("x",
			`administrators = `+hclList(testUsers[:2]),
			`subadministrators = `+hclList(testSubs[:1]),
			`i18n_photo_urls = { ja_JP = "https://example.com/ja.png" }`,
		) + fmt.Sprintf("\nimport {\n  to = lineworks_bot.x\n  id = %q\n}\n", strconv.FormatInt(id, 10)),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
			knownBotID(&id),
		}},
	})
}
