package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Domains of the emulated tenant the bot tests use, beside the default one
// (a real tenant's: acc_tenant_test.go).
var (
	testDomain  = lineworkstest.DefaultDomainID
	testDomain2 = lineworkstest.DefaultDomainID + 1
	testDomain3 = lineworkstest.DefaultDomainID + 2
)

// Users of the emulated tenant: three administrators and three
// subadministrators (a real tenant's: acc_tenant_test.go).
var (
	testAdmin  = lineworkstest.DefaultUsers[0]
	testUsers  = []string{testAdmin, "sato@example.com", "suzuki@example.com"}
	testSubs   = []string{"tanaka@example.com", "ito@example.com", "watanabe@example.com"}
	allDomains = []int64{testDomain, testDomain2, testDomain3}
)

// captureBotID stores the bot_id of the resource at addr.
func captureBotID(addr string, dst *int64) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(addr, "bot_id", func(v string) error {
		id, err := strconv.ParseInt(v, 10, 64)
		*dst = id
		return err
	})
}

// jsonEqual compares JSON values; arrays compare as sets, as Terraform sets
// do not keep an order.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(sortArrays(x), sortArrays(y))
}

func sortArrays(v any) any {
	switch v := v.(type) {
	case []any:
		for i := range v {
			v[i] = sortArrays(v[i])
		}
		slices.SortFunc(v, func(a, b any) int {
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			return strings.Compare(string(ja), string(jb))
		})
		return v
	case map[string]any:
		for k := range v {
			v[k] = sortArrays(v[k])
		}
	}
	return v
}

