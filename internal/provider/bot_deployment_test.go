package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// deploymentConfig is the bot: a rich menu of two areas with an
// image (named name; lifecycle lines added to it), that menu as the default
// and as a user's, and a member of a registration limited to selected
// members; and a second bot with a persistent menu.
func deploymentConfig(env *accEnv, image, name, botDescription, lifecycle string) string {
	return env.provider() + fmt.Sprintf(`
resource "lineworks_bot" "x" {
  bot_name       = "tf-acc-expense-bot"
  description    = %[3]q
  photo_url      = "https://example.com/bot.png"
  administrators = [%[4]q]
  allow_domains  = [%[5]d]
}

resource "lineworks_bot_domain" "x" {
  bot_id                   = lineworks_bot.x.bot_id
  domain_id                = %[5]d
  allow_to_selected_member = true
}

resource "lineworks_bot_domain_member" "sato" {
  bot_id    = lineworks_bot.x.bot_id
  domain_id = lineworks_bot_domain.x.domain_id
  user_id   = %[6]q
}

resource "lineworks_bot_rich_menu" "main" {
  bot_id = lineworks_bot.x.bot_id
  name   = %[2]q
  height = 843
  areas = [
    {
      bounds = { x = 0, y = 0, width = 1250, height = 843 }
      action = { type = "postback", label = "Help", data = "help", display_text = "Help, please" }
    },
    {
      bounds = { x = 1250, y = 0, width = 1250, height = 843 }
      action = { type = "uri", label = "Expenses", uri = "https://expenses.example.com" }
    },
  ]
  image_path = %[1]q
%[7]s
}

resource "lineworks_bot_default_rich_menu" "x" {
  bot_id       = lineworks_bot.x.bot_id
  rich_menu_id = lineworks_bot_rich_menu.main.rich_menu_id
}

resource "lineworks_bot_user_rich_menu" "sato" {
  bot_id       = lineworks_bot.x.bot_id
  user_id      = %[6]q
  rich_menu_id = lineworks_bot_rich_menu.main.rich_menu_id
}

resource "lineworks_bot" "y" {
  bot_name       = "tf-acc-help-desk-bot"
  description    = "Answers questions"
  photo_url      = "https://example.com/desk.png"
  administrators = [%[4]q]
  allow_domains  = [%[5]d]
}

resource "lineworks_bot_persistent_menu" "y" {
  bot_id = lineworks_bot.y.bot_id
  actions = [
    { type = "message", label = "Ask", text = "I have a question" },
    { type = "uri", label = "FAQ", uri = "https://help.example.com/faq" },
  ]
}
`, image, name, botDescription, lineworkstest.DefaultUsers[3], testDomain, testUsers[1], lifecycle)
}

// The "Done when": the whole configuration applies and plans empty;
// survives an image file change (uploaded again, same menu), a name change
// (menu replaced, default and user's menu re-pointed in the same apply,
// with and without create_before_destroy), a change to the bot (the default
// the new resource set is no drift on lineworks_bot), import of each type,
// deletion behind Terraform's back (created again), and destroy (nothing
// left at the emulator). The persistent menu on a second bot likewise. A
// bot deleted outside Terraform takes its menus and members with it: all
// are planned for creation.
func TestAccBotDeployment_menusAndMembers(t *testing.T) {
	for _, form := range menuForms {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			env := newBotEnv(t)
			if err := env.emu.Forms.Set(form.forms); err != nil {
				t.Fatal(err)
			}
			testBotDeployment(t, env, form)
		})
	}
}

