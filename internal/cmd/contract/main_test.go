package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

const testSecret = "contract-command-secret-0123456789"

// TestMain runs the command itself when a test starts this binary as it
// (runMainEnv), so that a test can send it a signal.
func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

const runMainEnv = "CONTRACT_TEST_RUN_MAIN"

// tenant is an emulated tenant and the environment a user would set to run
// the command against it.
func tenant(t *testing.T) (*lineworkstest.Server, map[string]string) {
	t.Helper()
	emu := lineworkstest.NewServer()
	t.Cleanup(emu.Close)
	key := lineworkstest.TestKey(0)
	emu.Auth.RegisterApp(lineworkstest.App{ClientID: "contract", ClientSecret: testSecret, ServiceAccountID: "sa.serviceaccount@example.com", PublicKey: &key.PublicKey})
	keyPath := filepath.Join(t.TempDir(), "private_key.pem")
	if err := os.WriteFile(keyPath, lineworkstest.PKCS8PEM(key), 0o600); err != nil {
		t.Fatal(err)
	}
	return emu, map[string]string{
		envAgree:                       "1",
		envAdmin:                       lineworkstest.DefaultUsers[0],
		envDomain:                      strconv.FormatInt(lineworkstest.DefaultDomainID, 10),
		envReport:                      filepath.Join(t.TempDir(), "report.json"),
		realtenant.EnvClientID:         "contract",
		realtenant.EnvClientSecret:     testSecret,
		realtenant.EnvServiceAccountID: "sa.serviceaccount@example.com",
		realtenant.EnvPrivateKeyPath:   keyPath,
		realtenant.EnvAuthEndpoint:     emu.AuthURL(),
		realtenant.EnvAPIEndpoint:      emu.APIURL(),
		realtenant.EnvStorageEndpoint:  emu.StorageURL(),
	}
}

