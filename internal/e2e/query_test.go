package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// queryCLIVersion is the Terraform that `terraform query` is tested with:
// the first release with list resources.
const queryCLIVersion = "v1.14.3"

// The guide's way of bringing a tenant's bots under Terraform, on a tenant
// of 120 bots (two pages of GET /bots) clicked together in the console:
// `terraform query -generate-config-out` lists every bot and every
// registration, the configuration it writes imports them all (by identity),
// and the plan after that import is empty. In the emulator's default answer
// forms and in all the others at once: the configuration is written from
// the service's answers, whatever their form.
func TestQueryBringsExistingBotsUnderTerraform(t *testing.T) {
	cli := queryCLI(t)
	for _, tt := range []struct {
		name  string
		forms lineworkstest.AnswerForms
	}{
		{"default answer forms", lineworkstest.AnswerForms{}},
		{"every other answer form", lineworkstest.AllAnswerForms()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRun(t, t.TempDir())
			emu := r.tenant.Emulator
			if err := emu.Forms.Set(tt.forms); err != nil {
				t.Fatal(err)
			}
			// Reads by the hundred in a few seconds: the limit is the pacer's
			// test, not this one's.
			emu.Faults.SetRateLimit(0)
			wantBots, wantRegs, registered := seedConsoleBots(t, emu, 120)
			// The query file of the guide: the list resources' examples.
			writeFiles(t, r.config, map[string]string{
				"main.tf":                 queryMainTF,
				"bots.tfquery.hcl":        readExample(t, "list-resources", "lineworks_bot", "list-resource.tfquery.hcl"),
				"bot_domains.tfquery.hcl": readExample(t, "list-resources", "lineworks_bot_domain", "list-resource.tfquery.hcl"),
			})

			out := r.cli(cli, "query", "-generate-config-out=generated.tf", "-no-color")
			if pages := countRequests(emu, "GET", "/v1.0/bots"); pages != 2 {
				t.Errorf("GET /bots %d times, want 2 pages for 120 bots", pages)
			}
			generated, err := os.ReadFile(filepath.Join(r.config, "generated.tf"))
			if err != nil {
				t.Fatalf("no generated configuration: %v\n%s", err, out)
			}
			gen := string(generated)
			if n := strings.Count(gen, `resource "lineworks_bot" `); n != wantBots {
				t.Fatalf("%d lineworks_bot resources generated, want %d:\n%s", n, wantBots, out)
			}
			if n := strings.Count(gen, `resource "lineworks_bot_domain" `); n != wantRegs {
				t.Fatalf("%d lineworks_bot_domain resources generated, want %d", n, wantRegs)
			}
			if n := strings.Count(gen, "import {"); n != wantBots+wantRegs {
				t.Fatalf("%d import blocks generated, want %d", n, wantBots+wantRegs)
			}

			plan := r.cli(cli, "plan", "-no-color", "-input=false")
			want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", wantBots+wantRegs)
			if !strings.Contains(plan, want) {
				t.Fatalf("the plan of the generated configuration is not %q:\n%s\n--- generated.tf ---\n%s", want, plan, excerpt(gen))
			}
			r.cli(cli, "apply", "-auto-approve", "-no-color", "-input=false")

			emu.Requests.Reset()
			if out := r.cli(cli, "plan", "-no-color", "-input=false", "-detailed-exitcode"); !strings.Contains(out, "No changes.") {
				t.Fatalf("after the import, the plan is not empty:\n%s", out)
			}
			// One GET of each bot, and one listing of the domains of each bot
			// registered somewhere, however many registrations it has: at
			// most two GETs a bot. One token.
			if gets, want := countRequests(emu, "GET", ""), wantBots+registered; gets != want {
				t.Errorf("the plan sent %d GETs for %d bots, %d of them registered in domains; want %d", gets, wantBots, registered, want)
			}
			if n := r.count(lineworkstest.HostAuth, "/oauth2/v2.0/token"); n != 1 {
				t.Errorf("the plan asked for %d tokens, want 1", n)
			}
		})
	}
}

const queryMainTF = `
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}

provider "lineworks" {}
`

func readExample(t *testing.T, path ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", "..", "examples"}, path...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Each import-by-identity.tf example, with its directory's resource.tf,
// is a configuration Terraform 1.14 accepts (TestExamplesValidate leaves
// them out: the CLI on PATH may be older than 1.12, and a directory holds
// its import by ID to the same address).
func TestImportByIdentityExamplesValidate(t *testing.T) {
	cli := queryCLI(t)
	examples, err := filepath.Glob(filepath.Join("..", "..", "examples", "resources", "*", "import-by-identity.tf"))
	if err != nil || len(examples) < 2 {
		t.Fatalf("found %d import-by-identity.tf examples (%v), want those of lineworks_bot and lineworks_bot_domain", len(examples), err)
	}
	for _, example := range examples {
		dir := filepath.Dir(example)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			r := newRun(t, t.TempDir())
			writeFiles(t, r.config, map[string]string{
				"main.tf":   readExample(t, "resources", filepath.Base(dir), "resource.tf"),
				"import.tf": readExample(t, "resources", filepath.Base(dir), "import-by-identity.tf"),
				"zz.tf":     queryMainTF,
			})
			if out := r.cli(cli, "validate", "-no-color"); !strings.Contains(out, "The configuration is valid") {
				t.Fatalf("terraform validate:\n%s", out)
			}
		})
	}
}

