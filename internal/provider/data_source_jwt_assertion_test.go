package provider

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// The fixed clock of these tests: 03:14:15.9 rounds down to 03:14:15, and
// iat is back-dated 10 s from there, to 03:14:05 (1795317245).
var assertionClock = time.Date(2026, 11, 22, 3, 14, 15, 900_000_000, time.UTC)

// signedJWT checks an assertion's header, claims and RS256 signature.
func signedJWT(wantClaims string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		parts := strings.Split(v, ".")
		if len(parts) != 3 {
			return fmt.Errorf("not a JWT")
		}
		header, _ := base64.RawURLEncoding.DecodeString(parts[0])
		claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
		if string(header) != `{"alg":"RS256","typ":"JWT"}` {
			return fmt.Errorf("header %s", header)
		}
		if string(claims) != wantClaims {
			return fmt.Errorf("claims %s, want %s", claims, wantClaims)
		}
		_, err := jwt.Parse(v, func(*jwt.Token) (any, error) { return &lineworkstest.TestKey(0).PublicKey, nil },
			jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return assertionClock }))
		return err
	})
}

func TestAccJWTAssertionDataSource(t *testing.T) {
	env := newAccEnv(t)
	env.now = func() time.Time { return assertionClock }
	ds := "data.lineworks_jwt_assertion.test"
	env.test(t,
		resource.TestStep{
			Config: env.provider() + `data "lineworks_jwt_assertion" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("api_version"), knownvalue.StringExact("2.0")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("issuer"), knownvalue.StringExact(testClientID)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("subject"), knownvalue.StringExact(testAccount)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("expires_in"), knownvalue.Int64Exact(3600)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("issued_at"), knownvalue.StringExact("2026-11-22T03:14:05Z")),
				// 60 minutes after iat: 3590 s from now, within the cap by the service's clock too.
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("expires_at"), knownvalue.StringExact("2026-11-22T04:14:05Z")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("assertion"), signedJWT(
					`{"iss":"acc-client","sub":"acc.serviceaccount@example.com","exp":1795320845,"iat":1795317245}`)),
			},
		},
		resource.TestStep{
			Config: env.provider() + `
data "lineworks_jwt_assertion" "test" {
  issuer     = "other-client"
  subject    = "other.serviceaccount@example.com"
  expires_in = 600
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("expires_at"), knownvalue.StringExact("2026-11-22T03:24:15Z")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("assertion"), signedJWT(
					`{"iss":"other-client","sub":"other.serviceaccount@example.com","exp":1795317855,"iat":1795317245}`)),
			},
		},
	)
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Errorf("signing an assertion sent %d requests", n)
	}
}

func TestAccJWTAssertionDataSource_errors(t *testing.T) {
	env := newAccEnv(t)
	env.test(t,
		resource.TestStep{
			Config:      env.provider() + `data "lineworks_jwt_assertion" "test" { expires_in = 7200 }`,
			ExpectError: errorText("Attribute expires_in value must be between 1 and 3600, got: 7200"),
		},
		resource.TestStep{
			Config: `provider "lineworks" {
  client_id          = "c"
  service_account_id = "s"
}
data "lineworks_jwt_assertion" "test" {}`,
			ExpectError: errorText("Missing LINE WORKS setting: private_key", "Set private_key or private_key_path in the provider block, or the LINEWORKS_PRIVATE_KEY or LINEWORKS_PRIVATE_KEY_PATH environment variable."),
		},
		resource.TestStep{
			Config:      fmt.Sprintf(`provider "lineworks" { private_key_path = %q }`, env.keyPath) + "\n" + `data "lineworks_jwt_assertion" "test" {}`,
			ExpectError: errorText("Missing LINE WORKS setting: client_id", "LINEWORKS_CLIENT_ID"),
		},
		resource.TestStep{
			Config:      env.provider() + `data "lineworks_jwt_assertion" "test" { api_version = "3.0" }`,
			ExpectError: errorText(`Attribute api_version value must be one of: ["2.0" "1.0"], got: "3.0"`),
		},
	)
}

