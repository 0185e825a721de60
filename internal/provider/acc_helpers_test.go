package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

const (
	testClientID     = "acc-client"
	testClientSecret = "acc-client-secret-0123456789"
	testAccount      = "acc.serviceaccount@example.com"
	testBotID        = "2000001"
	testFileID       = "jp1.1628695315008671000.1628781715.0.1000001.0.0.0"
)

func TestMain(m *testing.M) {
	// Terraform must not phone home, and a developer's own LINE WORKS
	// settings must not leak into the tests.
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	if err := readAccTenant(); err != nil { // before the variables are cleared
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "LINEWORKS_") {
			_ = os.Unsetenv(name)
		}
	}
	resource.TestMain(m) // with -sweep, the sweepers (sweep_test.go) run instead of the tests
}

// accEnv is a LINE WORKS tenant with one app, and what a provider block
// needs to reach it: the in-process emulator, or the real tenant of
// LINEWORKS_ACC_REAL=1 (acc_tenant_test.go), where emu is nil.
type accEnv struct {
	emu     *lineworkstest.Server
	app     realtenant.Settings // the app's credentials and the tenant's endpoints
	keyPath string
	now     func() time.Time
	t       *testing.T
}

func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if accTenant != nil {
		return newRealTenantEnv(t)
	}
	emu := lineworkstest.NewServer()
	t.Cleanup(emu.Close)
	key := lineworkstest.TestKey(0)
	emu.Auth.RegisterApp(lineworkstest.App{
		ClientID:         testClientID,
		ClientSecret:     testClientSecret,
		ServiceAccountID: testAccount,
		PublicKey:        &key.PublicKey,
	})
	keyPath := filepath.Join(t.TempDir(), "private_20261122.key")
	if err := os.WriteFile(keyPath, lineworkstest.PKCS8PEM(key), 0o600); err != nil {
		t.Fatal(err)
	}
	env := &accEnv{emu: emu, keyPath: keyPath, now: time.Now, t: t, app: realtenant.Settings{
		ClientID: testClientID, ClientSecret: testClientSecret, ServiceAccountID: testAccount, PrivateKeyPEM: lineworkstest.PKCS8PEM(key),
		AuthEndpoint: emu.AuthURL(), APIEndpoint: emu.APIURL(), StorageEndpoint: emu.StorageURL(),
	}}
	env.requirePrefix(t)
	return env
}

// factories serve the provider under test in-process, beside the echo
// provider that carries ephemeral values into state for assertions.
func (e *accEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"lineworks": providerserver.NewProtocol6WithError(&lineworksProvider{version: "test", now: e.now}),
		"echo":      echoprovider.NewProviderServer(),
	}
}

// endpoints is the part of a provider block that points at the tenant.
func (e *accEnv) endpoints() string {
	var b strings.Builder
	for _, ep := range [][2]string{{"auth_endpoint", e.app.AuthEndpoint}, {"api_endpoint", e.app.APIEndpoint}, {"storage_endpoint", e.app.StorageEndpoint}} {
		if ep[1] != "" { // unset: the service's own
			fmt.Fprintf(&b, "\n  %-16s = %q", ep[0], ep[1])
		}
	}
	return b.String() + "\n  max_retries      = 3"
}

// provider is a complete provider block; extra lines are added inside it.
func (e *accEnv) provider(extra ...string) string {
	return fmt.Sprintf(`
provider "lineworks" {
  client_id          = %q
  client_secret      = %q
  service_account_id = %q
  private_key_path   = %q
%s
%s
}
`, e.app.ClientID, e.app.ClientSecret, e.app.ServiceAccountID, e.keyPath, e.endpoints(), strings.Join(extra, "\n"))
}

func (e *accEnv) tokenRequests() int {
	return e.emu.Requests.Count(lineworkstest.HostAuth, "/oauth2/v2.0/token")
}

// accTest runs steps against the real terraform binary (TF_ACC=1).
func (e *accEnv) test(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	if tofuPlansListOpenedEphemerals() {
		for i := range steps {
			steps[i] = emptyPlanIgnoringOpens(steps[i])
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps:                    steps,
	})
}