func hclList(v []string) string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func hclInts(v ...int64) string {
	q := make([]string, len(v))
	for i, n := range v {
		q[i] = strconv.FormatInt(n, 10)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func sorted[T interface{ ~string | ~int64 }](v []T) []T { return slices.Sorted(slices.Values(v)) }

// fullDescription is 100 characters, the limit, in Japanese: lengths count
// characters, not bytes.
var fullDescription = strings.Repeat("経", 100)

// Create with every attribute, import both ways, update each attribute in
// place (nothing replaces a bot), remove optional ones, destroy.
func TestAccBot_lifecycle(t *testing.T) {
	env := newBotEnv(t)
	const addr = "lineworks_bot.x"
	var id int64
	full := botConfig("x",
		`bot_name = "tf-acc-Expense bot"`,
		`description = "`+fullDescription+`"`,
		`photo_url = "https://example.com/bot.png"`,
		`administrators = `+hclList(testUsers),
		`subadministrators = `+hclList(testSubs),
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
	changed := botConfig("x",
		`bot_name = "tf-acc-Expense bot 2"`,
		`description = "Files expense reports"`,
		`photo_url = "https://example.com/bot2.png"`,
		`administrators = `+hclList(testUsers[:1]),
		`subadministrators = `+hclList(testSubs[2:]),
		`allow_domains = `+hclInts(testDomain),
		`enable_callback = false`,
		`callback_url = "https://bots.example.com/callback2"`,
		`callback_events = ["text"]`,
		`channel_events = ["message"]`,
		`enable_group_join = false`,
		`default_rich_menu_id = "40002"`,
		`i18n_bot_names = { ja_JP = "経費ボット2" }`,
		`i18n_descriptions = { ko_KR = "경비" }`,
		`i18n_photo_urls = { ko_KR = "https://example.com/ko2.png", zh_CN = "https://example.com/cn.png" }`,
	)
	descriptionOnly := strings.Replace(changed, `"Files expense reports"`, `"Files and checks expense reports"`, 1)
	removed := botConfig("x",
		`bot_name = "tf-acc-Expense bot 2"`,
		`description = "Files and checks expense reports"`,
		`photo_url = "https://example.com/bot2.png"`,
		`administrators = `+hclList(testUsers[:1]),
		`allow_domains = `+hclInts(testDomain),
		`default_rich_menu_id = "40002"`,
	)
	allDomainsAgain := botConfig("x",
		`bot_name = "tf-acc-Expense bot 2"`,
		`description = "Files and checks expense reports"`,
		`photo_url = "https://example.com/bot2.png"`,
		`administrators = `+hclList(testUsers[:1]),
	)
	updateInPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}

	env.botTest(t,
		resource.TestStep{
			Config: env.provider() + full,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("bot_name"), knownvalue.StringExact("tf-acc-Expense bot")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact(fullDescription)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("administrators"), knownvalue.SetExact(stringChecks(testUsers))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("subadministrators"), knownvalue.SetExact(stringChecks(testSubs))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_domains"), knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(testDomain), knownvalue.Int64Exact(testDomain2)})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("channel_events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("message"), knownvalue.StringExact("join")})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("i18n_bot_names"), knownvalue.MapExact(map[string]knownvalue.Check{
					"ja_JP": knownvalue.StringExact("経費ボット"), "en_US": knownvalue.StringExact("Expense bot (en)"),
				})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_time"), knownvalue.StringRegexp(rfc3339)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("modified_time"), knownvalue.StringRegexp(rfc3339)),
			},
			Check: resource.ComposeTestCheckFunc(captureBotID(addr, &id), func(*terraform.State) error {
				b, err := env.emuBot(id)
				if err != nil {
					return err
				}
				want := lineworkstest.Bot{
					BotID: id, BotName: "tf-acc-Expense bot", Description: fullDescription, PhotoURL: "https://example.com/bot.png",
					Administrators: sorted(testUsers), Subadministrators: sorted(testSubs), AllowDomains: []int64{testDomain, testDomain2},
					EnableCallback: true, CallbackURL: "https://bots.example.com/callback", CallbackEvents: []string{"image", "text"},
					ChannelEvents: []string{"join", "message"}, EnableGroupJoin: true, DefaultRichmenuID: "40001",
				}
				return compareBot(b, want, map[string]string{"ja_JP": "経費ボット", "en_US": "Expense bot (en)"}, map[string]string{"ja_JP": "経費精算"}, map[string]string{"ko_KR": "https://example.com/ko.png"})
			}),
		},
		resource.TestStep{
			ResourceName:                         addr,
			ImportState:                          true,
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "bot_id",
			ImportStateIdFunc:                    func(*terraform.State) (string, error) { return strconv.FormatInt(id, 10), nil },
		},
		resource.TestStep{
			Config:                               env.provider() + full,
			ResourceName:                         addr,
			ImportState:                          true,
			ImportStateKind:                      resource.ImportBlockWithID,
			ImportStateVerifyIdentifierAttribute: "bot_id",
			ImportStateIdFunc:                    func(*terraform.State) (string, error) { return strconv.FormatInt(id, 10), nil },
		},
		resource.TestStep{
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: "Expense bot",
			ExpectError:   errorText(`"Expense bot" is not a LINE WORKS bot ID`, "Import a bot by its ID"),
		},
		resource.TestStep{
			// Every attribute changes, in place, in one PATCH.
			PreConfig:         env.resetRequests,
			Config:            env.provider() + changed,
			ConfigPlanChecks:  updateInPlace,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, tfjsonpath.New("bot_id"), knownvalue.StringFunc(func(v string) error { return sameID(v, id) }))},
			Check: resource.ComposeTestCheckFunc(
				env.expectPatch(&id, map[string]string{
					"botName":           `"tf-acc-Expense bot 2"`,
					"description":       `"Files expense reports"`,
					"photoUrl":          `"https://example.com/bot2.png"`,
					"administrators":    fmt.Sprintf("[%q]", testUsers[0]),
					"subadministrators": fmt.Sprintf("[%q]", testSubs[2]),
					"allowDomains":      hclInts(testDomain),
					"enableCallback":    "false",
					"callbackUrl":       `"https://bots.example.com/callback2"`,
					"callbackEvents":    `["text"]`,
					"channelEvents":     `["message"]`,
					"enableGroupJoin":   "false",
					"defaultRichmenuId": `"40002"`,
					"i18nBotNames":      `[{"language":"ja_JP","botName":"経費ボット2"}]`,
					"i18nDescriptions":  `[{"language":"ko_KR","description":"경비"}]`,
					"i18nPhotoUrls":     `[{"language":"ko_KR","photoUrl":"https://example.com/ko2.png"},{"language":"zh_CN","photoUrl":"https://example.com/cn.png"}]`,
				}),
				func(*terraform.State) error {
					b, err := env.emuBot(id)
					if err != nil {
						return err
					}
					want := lineworkstest.Bot{
						BotID: id, BotName: "tf-acc-Expense bot 2", Description: "Files expense reports", PhotoURL: "https://example.com/bot2.png",
						Administrators: testUsers[:1], Subadministrators: testSubs[2:], AllowDomains: []int64{testDomain},
						CallbackURL: "https://bots.example.com/callback2", CallbackEvents: []string{"text"}, ChannelEvents: []string{"message"},
						DefaultRichmenuID: "40002",
					}
					return compareBot(b, want, map[string]string{"ja_JP": "経費ボット2"}, map[string]string{"ko_KR": "경비"},
						map[string]string{"ko_KR": "https://example.com/ko2.png", "zh_CN": "https://example.com/cn.png"})
				},
			),
		},
		resource.TestStep{
			// One attribute: one field in the PATCH.
			PreConfig:        env.resetRequests,
			Config:           env.provider() + descriptionOnly,
			ConfigPlanChecks: updateInPlace,
			Check:            env.expectPatch(&id, map[string]string{"description": `"Files and checks expense reports"`}),
		},
		resource.TestStep{
			// Removing optional arguments clears them; channel_events, left
			// out, keeps what the bot has.
			PreConfig:        env.resetRequests,
			Config:           env.provider() + removed,
			ConfigPlanChecks: updateInPlace,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("channel_events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("message")})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("callback_url"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("subadministrators"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("i18n_photo_urls"), knownvalue.Null()),
			},
			Check: resource.ComposeTestCheckFunc(
				env.expectPatch(&id, map[string]string{
					"subadministrators": `[]`,
					"callbackUrl":       `""`,
					"callbackEvents":    `[]`,
					"i18nBotNames":      `[]`,
					"i18nDescriptions":  `[]`,
					"i18nPhotoUrls":     `[]`,
				}),
				func(*terraform.State) error {
					b, err := env.emuBot(id)
					if err != nil {
						return err
					}
					if b.CallbackURL != "" || len(b.Subadministrators) != 0 || len(b.CallbackEvents) != 0 || len(b.I18nBotNames) != 0 || len(b.I18nPhotoURLs) != 0 {
						return fmt.Errorf("the emulator still holds removed values: %+v", b)
					}
					return nil
				},
			),
		},
		resource.TestStep{
			// Back to every domain: a PATCH cannot say that, so the whole bot
			// is PUT. default_rich_menu_id left out is no longer managed here
			// (lineworks_bot_default_rich_menu may manage it): the PUT keeps it.
			PreConfig:        env.resetRequests,
			Config:           env.provider() + allDomainsAgain,
			ConfigPlanChecks: updateInPlace,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("allow_domains"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("default_rich_menu_id"), knownvalue.StringExact("40002")),
			},
			Check: env.onEmulator(func(*terraform.State) error {
				if n := len(env.botRequests("PATCH", id)); n != 0 {
					return fmt.Errorf("%d PATCHes, want none", n)
				}
				puts := env.botRequests("PUT", id)
				if len(puts) != 1 {
					return fmt.Errorf("%d PUTs, want 1", len(puts))
				}
				var body map[string]json.RawMessage
				if err := json.Unmarshal(puts[0].Body, &body); err != nil {
					return err
				}
				if _, ok := body["allowDomains"]; ok {
					return fmt.Errorf("the PUT sent allowDomains: %s", puts[0].Body)
				}
				if !jsonEqual(body["channelEvents"], []byte(`["message"]`)) {
					return fmt.Errorf("the PUT must keep the bot's channelEvents: %s", puts[0].Body)
				}
				b, err := env.emuBot(id)
				if err != nil {
					return err
				}
				if b.AllowDomains != nil || b.DefaultRichmenuID != "40002" {
					return fmt.Errorf("allowDomains %v, defaultRichmenuId %q after the PUT", b.AllowDomains, b.DefaultRichmenuID)
				}
				return nil
			}, "the requests sent"),
		},
	)
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

