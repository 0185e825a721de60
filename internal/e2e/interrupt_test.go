//go:build unix

package e2e

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Ctrl-C while LINE WORKS is creating the bot: the terminal sends SIGINT to
// terraform and the provider alike, terraform asks the provider to stop,
// and the provider, whose create has reached the service, waits for its
// answer. The bot is then in the state, so the next apply finishes the rest
// without creating a second bot, and the plan after it is empty.
func TestInterruptedCreateLeavesOneBot(t *testing.T) {
	r := configRun(t, requiredProvider+botWithSecret)
	emu := r.tenant.Emulator
	emu.Bots.SetCreateHold(4 * time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	apply := r.tenant.Terraform(ctx, r.config, nil, "apply", "-auto-approve", "-input=false", "-no-color")
	var out bytes.Buffer
	apply.Stdout, apply.Stderr = &out, &out
	apply.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a process group of its own, as a terminal's job
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for !creating(emu) {
		if time.Now().After(deadline) {
			t.Fatalf("the create never reached the emulator:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := syscall.Kill(-apply.Process.Pid, syscall.SIGINT); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	err := apply.Wait()
	t.Logf("the interrupted apply ended with %v:\n%s", err, out.String())

	bots := emu.Bots.List()
	if len(bots) != 1 {
		t.Fatalf("%d bots at the emulator after the interrupted apply, want 1", len(bots))
	}
	if state := r.stateList(); !slices.Contains(state, "lineworks_bot.x") {
		t.Fatalf("the bot the interrupted apply created is not in the state: %v\n%s", state, out.String())
	}
	if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), "Interrupted after LINE WORKS had received the request") {
		t.Errorf("no warning says the apply was interrupted after the create:\n%s", out.String())
	}

	emu.Bots.SetCreateHold(0)
	r.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if bots := emu.Bots.List(); len(bots) != 1 || emu.Bots.Secret(bots[0].BotID) == "" {
		t.Fatalf("after the second apply: %d bots", len(bots))
	}
	if n := countCreates(emu); n != 1 {
		t.Errorf("%d creates reached the emulator, want 1", n)
	}
	r.planIsEmpty()
	if state := r.stateList(); len(state) != 2 {
		t.Errorf("state %v", state)
	}
}

// creating reports whether POST /bots has reached emu and is not answered.
func creating(emu *lineworkstest.Server) bool {
	for _, req := range emu.Requests.All() {
		if req.Method == http.MethodPost && req.Path == "/v1.0/bots" && req.Status == 0 {
			return true
		}
	}
	return false
}

func countCreates(emu *lineworkstest.Server) int {
	n := 0
	for _, req := range emu.Requests.All() {
		if req.Method == http.MethodPost && req.Path == "/v1.0/bots" {
			n++
		}
	}
	return n
}
