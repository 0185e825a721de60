package provider

import (
	"fmt"
	"slices"
	"strconv"
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

// An import ID of something of a bot: the bot's ID first, blanks around a
// field aside, the last field keeping any further "/" for its own check;
// too few fields or a first one that is no bot ID is refused.
func TestSplitBotImportID(t *testing.T) {
	for _, tc := range []struct {
		id    string
		parts int
		bot   int64
		rest  []string
	}{
		{"2000001/40001", 2, 2000001, []string{"40001"}},
		{" 2000001 / admin@example.com\n", 2, 2000001, []string{"admin@example.com"}},
		{"2000001/10000001/user/x", 3, 2000001, []string{"10000001", "user/x"}},
		{"2000001", 2, 0, nil},
		{"2000001/10000001", 3, 0, nil},
		{"bot/40001", 2, 0, nil},
		{"/40001", 2, 0, nil},
	} {
		bot, rest, ok := splitBotImportID(tc.id, tc.parts)
		if ok != (tc.rest != nil) || bot != tc.bot || !slices.Equal(rest, tc.rest) {
			t.Errorf("splitBotImportID(%q, %d) = %d, %q, %v; want %d, %q", tc.id, tc.parts, bot, rest, ok, tc.bot, tc.rest)
		}
	}
}

// A domain's ID in an import ID is written as Terraform writes it back, so
// that the import round-trips.
func TestParseDomainID(t *testing.T) {
	for s, want := range map[string]bool{"10000001": true, "1": true, "0": false, "-5": false, "+5": false, "010": false, "1e3": false, "": false, "99999999999999999999": false} {
		if id, ok := parseDomainID(s); ok != want || (ok && strconv.FormatInt(id, 10) != s) {
			t.Errorf("parseDomainID(%q) = %d, %v; want ok %v", s, id, ok, want)
		}
	}
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
