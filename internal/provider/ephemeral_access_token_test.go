package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// echoed checks an attribute of an ephemeral result carried into state by
// the echo provider.
func echoed(resource, attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(resource, tfjsonpath.New("data").AtMapKey(attr), check)
}

func validToken(env *accEnv) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		if !env.emu.Auth.TokenValid(v) {
			return fmt.Errorf("the emulator does not accept the token")
		}
		return nil
	})
}

func rfc3339Near(want time.Time, tolerance time.Duration) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		got, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return err
		}
		if d := got.Sub(want); d < -tolerance || d > tolerance {
			return fmt.Errorf("%s is not within %v of %s", v, tolerance, want.Format(time.RFC3339))
		}
		return nil
	})
}

func TestAccAccessToken_issuesWithTheJWTGrant(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: env.provider() + `
ephemeral "lineworks_access_token" "test" {}

provider "echo" {
  data = ephemeral.lineworks_access_token.test
}
resource "echo" "token" {}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.token", "access_token", validToken(env)),
			echoed("echo.token", "new_refresh_token", knownvalue.NotNull()),
			echoed("echo.token", "token_type", knownvalue.StringExact("Bearer")),
			echoed("echo.token", "scope", knownvalue.StringExact("bot")),
			echoed("echo.token", "scopes", knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("bot")})),
			echoed("echo.token", "expires_in", knownvalue.Int64Exact(86400)),
			echoed("echo.token", "expires_at", rfc3339Near(time.Now().Add(24*time.Hour), 5*time.Minute)),
			echoed("echo.token", "revoke_on_close", knownvalue.Bool(false)),
			echoed("echo.token", "refresh_token", knownvalue.Null()),
		},
	})
}

func TestAccAccessToken_scopes(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: env.provider() + `
ephemeral "lineworks_access_token" "test" {
  scopes = ["bot.message", "bot", "user.read"]
}

provider "echo" {
  data = ephemeral.lineworks_access_token.test
}
resource "echo" "scoped" {}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.scoped", "scope", knownvalue.StringExact("bot bot.message user.read")),
		},
		Check: func(*terraform.State) error {
			for _, r := range env.emu.Requests.All() {
				if r.Form.Get("scope") != "" && r.Form.Get("scope") != "bot bot.message user.read" {
					return fmt.Errorf("token requested with scope %q", r.Form.Get("scope"))
				}
			}
			return nil
		},
	})
}

