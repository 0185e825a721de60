package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// A resource the provider block cannot create is refused by the plan, not
// by the apply after it: a missing credential, or tokens issued without
// the bot scope. The error says which setting or scope, and which block,
// by what it sets; nothing is sent to LINE WORKS.
func TestAccAccessCheck_refusedAtPlan(t *testing.T) {
	env := newBotEnv(t)
	noSecret := strings.Replace(env.provider(), fmt.Sprintf("client_secret      = %q", testClientSecret), "", 1)
	env.test(t,
		resource.TestStep{
			Config:             noSecret + botConfig("x"),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ExpectError: errorText("Missing LINE WORKS setting: client_secret",
				"Planning a change to a lineworks_bot means calling LINE WORKS with an access token",
				fmt.Sprintf(`The provider block it uses (the one that sets client_id = %q, service_account_id = %q, private_key_path = %q, auth_endpoint`, testClientID, testAccount, env.keyPath),
				"has no client_secret. Set client_secret in the provider block or the LINEWORKS_CLIENT_SECRET environment variable, or give that block an access_token."),
		},
		resource.TestStep{
			Config: env.provider(`  scopes = ["bot.message", "user.read"]`) + botConfig("x") + `
resource "lineworks_bot_secret" "x" {
  bot_id = "2000001"
}
`,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ExpectError: errorText("LINE WORKS scope missing: bot",
				"Changing a lineworks_bot needs a token with the bot scope",
				`issues its tokens for scopes = ["bot.message", "user.read"]`,
				`Add "bot" to that block's scopes, and enable it for the app`, "or use a provider block whose tokens have it (provider = lineworks.<alias>)"),
		},
	)
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests sent for plans that cannot be applied", n)
	}
}

// A token given to a block (from an ephemeral lineworks_access_token with
// its own scopes, or issued elsewhere; here one issued for bot.read, which
// lists bots for the name check but cannot create one) has scopes the plan
// cannot know: the plan goes through, and the apply's 403 says to add the
// scope where the token was issued, not to the provider block's scopes.
func TestAccAccessCheck_aGivenTokensScopesAreNamedWhereTheyAre(t *testing.T) {
	env := newBotEnv(t)
	token := env.emu.Auth.IssueAccessToken(testClientID, "bot.read")
	env.test(t, resource.TestStep{
		Config: fmt.Sprintf(`
provider "lineworks" {
  access_token = %q
%s
}
`, token, env.endpoints()) + botConfig("x"),
		ExpectError: errorText("Failed to create the LINE WORKS bot", "HTTP 403",
			"This call needs the bot scope, which the access token given to this provider block (access_token) lacks",
			`If it comes from an ephemeral "lineworks_access_token", add "bot" to that block's scopes; a fixed token must be issued again with it`),
	})
}

// An empty access_token, or one pasted with its "Bearer " prefix, is
// refused when the configuration is validated, on access_token, saying
// what to do; so is the same in LINEWORKS_ACCESS_TOKEN, when the provider
// is configured.
func TestAccAccessCheck_accessTokenMustBeAToken(t *testing.T) {
	env := newAccEnv(t)
	env.test(t,
		resource.TestStep{
			Config:      env.provider(`  access_token = ""`) + echoAccessToken,
			ExpectError: errorText("Invalid LINE WORKS access token", "access_token is empty. Leave it out (or set it to null) for the provider to issue its own tokens"),
		},
		resource.TestStep{
			Config:      env.provider(`  access_token = "Bearer jp1AAABbearer+token/value==.3f2a"`) + echoAccessToken,
			ExpectError: errorText("Invalid LINE WORKS access token", `access_token starts with "Bearer ": give the token alone, without the prefix`),
		},
	)
	t.Setenv(envAccessToken, "bearer jp1AAABbearer+token/value==.3f2a")
	env.test(t, resource.TestStep{
		Config:      env.provider() + echoAccessToken,
		ExpectError: errorText("Invalid LINE WORKS access token", `LINEWORKS_ACCESS_TOKEN starts with "Bearer "`),
	})
}

// A refused assertion names the key where it came from: the file at
// private_key_path, by its absolute path, rather than private_key.
func TestAccAccessCheck_invalidGrantNamesTheKeyFile(t *testing.T) {
	env := newAccEnv(t)
	other := filepath.Join(t.TempDir(), "private_other.key")
	if err := os.WriteFile(other, lineworkstest.PKCS8PEM(lineworkstest.TestKey(1)), 0o600); err != nil {
		t.Fatal(err)
	}
	env.test(t, resource.TestStep{
		Config: strings.Replace(env.provider(), fmt.Sprintf("%q", env.keyPath), fmt.Sprintf("%q", other), 1) + echoAccessToken,
		ExpectError: errorText("invalid_grant",
			"that the key in private_key_path ("+other+") is the key issued for this app"),
	})
}

// A setting Terraform does not know during plan (here a client_secret
// that comes from a resource) is not a missing one: the plan goes through,
// and the apply, which knows it, creates the bot.
func TestAccAccessCheck_aSettingNotKnownYetIsNoError(t *testing.T) {
	env := newBotEnv(t)
	env.botTest(t, resource.TestStep{
		Config: `
resource "terraform_data" "secret" {
  input = "` + testClientSecret + `"
}
` + strings.Replace(env.provider(), fmt.Sprintf("client_secret      = %q", testClientSecret), "client_secret      = terraform_data.secret.output", 1) + botConfig("x"),
		Check: resource.TestCheckResourceAttrSet("lineworks_bot.x", "bot_id"),
	})
}