func testBotDeployment(t *testing.T, env *accEnv, form menuForm) {
	dir := t.TempDir()
	png, jpeg := lineworkstest.RichMenuPNG(843), lineworkstest.RichMenuJPEG(843)
	image := writeFile(t, dir, "menu.png", png)
	const cbd = "  lifecycle {\n    create_before_destroy = true\n  }"
	config := func(name, description, lifecycle string) string {
		return deploymentConfig(env, image, name, description, lifecycle)
	}
	first := config("tf-acc-main", "Files expense reports", "")
	final := config("tf-acc-main-v3", "Files and checks expense reports", cbd)
	var x, y int64
	var menuID, firstMenu string
	const menu = "lineworks_bot_rich_menu.main"
	inPlace := func(addrs ...string) []plancheck.PlanCheck {
		var checks []plancheck.PlanCheck
		for _, a := range addrs {
			checks = append(checks, plancheck.ExpectResourceAction(a, plancheck.ResourceActionUpdate))
		}
		return checks
	}
	importStep := func(addr string, id func() string, extra ...plancheck.PlanCheck) resource.TestStep {
		return resource.TestStep{
			Config:             final,
			ResourceName:       addr,
			ImportState:        true,
			ImportStateKind:    resource.ImportBlockWithID,
			ImportStateIdFunc:  func(*terraform.State) (string, error) { return id(), nil },
			ExpectNonEmptyPlan: len(extra) > 0,
			ImportPlanChecks:   resource.ImportPlanChecks{PreApply: extra},
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		CheckDestroy: func(*terraform.State) error {
			if bots := env.emu.Bots.List(); len(bots) != 0 {
				return fmt.Errorf("%d bots left at the emulator after destroy", len(bots))
			}
			return nil
		},
		Steps: append([]resource.TestStep{
			{
				Config: first,
				Check: resource.ComposeTestCheckFunc(
					captureBotID("lineworks_bot.x", &x), captureBotID("lineworks_bot.y", &y),
					captureRichMenuID(menu, &menuID), captureRichMenuID(menu, &firstMenu),
					env.expectDeployment(&x, &y, &menuID, png, "tf-acc-main"),
				),
			},
			{
				// The image file changes: uploaded again, the same menu.
				PreConfig: func() { writeFile(t, dir, "menu.png", jpeg) },
				Config:    first,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(inPlace(menu),
					plancheck.ExpectResourceAction("lineworks_bot_default_rich_menu.x", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("lineworks_bot_user_rich_menu.sato", plancheck.ResourceActionNoop),
				)},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrWith(menu, "rich_menu_id", func(v string) error {
						if v != firstMenu {
							return fmt.Errorf("rich_menu_id %s, want the same menu %s", v, firstMenu)
						}
						return nil
					}),
					env.expectDeployment(&x, &y, &menuID, jpeg, "tf-acc-main"),
				),
			},
			{
				// A new name: a new menu, the default and the user's menu
				// re-pointed in the same apply.
				Config: config("tf-acc-main-v2", "Files expense reports", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(inPlace("lineworks_bot_default_rich_menu.x", "lineworks_bot_user_rich_menu.sato"),
					plancheck.ExpectResourceAction(menu, plancheck.ResourceActionDestroyBeforeCreate),
				)},
				Check: resource.ComposeTestCheckFunc(
					captureRichMenuID(menu, &menuID),
					env.expectDeployment(&x, &y, &menuID, jpeg, "tf-acc-main-v2"),
				),
			},
			{
				// The same with create_before_destroy: never a moment without
				// the menu.
				Config: config("tf-acc-main-v3", "Files expense reports", cbd),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(inPlace("lineworks_bot_default_rich_menu.x", "lineworks_bot_user_rich_menu.sato"),
					plancheck.ExpectResourceAction(menu, plancheck.ResourceActionCreateBeforeDestroy),
				)},
				Check: resource.ComposeTestCheckFunc(
					captureRichMenuID(menu, &menuID),
					env.expectDeployment(&x, &y, &menuID, jpeg, "tf-acc-main-v3"),
				),
			},
			{
				// The bot changes; its default, which the new resource set,
				// is no drift and stays.
				Config: final,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(inPlace("lineworks_bot.x"),
					plancheck.ExpectResourceAction("lineworks_bot_default_rich_menu.x", plancheck.ResourceActionNoop),
				)},
				Check: env.expectDeployment(&x, &y, &menuID, jpeg, "tf-acc-main-v3"),
			},
			importStep("lineworks_bot_rich_menu.main", func() string { return fmt.Sprintf("%d/%s", x, menuID) },
				plancheck.ExpectResourceAction(menu, plancheck.ResourceActionUpdate)),
			importStep("lineworks_bot_default_rich_menu.x", func() string { return fmt.Sprint(x) }),
			importStep("lineworks_bot_user_rich_menu.sato", func() string { return fmt.Sprintf("%d/%s", x, testUsers[1]) }),
			// A member is imported as LINE WORKS lists them. Where that is
			// the user ID of the login e-mail configured, the provider cannot
			// tell they are the same user (no directory call): the member is
			// replaced, as the docs say.
			importStep("lineworks_bot_domain_member.sato", func() string {
				listed := testUsers[1]
				if form.forms.Administrators == lineworkstest.UsersAsIDs {
					listed = lineworkstest.UserIDFor(listed)
				}
				return fmt.Sprintf("%d/%d/%s", x, testDomain, listed)
			}, memberImportPlan(form)...),
			importStep("lineworks_bot_persistent_menu.y", func() string { return fmt.Sprint(y) }),
			importStep("lineworks_bot_domain.x", func() string { return fmt.Sprintf("%d/%d", x, testDomain) }),
			{
				// Deleted behind Terraform's back: the menu (with the default
				// and the user's menu that showed it), the member, the
				// persistent menu. All planned for creation, and created.
				PreConfig: func() {
					if !env.emu.Menus.RemoveRichMenu(x, menuID) || !env.emu.Menus.RemovePersistentMenu(y) {
						t.Fatal("nothing to remove")
					}
					members := env.emu.Menus.DomainMembers(x, testDomain)
					if len(members) != 1 || !env.emu.Menus.RemoveDomainMember(x, testDomain, members[0]) {
						t.Fatalf("members %v", members)
					}
				},
				Config: final,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(menu, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("lineworks_bot_default_rich_menu.x", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("lineworks_bot_user_rich_menu.sato", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("lineworks_bot_domain_member.sato", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("lineworks_bot_persistent_menu.y", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeTestCheckFunc(
					captureRichMenuID(menu, &menuID),
					env.expectDeployment(&x, &y, &menuID, jpeg, "tf-acc-main-v3"),
				),
			},
		}, botDeletedOutside(env, final, &x, &y, &menuID, jpeg)...),
	})
}

// botDeletedOutside is the step where bot *x is deleted behind Terraform's
// back: it and everything of it is planned for creation, nothing fails to
// read, whether the bot gone answers 404 or 410 DELETED.
func botDeletedOutside(env *accEnv, config string, x, y *int64, menuID *string, image []byte) []resource.TestStep {
	var creates []plancheck.PlanCheck
	for _, addr := range []string{"lineworks_bot.x", "lineworks_bot_domain.x", "lineworks_bot_domain_member.sato", "lineworks_bot_rich_menu.main",
		"lineworks_bot_default_rich_menu.x", "lineworks_bot_user_rich_menu.sato"} {
		creates = append(creates, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate))
	}
	return []resource.TestStep{{
		PreConfig: func() { env.emu.Bots.Remove(*x) },
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(creates,
			plancheck.ExpectResourceAction("lineworks_bot_persistent_menu.y", plancheck.ResourceActionNoop))},
		Check: resource.ComposeTestCheckFunc(
			captureBotID("lineworks_bot.x", x),
			captureRichMenuID("lineworks_bot_rich_menu.main", menuID),
			env.expectDeployment(x, y, menuID, image, "tf-acc-main-v3"),
		),
	}}
}

