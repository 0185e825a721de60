package provider

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const echoAccessToken = `
ephemeral "lineworks_access_token" "test" {}
provider "echo" {
  data = ephemeral.lineworks_access_token.test
}
resource "echo" "token" {}
`

func TestAccProvider_everyKeyShapeWorks(t *testing.T) {
	env := newAccEnv(t)
	key := lineworkstest.TestKey(0)
	var steps []resource.TestStep
	for i, pemText := range [][]byte{lineworkstest.PKCS8PEM(key), lineworkstest.PKCS1PEM(key), lineworkstest.PKCS8UnderRSALabelPEM(key)} {
		steps = append(steps, resource.TestStep{
			Config: env.providerWithKey(string(pemText)) + strings.Replace(echoAccessToken, `"echo" "token"`, fmt.Sprintf(`"echo" "key_shape_%d"`, i), 1),
			ConfigStateChecks: []statecheck.StateCheck{
				echoed(fmt.Sprintf("echo.key_shape_%d", i), "access_token", validToken(env)),
			},
		})
	}
	env.test(t, steps...)
}

func TestAccProvider_badKeysSayWhatIsWrong(t *testing.T) {
	env := newAccEnv(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	missingPath := filepath.Join(t.TempDir(), "nowhere.key")

	env.test(t,
		resource.TestStep{
			Config:      env.providerWithKey(ecPEM) + echoAccessToken,
			ExpectError: errorText("Invalid LINE WORKS private key", "The key from private_key cannot be used: the private key is not an RSA key", "RS256", "(found an EC key)"),
		},
		resource.TestStep{
			Config:      env.providerWithKey("this is not a key") + echoAccessToken,
			ExpectError: errorText("Invalid LINE WORKS private key", "is not PEM text", "-----BEGIN PRIVATE KEY-----"),
		},
		resource.TestStep{
			Config:      env.providerWithKey("/home/kim/private_20261122.key") + echoAccessToken,
			ExpectError: errorText("Invalid LINE WORKS private key", "private_key holds what looks like a file path, not the key's PEM text", "Give the path as private_key_path instead"),
		},
		resource.TestStep{
			Config:      strings.Replace(env.provider(), env.keyPath, missingPath, 1) + echoAccessToken,
			ExpectError: errorText("Cannot read the LINE WORKS private key file", missingPath+" does not exist"),
		},
		resource.TestStep{
			Config:      env.provider(`private_key = "x"`) + echoAccessToken,
			ExpectError: errorText(`Attribute "private_key_path" cannot be specified when "private_key" is specified`),
		},
	)
}

func TestAccProvider_endpointsMustBeHTTPSBeyondLoopback(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: `
provider "lineworks" {
  auth_endpoint = "http://auth.example.com"
}
` + echoAccessToken,
		ExpectError: errorText("Invalid LINE WORKS endpoint", `"http://auth.example.com" uses plain http`, "except to a loopback host"),
	})
}

func TestAccProvider_invalidTimeoutAndRetries(t *testing.T) {
	env := newAccEnv(t)
	env.test(t,
		resource.TestStep{
			Config:      env.provider(`request_timeout = "soon"`) + echoAccessToken,
			ExpectError: errorText(`"soon" is not a positive duration such as 30s or 2m`),
		},
		resource.TestStep{
			Config:      strings.Replace(env.provider(), "max_retries      = 3", "max_retries = 50", 1) + echoAccessToken,
			ExpectError: errorText("max_retries", "must be between 0 and 10, got: 50"),
		},
	)
}

// Environment variables stand in for every argument; an empty one counts as
// unset. Not parallel: it sets the process environment the in-process
// provider reads.
func TestAccProvider_environmentVariables(t *testing.T) {
	env := newAccEnv(t)
	keyPEM := string(lineworkstest.PKCS8PEM(lineworkstest.TestKey(0)))
	for name, value := range map[string]string{
		"LINEWORKS_CLIENT_ID":          testClientID,
		"LINEWORKS_CLIENT_SECRET":      testClientSecret,
		"LINEWORKS_SERVICE_ACCOUNT_ID": testAccount,
		"LINEWORKS_PRIVATE_KEY":        strings.ReplaceAll(strings.TrimSpace(keyPEM), "\n", `\n`), // as it often arrives in CI secrets
		"LINEWORKS_PRIVATE_KEY_PATH":   "",
		"LINEWORKS_SCOPES":             "bot,bot.message user.read",
		"LINEWORKS_AUTH_ENDPOINT":      env.emu.AuthURL(),
		"LINEWORKS_API_ENDPOINT":       env.emu.APIURL(),
		"LINEWORKS_STORAGE_ENDPOINT":   env.emu.StorageURL(),
		"LINEWORKS_REQUEST_TIMEOUT":    "10s",
		"LINEWORKS_MAX_RETRIES":        "2",
	} {
		t.Setenv(name, value)
	}
	env.test(t, resource.TestStep{
		Config: `provider "lineworks" {}` + strings.Replace(echoAccessToken, `"echo" "token"`, `"echo" "from_env"`, 1),
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.from_env", "access_token", validToken(env)),
			echoed("echo.from_env", "scope", knownvalue.StringExact("bot bot.message user.read")),
		},
	})
}

