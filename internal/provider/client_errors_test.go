package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// The client advises in LINE WORKS's terms; the provider says where in a
// Terraform configuration to act.
func TestClientErrorsGetTerraformAdvice(t *testing.T) {
	refusal := func(status int, code string, scopes ...string) error {
		return fmt.Errorf("doing it: %w", &lineworks.APIError{StatusCode: status, Code: code, Host: "www.worksapis.com", Hint: "The service said no.", Scopes: scopes})
	}
	for _, tt := range []struct {
		name      string
		err       error
		want      []string
		wantNot   []string
		unchanged bool
	}{
		{name: "a missing write scope", err: refusal(403, "FORBIDDEN", "bot"),
			want:    []string{"HTTP 403", "The service said no. This call needs the bot scope: add bot to the provider's scopes, and enable it for the app in the LINE WORKS Developer Console"},
			wantNot: []string{"include it in the scopes the token is issued for"}},
		{name: "a missing read scope", err: refusal(403, "FORBIDDEN", "bot", "bot.read"),
			want: []string{"This call needs the bot or bot.read scope: add one of them to the provider's scopes"}},
		{name: "a refused configured token", err: fmt.Errorf("%w (%w)", lineworks.ErrStaticTokenRejected, refusal(401, "UNAUTHORIZED")),
			want: []string{"the configured access token was refused", "set access_token from ephemeral.lineworks_access_token"}},
		{name: "a rate limit", err: refusal(429, "TOO_MANY_REQUESTS"), want: []string{"The service said no. Terraform runs, CI jobs and scripts of one LINE WORKS domain share its budget", "Running at scale"}},
		{name: "a conflict", err: refusal(409, "CONFLICT"), want: []string{"The provider blocks of a configuration take turns on a bot, so that may be a Terraform run on another machine"}},
		{name: "a wrong endpoint", err: fmt.Errorf("reading bot 2000001: %w", &lineworks.EndpointError{APIEndpoint: "https://www.worksapis.com", NotFound: &lineworks.APIError{StatusCode: 404, Code: "NOT_FOUND", Host: "www.worksapis.com"}, Probe: refusal(404, "NOT_FOUND")}),
			want: []string{"Listing the tenant's bots at the same api_endpoint (https://www.worksapis.com) answered HTTP 404 too", "Nothing was taken for deleted.", "Nothing was taken for deleted. Set api_endpoint in the provider block or the LINEWORKS_API_ENDPOINT environment variable, or leave both unset for the default.", "Terraform has kept every resource in the state"}},
		{name: "a refusal with no Terraform side", err: refusal(400, "INVALID_PARAMETER"), unchanged: true},
		{name: "not from the service", err: errors.New("something else"), unchanged: true},
	} {
		got := inTerraformTerms(tt.err)
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
