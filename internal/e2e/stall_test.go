package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/devenv"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// A LINE WORKS answer that stalls after its headers fails `terraform plan`
// once request_timeout has passed without a byte, with an error that says
// so, and leaves no provider process behind. Without a deadline on body
// reads, plan waits forever, and a provider killed with its terraform keeps
// waiting on its own.
func TestAStalledAnswerFailsPlanWithinTheRequestTimeout(t *testing.T) {
	// A binary of this test's own, so that its processes are told from
	// those of the tests running beside it.
	binDir := t.TempDir()
	bin := filepath.Join(binDir, "terraform-provider-lineworks")
	b, err := os.ReadFile(filepath.Join(providerDir, "terraform-provider-lineworks"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
  }
}

variable "bot_id" { type = string }

data "lineworks_bot" "stalled" {
  bot_id = var.bot_id
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRunOf(t, binDir, dir)
	botID, _ := strconv.ParseInt(devenv.BotID, 10, 64)
	if _, err := r.tenant.Emulator.Bots.Add(lineworkstest.Bot{
		BotID: botID, BotName: "Stalled", PhotoURL: "https://example.com/bot.png", Description: "Never answers in full",
		Administrators: []string{lineworkstest.DefaultUsers[0]},
	}); err != nil {
		t.Fatal(err)
	}
	r.tenant.Emulator.Faults.Inject(lineworkstest.Faults{StallAfterHeaders: []string{lineworkstest.HostAPI}})

	// The limit only tells a hang from an answer: the plan ends by itself
	// long before it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := r.tenant.Terraform(ctx, r.config, []string{"LINEWORKS_REQUEST_TIMEOUT=1s", "LINEWORKS_MAX_RETRIES=0"}, "plan", "-input=false", "-no-color")
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	t.Logf("terraform plan against a stalled API host ended after %v", elapsed.Round(time.Millisecond))
	var exit *exec.ExitError
	if ctx.Err() != nil || !errors.As(err, &exit) {
		t.Errorf("terraform plan did not fail by itself (%v, after %v):\n%s", err, elapsed, out.String())
	}
	for _, want := range []string{"Error:", "no data arrived within the request timeout (1s)", "request_timeout"} {
		if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), want) {
			t.Errorf("the plan's output lacks %q:\n%s", want, out.String())
		}
	}
	if n := r.count(lineworkstest.HostAPI, "/v1.0/bots/"); n != 1 {
		t.Errorf("%d requests to the API host, want the one that stalled", n)
	}
	if left := processesOf(t, bin); len(left) > 0 {
		t.Errorf("provider processes left behind: %v", left)
	}
}

// processesOf waits a while for the processes running bin to end, and
// returns the IDs of those still running. Only Linux says which binary a
// process runs (/proc/PID/exe); elsewhere the check is skipped.
func processesOf(t *testing.T, bin string) []string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Log("not on Linux: not checking for processes left behind")
		return nil
	}
	var left []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		left = left[:0]
		entries, err := os.ReadDir("/proc")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && strings.TrimSuffix(exe, " (deleted)") == bin {
				left = append(left, e.Name())
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
	}
}