// seedConsoleBots adds n bots as administrators click them together in the
// Developer Console, each a little different, and registers some in
// domains; it returns how many bots and registrations there are, and how
// many bots are registered somewhere.
func seedConsoleBots(t *testing.T, emu *lineworkstest.Server, n int) (bots, registrations, registered int) {
	t.Helper()
	const d2, d3 = 10000002, 10000003
	emu.Directory.AddDomains(d2, d3)
	users := lineworkstest.DefaultUsers
	for i := range n {
		b := lineworkstest.Bot{
			BotName:        fmt.Sprintf("Helpdesk %03d", i),
			PhotoURL:       fmt.Sprintf("https://example.com/bots/%d.png", i),
			Description:    "Answers questions about team " + fmt.Sprint(i),
			Administrators: []string{users[i%len(users)]},
		}
		if i%2 == 0 {
			b.Subadministrators = []string{users[(i+1)%len(users)]}
		}
		if i%3 == 0 {
			b.AllowDomains = []int64{lineworkstest.DefaultDomainID, d2}
		}
		if i%4 == 0 {
			b.EnableCallback, b.CallbackURL = true, fmt.Sprintf("https://hooks.example.com/bots/%d", i)
			b.CallbackEvents = []string{"text", "image"}
			b.ChannelEvents = []string{"message", "join"}
		}
		if i%5 == 0 {
			b.EnableGroupJoin = true
			b.I18nBotNames = []lineworkstest.I18nBotName{{Language: "ja_JP", BotName: fmt.Sprintf("ヘルプデスク %03d", i)}}
			b.I18nDescriptions = []lineworkstest.I18nDescription{{Language: "en_US", Description: "Helpdesk"}}
			b.I18nPhotoURLs = []lineworkstest.I18nPhotoURL{{Language: "ja_JP", PhotoURL: "https://example.com/ja.png"}}
		}
		bot, err := emu.Bots.Add(b)
		if err != nil {
			t.Fatalf("bot %d: %v", i, err)
		}
		for j, d := range []int64{lineworkstest.DefaultDomainID, d2, d3}[:i%3] {
			if !emu.Bots.SetDomain(bot.BotID, lineworkstest.BotDomain{DomainID: d, Visible: j == 0, AllowToSelectedMember: i%2 == 1}) {
				t.Fatalf("registering bot %d in %d", bot.BotID, d)
			}
			registrations++
		}
		if i%3 > 0 {
			registered++
		}
		if i%7 == 0 {
			emu.Bots.SetSecret(bot.BotID, "a-secret-no-one-can-read-back")
		}
	}
	return n, registrations, registered
}

func countRequests(emu *lineworkstest.Server, method, path string) int {
	n := 0
	for _, r := range emu.Requests.All() {
		if r.Host == lineworkstest.HostAPI && r.Method == method && (path == "" || r.Path == path) {
			n++
		}
	}
	return n
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// excerpt is the beginning of a long text, for a failure message.
func excerpt(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n…"
	}
	return s
}

// cli runs the given terraform binary like r.terraform runs the default one.
func (r *run) cli(cli string, args ...string) string {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := r.tenant.CLI(ctx, cli, r.config, nil, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	r.output.Write(out.Bytes())
	var exit *exec.ExitError
	changes := errors.As(err, &exit) && exit.ExitCode() == 2 && slices.Contains(args, "-detailed-exitcode")
	if err != nil && !changes {
		r.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// queryCLI is a Terraform that has `terraform query`: the one the tests
// are told to run (TF_ACC_TERRAFORM_PATH) or the one on PATH when it is
// 1.14 or later, and otherwise queryCLIVersion, built once from the Go
// module proxy by scripts/terraform-cli.sh into the user cache directory
// (minutes the first time on a machine). The test is skipped, saying why,
// only when that build cannot be had.
func queryCLI(t *testing.T) string {
	t.Helper()
	cli, err := queryCLIOnce()
	if err != nil {
		t.Skipf("SKIPPED: no Terraform 1.14 or later for terraform query, and building %s failed: %v", queryCLIVersion, err)
	}
	return cli
}

var queryCLIOnce = sync.OnceValues(func() (string, error) {
	for _, cli := range []string{os.Getenv("TF_ACC_TERRAFORM_PATH"), "terraform"} {
		if cli != "" && terraformAtLeast(cli, 1, 14) {
			return cli, nil
		}
	}
	_, thisFile, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(thisFile), "..", "..", "scripts", "terraform-cli.sh")
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, script, queryCLIVersion)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", script, queryCLIVersion, err, stderr.String())
	}
	cli := strings.TrimSpace(string(out))
	if !terraformAtLeast(cli, 1, 14) {
		return "", fmt.Errorf("%s printed %q, which is not Terraform 1.14 or later", script, cli)
	}
	return cli, nil
})

// terraformAtLeast reports whether cli is Terraform (not OpenTofu) of at
// least major.minor.
func terraformAtLeast(cli string, major, minor int) bool {
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		return false
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if json.Unmarshal(out, &v) != nil {
		return false
	}
	var gotMajor, gotMinor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d.", &gotMajor, &gotMinor); err != nil || strings.Contains(string(out), "opentofu") {
		return false
	}
	return gotMajor > major || (gotMajor == major && gotMinor >= minor)
}
