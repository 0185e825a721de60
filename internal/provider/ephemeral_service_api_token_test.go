package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccServiceAPIToken(t *testing.T) {
	env := newAccEnv(t)
	provider := env.legacyProvider(t)
	refresh := env.emu.Legacy.IssueRefreshToken(testAPIID, testConsumerKey)
	env.test(t, resource.TestStep{
		Config: provider + fmt.Sprintf(`
ephemeral "lineworks_service_api_token" "legacy" {
  refresh_token = %q
}

provider "echo" {
  data = ephemeral.lineworks_service_api_token.legacy
}
resource "echo" "service_token" {}
`, refresh),
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.service_token", "access_token", validToken(env)),
			echoed("echo.service_token", "expires_in", knownvalue.Int64Exact(7*24*3600)),
			echoed("echo.service_token", "expires_at", rfc3339Near(time.Now().Add(7*24*time.Hour), 5*time.Minute)),
			echoed("echo.service_token", "api_id", knownvalue.StringExact(testAPIID)),
			echoed("echo.service_token", "consumer_key", knownvalue.Null()),
		},
	})
}

func TestAccServiceAPIToken_errorCodes(t *testing.T) {
	env := newAccEnv(t)
	provider := env.legacyProvider(t)
	refresh := env.emu.Legacy.IssueRefreshToken(testAPIID, testConsumerKey)
	step := func(args string) string {
		return provider + fmt.Sprintf(`
ephemeral "lineworks_service_api_token" "legacy" {
%s
}
provider "echo" {
  data = ephemeral.lineworks_service_api_token.legacy
}
resource "echo" "fails" {}
`, args)
	}
	env.test(t,
		resource.TestStep{
			Config:      step(fmt.Sprintf("refresh_token = %q\nconsumer_key = \"not-the-consumer-key\"", refresh)),
			ExpectError: errorText("errorCode 107 (parameter error): check consumer_key"),
		},
		resource.TestStep{
			Config:      step(`refresh_token = "expired-refresh-token"`),
			ExpectError: errorText("errorCode 502 (error while issuing the access token)", "expired or revoked"),
		},
		resource.TestStep{
			PreConfig:   func() { env.emu.Legacy.SetServiceErrorCode("99") },
			Config:      step(fmt.Sprintf("refresh_token = %q", refresh)),
			ExpectError: errorText("errorCode 99 (unknown error): try again later."),
		},
		resource.TestStep{
			Config:      env.provider() + step(fmt.Sprintf("refresh_token = %q", refresh))[len(provider):],
			ExpectError: errorText("Missing LINE WORKS setting: api_id"),
		},
	)
}

func TestServiceAPIToken_warnsThatAPI10IsRetired(t *testing.T) {
	env := newAccEnv(t)
	data := env.legacyData(t)
	refresh := env.emu.Legacy.IssueRefreshToken(testAPIID, testConsumerKey)
	diags := openEphemeral(t, NewServiceAPITokenEphemeralResource(), data, map[string]tftypes.Value{"refresh_token": tftypes.NewValue(tftypes.String, refresh)})
	if diags.HasError() {
		t.Fatal(diags)
	}
	wantLegacyWarning(t, diags, "lineworks_service_api_token")
}
