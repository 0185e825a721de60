package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// memberConfig is bot botID's registration in the default domain, limited
// to selected members when limited, with a member per user (resource name
// → user ID or login e-mail, as "name=user").
func memberConfig(env *accEnv, botID int64, limited bool, members ...string) string {
	var b strings.Builder
	b.WriteString(env.provider())
	fmt.Fprintf(&b, `
resource "lineworks_bot_domain" "x" {
  bot_id                   = "%d"
  domain_id                = %d
  allow_to_selected_member = %v
}
`, botID, testDomain, limited)
	for _, m := range members {
		name, user, _ := strings.Cut(m, "=")
		fmt.Fprintf(&b, `
resource "lineworks_bot_domain_member" %q {
  bot_id    = "%d"
  domain_id = lineworks_bot_domain.x.domain_id
  user_id   = %q
}
`, name, botID, user)
	}
	return b.String()
}

// expectMembers checks the registration's members at the emulator: each
// user, listed as sent or by ID (as the answer forms store them).
func (e *accEnv) expectMembers(botID int64, users ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.emu.Menus.DomainMembers(botID, testDomain)
		if len(got) != len(users) {
			return fmt.Errorf("members %v, want %v", got, users)
		}
		for _, u := range users {
			if !slices.Contains(got, u) && !slices.Contains(got, lineworkstest.UserIDFor(u)) {
				return fmt.Errorf("members %v, want %v", got, users)
			}
		}
		return nil
	}
}

// A member by login e-mail (listed by ID where the service stores IDs: the
// plan after apply stays empty), another user replacing it, a member by
// user ID; removed outside (added again), its registration removed outside
// (both added again), import, a registration open to all users refused
// with what to do, destroy.
func TestAccBotDomainMember_lifecycle(t *testing.T) {
	forEachMenuForm(t, func(t *testing.T, env *accEnv) {
		botID := env.seedBot(t, "tf-acc-member-bot")
		sato, suzuki, byID := testUsers[1], testUsers[2], lineworkstest.DefaultUsers[3]
		two := memberConfig(env, botID, true, "a="+suzuki, "b="+byID)
		env.menuTest(t, []*int64{&botID},
			resource.TestStep{
				Config: memberConfig(env, botID, true, "a="+sato),
				Check: resource.ComposeTestCheckFunc(
					env.expectMembers(botID, sato),
					resource.TestCheckResourceAttr("lineworks_bot_domain_member.a", "id", fmt.Sprintf("%d/%d/%s", botID, testDomain, sato)),
					resource.TestCheckResourceAttr("lineworks_bot_domain_member.a", "user_id", sato),
				),
			},
			resource.TestStep{
				Config: two,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("lineworks_bot_domain_member.a", plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction("lineworks_bot_domain_member.b", plancheck.ResourceActionCreate),
				}},
				Check: env.expectMembers(botID, suzuki, byID),
			},
			resource.TestStep{
				// Removed outside Terraform: added again.
				PreConfig: func() {
					if !env.emu.Menus.RemoveDomainMember(botID, testDomain, byID) {
						t.Fatal("no member to remove")
					}
				},
				Config: two,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("lineworks_bot_domain_member.a", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("lineworks_bot_domain_member.b", plancheck.ResourceActionCreate),
				}},
				Check: env.expectMembers(botID, suzuki, byID),
			},
			resource.TestStep{
				// The registration removed outside takes its members: all
				// planned for creation, the registration first.
				PreConfig: func() {
					if !env.emu.Bots.RemoveDomain(botID, testDomain) {
						t.Fatal("no registration to remove")
					}
				},
				Config: two,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("lineworks_bot_domain.x", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("lineworks_bot_domain_member.a", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("lineworks_bot_domain_member.b", plancheck.ResourceActionCreate),
				}},
				Check: env.expectMembers(botID, suzuki, byID),
			},
			resource.TestStep{
				ResourceName:      "lineworks_bot_domain_member.b",
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateId:     fmt.Sprintf("%d/%d/%s", botID, testDomain, byID),
			},
			resource.TestStep{
				Config:          two,
				ResourceName:    "lineworks_bot_domain_member.b",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   fmt.Sprintf("%d/%d/%s", botID, testDomain, byID),
			},
			resource.TestStep{
				ResourceName:  "lineworks_bot_domain_member.b",
				ImportState:   true,
				ImportStateId: fmt.Sprintf("%d/%s", botID, byID),
				ExpectError:   errorText("is not {bot_id}/{domain_id}/{user_id}"),
			},
			resource.TestStep{
				ResourceName:  "lineworks_bot_domain_member.b",
				ImportState:   true,
				ImportStateId: fmt.Sprintf("%d/%d/%s", botID, testDomain, testSubs[0]),
				ExpectError: errorText("No such LINE WORKS bot user to import",
					fmt.Sprintf("does not list %s among its 2 users", testSubs[0]), "import the member by the name it lists"),
			},
			resource.TestStep{
				// Members gone, the registration open to all users.
				Config: memberConfig(env, botID, false),
				Check:  env.expectMembers(botID),
			},
			resource.TestStep{
				Config: memberConfig(env, botID, false, "a="+sato),
				ExpectError: errorText("LINE WORKS bot open to all users of the domain",
					fmt.Sprintf("Bot %d's registration in domain %d lets every user of the domain use the bot", botID, testDomain),
					"Set allow_to_selected_member = true on its lineworks_bot_domain"),
			},
			resource.TestStep{
				Config: memberConfig(env, botID, true, "a="+sato),
				Check:  env.expectMembers(botID, sato),
			},
		)
	})
}