func sameID(v string, id int64) error {
	if v != strconv.FormatInt(id, 10) {
		return fmt.Errorf("bot_id %s, want %d: the bot must be updated in place", v, id)
	}
	return nil
}

func stringChecks(v []string) []knownvalue.Check {
	out := make([]knownvalue.Check, len(v))
	for i, s := range v {
		out[i] = knownvalue.StringExact(s)
	}
	return out
}

// compareBot compares the emulator's bot with want, lists as sets, and its
// i18n lists with maps keyed by language.
func compareBot(got, want lineworkstest.Bot, names, descriptions, photos map[string]string) error {
	gotNames, gotDescriptions, gotPhotos := map[string]string{}, map[string]string{}, map[string]string{}
	for _, v := range got.I18nBotNames {
		gotNames[v.Language] = v.BotName
	}
	for _, v := range got.I18nDescriptions {
		gotDescriptions[v.Language] = v.Description
	}
	for _, v := range got.I18nPhotoURLs {
		gotPhotos[v.Language] = v.PhotoURL
	}
	if !maps.Equal(gotNames, names) || !maps.Equal(gotDescriptions, descriptions) || !maps.Equal(gotPhotos, photos) {
		return fmt.Errorf("i18n values %v %v %v, want %v %v %v", gotNames, gotDescriptions, gotPhotos, names, descriptions, photos)
	}
	got.I18nBotNames, got.I18nDescriptions, got.I18nPhotoURLs = nil, nil, nil
	got.CreatedTime, got.ModifiedTime = want.CreatedTime, want.ModifiedTime
	for _, s := range []*[]string{&got.Administrators, &got.Subadministrators, &got.CallbackEvents, &got.ChannelEvents, &want.Administrators, &want.Subadministrators, &want.CallbackEvents, &want.ChannelEvents} {
		*s = nilIfNone(sorted(*s))
	}
	got.AllowDomains, want.AllowDomains = nilIfNone(sorted(got.AllowDomains)), nilIfNone(sorted(want.AllowDomains))
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("the emulator holds\n%+v\nwant\n%+v", got, want)
	}
	return nil
}

