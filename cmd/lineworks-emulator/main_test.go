package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/contract"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

// syncBuffer is a bytes.Buffer safe to write from the command's goroutine
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// started runs the command until the test ends, and returns the settings it
// printed.
func started(t *testing.T, args ...string) (env map[string]string, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr = &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, args, pw, stderr)
		_ = pw.Close()
	}()
	env = map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# lineworks-emulator") && strings.Contains(line, "ready") {
			break
		}
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok || !strings.HasPrefix(value, "'") {
			t.Fatalf("unexpected line %q", line)
		}
		for len(value) < 2 || !strings.HasSuffix(value, "'") { // a quoted value spans lines
			if !sc.Scan() {
				t.Fatalf("%s is not closed", name)
			}
			value += "\n" + sc.Text()
		}
		env[name] = strings.Trim(value, "'")
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	var once sync.Once
	result := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case result = <-code:
			case <-time.After(30 * time.Second):
				t.Error("the command did not stop")
			}
		})
		return result
	}
	t.Cleanup(func() { stop() })
	if len(env) == 0 {
		t.Fatalf("no settings printed; stderr: %s", stderr.String())
	}
	return env, stderr, stop
}

func adminGet(t *testing.T, env map[string]string, path string, out any) {
	t.Helper()
	resp, err := http.Get(env["LINEWORKS_EMULATOR_ADMIN_URL"] + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

func TestCommandPrintsWorkingSettings(t *testing.T) {
	dir := t.TempDir()
	envFile := filepath.Join(dir, "emulator.env")
	env, _, stop := started(t, "-dir", dir, "-env-file", envFile, "-answer-forms", "deleted_bot_status=410,persistent_menu_none=empty", "-rate-limit", "60", "-dev-overrides", dir,
		"-rate-limit-window", "3s", "-read-latency", "50ms", "-mutation-latency", "150ms")
	for _, name := range []string{"LINEWORKS_CLIENT_ID", "LINEWORKS_CLIENT_SECRET", "LINEWORKS_SERVICE_ACCOUNT_ID", "LINEWORKS_PRIVATE_KEY_PATH",
		"LINEWORKS_AUTH_ENDPOINT", "LINEWORKS_API_ENDPOINT", "LINEWORKS_STORAGE_ENDPOINT", "LINEWORKS_EMULATOR_ADMIN_URL", "TF_CLI_CONFIG_FILE"} {
		if env[name] == "" {
			t.Errorf("%s not printed", name)
		}
	}
	if !strings.HasSuffix(env["LINEWORKS_API_ENDPOINT"], "/v1.0") || !strings.HasPrefix(env["LINEWORKS_STORAGE_ENDPOINT"], "http://localhost:") {
		t.Errorf("endpoints %v", env)
	}
	if key, err := os.ReadFile(env["LINEWORKS_PRIVATE_KEY_PATH"]); err != nil || !bytes.HasPrefix(key, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Errorf("key file: %v", err)
	}
	cli, err := os.ReadFile(env["TF_CLI_CONFIG_FILE"])
	if err != nil || !strings.Contains(string(cli), `"lineworks-community/lineworks" = "`+dir+`"`) || !strings.Contains(string(cli), "direct {}") {
		t.Errorf("CLI configuration %s: %v", cli, err)
	}
	written, err := os.ReadFile(envFile)
	if err != nil || !strings.Contains(string(written), "LINEWORKS_CLIENT_SECRET="+env["LINEWORKS_CLIENT_SECRET"]+"\n") {
		t.Errorf("env file %s: %v", written, err)
	}
	var settings lineworkstest.Settings
	adminGet(t, env, "/_emulator/settings", &settings)
	if settings.AnswerForms.DeletedBotStatus != 410 || settings.AnswerForms.PersistentMenuNone != lineworkstest.PersistentMenuNoneEmpty || *settings.RateLimitPerMinute != 60 || *settings.RateLimitWindowMillis != 3000 ||
		*settings.ReadLatencyMillis != 50 || *settings.MutationHoldMillis != 150 {
		t.Errorf("settings %+v", settings)
	}
	// The printed credentials get a token.
	var st lineworkstest.State
	adminGet(t, env, "/_emulator/state", &st)
	if len(st.Apps) != 1 || st.Apps[0].ClientID != env["LINEWORKS_CLIENT_ID"] || st.Apps[0].ClientSecret != env["LINEWORKS_CLIENT_SECRET"] {
		t.Errorf("apps %+v", st.Apps)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if resp, err := http.Get(env["LINEWORKS_API_ENDPOINT"]); err == nil {
		resp.Body.Close()
		t.Error("still serving after the stop")
	}
}

// The state outlives the process: saved on exit, loaded at the next start,
// with this run's credentials working.
func TestCommandState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	env, stderr, stop := started(t, "-state", state)
	if !strings.Contains(stderr.String(), "no state at") {
		t.Errorf("stderr %q", stderr.String())
	}
	seed := `{"botName":"Seeded","photoUrl":"https://example.com/a.png","description":"d","administrators":["admin@example.com"],"secret":"s3cret"}`
	resp, err := http.Post(env["LINEWORKS_EMULATOR_ADMIN_URL"]+"/_emulator/bots", "application/json", strings.NewReader(seed))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("seed: %v %v", resp, err)
	}
	resp.Body.Close()
	if stop() != 0 {
		t.Fatal(stderr.String())
	}
	if fi, err := os.Stat(state); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}

	env2, _, _ := started(t, "-state", state, "-client-secret", "given-secret")
	var st lineworkstest.State
	adminGet(t, env2, "/_emulator/state", &st)
	if len(st.Bots) != 1 || st.Bots[0].BotName != "Seeded" || st.Bots[0].Secret != "s3cret" {
		t.Errorf("bots after a restart %+v", st.Bots)
	}
	if len(st.Apps) != 1 || st.Apps[0].ClientSecret != "given-secret" || env2["LINEWORKS_CLIENT_SECRET"] != "given-secret" {
		t.Errorf("apps after a restart %+v", st.Apps)
	}
}