func TestAccAccessToken_providerScopesAreTheDefault(t *testing.T) {
	env := newAccEnv(t)
	env.needsScopes(t, "user.read")
	env.test(t, resource.TestStep{
		Config: env.provider(`  scopes = ["bot", "user.read"]`) + `
ephemeral "lineworks_access_token" "test" {}

provider "echo" {
  data = ephemeral.lineworks_access_token.test
}
resource "echo" "default_scopes" {}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.default_scopes", "scope", knownvalue.StringExact("bot user.read")),
		},
	})
}

// The README's pattern: a token from the ephemeral resource configures a
// second provider block, whose data sources use it instead of issuing one.
func TestAccAccessToken_handedToASecondProviderBlock(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, lineworkstest.Attachment{FileName: "memo.txt", ContentType: "text/plain", Content: []byte("hello")})
	env.test(t, resource.TestStep{
		Config: env.provider() + fmt.Sprintf(`
ephemeral "lineworks_access_token" "bot" {
  scopes = ["bot"]
}

provider "lineworks" {
  alias        = "bot"
  access_token = ephemeral.lineworks_access_token.bot.access_token
%s
}

data "lineworks_bot_attachment" "memo" {
  provider = lineworks.bot
  bot_id   = %q
  file_id  = %q
}
`, env.endpoints(), testBotID, testFileID),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.lineworks_bot_attachment.memo", tfjsonpath.New("content_base64"), knownvalue.StringExact("aGVsbG8=")),
		},
		Check: func(*terraform.State) error {
			// Every token came from the JWT grant of the first block; the second
			// block issued none of its own.
			for _, r := range env.emu.Requests.All() {
				if r.Host == lineworkstest.HostAuth && r.Form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
					return fmt.Errorf("unexpected auth request %s %v", r.Path, r.Form.Get("grant_type"))
				}
			}
			if env.emu.Requests.Count(lineworkstest.HostAPI, "") == 0 {
				return fmt.Errorf("the attachment was never requested")
			}
			return nil
		},
	})
}

func TestAccAccessToken_refreshGrant(t *testing.T) {
	env := newAccEnv(t)
	refresh := env.emu.Auth.IssueRefreshToken(testClientID, "bot", "user.read")
	env.test(t, resource.TestStep{
		Config: env.provider() + fmt.Sprintf(`
ephemeral "lineworks_access_token" "user" {
  refresh_token = %q
}

provider "echo" {
  data = ephemeral.lineworks_access_token.user
}
resource "echo" "refreshed" {}
`, refresh),
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.refreshed", "access_token", validToken(env)),
			echoed("echo.refreshed", "new_refresh_token", knownvalue.StringExact(refresh)),
			echoed("echo.refreshed", "scope", knownvalue.StringExact("bot user.read")),
		},
	})
}

func TestAccAccessToken_refreshGrantErrors(t *testing.T) {
	env := newAccEnv(t)
	env.test(t,
		resource.TestStep{
			Config: env.provider() + `
ephemeral "lineworks_access_token" "user" {
  refresh_token = "expired-or-unknown"
}
provider "echo" {
  data = ephemeral.lineworks_access_token.user
}
resource "echo" "refused" {}
`,
			ExpectError: errorText("invalid_grant", "90 days"),
		},
		resource.TestStep{
			Config: env.provider() + `
ephemeral "lineworks_access_token" "user" {
  refresh_token = "whatever"
  scopes        = ["bot"]
}
`,
			ExpectError: errorText(`Attribute "scopes" cannot be specified when "refresh_token" is specified`),
		},
	)
}

func TestAccAccessToken_revokeOnClose(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config: env.provider() + `
ephemeral "lineworks_access_token" "short" {
  revoke_on_close = true
}
provider "echo" {
  data = ephemeral.lineworks_access_token.short
}
resource "echo" "revoked" {}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			echoed("echo.revoked", "revoke_on_close", knownvalue.Bool(true)),
			echoed("echo.revoked", "access_token", knownvalue.StringFunc(func(v string) error {
				if env.emu.Auth.TokenValid(v) {
					return fmt.Errorf("the token still works after Terraform closed the resource")
				}
				return nil
			})),
		},
		Check: func(*terraform.State) error {
			if n, issued := env.emu.Requests.Count(lineworkstest.HostAuth, "/oauth2/v2.0/revoke"), env.tokenRequests(); n != issued {
				return fmt.Errorf("%d tokens issued but %d revoked", issued, n)
			}
			return nil
		},
	})
}

func TestAccAccessToken_errors(t *testing.T) {
	env := newAccEnv(t)
	ephemeralToken := `
ephemeral "lineworks_access_token" "test" {}
provider "echo" {
  data = ephemeral.lineworks_access_token.test
}
resource "echo" "fails" {}
`
	withCredentials := func(clientID, secret string, extra ...string) string {
		return fmt.Sprintf(`
provider "lineworks" {
  client_id          = %q
  client_secret      = %q
  service_account_id = %q
  private_key_path   = %q
%s
%s
}
`, clientID, secret, testAccount, env.keyPath, env.endpoints(), strings.Join(extra, "\n"))
	}
	env.test(t,
		resource.TestStep{
			Config:      withCredentials(testClientID, "not-the-secret") + ephemeralToken,
			ExpectError: errorText("invalid_client", "Check client_id and client_secret: both must belong to the same app"),
		},
		resource.TestStep{
			Config:      withCredentials(testClientID, testClientSecret, `scopes = ["bot", "made.up"]`) + ephemeralToken,
			ExpectError: errorText("invalid_scope: Request scope is not valid.", "Every requested scope (bot made.up) must be enabled for the app in the Developer Console"),
		},
		resource.TestStep{
			Config:      withCredentials("", testClientSecret) + ephemeralToken,
			ExpectError: errorText("Missing LINE WORKS setting: client_id", "Set client_id in the provider block or the LINEWORKS_CLIENT_ID environment variable."),
		},
		resource.TestStep{
			Config:      withCredentials(testClientID, testClientSecret, `scopes = ["Bot Message"]`) + ephemeralToken,
			ExpectError: errorText("must be a LINE WORKS scope name"),
		},
	)
}
