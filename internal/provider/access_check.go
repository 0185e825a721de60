package provider

// What a provider block can call LINE WORKS with, known at plan time: a
// missing credential or a missing scope is an error of the plan, not of the
// apply that would follow it.

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// blockAccess is what a provider block calls the API with, as Configure
// found it.
type blockAccess struct {
	// staticToken: API calls use a configured access token (access_token or
	// LINEWORKS_ACCESS_TOKEN), not tokens the provider issues.
	staticToken bool
	// scopes are those the provider's own tokens are issued for;
	// scopesUnknown when they come from a value not known in this phase.
	scopes        []string
	scopesUnknown bool
	// missing are the settings issuing a token needs that the block lacks:
	// not set, nor coming from a value not known yet.
	missing []lineworks.Setting
	// block describes the provider block by what it sets: a provider
	// process does not know its block's alias.
	block string
}

// tokenSettings are what issuing a token with the service-account JWT grant
// needs.
var tokenSettings = []lineworks.Setting{lineworks.SettingClientID, lineworks.SettingClientSecret, lineworks.SettingServiceAccountID, lineworks.SettingPrivateKey}

// newBlockAccess reads a provider block's access from its model and the
// client configuration Configure built from it.
func newBlockAccess(m providerModel, cfg lineworks.Config, unknown map[lineworks.Setting]bool) blockAccess {
	a := blockAccess{
		staticToken:   cfg.AccessToken != "",
		scopes:        lineworks.NormalizeScopes(cfg.Scopes),
		scopesUnknown: m.Scopes.IsUnknown(),
		block:         describeBlock(m),
	}
	if len(a.scopes) == 0 {
		a.scopes = lineworks.DefaultScopes
	}
	set := map[lineworks.Setting]bool{
		lineworks.SettingClientID:         cfg.ClientID != "",
		lineworks.SettingClientSecret:     cfg.ClientSecret != "",
		lineworks.SettingServiceAccountID: cfg.ServiceAccountID != "",
		lineworks.SettingPrivateKey:       cfg.PrivateKey != nil,
	}
	for _, s := range tokenSettings {
		if !set[s] && !unknown[s] {
			a.missing = append(a.missing, s)
		}
	}
	return a
}

// checkAccess is the plan-time check of a resource whose planned change
// calls LINE WORKS: that the provider block can get a token, and that its
// tokens are issued for one of scopes. A plan that changes nothing calls
// nothing and is not checked; nor is anything that depends on values not
// known yet (an access_token from a resource, say). what names the
// resource type, such as lineworks_bot.
func (d *providerData) checkAccess(req resource.ModifyPlanRequest, what string, scopes []string, diags *diag.Diagnostics) {
	if d == nil || d.accessTokenUnknown || (!req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw)) {
		return
	}
	a := d.access
	if a.staticToken {
		return // its scopes are the issuer's business: a 403 will say which
	}
	if len(a.missing) > 0 {
		s := a.missing[0]
		src := settingSources[s]
		diags.AddError(fmt.Sprintf("Missing LINE WORKS setting: %s", s),
			fmt.Sprintf("Planning a change to %s means calling LINE WORKS with an access token, which the provider issues with client_id, client_secret, service_account_id and private_key (or private_key_path), "+
				"or is given as access_token. The provider block it uses (%s) has no %s. Set %s, or give that block an access_token.",
				what, a.block, s, src.whereToSet()))
		return
	}
	if a.scopesUnknown || slices.ContainsFunc(scopes, func(s string) bool { return slices.Contains(a.scopes, s) }) {
		return
	}
	which := `"` + strings.Join(scopes, `" or "`) + `"`
	diags.AddError(fmt.Sprintf("LINE WORKS scope missing: %s", strings.Join(scopes, " or ")),
		fmt.Sprintf("Changing %s needs a token with the %s scope, and the provider block it uses (%s) issues its tokens for scopes = %s. "+
			"Add %s to that block's scopes, and enable it for the app in the LINE WORKS Developer Console (API 2.0 > the app > OAuth Scopes); "+
			"or use a provider block whose tokens have it (provider = lineworks.<alias>).",
			what, strings.Join(scopes, " or "), a.block, hclStrings(a.scopes), which))
}

// describeBlock names a provider block by what it sets, the values of its
// arguments that are not secret, the names of those that are, and the
// LINEWORKS_* variables it falls back to: a provider process never learns
// its block's alias.
func describeBlock(m providerModel) string {
	var parts []string
	for _, a := range []struct {
		name   string
		v      types.String
		secret bool
	}{
		{"client_id", m.ClientID, false}, {"client_secret", m.ClientSecret, true}, {"service_account_id", m.ServiceAccountID, false},
		{"private_key", m.PrivateKey, true}, {"private_key_path", m.PrivateKeyPath, false}, {"access_token", m.AccessToken, true},
		{"auth_endpoint", m.AuthEndpoint, false}, {"api_endpoint", m.APIEndpoint, false},
	} {
		switch {
		case a.v.IsNull():
		case a.v.IsUnknown():
			parts = append(parts, a.name+" (not known yet)")
		case a.secret:
			parts = append(parts, a.name)
		default:
			parts = append(parts, fmt.Sprintf("%s = %q", a.name, a.v.ValueString()))
		}
	}
	if !m.Scopes.IsNull() && !m.Scopes.IsUnknown() {
		var scopes []string
		m.Scopes.ElementsAs(context.Background(), &scopes, false)
		parts = append(parts, "scopes = "+hclStrings(lineworks.NormalizeScopes(scopes)))
	}
	var env []string
	for _, name := range []string{envClientID, envClientSecret, envServiceAccountID, envPrivateKey, envPrivateKeyPath, envScopes, envAccessToken, envAPIEndpoint} {
		if os.Getenv(name) != "" {
			env = append(env, name)
		}
	}
	desc := "the one that sets nothing"
	if len(parts) > 0 {
		desc = "the one that sets " + joinWords(parts, "and")
	}
	if len(env) > 0 {
		desc += ", with " + joinWords(env, "and") + " from the environment"
	}
	return desc
}