// errorText matches a diagnostic that says each of parts, in order, however
// Terraform wraps its lines.
func errorText(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// legacyData is what Configure would hand the resources of a provider block
// configured for API 1.0 against the emulator (see legacyProvider).
func (e *accEnv) legacyData(t *testing.T) *providerData {
	t.Helper()
	e.legacyProvider(t)
	c, err := lineworks.New(lineworks.Config{
		AuthEndpoint: e.emu.AuthURL(), APIEndpoint: e.emu.APIURL(), StorageEndpoint: e.emu.StorageURL(),
		APIID: testAPIID, ServerID: testServerID, ConsumerKey: testConsumerKey, PrivateKey: lineworkstest.TestKey(1),
		ClientID: testClientID, ServiceAccountID: testAccount,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &providerData{client: c}
}

// openEphemeral opens an ephemeral resource in-process, without Terraform,
// its configuration holding args (every other argument null), and returns
// the diagnostics: for what the testing framework cannot check, warnings.
func openEphemeral(t *testing.T, r ephemeral.EphemeralResource, data *providerData, args map[string]tftypes.Value) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	var sresp ephemeral.SchemaResponse
	r.Schema(ctx, ephemeral.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	var cresp ephemeral.ConfigureResponse
	r.(ephemeral.EphemeralResourceWithConfigure).Configure(ctx, ephemeral.ConfigureRequest{ProviderData: data}, &cresp)
	resp := ephemeral.OpenResponse{Result: tfsdk.EphemeralResultData{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}}
	r.Open(ctx, ephemeral.OpenRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: objectWith(typ, args)}}, &resp)
	return append(cresp.Diagnostics, resp.Diagnostics...)
}

// objectWith is a value of typ holding args, every other attribute null: a
// configuration of only those arguments.
func objectWith(typ tftypes.Object, args map[string]tftypes.Value) tftypes.Value {
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
		if v, ok := args[name]; ok {
			values[name] = v
		}
	}
	return tftypes.NewValue(typ, values)
}

// wantLegacyWarning fails unless diags hold exactly one warning, the
// API 1.0 one, naming what and pointing at the migration guide.
func wantLegacyWarning(t *testing.T, diags diag.Diagnostics, what string) {
	t.Helper()
	warnings := diags.Warnings()
	if len(warnings) != 1 {
		t.Fatalf("%d warnings, want 1: %v", len(warnings), diags)
	}
	w := warnings[0]
	for _, part := range []string{what, "retired on 30 April 2023", "no longer answers", "docs/guides/api-1-0-legacy"} {
		if !strings.Contains(w.Detail(), part) {
			t.Errorf("warning %q lacks %q", w.Detail(), part)
		}
	}
	if w.Summary() != "LINE WORKS API 1.0 is retired" {
		t.Errorf("summary %q", w.Summary())
	}
}

// cliVersion is the version of the terraform (or OpenTofu) binary the
// acceptance tests run, as terraform-plugin-testing finds it.
func cliVersion(t *testing.T) string {
	t.Helper()
	v, err := cliVersionOnce()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var cliVersionOnce = sync.OnceValues(func() (string, error) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli = "terraform"
	}
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		return "", fmt.Errorf("%s version -json: %w", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return "", fmt.Errorf("%s version -json: %w", cli, err)
	}
	if v.Version == "" {
		return "", fmt.Errorf("%s version -json gave no terraform_version: %s", cli, out)
	}
	return v.Version, nil
})

// tofuPlansListOpenedEphemerals is whether the CLI under test is OpenTofu
// before 1.12, whose plans list every ephemeral resource with an "open"
// action (opentofu/opentofu#3781, gone in 1.12). terraform-plugin-testing
// then finds no plan with an ephemeral resource empty.
func tofuPlansListOpenedEphemerals() bool {
	if os.Getenv("TF_ACC_PROVIDER_HOST") != "registry.opentofu.org" {
		return false
	}
	v, err := cliVersionOnce()
	if err != nil {
		return false // the tests fail on it soon enough
	}
	var major, minor int
	_, err = fmt.Sscanf(v, "%d.%d", &major, &minor)
	return err == nil && major == 1 && minor < 12
}

// emptyPlanIgnoringOpens replaces a step's check that the plans after apply
// are empty by the same check ignoring "open" actions, so that the property
// is still checked on OpenTofu 1.11.
func emptyPlanIgnoringOpens(step resource.TestStep) resource.TestStep {
	if step.ExpectError != nil || step.ExpectNonEmptyPlan || !strings.Contains(step.Config, `ephemeral "`) {
		return step
	}
	step.ExpectNonEmptyPlan = true
	step.ConfigPlanChecks.PostApplyPreRefresh = append(step.ConfigPlanChecks.PostApplyPreRefresh, expectEmptyPlanButOpens{})
	step.ConfigPlanChecks.PostApplyPostRefresh = append(step.ConfigPlanChecks.PostApplyPostRefresh, expectEmptyPlanButOpens{})
	return step
}