func nilIfNone[T any](v []T) []T {
	if len(v) == 0 {
		return nil
	}
	return v
}

// A bot changed outside Terraform shows as a change and is put back; a bot
// deleted outside Terraform takes its registration and secret with it, and
// all three are planned for creation.
func TestAccBot_drift(t *testing.T) {
	env := newBotEnv(t)
	var id, newID int64
	config := env.provider() + botConfig("x", `enable_group_join = true`) + fmt.Sprintf(`
resource "lineworks_bot_domain" "x" {
  bot_id    = lineworks_bot.x.bot_id
  domain_id = %d
}

resource "lineworks_bot_secret" "x" {
  bot_id = lineworks_bot.x.bot_id
}
`, testDomain)
	env.botTest(t,
		resource.TestStep{
			Config: config,
			Check:  captureBotID("lineworks_bot.x", &id),
		},
		resource.TestStep{
			PreConfig: func() {
				if !env.emu.Bots.Modify(id, func(b *lineworkstest.Bot) {
					b.Description = "Changed in the Developer Console"
					b.EnableGroupJoin = false
				}) {
					t.Fatal("Bots.Modify found no bot")
				}
				env.emu.Requests.Reset()
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("lineworks_bot_domain.x", plancheck.ResourceActionNoop),
				plancheck.ExpectResourceAction("lineworks_bot_secret.x", plancheck.ResourceActionNoop),
				plancheck.ExpectUnknownValue("lineworks_bot.x", tfjsonpath.New("modified_time")),
			}},
			Check: resource.ComposeTestCheckFunc(
				env.expectPatch(&id, map[string]string{"description": `"Files expense reports"`, "enableGroupJoin": "true"}),
				func(*terraform.State) error {
					b, err := env.emuBot(id)
					if err != nil {
						return err
					}
					if b.Description != "Files expense reports" || !b.EnableGroupJoin {
						return fmt.Errorf("the drift was not put back: %+v", b)
					}
					return nil
				},
			),
		},
		resource.TestStep{
			PreConfig: func() {
				if !env.emu.Bots.Remove(id) {
					t.Fatal("Bots.Remove found no bot")
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("lineworks_bot_domain.x", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("lineworks_bot_secret.x", plancheck.ResourceActionCreate),
			}},
			Check: resource.ComposeTestCheckFunc(
				captureBotID("lineworks_bot.x", &newID),
				resource.TestCheckResourceAttrWith("lineworks_bot_secret.x", "secret", func(v string) error {
					if newID == id {
						return fmt.Errorf("the new bot has the old ID %d", id)
					}
					if want := env.emu.Bots.Secret(newID); v != want || v == "" {
						return fmt.Errorf("the state's secret is not the new bot's current secret")
					}
					if d := env.emu.Bots.Domains(newID); len(d) != 1 || d[0].DomainID != testDomain {
						return fmt.Errorf("registrations of the new bot: %+v", d)
					}
					return nil
				}),
			),
		},
	)
}

