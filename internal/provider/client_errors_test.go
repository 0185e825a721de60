package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// The client advises in LINE WORKS's terms; the provider says where in a
// Terraform configuration to act: for a missing scope, in the block's
// scopes when it issues its tokens, and where the token was issued when it
// was given one.
func TestClientErrorsGetTerraformAdvice(t *testing.T) {
	refusal := func(status int, code string, scopes ...string) error {
		return fmt.Errorf("doing it: %w", &lineworks.APIError{StatusCode: status, Code: code, Host: "www.worksapis.com", Hint: "The service said no.", Scopes: scopes})
	}
	issuing := &providerData{access: blockAccess{scopes: []string{"bot.message"}}}
	given := &providerData{access: blockAccess{staticToken: true}}
	fromFile := &providerData{key: keySource{attr: "private_key_path", from: "private_key_path", file: "/keys/private_20261122.key"}}
	invalidGrant := &lineworks.TokenError{StatusCode: 400, Code: "invalid_grant", Description: "invalid assertion",
		Hint: "The JWT assertion was refused. Check that service_account_id belongs to this app, that private_key is the key issued for this app, and that this machine's clock is correct."}
	for _, tt := range []struct {
		name      string
		d         *providerData
		err       error
		want      []string
		wantNot   []string
		unchanged bool
	}{
		{name: "a missing write scope", d: issuing, err: refusal(403, "FORBIDDEN", "bot"),
			want:    []string{"HTTP 403", `The service said no. This call needs the bot scope: add "bot" to this provider block's scopes (now ["bot.message"]), and enable it for the app in the LINE WORKS Developer Console`},
			wantNot: []string{"include it in the scopes the token is issued for", "access_token"}},
		{name: "a missing read scope", d: issuing, err: refusal(403, "FORBIDDEN", "bot", "bot.read"),
			want: []string{"This call needs the bot or bot.read scope: add one of them to this provider block's scopes"}},
		{name: "a missing scope of a given token", d: given, err: refusal(403, "FORBIDDEN", "bot"),
			want: []string{"This call needs the bot scope, which the access token given to this provider block (access_token) lacks",
				`If it comes from an ephemeral "lineworks_access_token", add "bot" to that block's scopes; a fixed token must be issued again with it`},
			wantNot: []string{"this provider block's scopes"}},
		{name: "a refused configured token", d: given, err: fmt.Errorf("%w (%w)", lineworks.ErrStaticTokenRejected, refusal(401, "UNAUTHORIZED")),
			want: []string{"the configured access token was refused", `If access_token comes from an ephemeral "lineworks_access_token", check that block's scopes`}},
		{name: "a refused assertion, key from a file", d: fromFile, err: invalidGrant,
			want:    []string{"that the key in private_key_path (/keys/private_20261122.key) is the key issued for this app"},
			wantNot: []string{"that private_key is"}},
		{name: "a refused assertion, key as text", d: &providerData{key: keySource{attr: "private_key", from: "private_key"}}, err: invalidGrant, unchanged: true},
		{name: "a rate limit", d: issuing, err: refusal(429, "TOO_MANY_REQUESTS"), want: []string{"The service said no. Terraform runs, CI jobs and scripts of one LINE WORKS domain share its budget", "Running at scale"}},
		{name: "a conflict", d: issuing, err: refusal(409, "CONFLICT"), want: []string{"The provider blocks of a configuration take turns on a bot, so that may be a Terraform run on another machine"}},
		{name: "a wrong endpoint", d: issuing, err: fmt.Errorf("reading bot 2000001: %w", &lineworks.EndpointError{APIEndpoint: "https://www.worksapis.com", NotFound: &lineworks.APIError{StatusCode: 404, Code: "NOT_FOUND", Host: "www.worksapis.com"}, Probe: refusal(404, "NOT_FOUND")}),
			want: []string{"Listing the tenant's bots at the same api_endpoint (https://www.worksapis.com) answered HTTP 404 too", "Nothing was taken for deleted.", "Nothing was taken for deleted. Set api_endpoint in the provider block or the LINEWORKS_API_ENDPOINT environment variable, or leave both unset for the default.", "Terraform has kept every resource in the state"}},
		{name: "a refusal with no Terraform side", d: issuing, err: refusal(400, "INVALID_PARAMETER"), unchanged: true},
		{name: "not from the service", d: issuing, err: errors.New("something else"), unchanged: true},
	} {
		got := tt.d.inTerraformTerms(tt.err)
		if tt.unchanged && got != tt.err.Error() {
			t.Errorf("%s: %q, want the client's message", tt.name, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tt.name, got, w)
			}
		}
		for _, w := range tt.wantNot {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q still has %q", tt.name, got, w)
			}
		}
	}
}
