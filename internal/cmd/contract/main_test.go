package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

const testSecret = "contract-command-secret-0123456789"

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
	for _, part := range []string{"create_answer=id_only", "-answer-forms @" + env[envReport], newIssueURL, "deleted_bot_status"} {
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
