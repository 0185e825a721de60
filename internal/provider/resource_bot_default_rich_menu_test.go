package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// assignmentConfig is two rich menus of bot botID, the default pointing at
// defaultMenu and user's own at userMenu ("main" or "alt").
func assignmentConfig(env *accEnv, botID int64, user, defaultMenu, userMenu string) string {
	return env.provider() + richMenuConfig("main", botID, "tf-acc-main") + richMenuConfig("alt", botID, "tf-acc-alt") + fmt.Sprintf(`
resource "lineworks_bot_default_rich_menu" "x" {
  bot_id       = "%[1]d"
  rich_menu_id = lineworks_bot_rich_menu.%[2]s.rich_menu_id
}

resource "lineworks_bot_user_rich_menu" "x" {
  bot_id       = "%[1]d"
  user_id      = %[4]q
  rich_menu_id = lineworks_bot_rich_menu.%[3]s.rich_menu_id
}
`, botID, defaultMenu, userMenu, user)
}

// expectAssignments checks the bot's default rich menu and user's own at the
// emulator: the menus of the resources named.
func (e *accEnv) expectAssignments(botID int64, user, defaultMenu, userMenu string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		menuID := func(name string) string {
			return s.RootModule().Resources["lineworks_bot_rich_menu."+name].Primary.Attributes["rich_menu_id"]
		}
		b, err := e.emuBot(botID)
		if err != nil {
			return err
		}
		if b.DefaultRichmenuID != menuID(defaultMenu) {
			return fmt.Errorf("the bot's default rich menu is %q, want %s's %s", b.DefaultRichmenuID, defaultMenu, menuID(defaultMenu))
		}
		users := e.emu.Menus.UserRichMenus(botID)
		if len(users) != 1 {
			return fmt.Errorf("per-user menus %v, want one", users)
		}
		for u, id := range users {
			if id != menuID(userMenu) || (u != user && u != lineworkstest.UserIDFor(user)) {
				return fmt.Errorf("per-user menus %v, want %s → %s's %s", users, user, userMenu, menuID(userMenu))
			}
		}
		return nil
	}
}

// The default and a user's menu: set, pointed at another menu in place,
// changed outside Terraform (shown, set back), imported, removed outside
// (set again), destroyed.
func TestAccBotDefaultAndUserRichMenu_lifecycle(t *testing.T) {
	forEachMenuForm(t, func(t *testing.T, env *accEnv) {
		botID := env.seedBot(t, "tf-acc-menu-bot")
		user := testUsers[1]
		const def, usr = "lineworks_bot_default_rich_menu.x", "lineworks_bot_user_rich_menu.x"
		var mainID, altID string
		inPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(def, plancheck.ResourceActionUpdate),
			plancheck.ExpectResourceAction(usr, plancheck.ResourceActionUpdate),
		}}
		env.menuTest(t, []*int64{&botID},
			resource.TestStep{
				Config: assignmentConfig(env, botID, user, "main", "alt"),
				Check: resource.ComposeTestCheckFunc(
					captureRichMenuID("lineworks_bot_rich_menu.main", &mainID),
					captureRichMenuID("lineworks_bot_rich_menu.alt", &altID),
					resource.TestCheckResourceAttr(usr, "id", fmt.Sprintf("%d/%s", botID, user)),
					env.expectAssignments(botID, user, "main", "alt"),
				),
			},
			resource.TestStep{
				Config:           assignmentConfig(env, botID, user, "alt", "main"),
				ConfigPlanChecks: inPlace,
				Check:            env.expectAssignments(botID, user, "alt", "main"),
			},
			resource.TestStep{
				// Changed outside Terraform: shown, and set back.
				PreConfig: func() {
					c := env.client(t)
					if err := c.SetDefaultRichMenu(context.Background(), botID, mainID); err != nil {
						t.Fatal(err)
					}
					if err := c.SetUserRichMenu(context.Background(), botID, user, altID); err != nil {
						t.Fatal(err)
					}
				},
				Config:           assignmentConfig(env, botID, user, "alt", "main"),
				ConfigPlanChecks: inPlace,
				Check:            env.expectAssignments(botID, user, "alt", "main"),
			},
			resource.TestStep{
				ResourceName:                         def,
				ImportState:                          true,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "bot_id",
				ImportStateId:                        fmt.Sprint(botID),
			},
			resource.TestStep{
				Config:          assignmentConfig(env, botID, user, "alt", "main"),
				ResourceName:    def,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   fmt.Sprint(botID),
			},
			resource.TestStep{
				ResourceName:      usr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateId:     fmt.Sprintf("%d/%s", botID, user),
			},
			resource.TestStep{
				Config:          assignmentConfig(env, botID, user, "alt", "main"),
				ResourceName:    usr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   fmt.Sprintf("%d/%s", botID, user),
			},
			resource.TestStep{
				ResourceName:  usr,
				ImportState:   true,
				ImportStateId: fmt.Sprint(botID),
				ExpectError:   errorText(fmt.Sprintf(`"%d" is not {bot_id}/{user_id}`, botID)),
			},
			resource.TestStep{
				ResourceName:  def,
				ImportState:   true,
				ImportStateId: "bot",
				ExpectError:   errorText("Invalid import ID for lineworks_bot_default_rich_menu", "such as 2000001"),
			},
			resource.TestStep{
				// Removed outside Terraform: set again.
				PreConfig: func() {
					c := env.client(t)
					if err := c.DeleteDefaultRichMenu(context.Background(), botID); err != nil {
						t.Fatal(err)
					}
					if err := c.DeleteUserRichMenu(context.Background(), botID, user); err != nil {
						t.Fatal(err)
					}
				},
				Config: assignmentConfig(env, botID, user, "alt", "main"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(def, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(usr, plancheck.ResourceActionCreate),
				}},
				Check: env.expectAssignments(botID, user, "alt", "main"),
			},
			resource.TestStep{
				// Destroyed: the bot has no default, the user no menu.
				Config: env.provider() + richMenuConfig("main", botID, "tf-acc-main") + richMenuConfig("alt", botID, "tf-acc-alt"),
				Check: func(*terraform.State) error {
					if b, _ := env.emuBot(botID); b.DefaultRichmenuID != "" {
						return fmt.Errorf("default rich menu %q left", b.DefaultRichmenuID)
					}
					if users := env.emu.Menus.UserRichMenus(botID); len(users) != 0 {
						return fmt.Errorf("per-user menus %v left", users)
					}
					return nil
				},
			},
		)
	})
}
