package provider

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// What a test reaches of the emulator is found through helpers, methods
// and closures; a helper that asks env.emulated(), and a check passed to
// env.onEmulator, do not count.
func TestEmulatorNeedsAreFoundInTheSource(t *testing.T) {
	dir := t.TempDir()
	src := `package provider

func TestDirect(t *testing.T) { env := newAccEnv(t); env.emu.Faults.RateLimitNext(1, 1) }
func TestThroughAFunction(t *testing.T) { env := newAccEnv(t); check(env) }
func TestThroughAMethod(t *testing.T) { env := newAccEnv(t); env.seen() }
func TestThroughAClosure(t *testing.T) {
	env := newAccEnv(t)
	_ = resource.TestStep{PreConfig: func() { env.emu.Bots.Remove(1) }}
}
func TestModeAware(t *testing.T) { env := newAccEnv(t); env.look(); env.resetRequests() }
func TestOnEmulatorOnly(t *testing.T) {
	env := newAccEnv(t)
	_ = env.onEmulator(func(*terraform.State) error { return env.seen() }, "the requests sent")
}
func TestTheEmulatorItself(t *testing.T) { env := newAccEnv(t); use(env.emu) }
func TestItsApp(t *testing.T) { env := newAccEnv(t); _ = testClientSecret; _ = lineworkstest.TestKey(1) }
func TestNothing(t *testing.T) { env := newAccEnv(t); env.test(t) }

func check(env *accEnv) { _ = env.emu.Storage }
func (e *accEnv) seen() error { return e.emu.Requests.All() }
func (e *accEnv) look() {
	if e.emulated() {
		e.emu.Bots.List()
	}
}
func (e *accEnv) resetRequests() {
	if accTenant == nil {
		e.emu.Requests.Reset()
	}
}
`
	if err := os.WriteFile(filepath.Join(dir, "x_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for test, want := range map[string][]string{
		"TestDirect":            {"Faults"},
		"TestThroughAFunction":  {"Storage"},
		"TestThroughAMethod":    {"Requests"},
		"TestThroughAClosure":   {"Bots"},
		"TestModeAware":         nil,
		"TestOnEmulatorOnly":    nil,
		"TestTheEmulatorItself": {"emu"},
		"TestItsApp":            {"TestKey", "testClientSecret"},
		"TestNothing":           nil,
	} {
		needs := needsOf(t, dir, test)
		if got := partsOf(needs); !slices.Equal(got, want) {
			t.Errorf("%s needs %q, want the parts %q", test, needs, want)
		}
		for _, part := range want {
			if phrase := emulatorParts[part] + emulatorIdents[part]; !strings.Contains(strings.Join(needs, "; "), phrase+" (") {
				t.Errorf("%s needs %q, which does not say %q", test, needs, phrase)
			}
		}
	}
	if _, err := emulatorNeeds(dir, "TestAbsent"); err == nil {
		t.Error("a test that is not in the sources gave no error")
	}
}

// This package's tests: the bot tests that only look at the tenant run
// against a real one; those that change it behind Terraform's back, count
// requests or need the emulator's app are skipped there, saying so.
func TestWhichAcceptanceTestsRunAgainstARealTenant(t *testing.T) {
	for test, want := range map[string][]string{
		"TestAccBot_lifecycle":                 nil,
		"TestAccBot_scopes":                    nil,
		"TestAccBotDataSource":                 nil,
		"TestAccBotDomain_allowDomainsCascade": nil,
		"TestAccBot_drift":                     {"Bots", "Requests"},
		"TestAccBotSecret_lifecycle":           {"Bots", "SetClock"},
		"TestAccBotAttachment_goneFile":        {"testBotID", "testFileID"},
		"TestAccJWTAssertionEphemeral":         {"TestKey", "testAccount", "testClientID"},
	} {
		needs := needsOf(t, ".", test)
		parts := partsOf(needs)
		if !slices.Equal(parts, want) {
			t.Errorf("%s needs %q of the emulator, want %q", test, needs, want)
		}
	}
}

func needsOf(t *testing.T, dir, test string) []string {
	t.Helper()
	needs, err := emulatorNeeds(dir, test)
	if err != nil {
		t.Fatal(err)
	}
	return needs
}

// partsOf are the parts named in needs, in parentheses, sorted.
func partsOf(needs []string) []string {
	var parts []string
	for _, n := range needs {
		parts = append(parts, strings.Split(n[strings.LastIndex(n, "(")+1:len(n)-1], ", ")...)
	}
	slices.Sort(parts)
	return parts
}
