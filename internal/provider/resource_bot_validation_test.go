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
		{`bot_name = "` + long(101, "b") + `"`, []string{"Attribute bot_name UTF-8 character count must be between 1 and 100, got: 101"}},
		{`bot_name = ""`, []string{"Attribute bot_name UTF-8 character count must be between 1 and 100, got: 0"}},
		{`bot_name = "two\nlines"`, []string{"Attribute bot_name", "must not contain line breaks: LINE WORKS replaces them with spaces"}},
		{`description = "` + long(101, "説") + `"`, []string{"Attribute description UTF-8 character count must be between 1 and 100, got: 101"}},
		{`photo_url = "http://example.com/bot.png"`, []string{"Invalid https URL for LINE WORKS", "is not an absolute https URL", "LINE WORKS accepts https only"}},
		{`photo_url = "` + longURL + `"`, []string{"Invalid https URL for LINE WORKS", "is 1001 characters long; LINE WORKS accepts at most 1000"}},
		{`administrators = []`, []string{"Attribute administrators set must contain at least 1 elements and at most 3 elements, got: 0"}},
		{`administrators = ["a", "b", "c", "d"]`, []string{"Attribute administrators set must contain at least 1 elements and at most 3 elements, got: 4"}},
		{`subadministrators = ["a", "b", "c", "d"]`, []string{"Attribute subadministrators set must contain at most 3 elements, got: 4"}},
		{`allow_domains = []`, []string{"Attribute allow_domains set must contain at least 1 elements, got: 0"}},
		{`callback_url = "ftp://example.com/callback"`, []string{"Invalid https URL for LINE WORKS", "LINE WORKS accepts https only"}},
		{`callback_url = "` + longURL + `"`, []string{"is 1001 characters long; LINE WORKS accepts at most 1000"}},
		{`enable_callback = true`, []string{"Missing callback URL", "enable_callback is true, so LINE WORKS needs a callback_url"}},
		{`callback_events = ["text", "voice"]`, []string{`Attribute callback_events[Value("voice")] value must be one of`, `"text"`, `"video"`}},
		{`channel_events = ["message", "typing"]`, []string{`Attribute channel_events[Value("typing")] value must be one of`, `"postback"`}},
		{`channel_events = []`, []string{"Attribute channel_events set must contain at least 1 elements, got: 0"}},
		{`default_rich_menu_id = ""`, []string{"Attribute default_rich_menu_id string length must be at least 1, got: 0"}},
		{`i18n_bot_names = { fr_FR = "Bot" }`, []string{`Attribute i18n_bot_names["fr_FR"] value must be one of: ["ko_KR" "ja_JP" "en_US" "zh_CN" "zh_TW"], got: "fr_FR"`}},
		{`i18n_bot_names = { ja_JP = "` + long(101, "ボ") + `" }`, []string{`Attribute i18n_bot_names["ja_JP"] UTF-8 character count must be between 1 and 100, got: 101`}},
		{`i18n_bot_names = { en_US = "two\nlines" }`, []string{`Attribute i18n_bot_names["en_US"]`, "must not contain line breaks"}},
		{`i18n_descriptions = { ko_KR = "` + long(101, "d") + `" }`, []string{`Attribute i18n_descriptions["ko_KR"] UTF-8 character count must be between 1 and 100, got: 101`}},
		{`i18n_descriptions = { de_DE = "Bot" }`, []string{`Attribute i18n_descriptions["de_DE"] value must be one of`, `got: "de_DE"`}},
		{`i18n_photo_urls = { zh_TW = "http://example.com/tw.png" }`, []string{"Invalid https URL for LINE WORKS", "LINE WORKS accepts https only"}},
		{`i18n_photo_urls = { xx = "https://example.com/x.png" }`, []string{`Attribute i18n_photo_urls["xx"] value must be one of`, `got: "xx"`}},
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
			ExpectError: errorText("Attribute domain_id value must be at least 1, got: 0"),
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
