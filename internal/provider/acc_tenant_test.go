package provider

// The acceptance tests run against the in-process emulator, or, with
// LINEWORKS_ACC_REAL=1, against the tenant the LINEWORKS_* variables point
// at: the same tests, through the helpers here, which look at the tenant
// through the emulator where there is one and through the API where there
// is not. A test that reaches for the emulator's own API (env.emu: drift
// behind Terraform's back, faults, answer forms, recorded requests) is
// skipped against a real tenant, saying what it needs
// (acc_emulator_uses_test.go). Everything a test creates is named with the
// tf-acc- prefix in both modes, so that make sweep (sweep_test.go) finds
// what an interrupted run left.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

// The settings of a run against a real tenant, besides the provider's own.
const (
	envAccReal    = "LINEWORKS_ACC_REAL"
	envAccUsers   = "LINEWORKS_ACC_USERS"   // login e-mails of users of the tenant, comma-separated
	envAccDomains = "LINEWORKS_ACC_DOMAINS" // domain IDs of the tenant, comma-separated
	envAccScopes  = "LINEWORKS_ACC_SCOPES"  // the scopes enabled for the app, beside bot
)

// The fixtures the bot tests need of a real tenant: three administrators
// and three subadministrators, and three domains.
const (
	accUsersNeeded   = 6
	accDomainsNeeded = 3
)

// accTenant is the real tenant of this run; nil against the emulator.
var accTenant *realTenant

// realTenant is the tenant of LINEWORKS_ACC_REAL=1: its app and endpoints,
// and the users and domains the tests may use.
type realTenant struct {
	settings realtenant.Settings
	users    []string
	domains  []int64
	scopes   []string
}

// readAccTenant reads the real tenant when LINEWORKS_ACC_REAL=1 asks for
// one, and puts its users and domains in place of the emulated tenant's.
// Without it, nothing changes.
func readAccTenant() error {
	switch v := os.Getenv(envAccReal); v {
	case "":
		return nil
	case "1":
	default:
		return fmt.Errorf("%s is %q: set it to 1 to run the acceptance tests against the tenant the LINEWORKS_* variables point at, or unset it", envAccReal, v)
	}
	settings, err := realtenant.FromEnv(os.Getenv)
	if err != nil {
		return fmt.Errorf("%s=1: %w", envAccReal, err)
	}
	tn := &realTenant{settings: settings, users: splitSetting(os.Getenv(envAccUsers)), scopes: strings.Fields(os.Getenv(envAccScopes))}
	for _, d := range splitSetting(os.Getenv(envAccDomains)) {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%s: %q is not a domain ID", envAccDomains, d)
		}
		tn.domains = append(tn.domains, id)
	}
	if len(tn.users) >= 1 {
		testAdmin = tn.users[0]
	}
	if len(tn.users) >= accUsersNeeded {
		testUsers, testSubs = tn.users[:3], tn.users[3:6]
	}
	if len(tn.domains) >= accDomainsNeeded {
		testDomain, testDomain2, testDomain3 = tn.domains[0], tn.domains[1], tn.domains[2]
		allDomains = []int64{testDomain, testDomain2, testDomain3}
	}
	accTenant = tn
	return nil
}

