package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// oneAreaMenu is a rich menu of bot 2000001 whose one area has the action
// given (an HCL object), with more lines added.
func oneAreaMenu(action string, lines ...string) string {
	return fmt.Sprintf(`
resource "lineworks_bot_rich_menu" "x" {
  bot_id = "2000001"
  name   = "Menu"
  height = 843
  areas = [
    {
      bounds = { x = 0, y = 0, width = 2500, height = 843 }
      action = %s
    },
  ]
%s
}
`, action, strings.Join(lines, "\n"))
}

// Every rule the client knows for menus and their images is applied at plan
// time, each finding on the attribute at fault, before anything reaches LINE
// WORKS.
func TestAccBotMenus_planTimeValidation(t *testing.T) {
	env := newAccEnv(t)
	dir := t.TempDir()
	tall := writeFile(t, dir, "tall.png", lineworkstest.RichMenuPNG(1686))
	good := writeFile(t, dir, "good.png", lineworkstest.RichMenuPNG(843))
	huge := writeFile(t, dir, "huge.png", append(lineworkstest.RichMenuPNG(843), make([]byte, 1_000_000)...))
	text := writeFile(t, dir, "menu.txt", []byte("not an image"))
	long := func(n int) string { return strings.Repeat("ラ", n) }
	cases := []struct {
		config string
		want   []string
	}{
		{oneAreaMenu(`{ type = "uri", label = "Docs" }`), []string{"Invalid rich menu", "Attribute areas[0].action.uri is required for a uri action"}},
		{oneAreaMenu(`{ type = "uri", uri = "https://example.com", data = "x" }`), []string{"Attribute areas[0].action.data is not a field of a uri action: a uri action takes uri, label, i18n_labels"}},
		{oneAreaMenu(`{ type = "uri", uri = "ftp://example.com" }`), []string{"Attribute areas[0].action.uri", `"ftp://example.com" is not an absolute http or https URL`}},
		{oneAreaMenu(`{ type = "message", text = "hi", label = "` + long(21) + `" }`), []string{"Attribute areas[0].action.label is 21 characters long; LINE WORKS accepts at most 20"}},
		{oneAreaMenu(`{ type = "postback", data = "d", i18n_display_texts = { ja_JP = "" } }`), []string{`Attribute areas[0].action.i18n_display_texts["ja_JP"] is empty`}},
		{oneAreaMenu(`{ type = "postback", data = "d", i18n_labels = { fr_FR = "x" } }`), []string{`Attribute areas[0].action.i18n_labels["fr_FR"] value must be one of`}},
		{oneAreaMenu(`{ type = "open" }`), []string{`Attribute areas[0].action.type value must be one of: ["postback" "message" "uri" "copy"]`}},
		{strings.Replace(oneAreaMenu(`{ type = "message", text = "hi" }`), "x = 0, y = 0, width = 2500", "x = 100, y = 0, width = 2500", 1), []string{"Attribute areas[0].bounds x + width is 2600, beyond the menu's right edge at 2500"}},
		{strings.Replace(oneAreaMenu(`{ type = "message", text = "hi" }`), "height = 843 }", "height = 900 }", 1), []string{"Attribute areas[0].bounds y + height is 900, beyond the bottom edge of a menu 843 pixels high"}},
		{strings.Replace(oneAreaMenu(`{ type = "message", text = "hi" }`), "height = 843\n", "height = 900\n", 1), []string{`Attribute height value must be one of: ["843" "1686"], got: 900`}},
		{strings.Replace(oneAreaMenu(`{ type = "message", text = "hi" }`), `"Menu"`, `"`+long(301)+`"`, 1), []string{"Invalid rich menu name", "is 301 characters long; LINE WORKS accepts at most 300"}},
		{oneAreaMenu(`{ type = "message", text = "hi" }`, `image_path = "`+tall+`"`), []string{"Invalid rich menu image", "is 2500 × 1686 pixels; a rich menu 843 pixels high needs an image of exactly 2500 × 843"}},
		{oneAreaMenu(`{ type = "message", text = "hi" }`, `image_path = "`+huge+`"`), []string{"Invalid rich menu image", "a rich menu image may be at most 1 MB (1000000 bytes)"}},
		{oneAreaMenu(`{ type = "message", text = "hi" }`, `image_path = "`+good+`"`, `i18n_image_paths = { ja_JP = "`+text+`" }`), []string{"Invalid rich menu image", "the ja_JP image", "is not a JPEG or PNG image"}},
		{oneAreaMenu(`{ type = "message", text = "hi" }`, `image_path = "`+dir+`/missing.png"`), []string{"Invalid rich menu image", "cannot be read", "The image is read when Terraform plans"}},
		{oneAreaMenu(`{ type = "message", text = "hi" }`, `i18n_image_paths = { ja_JP = "`+good+`" }`), []string{`Attribute "image_path" must be specified when "i18n_image_paths" is specified`}},
		{persistentMenuConfig(2000001, `{ type = "postback", label = "x" }`), []string{`Attribute actions[0].type value must be one of: ["message" "uri" "copy"]`}},
		{persistentMenuConfig(2000001, `{ type = "message", label = "two\nlines" }`), []string{"Invalid persistent menu", "Attribute actions[0].label contains a newline, which LINE WORKS replaces with a space"}},
		{persistentMenuConfig(2000001, `{ type = "copy", label = "Code" }`), []string{"Attribute actions[0].copy_text is required for a copy action"}},
		{persistentMenuConfig(2000001, `{ type = "message", label = "x", i18n_texts = { en_US = "`+strings.Repeat("t", 301)+`" } }`), []string{`Attribute actions[0].i18n_texts["en_US"] is 301 characters long; LINE WORKS accepts at most 300`}},
		{persistentMenuConfig(2000001, docsButton, docsButton, docsButton, docsButton, docsButton), []string{"Attribute actions list must contain at least 1 elements and at most 4 elements, got: 5"}},
		{`resource "lineworks_bot_default_rich_menu" "x" {
  bot_id       = "2000001"
  rich_menu_id = "40001/x"
}`, []string{"Invalid LINE WORKS rich menu ID", `"40001/x" is not a LINE WORKS rich menu ID`}},
		{`resource "lineworks_bot_user_rich_menu" "x" {
  bot_id       = "2000001"
  user_id      = "a user"
  rich_menu_id = "40001"
}`, []string{"Invalid LINE WORKS user ID or login ID", `"a user" is not a LINE WORKS user ID`}},
		{`resource "lineworks_bot_domain_member" "x" {
  bot_id    = "2000001"
  domain_id = 0
  user_id   = "admin@example.com"
}`, []string{"Attribute domain_id value must be at least 1, got: 0"}},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: env.provider() + c.config, PlanOnly: true, ExpectError: errorText(c.want...)})
	}
	env.test(t, steps...)
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests reached the emulator: validation must happen before anything is sent", n)
	}
}
