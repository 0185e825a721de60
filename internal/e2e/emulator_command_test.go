package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The emulator as a user runs it: the lineworks-emulator command, built and
// started as the README says, and a configuration of its own applied with
// the real terraform binary using nothing but the settings the command
// printed. The admin door shows what Terraform created, and that nothing is
// left after a destroy.
func TestEmulatorCommandServesAConfigurationOfOnesOwn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	env, stderr, stop := startEmulatorCommand(ctx, t, "-dev-overrides", providerDir, "-dir", filepath.Join(dir, "emulator"))
	if env["TF_CLI_CONFIG_FILE"] == "" {
		t.Fatalf("lineworks-emulator printed no TF_CLI_CONFIG_FILE; it said:\n%s", stderr.String())
	}
	admin := env["LINEWORKS_EMULATOR_ADMIN_URL"]

	config := filepath.Join(dir, "config")
	if err := os.MkdirAll(config, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(config, "main.tf"), []byte(`
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}

resource "lineworks_bot" "helpdesk" {
  bot_name       = "Helpdesk"
  description    = "Answers questions about the office"
  photo_url      = "https://static.example.com/helpdesk.png"
  administrators = ["admin@example.com"]
  allow_domains  = [10000001]
}

resource "lineworks_bot_domain" "helpdesk" {
  bot_id    = lineworks_bot.helpdesk.bot_id
  domain_id = 10000001
  visible   = true
}

resource "lineworks_bot_secret" "helpdesk" {
  bot_id = lineworks_bot.helpdesk.bot_id
}

output "bot_id" { value = lineworks_bot.helpdesk.bot_id }
`), 0o644); err != nil {
		t.Fatal(err)
	}
	tfEnv := userEnviron()
	for name, value := range env {
		tfEnv = append(tfEnv, name+"="+value)
	}
	terraform := func(args ...string) string {
		t.Helper()
		cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if cli == "" {
			cli = "terraform"
		}
		cmd := exec.CommandContext(ctx, cli, append([]string{"-chdir=" + config}, args...)...)
		cmd.Env = tfEnv
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s\nlineworks-emulator said:\n%s", strings.Join(args, " "), err, out, stderr.String())
		}
		return string(out)
	}

	terraform("apply", "-auto-approve", "-input=false", "-no-color")
	var bots []struct {
		BotID        int64   `json:"botId"`
		BotName      string  `json:"botName"`
		AllowDomains []int64 `json:"allowDomains"`
		Secret       string  `json:"secret"`
		Domains      []struct {
			DomainID int64 `json:"domainId"`
			Visible  bool  `json:"visible"`
		} `json:"domains"`
	}
	adminGet(t, admin+"/_emulator/bots", &bots)
	if len(bots) != 1 {
		t.Fatalf("the admin door shows %d bots, want the configuration's one: %+v", len(bots), bots)
	}
	b := bots[0]
	if b.BotName != "Helpdesk" || fmt.Sprint(b.AllowDomains) != "[10000001]" || b.Secret == "" || len(b.Domains) != 1 || b.Domains[0].DomainID != 10000001 || !b.Domains[0].Visible {
		t.Errorf("the admin door shows %+v", b)
	}
	if out := strings.TrimSpace(terraform("output", "-raw", "bot_id")); out != fmt.Sprint(b.BotID) {
		t.Errorf("terraform output bot_id %q, the admin door %d", out, b.BotID)
	}
	if out := terraform("plan", "-input=false", "-no-color", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Errorf("the plan after apply is not empty:\n%s", out)
	}

	terraform("destroy", "-auto-approve", "-input=false", "-no-color")
	adminGet(t, admin+"/_emulator/bots", &bots)
	if len(bots) != 0 {
		t.Errorf("the admin door shows %d bots after destroy: %+v", len(bots), bots)
	}
	stop()
}

// startEmulatorCommand builds lineworks-emulator and starts it with args,
// as the README says, until stop (which the test's end calls too); env is
// what it printed.
// emulatorCommand builds lineworks-emulator once for the tests that run it,
// beside the provider's binary.
var emulatorCommand = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(providerDir, "lineworks-emulator")
	_, thisFile, _, _ := runtime.Caller(0)
	build := exec.Command("go", "build", "-o", bin, "./cmd/lineworks-emulator")
	build.Dir = filepath.Join(filepath.Dir(thisFile), "..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/lineworks-emulator: %w\n%s", err, out)
	}
	return bin, nil
})

func startEmulatorCommand(ctx context.Context, t *testing.T, args ...string) (env map[string]string, stderr *bytes.Buffer, stop func()) {
	t.Helper()
	bin, err := emulatorCommand()
	if err != nil {
		t.Fatal(err)
	}
	emu := exec.CommandContext(ctx, bin, args...)
	emu.Env = userEnviron()
	stderr = &bytes.Buffer{}
	emu.Stderr = stderr
	stdout, err := emu.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		_ = emu.Process.Signal(os.Interrupt)
		if err := emu.Wait(); err != nil {
			t.Errorf("lineworks-emulator exited with %v after an interrupt\n%s", err, stderr.String())
		}
	}
	t.Cleanup(stop)
	return readExports(t, bufio.NewScanner(stdout), stderr), stderr, stop
}

// readExports reads the command's `export NAME='value'` lines up to its
// ready line.
func readExports(t *testing.T, sc *bufio.Scanner, stderr *bytes.Buffer) map[string]string {
	t.Helper()
	env := map[string]string{}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# lineworks-emulator") {
			break
		}
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok || !strings.HasPrefix(line, "export ") || !strings.HasPrefix(value, "'") || !strings.HasSuffix(value, "'") {
			t.Fatalf("lineworks-emulator printed %q, not an export line", line)
		}
		env[name] = strings.Trim(value, "'")
	}
	for _, name := range []string{"LINEWORKS_CLIENT_ID", "LINEWORKS_API_ENDPOINT", "LINEWORKS_EMULATOR_ADMIN_URL"} {
		if env[name] == "" {
			t.Fatalf("lineworks-emulator printed no %s; it said:\n%s", name, stderr.String())
		}
	}
	return env
}

func adminGet(t *testing.T, url string, out any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

// userEnviron is the environment without LINEWORKS_* and Terraform
// settings: only what the command printed may reach terraform.
func userEnviron() []string {
	env := []string{"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "LINEWORKS_") || strings.HasPrefix(name, "TF_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
