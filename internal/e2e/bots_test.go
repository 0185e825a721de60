package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// configRun is a run of a configuration written here, main.tf being source.
func configRun(t *testing.T, source string) *run {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(source), 0o644); err != nil {
		t.Fatal(err)
	}
	return newRun(t, dir)
}

// terraformFails runs terraform, which must fail, and returns its output.
func (r *run) terraformFails(extraEnv []string, args ...string) string {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := r.tenant.Terraform(ctx, r.config, extraEnv, args...).CombinedOutput()
	r.output.Write(out)
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		r.t.Fatalf("terraform %s: %v, want a failure\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// stateList is `terraform state list`.
func (r *run) stateList() []string {
	r.t.Helper()
	return strings.Fields(r.terraform(nil, "state", "list"))
}

// planIsEmpty fails unless `terraform plan -detailed-exitcode` finds nothing
// to do.
func (r *run) planIsEmpty(extraEnv ...string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := r.tenant.Terraform(ctx, r.config, extraEnv, "plan", "-detailed-exitcode", "-input=false", "-no-color").CombinedOutput()
	if err != nil {
		r.t.Fatalf("the plan is not empty (%v):\n%s", err, out)
	}
}

const requiredProvider = `
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}
`

// botWithSecret is the default provider block, a bot and its secret.
const botWithSecret = `
provider "lineworks" {}

resource "lineworks_bot" "x" {
  bot_name       = "Expense bot"
  description    = "Files expense reports"
  photo_url      = "https://example.com/bot.png"
  administrators = ["admin@example.com"]
}

resource "lineworks_bot_secret" "x" {
  bot_id = lineworks_bot.x.bot_id
}
`

// The README's pattern, a default provider block and an alias configured
// with a token from ephemeral.lineworks_access_token, each its own process:
// the registrations on one block and the secrets on the other change one
// bot at once, round after round, and the service (which refuses
// overlapping changes to a bot) never has to refuse one.
func TestProviderBlocksTakeTurnsOnABot(t *testing.T) {
	domains := []int64{lineworkstest.DefaultDomainID, 10000002, 10000003, 10000004}
	r := configRun(t, requiredProvider+fmt.Sprintf(`
variable "round" {
  type    = number
  default = 0
}

provider "lineworks" {}

ephemeral "lineworks_access_token" "bot" {}

provider "lineworks" {
  alias        = "bot"
  access_token = ephemeral.lineworks_access_token.bot.access_token
}

locals {
  domains = %s
}

resource "lineworks_bot" "shared" {
  bot_name       = "Shared bot"
  description    = "Changed by two provider blocks"
  photo_url      = "https://example.com/bot.png"
  administrators = ["admin@example.com"]
}

resource "lineworks_bot_domain" "each" {
  count     = length(local.domains)
  bot_id    = lineworks_bot.shared.bot_id
  domain_id = local.domains[count.index]
  visible   = var.round %% 2 == 1
}

resource "lineworks_bot_secret" "each" {
  provider          = lineworks.bot
  count             = 4
  bot_id            = lineworks_bot.shared.bot_id
  rotation_triggers = { round = var.round }
}
`, strings.ReplaceAll(fmt.Sprint(domains), " ", ", ")))
	emu := r.tenant.Emulator
	emu.Directory.AddDomains(domains[1:]...)
	emu.Bots.SetMutationHold(150 * time.Millisecond)

	for round := range 3 {
		out := r.terraform([]string{fmt.Sprintf("TF_VAR_round=%d", round)}, "apply", "-auto-approve", "-input=false", "-no-color")
		if n := emu.Bots.ConflictCount(); n != 0 || strings.Contains(out, "409") {
			t.Fatalf("round %d: the emulator refused %d overlapping changes\n%s", round, n, out)
		}
		bots := emu.Bots.List()
		if len(bots) != 1 || len(emu.Bots.Domains(bots[0].BotID)) != len(domains) {
			t.Fatalf("round %d: %d bots", round, len(bots))
		}
	}
}

// A wrong api_endpoint (here, without its /v1.0) answers 404 to every call.
// The plan fails and names the endpoint, `apply -refresh-only` keeps every
// resource in the state, and back on the right endpoint the plan is empty.
func TestAWrongEndpointNeverEmptiesTheState(t *testing.T) {
	r := configRun(t, requiredProvider+botWithSecret+fmt.Sprintf(`
resource "lineworks_bot_domain" "x" {
  bot_id    = lineworks_bot.x.bot_id
  domain_id = %d
}

data "lineworks_bot" "x" {
  bot_id = lineworks_bot.x.bot_id
}
`, lineworkstest.DefaultDomainID))
	r.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	managed := []string{"lineworks_bot.x", "lineworks_bot_domain.x", "lineworks_bot_secret.x"}
	before := r.stateList()

	wrong := strings.TrimSuffix(r.tenant.Emulator.APIURL(), "/v1.0")
	env := []string{"LINEWORKS_API_ENDPOINT=" + wrong}
	for _, args := range [][]string{
		{"plan", "-input=false", "-no-color"},
		{"apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"},
	} {
		out := strings.Join(strings.Fields(r.terraformFails(env, args...)), " ")
		for _, want := range []string{
			"api_endpoint without an API version",
			fmt.Sprintf("Listing the tenant's bots at the same api_endpoint (%s) answered HTTP 404 too: api_endpoint is wrong, not the bot", wrong),
			"such as https://www.worksapis.com/v1.0",
			"Terraform has kept every resource in the state",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("terraform %s: the output lacks %q:\n%s", args[0], want, out)
			}
		}
		if strings.Contains(out, "has been deleted") || strings.Contains(out, "to add") {
			t.Errorf("terraform %s took the bot for deleted:\n%s", args[0], out)
		}
		if got := r.stateList(); !slices.Equal(got, before) {
			t.Fatalf("after terraform %s at the wrong endpoint, the state holds %v, was %v", args[0], got, before)
		}
	}
	for _, addr := range managed {
		if !slices.Contains(before, addr) {
			t.Fatalf("%s was never in the state: %v", addr, before)
		}
	}
	r.planIsEmpty()
}