// memberImportPlan is what importing the member plans in form.
func memberImportPlan(form menuForm) []plancheck.PlanCheck {
	if form.forms.Administrators != lineworkstest.UsersAsIDs {
		return nil
	}
	return []plancheck.PlanCheck{plancheck.ExpectResourceAction("lineworks_bot_domain_member.sato", plancheck.ResourceActionDestroyBeforeCreate)}
}

// expectDeployment checks the emulator against the deployment: bot *x has
// one rich menu, *menuID, named name, showing image, as its default and the
// user's, and one member; bot *y has its persistent menu.
func (e *accEnv) expectDeployment(x, y *int64, menuID *string, image []byte, name string) resource.TestCheckFunc {
	return resource.ComposeTestCheckFunc(
		func(*terraform.State) error {
			menus := e.emu.Menus.RichMenus(*x)
			if len(menus) != 1 || menus[0].RichMenuID != *menuID || menus[0].RichMenuName != name || len(menus[0].Areas) != 2 {
				return fmt.Errorf("bot %d has the rich menus %+v, want only %s named %q", *x, menus, *menuID, name)
			}
			b, err := e.emuBot(*x)
			if err != nil {
				return err
			}
			if b.DefaultRichmenuID != *menuID {
				return fmt.Errorf("the default rich menu is %q, want %s", b.DefaultRichmenuID, *menuID)
			}
			users := e.emu.Menus.UserRichMenus(*x)
			if len(users) != 1 || (users[testUsers[1]] != *menuID && users[lineworkstest.UserIDFor(testUsers[1])] != *menuID) {
				return fmt.Errorf("per-user menus %v, want %s → %s", users, testUsers[1], *menuID)
			}
			if m, ok := e.emu.Menus.PersistentMenu(*y); !ok || len(m.Actions) != 2 {
				return fmt.Errorf("bot %d's persistent menu: %+v", *y, m)
			}
			return nil
		},
		func(s *terraform.State) error { return e.expectMembers(*x, testUsers[1])(s) },
		func(s *terraform.State) error { return e.expectRichMenuImage(*x, menuID, image, nil)(s) },
	)
}

