package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// retireConfig is a bot with a secret rotated by version; cbd adds
// create_before_destroy.
func retireConfig(version string, cbd bool) string {
	lifecycle := ""
	if cbd {
		lifecycle = "\n  lifecycle {\n    create_before_destroy = true\n  }"
	}
	return botConfig("x") + fmt.Sprintf(`
resource "lineworks_bot_secret" "x" {
  bot_id            = lineworks_bot.x.bot_id
  rotation_triggers = { version = %q }%s
}
`, version, lifecycle)
}

// secretIssues counts the secrets issued for bot *id so far.
func (e *accEnv) secretIssues(id *int64) int {
	return e.emu.Requests.Count(lineworkstest.HostAPI, fmt.Sprintf("/v1.0/bots/%d/secret", *id))
}

// Destroying a lineworks_bot_secret while its bot stays retires the secret:
// the one in the state stops working, and the one that stops it is held by
// nobody (not in the state). Destroying the bot with it issues nothing
// more than that, and warns of nothing.
func TestAccBotSecret_destroyRetiresTheSecret(t *testing.T) {
	env := newBotEnv(t)
	var (
		id  int64
		old string
	)
	env.botTest(t,
		resource.TestStep{
			Config: env.provider() + retireConfig("1", false),
			Check: resource.ComposeTestCheckFunc(
				captureBotID("lineworks_bot.x", &id),
				resource.TestCheckResourceAttrWith("lineworks_bot_secret.x", "secret", func(v string) error { old = v; return nil }),
			),
		},
		resource.TestStep{
			Config: env.provider() + botConfig("x"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot_secret.x", plancheck.ResourceActionDestroy),
			}},
			Check: func(s *terraform.State) error {
				current := env.emu.Bots.Secret(id)
				switch {
				case current == old:
					return fmt.Errorf("the destroyed secret still works")
				case current == "" || env.secretIssues(&id) != 2:
					return fmt.Errorf("%d secrets issued, want the first and the one that retired it", env.secretIssues(&id))
				}
				for _, r := range s.RootModule().Resources {
					for _, v := range r.Primary.Attributes {
						if v == current {
							return fmt.Errorf("%s holds the secret that retired the old one", r.Primary.ID)
						}
					}
				}
				return nil
			},
		},
	)
}

// A rotation with create_before_destroy issues the new secret first, which
// stops the old one: the old one's destroy must not retire it again, or it
// would stop the new one, which the state now holds. One issue, and the
// new secret works.
func TestAccBotSecret_createBeforeDestroyKeepsTheNewSecret(t *testing.T) {
	env := newBotEnv(t)
	var (
		id     int64
		before int
	)
	stateHoldsTheWorkingSecret := resource.TestCheckResourceAttrWith("lineworks_bot_secret.x", "secret", func(v string) error {
		if v == "" || v != env.emu.Bots.Secret(id) {
			return fmt.Errorf("the state's secret is not the one that works")
		}
		return nil
	})
	env.botTest(t,
		resource.TestStep{
			Config: env.provider() + retireConfig("1", true),
			Check:  resource.ComposeTestCheckFunc(captureBotID("lineworks_bot.x", &id), stateHoldsTheWorkingSecret),
		},
		resource.TestStep{
			PreConfig: func() { before = env.secretIssues(&id) },
			Config:    env.provider() + retireConfig("2", true),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("lineworks_bot_secret.x", plancheck.ResourceActionCreateBeforeDestroy),
			}},
			Check: resource.ComposeTestCheckFunc(
				stateHoldsTheWorkingSecret,
				func(*terraform.State) error {
					if n := env.secretIssues(&id) - before; n != 1 {
						return fmt.Errorf("%d secrets issued by the rotation, want 1: the old one's destroy retired the new one", n)
					}
					return nil
				},
			),
		},
		resource.TestStep{
			// Without create_before_destroy, the old one is retired first,
			// then the new one issued: the new one works all the same.
			Config: env.provider() + retireConfig("3", false),
			Check:  stateHoldsTheWorkingSecret,
		},
	)
}
