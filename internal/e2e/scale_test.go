package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// A no-change plan over bots each with three registrations and a secret,
// run by the real terraform under a per-API limit scaled down to seconds:
// one GET of each bot and one listing of its domains (at most two GETs a
// bot, whatever it has), one token, and no request the limit refuses.
func TestPlanReadsEachBotTwiceAndWaitsForTheLimit(t *testing.T) {
	const bots, limit = 10, 4
	r := newRun(t, t.TempDir())
	emu := r.tenant.Emulator
	emu.Directory.AddDomains(10000002, 10000003)
	writeFiles(t, r.config, map[string]string{"main.tf": scaleConfig(bots)})
	r.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := len(emu.Bots.List()); n != bots {
		t.Fatalf("%d bots after apply, want %d", n, bots)
	}

	emu.Faults.SetRateLimitWindow(limit, time.Second)
	emu.Requests.Reset()
	start := time.Now()
	if out := r.terraform(nil, "plan", "-input=false", "-no-color"); !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after apply is not empty:\n%s", out)
	}
	took := time.Since(start)

	var botGets, domainLists, others, refused int
	for _, req := range emu.Requests.All() {
		switch {
		case req.Status == http.StatusTooManyRequests:
			refused++
		case req.Host != lineworkstest.HostAPI:
		case req.Method == http.MethodGet && strings.Count(req.Path, "/") == 3: // /v1.0/bots/{id}
			botGets++
		case req.Method == http.MethodGet && strings.HasSuffix(req.Path, "/domains"):
			domainLists++
		default:
			others++
		}
	}
	if botGets != bots || domainLists != bots || others != 0 {
		t.Errorf("the plan sent %d GETs of bots, %d domain listings and %d other API requests; want %d, %d and none", botGets, domainLists, others, bots, bots)
	}
	if n := r.count(lineworkstest.HostAuth, "/oauth2/v2.0/token"); n != 1 {
		t.Errorf("the plan asked for %d tokens, want 1", n)
	}
	if refused != 0 {
		t.Errorf("%d requests were refused with 429: the provider did not wait for the budget", refused)
	}
	// Ten reads of one API at four a second cannot take less than two
	// seconds: the limit was in force.
	if took < 2*time.Second {
		t.Errorf("the plan took %s: the limit was not in force", took)
	}
}

// scaleConfig is n bots, each registered in three domains and given a
// secret.
func scaleConfig(n int) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}

variable "bot_administrator" { type = string }

locals {
  bots    = toset([for i in range(%d) : format("scale-%%02d", i)])
  domains = [10000001, 10000002, 10000003]
}

resource "lineworks_bot" "b" {
  for_each       = local.bots
  bot_name       = each.key
  description    = "One of many"
  photo_url      = "https://example.com/bot.png"
  administrators = [var.bot_administrator]
}

resource "lineworks_bot_domain" "d" {
  for_each  = { for p in setproduct(local.bots, local.domains) : "${p[0]}/${p[1]}" => p }
  bot_id    = lineworks_bot.b[each.value[0]].bot_id
  domain_id = each.value[1]
  visible   = true
}

resource "lineworks_bot_secret" "s" {
  for_each = local.bots
  bot_id   = lineworks_bot.b[each.key].bot_id
}
`, n)
}
