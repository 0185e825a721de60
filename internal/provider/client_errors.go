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
		diags.AddError(summary, d.inTerraformTerms(err))
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
// replaced, by what to do in a Terraform configuration: which block, which
// argument, which Terraform option.
func (d *providerData) inTerraformTerms(err error) string {
	msg := err.Error()
	var (
		apiErr   *lineworks.APIError
		tokenErr *lineworks.TokenError
	)
	if lineworks.IsScopeMissing(err) && errors.As(err, &apiErr) {
		// The client says to include a scope in the token's; where that is
		// depends on where this block's token comes from.
		msg = strings.Replace(msg, apiErr.ScopeAdvice(), d.scopeAdvice(apiErr.Scopes), 1)
	}
	if errors.As(err, &tokenErr) && tokenErr.Code == "invalid_grant" && d.key.from != "" && d.key.from != "private_key" {
		// The client speaks of private_key; the key came from elsewhere.
		msg = strings.Replace(msg, "that private_key is the key", "that the key in "+d.key.where()+" is the key", 1)
	}
	var advice []string
	switch {
	case lineworks.IsStaticTokenRejected(err):
		advice = append(advice, "If access_token comes from an ephemeral \"lineworks_access_token\", check that block's scopes; "+
			"a fixed token must be issued again (ephemeral.lineworks_access_token issues a fresh one in every run).")
	case lineworks.IsRateLimited(err):
		advice = append(advice, "Terraform runs, CI jobs and scripts of one LINE WORKS domain share its budget: run them one after another (see the guide \"Running at scale\").")
	case lineworks.IsStalled(err):
		advice = append(advice, "If LINE WORKS, or a proxy on the way, is only slow, raise request_timeout (or LINEWORKS_REQUEST_TIMEOUT) in the provider block.")
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

// scopeAdvice says which scopes a call needs, and where this block's token
// gets its scopes: the block's scopes argument when the provider issues it,
// whatever issued it when it was given as access_token.
func (d *providerData) scopeAdvice(scopes []string) string {
	needs := strings.Join(scopes, " or ")
	which := `"` + scopes[0] + `"`
	if len(scopes) > 1 {
		which = "one of them"
	}
	enable := "enable it for the app in the LINE WORKS Developer Console (API 2.0 > the app > OAuth Scopes)"
	if d == nil || !d.access.staticToken {
		current := ""
		if d != nil && !d.access.scopesUnknown {
			current = " (now " + hclStrings(d.access.scopes) + ")"
		}
		return fmt.Sprintf("This call needs the %s scope: add %s to this provider block's scopes%s, and %s.", needs, which, current, enable)
	}
	return fmt.Sprintf("This call needs the %s scope, which the access token given to this provider block (access_token) lacks. "+
		"If it comes from an ephemeral \"lineworks_access_token\", add %s to that block's scopes; a fixed token must be issued again with it. "+
		"Either way, %s.", needs, which, enable)
}