func TestAccProvider_bothKeyVariablesConflict(t *testing.T) {
	env := newAccEnv(t)
	t.Setenv("LINEWORKS_PRIVATE_KEY", string(lineworkstest.PKCS8PEM(lineworkstest.TestKey(0))))
	t.Setenv("LINEWORKS_PRIVATE_KEY_PATH", env.keyPath)
	env.test(t, resource.TestStep{
		Config:      `provider "lineworks" {}` + echoAccessToken,
		ExpectError: errorText("Both LINEWORKS_PRIVATE_KEY and LINEWORKS_PRIVATE_KEY_PATH are set; unset one of them."),
	})
}

func TestAccProvider_nothingIsSentWhenNothingNeedsIt(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: env.provider() + `
resource "terraform_data" "idle" {}
`,
		Check: func(_ *terraform.State) error {
			if n := len(env.emu.Requests.All()); n != 0 {
				return fmt.Errorf("the provider sent %d requests although nothing needed a token", n)
			}
			return nil
		},
	})
}

func TestMain_clearsLINEWORKSVariables(t *testing.T) {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "LINEWORKS_") {
			t.Fatalf("%s leaked into the tests", strings.SplitN(kv, "=", 2)[0])
		}
	}
}

// A setting Terraform does not know yet is reported as such, not as missing.
func TestAccProvider_unknownSettingIsNotCalledMissing(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: fmt.Sprintf(`
resource "terraform_data" "client" {
  input = %q
}

provider "lineworks" {
  client_id          = terraform_data.client.output
  service_account_id = %q
  private_key_path   = %q
}

data "lineworks_jwt_assertion" "test" {}
`, testClientID, testAccount, env.keyPath),
		ExpectError: errorText("LINE WORKS setting not known yet: client_id", "comes from a value Terraform does not know during this phase"),
	})
}

// Every request says which provider and which Terraform sent it: the version
// the provider was built as, and the version the CLI running the test gives
// providers. Terraform gives its own; OpenTofu 1.12+ gives the Terraform
// version whose provider features it supports (1.12 says 1.13.0), so there
// only the shape is checked.
func TestAccProvider_userAgent(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	want := regexp.MustCompile("^" + regexp.QuoteMeta("terraform-provider-lineworks/test Terraform/"+cliVersion(t)) + "$")
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		want = regexp.MustCompile(`^terraform-provider-lineworks/test Terraform/\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
	}
	env.test(t, resource.TestStep{
		Config: env.provider() + attachmentConfig(testFileID) + echoAccessToken,
		Check: func(*terraform.State) error {
			for _, host := range []string{lineworkstest.HostAuth, lineworkstest.HostAPI, lineworkstest.HostStorage} {
				if env.emu.Requests.Count(host, "") == 0 {
					return fmt.Errorf("no request reached the %s host", host)
				}
			}
			for _, r := range env.emu.Requests.All() {
				if got := r.Header.Get("User-Agent"); !want.MatchString(got) {
					return fmt.Errorf("%s %s %s: User-Agent %q, want %s", r.Host, r.Method, r.Path, got, want)
				}
			}
			return nil
		},
	})
}

// configureProvider configures the provider in-process, without Terraform,
// with args in its block (every other argument null), and returns the
// diagnostics: for warnings, which the testing framework cannot check.
func configureProvider(t *testing.T, args map[string]tftypes.Value) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	p := &lineworksProvider{version: "test", now: time.Now}
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: objectWith(typ, args)}}, &resp)
	return resp.Diagnostics
}

// An api_endpoint without its version answers 404 to every call: the
// provider warns of it, on api_endpoint, as soon as it is configured. Not
// parallel: it sets the process environment the provider reads.
func TestConfigureWarnsOfAVersionlessAPIEndpoint(t *testing.T) {
	for _, tt := range []struct {
		attr, env string
		warn      bool
	}{
		{attr: "https://www.worksapis.com", warn: true},
		{env: "https://proxy.example.com/lineworks/", warn: true},
		{attr: "https://www.worksapis.com/v1.0"},
		{env: "https://proxy.example.com/lineworks/v1.0"},
		{},
	} {
		t.Setenv(envAPIEndpoint, tt.env)
		var args map[string]tftypes.Value
		if tt.attr != "" {
			args = map[string]tftypes.Value{"api_endpoint": tftypes.NewValue(tftypes.String, tt.attr)}
		}
		diags := configureProvider(t, args)
		if diags.HasError() {
			t.Fatalf("%+v: %v", tt, diags)
		}
		warnings := diags.Warnings()
		if !tt.warn {
			if len(warnings) != 0 {
				t.Errorf("%+v: %v", tt, warnings)
			}
			continue
		}
		if len(warnings) != 1 {
			t.Fatalf("%+v: %d warnings, want 1: %v", tt, len(warnings), diags)
		}
		w, ok := warnings[0].(diag.DiagnosticWithPath)
		if !ok || !w.Path().Equal(path.Root("api_endpoint")) || w.Summary() != "LINE WORKS api_endpoint without an API version" {
			t.Errorf("%+v: warning %v", tt, warnings[0])
		}
		for _, want := range []string{"does not end in an API version such as /v1.0", "(from api_endpoint or LINEWORKS_API_ENDPOINT)", "set it to https://www.worksapis.com/v1.0"} {
			if !strings.Contains(warnings[0].Detail(), want) {
				t.Errorf("%+v: %q lacks %q", tt, warnings[0].Detail(), want)
			}
		}
	}
}