type expectEmptyPlanButOpens struct{}

func (expectEmptyPlanButOpens) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var errs []error
	for _, rc := range req.Plan.ResourceChanges {
		for _, a := range rc.Change.Actions {
			if a != "no-op" && a != "open" {
				errs = append(errs, fmt.Errorf("%s: planned %s", rc.Address, a))
			}
		}
	}
	for name, oc := range req.Plan.OutputChanges {
		if !oc.Actions.NoOp() {
			errs = append(errs, fmt.Errorf("output %s: planned %v", name, oc.Actions))
		}
	}
	if len(errs) > 0 {
		resp.Error = fmt.Errorf("the plan after apply was not empty: %w", errors.Join(errs...))
	}
}

// client is a client of the tenant, for setting it up and looking at it.
func (e *accEnv) client(t *testing.T) *lineworks.Client {
	t.Helper()
	c, err := e.app.Client("terraform-provider-lineworks-acceptance-tests")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// legacyProvider is a provider block for API 1.0: the server's own key,
// API ID and server ID, and the consumer key.
func (e *accEnv) legacyProvider(t *testing.T) string {
	t.Helper()
	key := lineworkstest.TestKey(1)
	e.emu.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: testAPIID, ServerID: testServerID, PublicKey: &key.PublicKey})
	e.emu.Legacy.RegisterConsumer(lineworkstest.LegacyConsumer{APIID: testAPIID, ConsumerKey: testConsumerKey})
	keyPath := filepath.Join(t.TempDir(), "server.key")
	// The API 1.0 guide's key shape: a PKCS#8 body under an RSA label.
	if err := os.WriteFile(keyPath, lineworkstest.PKCS8UnderRSALabelPEM(key), 0o600); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("provider \"lineworks\" {\n  api_id = %q\n  server_id = %q\n  consumer_key = %q\n  private_key_path = %q\n%s\n}\n",
		testAPIID, testServerID, testConsumerKey, keyPath, e.endpoints())
}

// providerWithKey is a provider block whose private key is given inline.
func (e *accEnv) providerWithKey(keyPEM string) string {
	return fmt.Sprintf(`
provider "lineworks" {
  client_id          = %q
  client_secret      = %q
  service_account_id = %q
  private_key        = <<-EOT
%s
  EOT
%s
}
`, e.app.ClientID, e.app.ClientSecret, e.app.ServiceAccountID, strings.TrimSpace(keyPEM), e.endpoints())
}

// expectRegistrations checks the registrations of bot *id: the emulator's,
// or as a real tenant lists them.
func (e *accEnv) expectRegistrations(id *int64, want ...lineworkstest.BotDomain) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := e.registrations(*id)
		if err != nil {
			return err
		}
		slices.SortFunc(got, func(a, b lineworkstest.BotDomain) int { return int(a.DomainID - b.DomainID) })
		if !slices.Equal(got, want) {
			return fmt.Errorf("the tenant holds the registrations %+v, want %+v", got, want)
		}
		return nil
	}
}

// newBotEnv is an accEnv whose tenant has the domains and users above.
func newBotEnv(t *testing.T) *accEnv {
	t.Helper()
	env := newAccEnv(t)
	if !env.emulated() {
		accTenant.requireFixtures(t)
		return env
	}
	env.emu.Directory.AddDomains(testDomain2, testDomain3)
	env.emu.Directory.AddUsers(append(slices.Clone(testUsers[1:]), testSubs...)...)
	return env
}

// botTest runs steps and checks that destroying them left no bot behind.
func (e *accEnv) botTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		CheckDestroy:             e.checkBotsGone,
		Steps:                    steps,
	})
}

// emuBot is the bot as the emulator holds it (as a real tenant answers for
// it, there), or an error.
func (e *accEnv) emuBot(id int64) (lineworkstest.Bot, error) {
	if !e.emulated() {
		return e.tenantBot(id)
	}
	b, ok := e.emu.Bots.Get(id)
	if !ok {
		return b, fmt.Errorf("the emulator has no bot %d", id)
	}
	return b, nil
}

// botRequests are the recorded requests with method to /bots/{id}.
func (e *accEnv) botRequests(method string, id int64) []lineworkstest.Request {
	var out []lineworkstest.Request
	for _, r := range e.emu.Requests.All() {
		if r.Host == lineworkstest.HostAPI && r.Method == method && r.Path == fmt.Sprintf("/v1.0/bots/%d", id) {
			out = append(out, r)
		}
	}
	return out
}

