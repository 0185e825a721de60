package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

const (
	testAPIID       = "jp1PrJVEbjpFi"
	testServerID    = "46c4f281f81148c9b846c59262ae5888"
	testConsumerKey = "LQwDde6x8eV4ROOCOdSW"
)

func TestAccServerToken(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: env.legacyProvider(t) + `
ephemeral "lineworks_server_token" "legacy" {}

provider "echo" {
  data = ephemeral.lineworks_server_token.legacy
}
resource "echo" "server_token" {}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.server_token", "access_token", validToken(env)),
			echoed("echo.server_token", "token_type", knownvalue.StringExact("Bearer")),
			echoed("echo.server_token", "expires_in", knownvalue.Int64Exact(86400)),
			echoed("echo.server_token", "expires_at", rfc3339Near(time.Now().Add(24*time.Hour), 5*time.Minute)),
			echoed("echo.server_token", "api_id", knownvalue.StringExact(testAPIID)),
			echoed("echo.server_token", "server_id", knownvalue.StringExact(testServerID)),
		},
	})
}

func TestAccServerToken_errors(t *testing.T) {
	env := newAccEnv(t)
	serverToken := `
ephemeral "lineworks_server_token" "legacy" {}
provider "echo" {
  data = ephemeral.lineworks_server_token.legacy
}
resource "echo" "fails" {}
`
	behind := newAccEnv(t)
	behind.now = func() time.Time { return time.Now().Add(-2 * time.Hour) }
	behind.test(t, resource.TestStep{
		Config:      behind.legacyProvider(t) + serverToken,
		ExpectError: errorText("Failed to issue a LINE WORKS API 1.0 server token", "HTTP 400: 31: jwt already expired", "Allowed clock skew: 0 milliseconds", "check this machine's clock"),
	})
	env.test(t,
		resource.TestStep{
			Config:      env.legacyProvider(t) + `ephemeral "lineworks_server_token" "legacy" { server_id = "ffffffffffffffffffffffffffffffff" }`,
			ExpectError: errorText("ffffffffffffffffffffffffffffffff", "Check api_id, server_id"),
		},
		resource.TestStep{
			Config:      env.provider() + serverToken,
			ExpectError: errorText("Missing LINE WORKS setting: api_id", "Set api_id in the provider block or the LINEWORKS_API_ID environment variable."),
		},
		resource.TestStep{
			Config:      env.legacyProvider(t) + `ephemeral "lineworks_server_token" "legacy" { api_id = "../oauth2" }`,
			ExpectError: errorText("Invalid LINE WORKS API ID"),
		},
	)
}

// Terraform shows warnings, but the testing framework cannot assert them.
func TestServerToken_warnsThatAPI10IsRetired(t *testing.T) {
	env := newAccEnv(t)
	data := env.legacyData(t)
	diags := openEphemeral(t, NewServerTokenEphemeralResource(), data, nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	wantLegacyWarning(t, diags, "lineworks_server_token")

	// A failure too: the retired service is a likely cause.
	diags = openEphemeral(t, NewServerTokenEphemeralResource(), data, map[string]tftypes.Value{"api_id": tftypes.NewValue(tftypes.String, "jp1Unknown")})
	if !diags.HasError() {
		t.Fatal("an unknown API ID was accepted")
	}
	wantLegacyWarning(t, diags, "lineworks_server_token")
}
