package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// domainConfig is a bot allowed in allow (all domains when nil) with a
// registration per entry of regs: name → HCL arguments after bot_id.
func domainConfig(allow []int64, regs ...string) string {
	var args []string
	if allow != nil {
		args = append(args, "allow_domains = "+hclInts(allow...))
	}
	var b strings.Builder
	b.WriteString(botConfig("x", args...))
	for _, r := range regs {
		name, body, _ := strings.Cut(r, ":")
		fmt.Fprintf(&b, "\nresource \"lineworks_bot_domain\" %q {\n  bot_id = lineworks_bot.x.bot_id\n%s\n}\n", name, body)
	}
	return b.String()
}

// Register, import, update in place, replace on a new domain, remove.
func TestAccBotDomain_lifecycle(t *testing.T) {
	env := newBotEnv(t)
	var id int64
	a := func(args string) string { return "a:  domain_id = " + fmt.Sprint(testDomain) + "\n" + args }
	b := func(domain int64) string { return "b:  domain_id = " + fmt.Sprint(domain) }
	importID := func(domain int64) resource.ImportStateIdFunc {
		return func(*terraform.State) (string, error) { return fmt.Sprintf("%d/%d", id, domain), nil }
	}
	created := domainConfig(allDomains, a("  visible = true\n  allow_to_selected_member = true"), b(testDomain2))
	env.botTest(t,
		resource.TestStep{
			Config: env.provider() + created,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("lineworks_bot_domain.b", tfjsonpath.New("visible"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("lineworks_bot_domain.b", tfjsonpath.New("allow_to_selected_member"), knownvalue.Bool(false)),
			},
			Check: resource.ComposeTestCheckFunc(
				captureBotID("lineworks_bot.x", &id),
				resource.TestCheckResourceAttrWith("lineworks_bot_domain.a", "id", func(v string) error {
					if want := fmt.Sprintf("%d/%d", id, testDomain); v != want {
						return fmt.Errorf("id %q, want %q", v, want)
					}
					return nil
				}),
				env.expectRegistrations(&id,
					lineworkstest.BotDomain{DomainID: testDomain, Visible: true, AllowToSelectedMember: true},
					lineworkstest.BotDomain{DomainID: testDomain2}),
			),
		},
		resource.TestStep{
			ResourceName:      "lineworks_bot_domain.a",
			ImportState:       true,
			ImportStateVerify: true,
			ImportStateIdFunc: importID(testDomain),
		},
		resource.TestStep{
			Config:            env.provider() + created,
			ResourceName:      "lineworks_bot_domain.b",
			ImportState:       true,
			ImportStateKind:   resource.ImportBlockWithID,
			ImportStateIdFunc: importID(testDomain2),
		},
		resource.TestStep{
			ResourceName:  "lineworks_bot_domain.a",
			ImportState:   true,
			ImportStateId: fmt.Sprint(testDomain),
			ExpectError:   errorText(fmt.Sprintf(`"%d" is not {bot_id}/{domain_id}`, testDomain), "such as 2000001/10000001"),
		},
		resource.TestStep{
			PreConfig: env.emu.Requests.Reset,
			Config:    env.provider() + domainConfig(allDomains, a("  visible = false\n  allow_to_selected_member = true"), b(testDomain2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot_domain.a", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("lineworks_bot_domain.b", plancheck.ResourceActionNoop),
			}},
			Check: resource.ComposeTestCheckFunc(
				env.expectRegistrations(&id,
					lineworkstest.BotDomain{DomainID: testDomain, AllowToSelectedMember: true},
					lineworkstest.BotDomain{DomainID: testDomain2}),
				func(*terraform.State) error {
					for _, r := range env.emu.Requests.All() {
						if r.Method+" "+r.Path == fmt.Sprintf("PUT /v1.0/bots/%d/domains/%d", id, testDomain) {
							return nil
						}
					}
					return fmt.Errorf("no PUT of the registration reached the emulator")
				},
			),
		},
		resource.TestStep{
			// Another domain is another registration: replaced.
			Config: env.provider() + domainConfig(allDomains, a("  allow_to_selected_member = true"), b(testDomain3)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot_domain.a", plancheck.ResourceActionNoop),
				plancheck.ExpectResourceAction("lineworks_bot_domain.b", plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: env.expectRegistrations(&id,
				lineworkstest.BotDomain{DomainID: testDomain, AllowToSelectedMember: true},
				lineworkstest.BotDomain{DomainID: testDomain3}),
		},
		resource.TestStep{
			// Another bot is another registration too.
			Config: env.provider() + domainConfig(allDomains, a("  allow_to_selected_member = true"), b(testDomain3)) + botConfig("y", `bot_name = "tf-acc-Other bot"`) + `
resource "lineworks_bot_domain" "y" {
  bot_id    = lineworks_bot.x.bot_id
  domain_id = ` + fmt.Sprint(testDomain2) + `
}`,
			Check: resource.TestCheckResourceAttrPair("lineworks_bot_domain.y", "bot_id", "lineworks_bot.x", "bot_id"),
		},
		resource.TestStep{
			Config: env.provider() + domainConfig(allDomains, a("  allow_to_selected_member = true"), b(testDomain3)) + botConfig("y", `bot_name = "tf-acc-Other bot"`) + `
resource "lineworks_bot_domain" "y" {
  bot_id    = lineworks_bot.y.bot_id
  domain_id = ` + fmt.Sprint(testDomain2) + `
}`,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot_domain.y", plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttrPair("lineworks_bot_domain.y", "bot_id", "lineworks_bot.y", "bot_id"),
				env.expectRegistrations(&id,
					lineworkstest.BotDomain{DomainID: testDomain, AllowToSelectedMember: true},
					lineworkstest.BotDomain{DomainID: testDomain3}),
			),
		},
		resource.TestStep{
			// Removed from the configuration: removed from the domain.
			Config: env.provider() + domainConfig(allDomains, b(testDomain3)),
			Check:  env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain3}),
		},
		resource.TestStep{
			// Removed outside Terraform: gone from the state, registered again.
			PreConfig: func() {
				env.emu.Bots.Modify(id, func(b *lineworkstest.Bot) { b.AllowDomains = []int64{testDomain} }) // cascades
			},
			Config: env.provider() + domainConfig(nil, b(testDomain3)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("lineworks_bot_domain.b", plancheck.ResourceActionCreate),
			}},
			Check: env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain3}),
		},
	)
}