// A wrong api_endpoint (no /v1.0: every path answers 404) never reads as
// "deleted outside Terraform": the menu and member resources fail to read,
// saying so, and the right endpoint then finds them all unchanged. (A
// delete on a wrong endpoint fails too: see the client's
// TestDeletesConfirmTheir404.)
func TestAccBotMenus_wrongEndpointKeepsState(t *testing.T) {
	env := newBotEnv(t)
	botID, otherID := env.seedBot(t, "tf-acc-menu-bot"), env.seedBot(t, "tf-acc-other-bot")
	resources := richMenuConfig("main", botID, "tf-acc-main") + fmt.Sprintf(`
resource "lineworks_bot_default_rich_menu" "x" {
  bot_id       = "%[1]d"
  rich_menu_id = lineworks_bot_rich_menu.main.rich_menu_id
}

resource "lineworks_bot_user_rich_menu" "x" {
  bot_id       = "%[1]d"
  user_id      = %[2]q
  rich_menu_id = lineworks_bot_rich_menu.main.rich_menu_id
}

resource "lineworks_bot_domain_member" "x" {
  bot_id    = "%[1]d"
  domain_id = %[3]d
  user_id   = %[2]q
}
`, botID, testUsers[1], testDomain) + persistentMenuConfig(otherID, helpButton)
	wrong := strings.Replace(env.provider(), fmt.Sprintf("%q", env.emu.APIURL()), fmt.Sprintf("%q", strings.TrimSuffix(env.emu.APIURL(), "/v1.0")), 1)
	if wrong == env.provider() {
		t.Fatal("the provider block does not name the API endpoint")
	}
	env.menuTest(t, []*int64{&botID, &otherID},
		resource.TestStep{
			PreConfig: func() {
				if _, err := env.client(t).RegisterBotDomain(context.Background(), botID, testDomain, lineworks.BotDomainSettings{AllowToSelectedMember: true}); err != nil {
					t.Fatal(err)
				}
			},
			Config: env.provider() + resources,
		},
		resource.TestStep{
			Config:   wrong + resources,
			PlanOnly: true,
			// An error for each resource read, in whatever order: the rich
			// menu, the member, the persistent menu (Terraform reads no
			// further down from a resource that failed).
			ExpectError: regexp.MustCompile(`(?s)` + strings.Repeat(`Failed to read the LINE WORKS (rich menu|bot's users|bot's persistent menu).*answered\s+HTTP\s+404.*`, 3)),
		},
		resource.TestStep{
			Config:   env.provider() + resources,
			PlanOnly: true,
		},
	)
}
