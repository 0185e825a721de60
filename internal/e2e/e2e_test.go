// Package e2e runs the built provider binary the way users do: the real
// terraform CLI, dev_overrides, a separate provider process per phase,
// credentials in the environment. Runs with TF_ACC=1.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/devenv"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

var providerDir string

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		fmt.Println("skipping end-to-end tests: set TF_ACC=1")
		os.Exit(0)
	}
	if os.Getenv("LINEWORKS_ACC_REAL") != "" {
		fmt.Println("skipping end-to-end tests: they run the emulator, and LINEWORKS_ACC_REAL runs the acceptance tests against a real tenant")
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "lineworks-e2e-")
	if err != nil {
		panic(err)
	}
	_, thisFile, _, _ := runtime.Caller(0)
	repoRoot := filepath.Join(filepath.Dir(thisFile), "..", "..")
	if _, err := devenv.BuildProvider(context.Background(), repoRoot, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	providerDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type run struct {
	t      *testing.T
	tenant *devenv.Tenant
	config string
	output bytes.Buffer // everything terraform printed
}

func newRun(t *testing.T, configSource string, more ...devenv.Override) *run {
	t.Helper()
	tenant, err := devenv.NewTenant(filepath.Join(t.TempDir(), "tenant"), providerDir, more...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	r := &run{t: t, tenant: tenant, config: filepath.Join(t.TempDir(), "config")}
	if err := devenv.CopyConfig(configSource, r.config); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *run) terraform(extraEnv []string, args ...string) string {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := r.tenant.Terraform(ctx, r.config, extraEnv, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	r.output.Write(out.Bytes())
	if err != nil {
		r.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

func (r *run) count(host, prefix string) int { return r.tenant.Emulator.Requests.Count(host, prefix) }

// downloads counts the GETs the storage host received (the demo's rich menu
// image is uploaded there too).
func (r *run) downloads() int {
	n := 0
	for _, req := range r.tenant.Emulator.Requests.All() {
		if req.Host == lineworkstest.HostStorage && req.Method == http.MethodGet {
			n++
		}
	}
	return n
}

// The README's configuration, applied with TF_LOG=TRACE: no client secret,
// key material, token or assertion may show in the CLI output, the TRACE
// log, the plan, the state or `terraform show`. The bot secret the
// configuration issues belongs in the state, as a sensitive value, and
// nowhere in the CLI output or the TRACE log.
func TestApplyLeaksNoSecrets(t *testing.T) {
	r := newRun(t, filepath.Join("..", "..", "examples", "demo"))
	logPath := filepath.Join(t.TempDir(), "trace.log")
	trace := []string{"TF_LOG=TRACE", "TF_LOG_PATH=" + logPath}

	r.terraform(trace, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := r.count(lineworkstest.HostAuth, "/oauth2/v2.0/token"); n != 2 {
		t.Errorf("%d token requests, want one each for plan and apply", n)
	}
	if n := r.downloads(); n != 1 {
		t.Errorf("%d downloads, want 1: apply must not read the data source again", n)
	}
	bots := r.tenant.Emulator.Bots.List()
	if len(bots) != 1 {
		t.Fatalf("%d bots at the emulator, want the configuration's one", len(bots))
	}
	botSecret := r.tenant.Emulator.Bots.Secret(bots[0].BotID)
	if botSecret == "" {
		t.Fatal("the configuration issued no bot secret")
	}
	r.terraform(trace, "plan", "-input=false", "-no-color", "-out=tfplan")
	artifacts := map[string]string{
		"terraform output":            r.output.String(),
		"terraform show -json":        r.terraform(nil, "show", "-json"),
		"terraform show -json tfplan": r.terraform(nil, "show", "-json", "tfplan"),
	}
	for name, path := range map[string]string{"TRACE log": logPath, "state file": filepath.Join(r.config, "terraform.tfstate")} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		artifacts[name] = string(b)
	}
	// The log must really hold the provider's own lines, or this test proves nothing.
	for _, want := range []string{"issued a LINE WORKS access token", "downloaded a LINE WORKS bot attachment", "LINE WORKS request", "created a LINE WORKS bot", "issued a new LINE WORKS bot secret"} {
		if !strings.Contains(artifacts["TRACE log"], want) {
			t.Fatalf("the TRACE log lacks the provider's %q line", want)
		}
	}

	secrets := r.tenant.Secrets()
	if len(secrets) < 8 {
		t.Fatalf("only %d secrets to look for; the emulator should have issued several tokens and received assertions", len(secrets))
	}
	for name, text := range artifacts {
		for _, s := range secrets {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("%s holds a secret (%d characters) at byte %d", name, len(s), i)
			}
		}
		for _, shape := range []string{"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", "PRIVATE KEY-----", "Bearer " + secrets[len(secrets)-1][:4]} {
			if strings.Contains(text, shape) {
				t.Errorf("%s holds %q", name, shape)
			}
		}
	}
	for _, name := range []string{"terraform output", "TRACE log"} {
		if i := strings.Index(artifacts[name], botSecret); i >= 0 {
			t.Errorf("%s holds the bot secret at byte %d", name, i)
		}
	}
	stateHoldsSecretOnlyAsSensitive(t, artifacts["state file"], botSecret)
}

// stateHoldsSecretOnlyAsSensitive checks that the state holds secret once:
// as the secret attribute of a lineworks_bot_secret, marked sensitive.
func stateHoldsSecretOnlyAsSensitive(t *testing.T, state, secret string) {
	t.Helper()
	if n := strings.Count(state, secret); n != 1 {
		t.Errorf("the state holds the bot secret %d times, want once", n)
	}
	var s struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes          map[string]any    `json:"attributes"`
				SensitiveAttributes []json.RawMessage `json:"sensitive_attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(state), &s); err != nil {
		t.Fatal(err)
	}
	for _, res := range s.Resources {
		for _, inst := range res.Instances {
			if res.Type != "lineworks_bot_secret" || inst.Attributes["secret"] != secret {
				continue
			}
			for _, p := range inst.SensitiveAttributes {
				if strings.Contains(string(p), `"secret"`) {
					return
				}
			}
			t.Fatalf("lineworks_bot_secret.secret is not marked sensitive in the state: %s", inst.SensitiveAttributes)
		}
	}
	t.Fatal("no lineworks_bot_secret in the state holds the bot's current secret")
}

// One token per provider process, whatever the number of downloads, and the
// downloads run in parallel.
func TestPlanIssuesOneTokenForManyDownloads(t *testing.T) {
	const n = 8
	dir := t.TempDir()
	config := fmt.Sprintf(`
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}

variable "bot_id" { type = string }
variable "file_id" { type = string }

provider "lineworks" {}

data "lineworks_bot_attachment" "many" {
  count       = %d
  bot_id      = var.bot_id
  file_id     = "jp1.${count.index}.1763865600.0.1000001.0.0.0"
  output_path = "${path.module}/downloads/${count.index}.bin"
}
`, n)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRun(t, dir)
	for i := range n {
		r.tenant.Emulator.Storage.AddAttachment(devenv.BotID, fmt.Sprintf("jp1.%d.1763865600.0.1000001.0.0.0", i), lineworkstest.Attachment{FileName: "f.bin", Size: 1 << 20})
	}
	r.tenant.Emulator.Storage.HoldDownloads(n, time.Minute)

	r.terraform(nil, "plan", "-input=false", "-no-color")

	if got := r.count(lineworkstest.HostAuth, "/oauth2/v2.0/token"); got != 1 {
		t.Errorf("%d token requests for %d downloads in one provider process, want 1", got, n)
	}
	if got := r.count(lineworkstest.HostStorage, ""); got != n {
		t.Errorf("%d downloads, want %d", got, n)
	}
	if got := r.tenant.Emulator.Storage.MaxConcurrentDownloads(); got != n {
		t.Errorf("at most %d downloads ran at once, want %d", got, n)
	}
	for i := range n {
		if fi, err := os.Stat(filepath.Join(r.config, "downloads", fmt.Sprintf("%d.bin", i))); err != nil || fi.Size() != 1<<20 {
			t.Errorf("download %d: %v", i, err)
		}
	}
}

// The README's example must be a configuration Terraform accepts.
func TestREADMEExampleValidates(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, example, ok := strings.Cut(string(readme), "## Example\n")
	if !ok {
		t.Fatal("README.md has no Example section")
	}
	_, example, _ = strings.Cut(example, "```terraform\n")
	example, _, ok = strings.Cut(example, "```")
	if !ok {
		t.Fatal("the README's Example section has no terraform block")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRun(t, dir)
	if out := r.terraform(nil, "validate", "-no-color"); !strings.Contains(out, "The configuration is valid") {
		t.Fatalf("terraform validate:\n%s", out)
	}
}

// The API 1.0 resources keep working against an endpoint that still serves
// API 1.0, and terraform shows, for each, a warning that the real service
// no longer answers, pointing at the migration guide.
func TestLegacyAPI10Warns(t *testing.T) {
	dir := t.TempDir()
	key := lineworkstest.TestKey(1)
	keyPath := filepath.Join(dir, "server.key")
	if err := os.WriteFile(keyPath, lineworkstest.PKCS8UnderRSALabelPEM(key), 0o600); err != nil {
		t.Fatal(err)
	}
	const apiID, serverID, consumerKey = "jp1PrJVEbjpFi", "46c4f281f81148c9b846c59262ae5888", "LQwDde6x8eV4ROOCOdSW"
	config := fmt.Sprintf(`
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}

variable "refresh_token" {
  type      = string
  sensitive = true
}

provider "lineworks" {
  api_id           = %q
  server_id        = %q
  consumer_key     = %q
  private_key_path = %q
}

ephemeral "lineworks_server_token" "legacy" {}
ephemeral "lineworks_service_api_token" "legacy" {
  refresh_token = var.refresh_token
}
ephemeral "lineworks_jwt_assertion" "legacy" {
  api_version = "1.0"
}

resource "terraform_data" "use" {
  provisioner "local-exec" {
    command = "test -n \"$SERVER\" && test -n \"$SERVICE\" && test -n \"$ASSERTION\""
    environment = {
      SERVER    = ephemeral.lineworks_server_token.legacy.access_token
      SERVICE   = ephemeral.lineworks_service_api_token.legacy.access_token
      ASSERTION = ephemeral.lineworks_jwt_assertion.legacy.assertion
    }
  }
}
`, apiID, serverID, consumerKey, keyPath)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRun(t, dir)
	emu := r.tenant.Emulator
	emu.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: apiID, ServerID: serverID, PublicKey: &key.PublicKey})
	emu.Legacy.RegisterConsumer(lineworkstest.LegacyConsumer{APIID: apiID, ConsumerKey: consumerKey})
	refresh := emu.Legacy.IssueRefreshToken(apiID, consumerKey)

	// Human output folds similar warnings together; -json lists each.
	out := r.terraform([]string{"TF_VAR_refresh_token=" + refresh}, "apply", "-auto-approve", "-input=false", "-json")
	warned := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Diagnostic struct {
				Severity, Summary, Detail, Address string
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Diagnostic.Severity != "warning" || strings.HasPrefix(msg.Diagnostic.Summary, "Provider development overrides") {
			continue
		}
		d := msg.Diagnostic
		if d.Summary != "LINE WORKS API 1.0 is retired" || !strings.Contains(d.Detail, "retired on 30 April 2023: the real service no longer answers it") ||
			!strings.Contains(d.Detail, "https://registry.terraform.io/providers/lineworks-community/lineworks/latest/docs/guides/api-1-0-legacy") {
			t.Errorf("unexpected warning %+v", d)
		}
		warned[d.Address]++
	}
	// Once in plan and once in apply: each phase opens the ephemeral resources.
	for _, addr := range []string{"ephemeral.lineworks_server_token.legacy", "ephemeral.lineworks_service_api_token.legacy", "ephemeral.lineworks_jwt_assertion.legacy"} {
		if warned[addr] != 2 {
			t.Errorf("%s warned %d times, want 2 (plan and apply): %v", addr, warned[addr], warned)
		}
	}
	if !strings.Contains(out, "Apply complete!") {
		t.Errorf("terraform apply:\n%s", out)
	}
	if n := r.count(lineworkstest.HostAuth, "/b/"+apiID+"/server/token"); n < 1 {
		t.Errorf("%d server token requests", n)
	}
}
