package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

func TestAccBotDataSource(t *testing.T) {
	env := newBotEnv(t)
	create := func(s lineworks.BotSettings) int64 {
		t.Helper()
		return env.createBot(t, s).BotID
	}
	base := lineworks.BotSettings{BotName: "tf-acc-Twin", Description: "One of two", PhotoURL: "https://example.com/twin.png", Administrators: []string{testAdmin}}
	twin1, twin2 := create(base), create(base)
	solo := base
	solo.BotName, solo.Description = "tf-acc-Expense bot", "Files expense reports"
	solo.Subadministrators = testSubs[:1]
	solo.AllowDomains = []int64{testDomain2}
	solo.EnableCallback, solo.CallbackURL, solo.CallbackEvents = true, "https://bots.example.com/callback", []string{"text"}
	solo.I18nBotNames = []lineworks.I18nBotName{{Language: "ja_JP", BotName: "経費ボット"}}
	soloID := create(solo)

	same := func(attr string) statecheck.StateCheck {
		return statecheck.CompareValuePairs("data.lineworks_bot.by_id", tfjsonpath.New(attr), "data.lineworks_bot.by_name", tfjsonpath.New(attr), compare.ValuesSame())
	}
	env.test(t,
		resource.TestStep{
			Config: env.provider() + fmt.Sprintf(`
data "lineworks_bot" "by_id" {
  bot_id = "%d"
}

data "lineworks_bot" "by_name" {
  bot_name = "tf-acc-Expense bot"
}
`, soloID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.lineworks_bot.by_name", tfjsonpath.New("bot_id"), knownvalue.StringExact(fmt.Sprint(soloID))),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("bot_name"), knownvalue.StringExact("tf-acc-Expense bot")),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("description"), knownvalue.StringExact("Files expense reports")),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("subadministrators"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(testSubs[0])})),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("allow_domains"), knownvalue.SetExact([]knownvalue.Check{knownvalue.Int64Exact(testDomain2)})),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("callback_url"), knownvalue.StringExact("https://bots.example.com/callback")),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("enable_callback"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("i18n_bot_names"), knownvalue.MapExact(map[string]knownvalue.Check{"ja_JP": knownvalue.StringExact("経費ボット")})),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("default_rich_menu_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.lineworks_bot.by_id", tfjsonpath.New("created_time"), knownvalue.StringRegexp(rfc3339)),
				same("description"), same("administrators"), same("channel_events"), same("modified_time"),
			},
		},
		resource.TestStep{
			Config:      env.provider() + `data "lineworks_bot" "x" { bot_name = "tf-acc-Twin" }`,
			ExpectError: errorText(fmt.Sprintf(`2 bots are named "tf-acc-Twin": IDs %d, %d. Use bot_id to choose one.`, min(twin1, twin2), max(twin1, twin2))),
		},
		resource.TestStep{
			Config:      env.provider() + `data "lineworks_bot" "x" { bot_name = "tf-acc-twin" }`,
			ExpectError: errorText(fmt.Sprintf(`None of the tenant's %d bots is named "tf-acc-twin" (names match exactly, case included)`, env.botCount(t))),
		},
		resource.TestStep{
			Config:      env.provider() + `data "lineworks_bot" "x" { bot_id = "99999999" }`,
			ExpectError: errorText("LINE WORKS bot not found", "The tenant has no bot 99999999"),
		},
	)
}
