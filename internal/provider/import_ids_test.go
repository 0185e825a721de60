package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// lineworks_bot has an id, the bot's ID, as every other resource has one:
// Terraform's progress lines name the bot by it ([id=2000001]). The data
// source has it too. An import ID with blanks around it is the same ID.
func TestAccBot_idIsTheBotID(t *testing.T) {
	env := newBotEnv(t)
	var id int64
	sameAsBotID := func(addr string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(addr, tfjsonpath.New("id"), addr, tfjsonpath.New("bot_id"), compare.ValuesSame())
	}
	config := env.provider() + botConfig("x") + `
data "lineworks_bot" "x" {
  bot_id = lineworks_bot.x.bot_id
}
`
	env.botTest(t,
		resource.TestStep{
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{sameAsBotID("lineworks_bot.x"), sameAsBotID("data.lineworks_bot.x")},
			Check:             captureBotID("lineworks_bot.x", &id),
		},
		resource.TestStep{
			ResourceName:      "lineworks_bot.x",
			ImportState:       true,
			ImportStateVerify: true,
			ImportStateIdFunc: func(*terraform.State) (string, error) { return fmt.Sprintf(" %d\n", id), nil },
		},
	)
}

// A registration's import ID may have blanks around either ID; written
// domain first (10000001/2000001), the error gives it in the right order;
// one that names no registration says so, rather than Terraform's
// "Cannot import non-existent remote object".
func TestAccBotDomain_importIDs(t *testing.T) {
	env := newBotEnv(t)
	var id int64
	importID := func(format string, args ...func() int64) resource.ImportStateIdFunc {
		return func(*terraform.State) (string, error) {
			vals := make([]any, len(args))
			for i, a := range args {
				vals[i] = a()
			}
			return fmt.Sprintf(format, vals...), nil
		}
	}
	bot := func() int64 { return id }
	domain := func() int64 { return testDomain }
	other := func() int64 { return testDomain3 }
	config := env.provider() + domainConfig(allDomains, "a:  domain_id = "+fmt.Sprint(testDomain))
	env.botTest(t,
		resource.TestStep{Config: config, Check: captureBotID("lineworks_bot.x", &id)},
		resource.TestStep{
			ResourceName:      "lineworks_bot_domain.a",
			ImportState:       true,
			ImportStateVerify: true,
			ImportStateIdFunc: importID(" %d / %d ", bot, domain),
		},
		resource.TestStep{
			ResourceName:      "lineworks_bot_domain.a",
			ImportState:       true,
			ImportStateIdFunc: importID("%d/%d", domain, bot),
			ExpectError:       errorText("Import ID of lineworks_bot_domain in the wrong order", "is {domain_id}/{bot_id}: bot", "lineworks_bot_domain imports {bot_id}/{domain_id}: import it as"),
		},
		resource.TestStep{
			ResourceName:      "lineworks_bot_domain.a",
			ImportState:       true,
			ImportStateIdFunc: importID("%d/%d", bot, other),
			ExpectError:       errorText("No such LINE WORKS bot registration to import", fmt.Sprintf("is not registered in domain %d", testDomain3), "Check both IDs ({bot_id}/{domain_id})"),
		},
	)
}

func TestParseBotDomainID(t *testing.T) {
	bot, domain, err := parseBotDomainID("2000001/10000001")
	if err != nil || bot != 2000001 || domain != 10000001 {
		t.Fatalf("got %d, %d, %v", bot, domain, err)
	}
	for _, bad := range []string{"", "2000001", "2000001/", "/10000001", "2000001/10000001/1", "bot/10000001", "2000001/0", "2000001/-1", "02000001/10000001", "2000001/+5", "2000001:10000001"} {
		if _, _, err := parseBotDomainID(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