func splitSetting(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// requireFixtures skips a bot test when the tenant's users and domains
// given are fewer than it uses.
func (tn *realTenant) requireFixtures(t *testing.T) {
	t.Helper()
	if len(tn.users) < accUsersNeeded || len(tn.domains) < accDomainsNeeded {
		t.Skipf("skipped against a real tenant: the bot tests need %d users of the tenant in %s (login e-mails: three administrators, three subadministrators) and %d domain IDs in %s; got %d and %d",
			accUsersNeeded, envAccUsers, accDomainsNeeded, envAccDomains, len(tn.users), len(tn.domains))
	}
}

// needsScopes skips a test against a real tenant whose app may not have
// every one of scopes enabled (LINEWORKS_ACC_SCOPES lists those it has,
// beside bot, which every test needs).
func (e *accEnv) needsScopes(t *testing.T, scopes ...string) {
	t.Helper()
	if e.emulated() {
		return
	}
	for _, s := range scopes {
		if s != "bot" && !slices.Contains(accTenant.scopes, s) {
			t.Skipf("skipped against a real tenant: the app needs the %s scope, which %s does not list", s, envAccScopes)
		}
	}
}

// newRealTenantEnv is the accEnv of the real tenant, or skips a test that
// needs the emulator, saying what for.
func newRealTenantEnv(t *testing.T) *accEnv {
	t.Helper()
	name, _, _ := strings.Cut(t.Name(), "/")
	needs, err := emulatorNeeds(".", name)
	if err != nil {
		t.Fatalf("cannot tell whether %s needs the emulator: %v", name, err)
	}
	if len(needs) > 0 {
		t.Skipf("skipped against a real tenant (%s=1): it needs what only the emulator has: %s", envAccReal, strings.Join(needs, "; "))
	}
	keyPath := accTenant.settings.PrivateKeyPath
	if keyPath == "" {
		keyPath = t.TempDir() + "/private.key"
		if err := os.WriteFile(keyPath, accTenant.settings.PrivateKeyPEM, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return &accEnv{app: accTenant.settings, keyPath: keyPath, now: time.Now, t: t}
}

// emulated reports whether the tenant is the in-process emulator. A helper
// that asks is one a test may call against a real tenant too.
func (e *accEnv) emulated() bool { return e.emu != nil }

// onEmulator is check where the tenant is the emulator; against a real
// tenant, which cannot show what (such as the requests sent), it logs that
// it was not checked.
func (e *accEnv) onEmulator(check resource.TestCheckFunc, what string) resource.TestCheckFunc {
	if e.emulated() {
		return check
	}
	return func(*terraform.State) error {
		e.t.Logf("not checked against a real tenant, which cannot show %s", what)
		return nil
	}
}

// resetRequests forgets the requests the emulator recorded (a PreConfig
// before a check of what one step sent).
func (e *accEnv) resetRequests() {
	if e.emulated() {
		e.emu.Requests.Reset()
	}
}

// registrations are the registrations of bot id: the emulator's, or as a
// real tenant lists them.
func (e *accEnv) registrations(id int64) ([]lineworkstest.BotDomain, error) {
	var got []lineworkstest.BotDomain
	if e.emulated() {
		got = e.emu.Bots.Domains(id)
	} else {
		listed, err := e.client(e.t).ListBotDomains(context.Background(), id)
		if err != nil {
			return nil, err
		}
		for _, d := range listed {
			got = append(got, lineworkstest.BotDomain{DomainID: d.DomainID, Visible: d.Visible, AllowToSelectedMember: d.AllowToSelectedMember})
		}
	}
	slices.SortFunc(got, func(a, b lineworkstest.BotDomain) int { return int(a.DomainID - b.DomainID) })
	return got, nil
}

// tenantBot is bot id as a real tenant answers for it, in the emulator's
// type, for the checks written against the emulator's record.
func (e *accEnv) tenantBot(id int64) (lineworkstest.Bot, error) {
	b, err := e.client(e.t).GetBot(context.Background(), id)
	if err != nil {
		return lineworkstest.Bot{}, err
	}
	raw, err := json.Marshal(b)
	if err != nil {
		return lineworkstest.Bot{}, err
	}
	var out lineworkstest.Bot // the same JSON names: the service's
	return out, json.Unmarshal(raw, &out)
}

// checkBotsGone is a bot test's CheckDestroy: the emulator holds no bot at
// all; a real tenant, none of the bots the state held before the destroy.
func (e *accEnv) checkBotsGone(s *terraform.State) error {
	if e.emulated() {
		if bots := e.emu.Bots.List(); len(bots) != 0 {
			return fmt.Errorf("%d bots left at the emulator after destroy", len(bots))
		}
		return nil
	}
	for addr, r := range s.RootModule().Resources {
		if r.Type != "lineworks_bot" {
			continue
		}
		id, err := strconv.ParseInt(r.Primary.Attributes["bot_id"], 10, 64)
		if err != nil {
			return fmt.Errorf("%s: bot_id %q", addr, r.Primary.Attributes["bot_id"])
		}
		if _, err := e.client(e.t).GetBot(context.Background(), id); err == nil {
			return fmt.Errorf("%s: bot %d is still there after destroy", addr, id)
		} else if !realtenant.Gone(err) {
			return fmt.Errorf("%s: whether bot %d is gone after destroy: %w", addr, id, err)
		}
	}
	return nil
}

// createBot creates a bot through the API, as someone else would, and
// deletes it when the test ends. Its name must carry the tf-acc- prefix.
func (e *accEnv) createBot(t *testing.T, s lineworks.BotSettings) *lineworks.Bot {
	t.Helper()
	if !realtenant.Named(s.BotName) {
		t.Fatalf("a test bot is named %q: start its name with %s, which make sweep looks for", s.BotName, realtenant.Prefix)
	}
	c := e.client(t)
	b, err := c.CreateBot(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.DeleteBot(context.Background(), b.BotID); err != nil && !realtenant.Gone(err) {
			t.Errorf("deleting the test's bot %d: %v", b.BotID, err)
		}
	})
	return b
}

// botCount is how many bots the tenant has.
func (e *accEnv) botCount(t *testing.T) int {
	t.Helper()
	bots, err := e.client(t).ListBots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(bots)
}

// namedObjects are the API calls that name what they create or rename, and
// the field that holds the name.
var namedObjects = []struct {
	method string
	path   *regexp.Regexp
	field  string
}{
	{"POST", regexp.MustCompile(`^/v1\.0/bots$`), "botName"},
	{"PUT", regexp.MustCompile(`^/v1\.0/bots/\d+$`), "botName"},
	{"PATCH", regexp.MustCompile(`^/v1\.0/bots/\d+$`), "botName"},
	{"POST", regexp.MustCompile(`^/v1\.0/bots/\d+/richmenus$`), "richmenuName"},
}

// requirePrefix fails the test for each bot (or rich menu) it creates or
// renames at the emulator without the tf-acc- prefix: the same test against
// a real tenant would leave what make sweep cannot find.
func (e *accEnv) requirePrefix(t *testing.T) {
	var mu sync.Mutex
	var unnamed []string
	e.emu.Requests.Watch(func(r lineworkstest.Request) {
		if r.Host != lineworkstest.HostAPI || r.Status/100 != 2 {
			return
		}
		for _, o := range namedObjects {
			if r.Method != o.method || !o.path.MatchString(r.Path) {
				continue
			}
			var body map[string]json.RawMessage
			var name string
			if json.Unmarshal(r.Body, &body) != nil || body[o.field] == nil || json.Unmarshal(body[o.field], &name) != nil || realtenant.Named(name) {
				return
			}
			mu.Lock()
			unnamed = append(unnamed, fmt.Sprintf("%s %s with %s %q", r.Method, r.Path, o.field, name))
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if len(unnamed) > 0 {
			t.Errorf("named without the %s prefix, which make sweep looks for after a run against a real tenant: %s", realtenant.Prefix, strings.Join(unnamed, "; "))
		}
	})
}