// expectPatch checks that exactly one PATCH reached bot *id since the last
// ResetRequests, no PUT, and that its body had exactly want (JSON values).
func (e *accEnv) expectPatch(id *int64, want map[string]string) resource.TestCheckFunc {
	return e.onEmulator(func(*terraform.State) error {
		if puts := e.botRequests("PUT", *id); len(puts) != 0 {
			return fmt.Errorf("%d PUTs, want none", len(puts))
		}
		patches := e.botRequests("PATCH", *id)
		if len(patches) != 1 {
			return fmt.Errorf("%d PATCHes, want 1", len(patches))
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal(patches[0].Body, &body); err != nil {
			return fmt.Errorf("PATCH body %q: %w", patches[0].Body, err)
		}
		got := slices.Sorted(maps.Keys(body))
		if keys := slices.Sorted(maps.Keys(want)); !slices.Equal(got, keys) {
			return fmt.Errorf("PATCH sent %v, want only the changed fields %v", got, keys)
		}
		for k, v := range want {
			if !jsonEqual(body[k], []byte(v)) {
				return fmt.Errorf("PATCH %s = %s, want %s", k, body[k], v)
			}
		}
		return nil
	}, "the requests sent")
}

// menuForm is one way the emulator answers where the docs leave the answer
// open, for the menu tests: the bot API's forms and the menus' own.
type menuForm struct {
	name  string
	forms lineworkstest.AnswerForms
}

// menuForms are the emulator's default answers, and every alternative at
// once (a rich menu's creation answering only its ID, no persistent menu as
// an empty one, "All users" as a string, users by ID, a deleted bot as 410,
// no cursor on the last page, …).
var menuForms = []menuForm{
	{name: "default_forms"},
	{name: "alternate_forms", forms: lineworkstest.AllAnswerForms()},
}

// forEachMenuForm runs test once per menu form, the runs in parallel, each
// with a tenant of its own answering in that form.
func forEachMenuForm(t *testing.T, test func(t *testing.T, env *accEnv)) {
	t.Helper()
	for _, form := range menuForms {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			env := newBotEnv(t)
			if err := env.emu.Forms.Set(form.forms); err != nil {
				t.Fatal(err)
			}
			test(t, env)
		})
	}
}

// seedBot creates a bot at the emulator, outside Terraform, limited to
// selected members in the default domain when limited, and returns its ID.
func (e *accEnv) seedBot(t *testing.T, name string) int64 {
	t.Helper()
	bot, err := e.client(t).CreateBot(context.Background(), lineworks.BotSettings{
		BotName: name, Description: "Menus", PhotoURL: "https://example.com/bot.png", Administrators: []string{lineworkstest.DefaultUsers[3]},
	})
	if err != nil {
		t.Fatal(err)
	}
	return bot.BotID
}

// menuTest runs steps and checks that destroying them left the bots
// without menus or members.
func (e *accEnv) menuTest(t *testing.T, bots []*int64, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		CheckDestroy: func(*terraform.State) error {
			for _, id := range bots {
				if err := e.noMenusLeft(*id); err != nil {
					return err
				}
			}
			return nil
		},
		Steps: steps,
	})
}

// noMenusLeft fails if bot id has a rich menu, a default or per-user menu, a
// persistent menu, or a domain member at the emulator.
func (e *accEnv) noMenusLeft(id int64) error {
	if menus := e.emu.Menus.RichMenus(id); len(menus) != 0 {
		return fmt.Errorf("bot %d has %d rich menus left", id, len(menus))
	}
	if b, ok := e.emu.Bots.Get(id); ok && b.DefaultRichmenuID != "" {
		return fmt.Errorf("bot %d has the default rich menu %s left", id, b.DefaultRichmenuID)
	}
	if users := e.emu.Menus.UserRichMenus(id); len(users) != 0 {
		return fmt.Errorf("bot %d has per-user rich menus left: %v", id, users)
	}
	if _, ok := e.emu.Menus.PersistentMenu(id); ok {
		return fmt.Errorf("bot %d has a persistent menu left", id)
	}
	for _, d := range e.emu.Directory.Domains() {
		if m := e.emu.Menus.DomainMembers(id, d); len(m) != 0 {
			return fmt.Errorf("bot %d has members left in domain %d: %v", id, d, m)
		}
	}
	return nil
}

// writeFile writes b to name in dir and returns its path.
func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sha256Hex is the SHA-256 of b, as image_sha256 has it.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