func runWith(env map[string]string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), func(name string) string { return env[name] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

// The run writes the report where CONTRACT_REPORT says, the report loads
// as the emulator's forms and they are those the emulator answered in; the
// summary says which flag makes the emulator answer so and where to send
// the report; no secret is printed or written; nothing is left behind.
func TestContractCommandWritesTheReport(t *testing.T) {
	emu, env := tenant(t)
	if err := emu.Forms.Set(lineworkstest.AllAnswerForms()); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runWith(env)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	raw, err := os.ReadFile(env[envReport])
	if err != nil {
		t.Fatal(err)
	}
	forms, err := lineworkstest.DecodeAnswerForms(raw)
	if err != nil {
		t.Fatalf("the report does not load as the emulator's forms: %v\n%s", err, raw)
	}
	got, _ := json.Marshal(forms)
	want, _ := json.Marshal(emu.Forms.Get())
	if string(got) != string(want) {
		t.Errorf("the report loads as %s, want %s", got, want)
	}
	for _, part := range []string{"create_answer=id_only", "rich_menu_create_answer=id_only", "persistent_menu_none=empty", "all_users_members=string",
		"-answer-forms @" + env[envReport], newIssueURL, "deleted_bot_status"} {
		if !strings.Contains(stdout, part) {
			t.Errorf("the summary lacks %q:\n%s", part, stdout)
		}
	}
	for name, text := range map[string]string{"report": string(raw), "stdout": stdout, "stderr": stderr} {
		for _, s := range append([]string{testSecret, "PRIVATE KEY"}, emu.Auth.IssuedTokens()...) {
			if strings.Contains(text, s) {
				t.Errorf("the %s holds a secret (%d characters)", name, len(s))
			}
		}
	}
	if n := len(emu.Bots.List()); n != 0 {
		t.Errorf("%d bots left", n)
	}
}

// Without the agreement, the credentials, or a place for the report, the
// command refuses before sending anything, and says what to set.
func TestContractCommandRefusesToStart(t *testing.T) {
	for name, tt := range map[string]struct {
		edit func(map[string]string)
		want []string
	}{
		"no agreement":     {func(e map[string]string) { delete(e, envAgree) }, []string{"LINEWORKS_CONTRACT=1", "creates a bot", "deletes the bot"}},
		"agreement not 1":  {func(e map[string]string) { e[envAgree] = "yes" }, []string{"LINEWORKS_CONTRACT=1"}},
		"no credentials":   {func(e map[string]string) { delete(e, realtenant.EnvClientSecret) }, []string{"LINEWORKS_CLIENT_SECRET not set"}},
		"no report folder": {func(e map[string]string) { e[envReport] = "/nowhere/at/all/report.json" }, []string{"CONTRACT_REPORT /nowhere/at/all/report.json cannot be written"}},
		"bad domain":       {func(e map[string]string) { e[envDomain] = "ten" }, []string{"LINEWORKS_CONTRACT_DOMAIN", `"ten" is not a domain ID`}},
		"negative domain":  {func(e map[string]string) { e[envDomain] = "-1" }, []string{"LINEWORKS_CONTRACT_DOMAIN", "not a domain ID"}},
	} {
		t.Run(name, func(t *testing.T) {
			emu, env := tenant(t)
			tt.edit(env)
			code, stdout, stderr := runWith(env)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if stdout != "" || len(emu.Requests.All()) != 0 {
				t.Errorf("the command ran: stdout %q, %d requests", stdout, len(emu.Requests.All()))
			}
		})
	}
}

// A run that cannot create its bot still writes the report, saying why,
// and exits 1.
func TestContractCommandReportsAFailedRun(t *testing.T) {
	_, env := tenant(t)
	env[envAdmin] = "nobody@example.com"
	code, stdout, stderr := runWith(env)
	if code != 1 || !strings.Contains(stderr, "no bot could be created") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	raw, err := os.ReadFile(env[envReport])
	if err != nil || !strings.Contains(string(raw), `"create_status": null`) || !strings.Contains(string(raw), "create_status_note") {
		t.Errorf("report %s, %v", raw, err)
	}
	if !strings.Contains(stdout, newIssueURL) {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// Ctrl-C while the bot's rich menu is being created: the command stops,
// deletes the menu and the bot all the same, writes what it had observed,
// and exits 130.
func TestContractCommandCleansUpOnInterrupt(t *testing.T) {
	emu, env := tenant(t)
	emu.Bots.SetMutationHold(2 * time.Second) // each change to the bot takes that long
	cmd := exec.Command(os.Args[0])
	cmd.Env = []string{runMainEnv + "=1"}
	for name, value := range env {
		cmd.Env = append(cmd.Env, name+"="+value)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var said strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		said.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "creating the rich menu") {
			break
		}
	}
	time.Sleep(300 * time.Millisecond) // the create has reached the emulator, which holds it
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stderr)
	said.Write(rest)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 || !strings.Contains(said.String(), "interrupted") {
		t.Errorf("after Ctrl-C: %v\n%s", err, said.String())
	}
	if bots := emu.Bots.List(); len(bots) != 0 {
		t.Errorf("%d bots left after Ctrl-C: %+v", len(bots), bots)
	}
	if n := richMenuDeletes(emu); n == 0 {
		t.Errorf("the clean-up did not delete the rich menu:\n%s", said.String())
	}
	raw, err := os.ReadFile(env[envReport])
	if err != nil || !strings.Contains(string(raw), `"create_answer": "full"`) || !strings.Contains(string(raw), `"rich_menu_create_answer": "full"`) ||
		!strings.Contains(string(raw), "interrupted") || !strings.Contains(string(raw), `"left_behind": []`) {
		t.Errorf("the report after Ctrl-C: %v\n%s", err, raw)
	}
}

// richMenuDeletes counts the rich menu deletes the emulator received.
func richMenuDeletes(emu *lineworkstest.Server) (n int) {
	for _, r := range emu.Requests.All() {
		if r.Method == http.MethodDelete && strings.Contains(r.Path, "/richmenus/") {
			n++
		}
	}
	return n
}
