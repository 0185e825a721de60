package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Every documented limit is refused at plan time, on the attribute, before
// anything reaches LINE WORKS.
func TestAccBot_planTimeValidation(t *testing.T) {
	env := newAccEnv(t)
	long := func(n int, s string) string { return strings.Repeat(s, n) }
	longURL := "https://example.com/" + long(1000-len("https://example.com/")+1, "a")
	cases := []struct {
		attr string // the line that breaks the limit
		want []string
	}{
		{`bot_name = "` + long(101, "b") + `"`, []string{"Invalid bot_name", "bot_name is 101 characters long: LINE WORKS takes a bot name of 1 to 100 characters."}},
		{`bot_name = ""`, []string{"bot_name is empty: LINE WORKS takes a bot name of 1 to 100 characters."}},
		{`bot_name = "two\nlines"`, []string{"Attribute bot_name", "must not contain line breaks: LINE WORKS replaces them with spaces"}},
		{`description = "` + long(101, "説") + `"`, []string{"description is 101 characters long: LINE WORKS takes a description of 1 to 100 characters."}},
		{`photo_url = "http://example.com/bot.png"`, []string{"Invalid https URL for LINE WORKS", "is not an absolute https URL", "LINE WORKS accepts https only"}},
		{`photo_url = "` + longURL + `"`, []string{"Invalid https URL for LINE WORKS", "is 1001 characters long; LINE WORKS accepts at most 1000"}},
		{`administrators = []`, []string{"Invalid administrators", "administrators is empty: a bot needs 1 to 3 administrators, user IDs or login e-mail addresses"}},
		{`administrators = ["a", "b", "c", "d"]`, []string{"administrators lists 4 users: a bot has 1 to 3 administrators. Keep 3, and make the others subadministrators (up to 3)."}},
		{`administrators = ["a", ""]`, []string{`administrators holds an empty string: give the user IDs or login e-mail addresses`}},
		{`subadministrators = ["a", "b", "c", "d"]`, []string{"subadministrators lists 4 users: a bot has at most 3 subadministrators."}},
		{`allow_domains = []`, []string{"Invalid allow_domains", "allow_domains is empty: leave it out to let every domain use the bot, or list the domain IDs."}},
		{`allow_domains = [10000001, 0]`, []string{"Invalid allow_domains", "0 is not a domain ID: domain IDs are positive numbers, such as 10000001"}},
		{`callback_url = "ftp://example.com/callback"`, []string{"Invalid https URL for LINE WORKS", "LINE WORKS accepts https only"}},
		{`callback_url = "` + longURL + `"`, []string{"is 1001 characters long; LINE WORKS accepts at most 1000"}},
		{`enable_callback = true`, []string{"Missing callback URL", "enable_callback is true, so LINE WORKS needs a callback_url"}},
		{`callback_events = ["text", "voice"]`, []string{"Invalid callback_events", `callback_events holds "voice", which is not a message type LINE WORKS sends to a bot: use "text", "location", "sticker", "image", "file", "audio" or "video".`}},
		{`channel_events = ["message", "typing"]`, []string{`channel_events holds "typing", which is not a channel event LINE WORKS sends: use "message", "join"`, `"postback", "begin" or "end".`}},
		{`channel_events = []`, []string{"channel_events is empty: leave it out for LINE WORKS's default (or to keep what the bot has), or list at least one event."}},
		{`default_rich_menu_id = ""`, []string{"default_rich_menu_id is empty: leave it out for no default rich menu, or give the rich menu's ID, such as 40001."}},
		{`i18n_bot_names = { fr_FR = "Bot" }`, []string{`i18n_bot_names has the key "fr_FR", which is not a language LINE WORKS takes: use "ko_KR", "ja_JP", "en_US", "zh_CN" or "zh_TW".`}},
		{`i18n_bot_names = { ja_JP = "` + long(101, "ボ") + `" }`, []string{`i18n_bot_names["ja_JP"] is 101 characters long: LINE WORKS takes a bot name of 1 to 100 characters.`}},
		{`i18n_bot_names = { en_US = "two\nlines" }`, []string{`Attribute i18n_bot_names["en_US"]`, "must not contain line breaks"}},
		{`i18n_descriptions = { ko_KR = "` + long(101, "d") + `" }`, []string{`i18n_descriptions["ko_KR"] is 101 characters long: LINE WORKS takes a description of 1 to 100 characters.`}},
		{`i18n_descriptions = { de_DE = "Bot" }`, []string{`i18n_descriptions has the key "de_DE", which is not a language LINE WORKS takes`}},
		{`i18n_photo_urls = { zh_TW = "http://example.com/tw.png" }`, []string{"Invalid https URL for LINE WORKS", "LINE WORKS accepts https only"}},
		{`i18n_photo_urls = { xx = "https://example.com/x.png" }`, []string{`i18n_photo_urls has the key "xx", which is not a language LINE WORKS takes`}},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      env.provider() + botConfig("x", c.attr),
			PlanOnly:    true,
			ExpectError: errorText(c.want...),
		})
	}
	steps = append(steps,
		resource.TestStep{
			Config: env.provider() + `
resource "lineworks_bot_domain" "x" {
  bot_id    = "bot-1"
  domain_id = 10000001
}`,
			PlanOnly:    true,
			ExpectError: errorText(`"bot-1" is not a LINE WORKS bot ID: expected the bot's number in decimal digits`),
		},
		resource.TestStep{
			Config: env.provider() + `
resource "lineworks_bot_domain" "x" {
  bot_id    = "2000001"
  domain_id = 0
}`,
			PlanOnly:    true,
			ExpectError: errorText("Invalid domain_id", "0 is not a domain ID: domain IDs are positive numbers, such as 10000001"),
		},
		resource.TestStep{
			Config:      env.provider() + `resource "lineworks_bot_secret" "x" { bot_id = "02000001" }`,
			PlanOnly:    true,
			ExpectError: errorText(`"02000001" is not a LINE WORKS bot ID`),
		},
		resource.TestStep{
			Config:      env.provider() + `data "lineworks_bot" "x" {}`,
			PlanOnly:    true,
			ExpectError: errorText("No attribute specified when one (and only one) of [bot_id,bot_name] is required"),
		},
		resource.TestStep{
			Config: env.provider() + `
data "lineworks_bot" "x" {
  bot_id   = "2000001"
  bot_name = "Expense bot"
}`,
			PlanOnly:    true,
			ExpectError: errorText("2 attributes specified when one (and only one) of [bot_id,bot_name] is required"),
		},
	)
	env.test(t, steps...)
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests reached the emulator: validation must happen before anything is sent", n)
	}
}

// botConfig is a lineworks_bot with the required arguments; each line of
// attrs replaces the argument of the same name or adds one.
func botConfig(name string, attrs ...string) string {
	args := map[string]string{
		"bot_name":       `"tf-acc-Expense bot"`,
		"description":    `"Files expense reports"`,
		"photo_url":      `"https://example.com/bot.png"`,
		"administrators": fmt.Sprintf("[%q]", testAdmin),
	}
	order := []string{"bot_name", "description", "photo_url", "administrators"}
	for _, a := range attrs {
		k, v, _ := strings.Cut(a, "=")
		k = strings.TrimSpace(k)
		if _, ok := args[k]; !ok {
			order = append(order, k)
		}
		args[k] = strings.TrimSpace(v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource \"lineworks_bot\" %q {\n", name)
	for _, k := range order {
		if v := args[k]; v != "-" {
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
		}
	}
	b.WriteString("}\n")
	return b.String()
}
