package provider

// The client returns typed errors in LINE WORKS's terms; this is where they
// become diagnostics, with the advice only the provider can give: which
// argument, which block, which Terraform option.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// addClientError turns an error from the client into a diagnostic. A missing
// setting says where to set it, or that Terraform does not know it yet;
// anything else keeps the service's own words, with the advice the client
// gives in LINE WORKS's terms completed in Terraform's (inTerraformTerms).
func (d *providerData) addClientError(diags *diag.Diagnostics, summary string, err error) {
	var missing *lineworks.MissingSettingError
	if !errors.As(err, &missing) {
		diags.AddError(summary, inTerraformTerms(err))
		return
	}
	if d.unknown[missing.Setting] {
		diags.AddError(fmt.Sprintf("LINE WORKS setting not known yet: %s", missing.Setting),
			fmt.Sprintf("%s comes from a value Terraform does not know during this phase, and %s needs it now. "+
				"Set it from a value known during plan: a literal, a variable, or an ephemeral value.", missing.Setting, missing.Operation))
		return
	}
	diags.AddError(fmt.Sprintf("Missing LINE WORKS setting: %s", missing.Setting),
		fmt.Sprintf("%s is not set, and %s needs it. Set %s.", missing.Setting, missing.Operation, settingSources[missing.Setting].whereToSet()))
}

// inTerraformTerms is err's message with the client's advice completed, or
// replaced, by what to do in a Terraform configuration.
func inTerraformTerms(err error) string {
	msg := err.Error()
	var apiErr *lineworks.APIError
	if lineworks.IsScopeMissing(err) && errors.As(err, &apiErr) {
		// The client says to include a scope in the token's; here that is
		// the provider's scopes argument.
		msg = strings.Replace(msg, apiErr.ScopeAdvice(), providerScopeAdvice(apiErr.Scopes), 1)
	}
	var advice []string
	switch {
	case lineworks.IsStaticTokenRejected(err):
		advice = append(advice, "For example, set access_token from ephemeral.lineworks_access_token, which issues a fresh token in every run.")
	case lineworks.IsRateLimited(err):
		advice = append(advice, "Terraform runs, CI jobs and scripts of one LINE WORKS domain share its budget: run them one after another (see the guide \"Running at scale\").")
	case lineworks.IsConflict(err):
		advice = append(advice, "The provider blocks of a configuration take turns on a bot, so that may be a Terraform run on another machine, or another tool changing the same bot.")
	case lineworks.IsWrongEndpoint(err):
		advice = append(advice, fmt.Sprintf("Set %s, or leave both unset for the default. Terraform has kept every resource in the state.",
			settingSources[lineworks.SettingAPIEndpoint].whereToSet()))
	}
	for _, a := range advice {
		msg = strings.TrimSuffix(msg, ".") + ". " + a
	}
	return msg
}

// providerScopeAdvice says which scopes a call needs, and that they go in
// the provider's scopes argument.
func providerScopeAdvice(scopes []string) string {
	which := scopes[0]
	if len(scopes) > 1 {
		which = "one of them"
	}
	return fmt.Sprintf("This call needs the %s scope: add %s to the provider's scopes, and enable it for the app in the LINE WORKS Developer Console (API 2.0 > the app > OAuth Scopes).",
		strings.Join(scopes, " or "), which)
}