func TestCommandFlags(t *testing.T) {
	key := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(key, lineworkstest.PKCS1PEM(lineworkstest.TestKey(0)), 0o600); err != nil {
		t.Fatal(err)
	}
	env, _, _ := started(t, "-private-key-file", key, "-client-id", "mine", "-inline-key", "-scopes", "bot bot.read", "-domains", "20000001, 20000002", "-users", "kim@example.com,u-2")
	if env["LINEWORKS_CLIENT_ID"] != "mine" || env["LINEWORKS_PRIVATE_KEY_PATH"] != "" || !strings.HasPrefix(env["LINEWORKS_PRIVATE_KEY"], "-----BEGIN PRIVATE KEY-----") {
		t.Errorf("settings %v", env)
	}
	var st lineworkstest.State
	adminGet(t, env, "/_emulator/state", &st)
	if fmt.Sprint(st.Directory.Domains) != "[10000001 20000001 20000002]" || len(st.Directory.Users) != 6 || fmt.Sprint(st.Apps[0].Scopes) != "[bot bot.read]" {
		t.Errorf("directory %+v, scopes %v", st.Directory, st.Apps[0].Scopes)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-answer-forms", "create_answer=some"}, 1, "create_answer"},
		{[]string{"-answer-forms", "all_users_members=none"}, 1, "all_users_members"},
		{[]string{"-answer-forms", "@/nonexistent/report.json"}, 1, "/nonexistent/report.json"},
		{[]string{"-domains", "1,x"}, 1, "-domains"},
		{[]string{"-api-addr", "0.0.0.0:0"}, 1, "loopback"},
		{[]string{"-private-key-file", "/nonexistent"}, 1, "-private-key-file"},
		{[]string{"-cli-config", "x"}, 2, "-dev-overrides"},
		{[]string{"-inline-key", "-env-file", "x"}, 2, "-inline-key"},
		{[]string{"-rate-limit-window", "500ms"}, 2, "whole seconds"},
		{[]string{"-read-latency", "-1s"}, 2, "must not be negative"},
		{[]string{"extra"}, 2, "unexpected argument"},
		{[]string{"-nonsense"}, 2, "nonsense"},
		{[]string{"-h"}, 0, "Usage"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), tt.args, &stdout, &stderr); code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
	var stdout bytes.Buffer
	if run(context.Background(), []string{"-version"}, &stdout, io.Discard) != 0 || !strings.HasPrefix(stdout.String(), "lineworks-emulator ") {
		t.Errorf("-version: %q", stdout.String())
	}
}

// A tenant's contract report makes the emulator answer as that tenant did:
// a report of the emulator itself answering in every form, loaded with
// -answer-forms @file, turns every form on; a report naming a form the
// emulator does not have is refused, saying which.
func TestCommandAnswersAsAContractReportSays(t *testing.T) {
	tenant := lineworkstest.NewServer()
	defer tenant.Close()
	if err := tenant.Forms.Set(lineworkstest.AllAnswerForms()); err != nil {
		t.Fatal(err)
	}
	key := lineworkstest.TestKey(0)
	tenant.Auth.RegisterApp(lineworkstest.App{ClientID: "c", ClientSecret: "s", ServiceAccountID: "sa@example.com", PublicKey: &key.PublicKey})
	settings := realtenant.Settings{ClientID: "c", ClientSecret: "s", ServiceAccountID: "sa@example.com", PrivateKeyPEM: lineworkstest.PKCS8PEM(key),
		AuthEndpoint: tenant.AuthURL(), APIEndpoint: tenant.APIURL(), StorageEndpoint: tenant.StorageURL()}
	client, err := settings.Client("test")
	if err != nil {
		t.Fatal(err)
	}
	report, err := contract.Run(context.Background(), contract.Config{Client: client, Admin: lineworkstest.DefaultUsers[0], Domain: lineworkstest.DefaultDomainID})
	if err != nil {
		t.Fatal(err)
	}
	file, err := report.File()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "contract-report.json")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}

	env, _, _ := started(t, "-answer-forms", "@"+path)
	var settingsNow lineworkstest.Settings
	adminGet(t, env, "/_emulator/settings", &settingsNow)
	got, _ := json.Marshal(settingsNow.AnswerForms)
	want, _ := json.Marshal(lineworkstest.AllAnswerForms())
	if string(got) != string(want) {
		t.Errorf("answer forms from the report %s, want %s", got, want)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"create_status": 202, "photo_url": "as_sent"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"-answer-forms", "@" + bad}, io.Discard, &stderr); code != 1 || !strings.Contains(stderr.String(), "create_status is 202") || !strings.Contains(stderr.String(), bad) {
		t.Errorf("a report with a status the emulator cannot give: exit %d, %q", code, stderr.String())
	}
}