// Narrowing allow_domains makes LINE WORKS delete the registrations outside
// it: the next plan shows them gone, and registering again is refused with
// an error that says why.
func TestAccBotDomain_allowDomainsCascade(t *testing.T) {
	env := newBotEnv(t)
	var id int64
	regs := []string{"one:  domain_id = " + fmt.Sprint(testDomain), "two:  domain_id = " + fmt.Sprint(testDomain2)}
	env.botTest(t,
		resource.TestStep{
			Config: env.provider() + domainConfig([]int64{testDomain, testDomain2}, regs...),
			Check: resource.ComposeTestCheckFunc(captureBotID("lineworks_bot.x", &id),
				env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain}, lineworkstest.BotDomain{DomainID: testDomain2})),
		},
		resource.TestStep{
			Config:             env.provider() + domainConfig([]int64{testDomain}, regs...),
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("lineworks_bot_domain.two", plancheck.ResourceActionNoop),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("lineworks_bot_domain.one", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("lineworks_bot_domain.two", plancheck.ResourceActionCreate),
				},
			},
			Check: env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain}),
		},
		resource.TestStep{
			Config: env.provider() + domainConfig([]int64{testDomain}, regs...),
			ExpectError: errorText("Domain not allowed for this LINE WORKS bot",
				fmt.Sprintf("allows only the domains %d in allow_domains, so it cannot be registered in domain %d", testDomain, testDomain2),
				fmt.Sprintf("Add %d to the bot's allow_domains, or remove this lineworks_bot_domain", testDomain2)),
		},
		resource.TestStep{
			Config: env.provider() + domainConfig([]int64{testDomain}, regs[0]),
			Check:  env.expectRegistrations(&id, lineworkstest.BotDomain{DomainID: testDomain}),
		},
	)
}

// Five registrations and five secrets for one bot, created by Terraform in
// parallel, while the emulator holds each mutating call long enough to
// overlap: they succeed only because the client serializes calls per bot.
func TestAccBotDomain_parallelWithSecrets(t *testing.T) {
	env := newBotEnv(t)
	extra := []int64{testDomain3 + 1, testDomain3 + 2}
	env.emu.Directory.AddDomains(extra...)
	env.emu.Bots.SetMutationHold(150 * time.Millisecond)
	domains := append(slices.Clone(allDomains), extra...)
	var id int64
	env.botTest(t, resource.TestStep{
		Config: env.provider() + botConfig("x") + `
locals {
  domains = ` + hclInts(domains...) + `
}

resource "lineworks_bot_domain" "many" {
  count     = 5
  bot_id    = lineworks_bot.x.bot_id
  domain_id = local.domains[count.index]
}

resource "lineworks_bot_secret" "many" {
  count  = 5
  bot_id = lineworks_bot.x.bot_id
}
`,
		Check: resource.ComposeTestCheckFunc(
			captureBotID("lineworks_bot.x", &id),
			func(s *terraform.State) error {
				if n := env.emu.Bots.ConflictCount(); n != 0 {
					return fmt.Errorf("the emulator refused %d overlapping calls on one bot", n)
				}
				if got := len(env.emu.Bots.Domains(id)); got != 5 {
					return fmt.Errorf("%d registrations, want 5", got)
				}
				// Each secret issued invalidated the one before: the last one
				// issued is current, and it is one of the five in the state.
				current := env.emu.Bots.Secret(id)
				for i := range 5 {
					if s.RootModule().Resources[fmt.Sprintf("lineworks_bot_secret.many.%d", i)].Primary.Attributes["secret"] == current {
						return nil
					}
				}
				return fmt.Errorf("no secret in the state is the bot's current one")
			},
		),
	})
}
