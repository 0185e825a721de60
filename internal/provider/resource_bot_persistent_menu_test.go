package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// persistentMenuConfig is a persistent menu of bot botID with the actions
// given (HCL objects).
func persistentMenuConfig(botID int64, actions ...string) string {
	body := ""
	for _, a := range actions {
		body += "    " + a + ",\n"
	}
	return fmt.Sprintf(`
resource "lineworks_bot_persistent_menu" "x" {
  bot_id  = "%d"
  actions = [
%s  ]
}
`, botID, body)
}

var (
	helpButton = `{ type = "message", label = "Help", text = "help", postback = "pb-help", i18n_labels = { ja_JP = "ヘルプ" }, i18n_texts = { ja_JP = "ヘルプ" } }`
	docsButton = `{ type = "uri", label = "Docs", uri = "https://example.com/docs" }`
	codeButton = `{ type = "copy", label = "Code", copy_text = "ABC-123" }`
)

// expectPersistentLabels checks the labels of the bot's persistent menu at
// the emulator.
func (e *accEnv) expectPersistentLabels(botID int64, labels ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		menu, ok := e.emu.Menus.PersistentMenu(botID)
		if !ok {
			return fmt.Errorf("bot %d has no persistent menu", botID)
		}
		var got []string
		for _, a := range menu.Actions {
			got = append(got, a.Label)
		}
		if fmt.Sprint(got) != fmt.Sprint(labels) {
			return fmt.Errorf("persistent menu labels %v, want %v", got, labels)
		}
		return nil
	}
}

// Create, change in place (the whole menu sent again), a change outside
// Terraform shown and undone, import, deleted outside and created again,
// destroy.
func TestAccBotPersistentMenu_lifecycle(t *testing.T) {
	forEachMenuForm(t, func(t *testing.T, env *accEnv) {
		botID := env.seedBot(t, "tf-acc-menu-bot")
		const addr = "lineworks_bot_persistent_menu.x"
		changed := env.provider() + persistentMenuConfig(botID, `{ type = "message", label = "Help me" }`, codeButton)
		env.menuTest(t, []*int64{&botID},
			resource.TestStep{
				Config: env.provider() + persistentMenuConfig(botID, helpButton, docsButton, codeButton),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("actions").AtSliceIndex(0).AtMapKey("i18n_texts"), knownvalue.MapExact(map[string]knownvalue.Check{"ja_JP": knownvalue.StringExact("ヘルプ")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("actions").AtSliceIndex(1).AtMapKey("text"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectPersistentLabels(botID, "Help", "Docs", "Code"),
					func(*terraform.State) error {
						m, _ := env.emu.Menus.PersistentMenu(botID)
						if a := m.Actions[0]; a.Text != "help" || a.Postback != "pb-help" || len(a.I18nLabels) != 1 {
							return fmt.Errorf("first button %+v", a)
						}
						return nil
					},
				),
			},
			resource.TestStep{
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: env.expectPersistentLabels(botID, "Help me", "Code"),
			},
			resource.TestStep{
				// Changed outside Terraform: shown, and set back.
				PreConfig: func() {
					err := env.client(t).SetPersistentMenu(context.Background(), botID, lineworks.PersistentMenu{Actions: []lineworks.MenuAction{{Type: lineworks.ActionMessage, Label: "Other"}}})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: env.expectPersistentLabels(botID, "Help me", "Code"),
			},
			resource.TestStep{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "bot_id",
				ImportStateId:                        fmt.Sprint(botID),
			},
			resource.TestStep{
				Config:          changed,
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   fmt.Sprint(botID),
			},
			resource.TestStep{
				// Deleted outside Terraform: created again.
				PreConfig: func() {
					if !env.emu.Menus.RemovePersistentMenu(botID) {
						t.Fatal("no persistent menu to remove")
					}
				},
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: env.expectPersistentLabels(botID, "Help me", "Code"),
			},
		)
	})
}

// A bot has rich menus or a persistent menu. A configuration that gives one
// bot both is refused at plan time; a persistent menu on a bot that has rich
// menus made outside Terraform is refused by LINE WORKS, with an error that
// says why and what to do; a rich menu made outside Terraform deletes the
// persistent menu, which the next plan shows.
func TestAccBotPersistentMenu_excludesRichMenus(t *testing.T) {
	env := newBotEnv(t)
	botID, otherID := env.seedBot(t, "tf-acc-menu-bot"), env.seedBot(t, "tf-acc-other-bot")
	other := persistentMenuConfig(otherID, docsButton)
	other = strings.Replace(other, `"lineworks_bot_persistent_menu" "x"`, `"lineworks_bot_persistent_menu" "other"`, 1)
	withMenu := env.provider() + other + persistentMenuConfig(botID, helpButton)
	var outside string
	makeRichMenu := func() {
		menu, err := env.client(t).CreateRichMenu(context.Background(), botID, lineworks.RichMenuSettings{
			Name: "tf-acc-made-in-the-console", Size: lineworks.RichMenuSize{Width: 2500, Height: 843},
			Areas: []lineworks.RichMenuArea{{Bounds: lineworks.RichMenuBounds{Width: 2500, Height: 843}, Action: lineworks.MenuAction{Type: "message", Text: "hi"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		outside = menu.ID
	}
	deleteRichMenu := func() {
		if !env.emu.Menus.RemoveRichMenu(botID, outside) {
			t.Fatalf("no rich menu %s to remove", outside)
		}
	}
	refused := errorText("LINE WORKS bot has rich menus",
		fmt.Sprintf("LINE WORKS refused the persistent menu of bot %d", botID),
		"A bot has a persistent menu or rich menus, never both",
		"Destroy the bot's lineworks_bot_rich_menu resources")
	env.menuTest(t, []*int64{&botID, &otherID},
		resource.TestStep{
			Config:   env.provider() + richMenuConfig("main", botID, "tf-acc-main") + persistentMenuConfig(botID, helpButton),
			PlanOnly: true,
			ExpectError: errorText("Rich menus and a persistent menu for one LINE WORKS bot",
				fmt.Sprintf("gives bot %d both rich menus (lineworks_bot_rich_menu) and a persistent menu", botID),
				"Keep one kind for this bot"),
		},
		resource.TestStep{
			// Another bot's persistent menu is no conflict.
			Config: env.provider() + richMenuConfig("main", botID, "tf-acc-main") + other,
			Check:  env.expectPersistentLabels(otherID, "Docs"),
		},
		resource.TestStep{
			PreConfig:   makeRichMenu,
			Config:      withMenu,
			ExpectError: refused,
		},
		resource.TestStep{
			PreConfig: deleteRichMenu,
			Config:    withMenu,
			Check:     env.expectPersistentLabels(botID, "Help"),
		},
		resource.TestStep{
			// A rich menu made outside Terraform deleted the persistent menu.
			PreConfig: makeRichMenu,
			Config:    withMenu,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot_persistent_menu.x", plancheck.ResourceActionCreate),
			}},
			ExpectError: refused,
		},
		resource.TestStep{
			PreConfig: deleteRichMenu,
			Config:    withMenu,
			Check:     env.expectPersistentLabels(botID, "Help"),
		},
		resource.TestStep{
			// Back to a rich menu, which deletes the persistent menu...
			Config: env.provider() + richMenuConfig("main", botID, "tf-acc-main") + other,
		},
		resource.TestStep{
			// ...and to the persistent menu again in one apply: the rich
			// menu's destroy and the persistent menu's create run at once,
			// and the create waits for the rich menu to go.
			Config: withMenu,
			Check:  env.expectPersistentLabels(botID, "Help"),
		},
	)
}