func TestAccJWTAssertionEphemeral(t *testing.T) {
	env := newAccEnv(t)
	env.now = func() time.Time { return assertionClock }
	env.test(t, resource.TestStep{
		Config: env.provider() + `
ephemeral "lineworks_jwt_assertion" "test" {
  expires_in = 300
}
provider "echo" {
  data = ephemeral.lineworks_jwt_assertion.test
}
resource "echo" "assertion" {}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.assertion", "issuer", knownvalue.StringExact(testClientID)),
			echoed("echo.assertion", "subject", knownvalue.StringExact(testAccount)),
			echoed("echo.assertion", "issued_at", knownvalue.StringExact("2026-11-22T03:14:05Z")),
			echoed("echo.assertion", "expires_at", knownvalue.StringExact("2026-11-22T03:19:15Z")),
			echoed("echo.assertion", "assertion", signedJWT(
				`{"iss":"acc-client","sub":"acc.serviceaccount@example.com","exp":1795317555,"iat":1795317245}`)),
		},
	})
}

// The assertion is what the token endpoint accepts: a user calling it
// themselves gets a token.
func TestAccJWTAssertionEphemeral_isAcceptedByTheTokenEndpoint(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: env.provider() + fmt.Sprintf(`
ephemeral "lineworks_jwt_assertion" "test" {}

resource "terraform_data" "exchange" {
  provisioner "local-exec" {
    command = "curl -sf -o /dev/null -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d client_id=%s -d client_secret=%s -d scope=bot --data-urlencode assertion=\"$ASSERTION\" %s/oauth2/v2.0/token"
    environment = {
      ASSERTION = ephemeral.lineworks_jwt_assertion.test.assertion
    }
  }
}
`, testClientID, testClientSecret, env.emu.AuthURL()),
		Check: func(*terraform.State) error {
			if env.tokenRequests() != 1 {
				return fmt.Errorf("%d token requests, want the one curl sent", env.tokenRequests())
			}
			return nil
		},
	})
}

func TestAccJWTAssertion_api10Shape(t *testing.T) {
	env := newAccEnv(t)
	env.now = func() time.Time { return assertionClock }
	ds := "data.lineworks_jwt_assertion.server"
	env.test(t,
		resource.TestStep{
			Config: env.provider(`server_id = "46c4f281f81148c9b846c59262ae5888"`) + `
data "lineworks_jwt_assertion" "server" {
  api_version = "1.0"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("issuer"), knownvalue.StringExact("46c4f281f81148c9b846c59262ae5888")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("subject"), knownvalue.Null()),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("expires_in"), knownvalue.Int64Exact(1800)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("assertion"), signedJWT(
					`{"iss":"46c4f281f81148c9b846c59262ae5888","exp":1795319055,"iat":1795317245}`)),
			},
		},
		resource.TestStep{
			Config: env.provider() + `
data "lineworks_jwt_assertion" "server" {
  api_version = "1.0"
}`,
			ExpectError: errorText("Missing LINE WORKS setting: server_id", "LINEWORKS_SERVER_ID"),
		},
		resource.TestStep{
			Config: env.provider(`server_id = "46c4f281f81148c9b846c59262ae5888"`) + `
data "lineworks_jwt_assertion" "server" {
  api_version = "1.0"
  subject     = "someone"
}`,
			ExpectError: errorText("API 1.0 assertions have no subject"),
		},
	)
}

// api_version = "1.0" warns, on api_version; "2.0" does not.
func TestJWTAssertion_api10WarnsThatAPI10IsRetired(t *testing.T) {
	env := newAccEnv(t)
	data := env.legacyData(t)
	diags := openEphemeral(t, NewJWTAssertionEphemeralResource(), data, map[string]tftypes.Value{"api_version": tftypes.NewValue(tftypes.String, "1.0")})
	if diags.HasError() {
		t.Fatal(diags)
	}
	wantLegacyWarning(t, diags, `api_version = "1.0"`)
	if w, ok := diags.Warnings()[0].(diag.DiagnosticWithPath); !ok || !w.Path().Equal(path.Root("api_version")) {
		t.Errorf("the warning is not on api_version: %v", diags.Warnings()[0])
	}
	if diags := openEphemeral(t, NewJWTAssertionEphemeralResource(), data, nil); diags.HasError() || len(diags.Warnings()) != 0 {
		t.Errorf("API 2.0: %v", diags)
	}
}
