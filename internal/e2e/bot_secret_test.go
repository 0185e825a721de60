package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Two provider blocks are two provider processes. A secret issued for a bot
// through one block, then an older secret of the same bot destroyed through
// the other, in the same apply: the destroy must see that a newer secret
// was issued (in another process) and leave it working, and it does not
// warn about a secret that stays valid, since none does.
func TestRetiringASecretSparesANewerOneFromAnotherBlock(t *testing.T) {
	dir := t.TempDir()
	write := func(secrets string) {
		t.Helper()
		config := `
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}

variable "bot_administrator" { type = string }

provider "lineworks" {}

provider "lineworks" {
  alias = "other"
}

resource "lineworks_bot" "x" {
  bot_name       = "Rotated across blocks"
  description    = "Its secret moves to another provider block"
  photo_url      = "https://static.example.com/bot.png"
  administrators = [var.bot_administrator]
}
` + secrets
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const newer = `
resource "lineworks_bot_secret" "new" {
  provider = lineworks.other
  bot_id   = lineworks_bot.x.bot_id
}
`
	// The new secret is issued after the old one, through the other block.
	write(`
resource "lineworks_bot_secret" "old" {
  bot_id = lineworks_bot.x.bot_id
}

resource "lineworks_bot_secret" "new" {
  provider   = lineworks.other
  bot_id     = lineworks_bot.x.bot_id
  depends_on = [lineworks_bot_secret.old]
}
`)
	r := newRun(t, dir)
	dir = r.config // the run's copy is where terraform reads the configuration
	r.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	bots := r.tenant.Emulator.Bots.List()
	if len(bots) != 1 {
		t.Fatalf("%d bots", len(bots))
	}
	id := bots[0].BotID
	newSecret := stateSecret(t, r, "new")
	if r.tenant.Emulator.Bots.Secret(id) != newSecret {
		t.Fatal("after the first apply, the newer secret is not the bot's")
	}

	write(newer)
	out := r.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "lineworks_bot_secret.old: Destruction complete") {
		t.Fatalf("the older secret was not destroyed:\n%s", out)
	}
	if got := r.tenant.Emulator.Bots.Secret(id); got != newSecret {
		t.Fatalf("destroying the older secret stopped the newer one, issued through the other block:\n%s", out)
	}
	if n := strings.Count(out, "Warning:"); n != 1 { // the one about dev_overrides
		t.Errorf("%d warnings, want only dev_overrides':\n%s", n, out)
	}
	if stateSecret(t, r, "new") != newSecret {
		t.Fatal("the newer secret changed in the state")
	}
}

// stateSecret is the secret of lineworks_bot_secret.<name> in the run's state.
func stateSecret(t *testing.T, r *run, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.config, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &state); err != nil {
		t.Fatal(err)
	}
	for _, res := range state.Resources {
		if res.Type == "lineworks_bot_secret" && res.Name == name && len(res.Instances) == 1 {
			if s, ok := res.Instances[0].Attributes["secret"].(string); ok && s != "" {
				return s
			}
		}
	}
	t.Fatalf("no lineworks_bot_secret.%s with a secret in the state", name)
	return ""
}
