package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// realTenantRun is the subset of the acceptance tests run against the
// emulator command as a real tenant: each test, and whether it must pass
// there or be skipped, and for what.
var realTenantRun = map[string]string{
	"TestAccBot_lifecycle":                   "pass",
	"TestAccBot_scopes":                      "pass",
	"TestAccBotDataSource":                   "pass",
	"TestAccBotDomain_allowDomainsCascade":   "pass",
	"TestAccProvider_badKeysSayWhatIsWrong":  "pass",
	"TestAccBot_drift":                       "skip: its bots, changed behind Terraform's back",
	"TestAccBotDomain_parallelWithSecrets":   "skip: its bots, changed behind Terraform's back",
	"TestAccBotSecret_lifecycle":             "skip: its clock",
	"TestAccBotAttachment_planWritesTheFile": "skip: attachments it serves",
	"TestAccAccessToken_revokeOnClose":       "skip: the requests it recorded",
}

// The acceptance tests against a real tenant, with the emulator command as
// that tenant: only the settings it printed (its admin door left out, as a
// tenant has none) and the users and domains asked of it by flags reach a
// `go test` of the provider with LINEWORKS_ACC_REAL=1. The tests that only
// look at the tenant pass; those that need the emulator's own API are
// skipped, saying what for; they leave no bot behind. Then bots seeded
// through the admin door, some named with the tf-acc- prefix and some not,
// meet the sweeper (go test -sweep), which deletes only the prefixed ones.
func TestAcceptanceTestsAgainstARealTenantAndTheSweeper(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel) // after the emulator command's stop
	users := []string{"admin@example.com", "sato@example.com", "suzuki@example.com", "tanaka@example.com", "ito@example.com", "watanabe@example.com"}
	printed, _, _ := startEmulatorCommand(ctx, t, "-dir", filepath.Join(t.TempDir(), "emulator"), "-users", strings.Join(users[1:], ","), "-domains", "10000002,10000003")
	admin := printed["LINEWORKS_EMULATOR_ADMIN_URL"]
	env := userEnviron()
	for _, kv := range os.Environ() { // which terraform the tests run, as the parent was told
		if strings.HasPrefix(kv, "TF_ACC_") {
			env = append(env, kv)
		}
	}
	for name, value := range printed {
		if name != "LINEWORKS_EMULATOR_ADMIN_URL" {
			env = append(env, name+"="+value)
		}
	}
	env = append(env, "LINEWORKS_ACC_REAL=1", "TF_ACC=1",
		"LINEWORKS_ACC_USERS="+strings.Join(users, ","), "LINEWORKS_ACC_DOMAINS=10000001,10000002,10000003", "LINEWORKS_ACC_SCOPES=bot.read user.read")

	var tests []string
	for name := range realTenantRun {
		tests = append(tests, name)
	}
	slices.Sort(tests)
	events := goTest(ctx, t, env, "-json", "-count=1", "-run", "^("+strings.Join(tests, "|")+")$")
	for _, name := range tests {
		want, need, _ := strings.Cut(realTenantRun[name], ": ")
		got := events.action[name]
		switch {
		case got != want:
			t.Errorf("%s: %s, want %s\n%s", name, got, want, events.output[name])
		case want == "skip" && (!strings.Contains(events.output[name], "skipped against a real tenant") || !strings.Contains(events.output[name], need)):
			t.Errorf("%s was skipped without saying it needs %q:\n%s", name, need, events.output[name])
		}
	}
	var requests []struct{ Method, Path string }
	adminGet(t, admin+"/_emulator/requests", &requests)
	if !slices.ContainsFunc(requests, func(r struct{ Method, Path string }) bool { return r.Method == http.MethodPatch }) {
		t.Errorf("no bot was changed at the emulator command: the tests did not run against it (%d requests)", len(requests))
	}
	var bots []struct {
		BotID   int64  `json:"botId"`
		BotName string `json:"botName"`
	}
	adminGet(t, admin+"/_emulator/bots", &bots)
	if len(bots) != 0 {
		t.Errorf("the acceptance tests left %d bots: %+v", len(bots), bots)
	}

	seeded := []string{"tf-acc-interrupted", "tf-acc-contract-0a1b2c3d", "Helpdesk", "TF-ACC-not-ours", "my tf-acc-bot"}
	for _, name := range seeded {
		body := `{"botName":"` + name + `","photoUrl":"https://example.com/p.png","description":"seeded","administrators":["admin@example.com"]}`
		resp, err := http.Post(admin+"/_emulator/bots", "application/json", strings.NewReader(body))
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("seeding %q: %v %v", name, resp, err)
		}
		resp.Body.Close()
	}
	sweep := goTest(ctx, t, env, "-count=1", "-v", "-sweep=tenant")
	if !strings.Contains(sweep.all, "deleted 2 bots named tf-acc-") {
		t.Errorf("the sweeper said:\n%s", sweep.all)
	}
	adminGet(t, admin+"/_emulator/bots", &bots)
	var left []string
	for _, b := range bots {
		left = append(left, b.BotName)
	}
	slices.Sort(left)
	if want := []string{"Helpdesk", "TF-ACC-not-ours", "my tf-acc-bot"}; !slices.Equal(left, want) {
		t.Errorf("after the sweep the emulator holds %q, want %q", left, want)
	}
}

// testEvents are what a `go test` of the provider package said: each
// test's last action (pass, fail, skip) and output, and everything.
type testEvents struct {
	action, output map[string]string
	all            string
}

// goTest runs `go test` on the provider package with env and args, and
// fails the test if it fails.
func goTest(ctx context.Context, t *testing.T, env []string, args ...string) testEvents {
	t.Helper()
	_, thisFile, _, _ := runtime.Caller(0)
	// -race as make test builds the package, so that its compiled packages
	// are reused rather than built a second time without it.
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-race", "./internal/provider"}, args...)...)
	cmd.Dir = filepath.Join(filepath.Dir(thisFile), "..", "..")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	ev := testEvents{action: map[string]string{}, output: map[string]string{}, all: string(out)}
	if slices.Contains(args, "-json") {
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e struct{ Action, Test, Output string }
			if json.Unmarshal(sc.Bytes(), &e) != nil || e.Test == "" {
				continue
			}
			switch e.Action {
			case "output":
				ev.output[e.Test] += e.Output
			case "pass", "fail", "skip":
				ev.action[e.Test] = e.Action
			}
		}
	}
	if err != nil {
		t.Fatalf("go test %s: %v\n%s", strings.Join(args, " "), err, tail(ev.all, 8000))
	}
	return ev
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