// With only bot.read, the data source works and a bot cannot be created:
// the plan says so, naming the scope to add.
func TestAccBot_scopes(t *testing.T) {
	env := newBotEnv(t)
	env.needsScopes(t, "bot.read")
	b := env.createBot(t, lineworks.BotSettings{BotName: "tf-acc-Existing", Description: "Made elsewhere", PhotoURL: "https://example.com/e.png", Administrators: []string{testAdmin}})
	readOnly := env.provider(`  scopes = ["bot.read"]`)
	env.test(t,
		resource.TestStep{
			Config: readOnly + fmt.Sprintf(`data "lineworks_bot" "x" { bot_id = "%d" }`, b.BotID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lineworks_bot.x", tfjsonpath.New("bot_name"), knownvalue.StringExact("tf-acc-Existing")),
			},
		},
		resource.TestStep{
			Config:      readOnly + botConfig("x"),
			ExpectError: errorText("LINE WORKS scope missing: bot", `issues its tokens for scopes = ["bot.read"]`, `Add "bot" to that block's scopes`),
		},
	)
}

// A bot of the same name already at the service (most often one an
// interrupted apply created) is not created again: the error names it, with
// its ID and creation time, and the import command. allow_duplicate_name
// creates another all the same.
func TestAccBot_duplicateName(t *testing.T) {
	env := newBotEnv(t)
	existing, err := env.emu.Bots.Add(lineworkstest.Bot{BotName: "tf-acc-Expense bot", Description: "Made elsewhere", PhotoURL: "https://example.com/e.png", Administrators: []string{testAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	env.test(t,
		resource.TestStep{
			Config: env.provider() + botConfig("x"),
			ExpectError: errorText("A LINE WORKS bot of this name exists already",
				fmt.Sprintf(`The tenant already has a bot named "tf-acc-Expense bot": bot %d, created at %s`, existing.BotID, existing.CreatedTime.UTC().Format("2006-01-02T15:04:05Z")),
				"interrupted apply", fmt.Sprintf("terraform import <this resource's address> %d", existing.BotID), "set allow_duplicate_name = true"),
		},
		resource.TestStep{
			PreConfig: func() {
				for _, r := range env.emu.Requests.All() {
					if r.Method == http.MethodPost && r.Path == "/v1.0/bots" {
						t.Fatal("the refused create was sent")
					}
				}
			},
			Config: env.provider() + botConfig("x", `allow_duplicate_name = true`),
			Check: func(*terraform.State) error {
				if n := len(env.emu.Bots.List()); n != 2 {
					return fmt.Errorf("%d bots, want the existing one and a new one", n)
				}
				return nil
			},
		},
	)
}
