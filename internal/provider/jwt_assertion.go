package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// The lineworks_jwt_assertion data source and ephemeral resource share their
// model, descriptions and signing; only the schema types differ.

const (
	apiVersion2 = "2.0"
	apiVersion1 = "1.0"

	defaultAssertionLifetime       = 3600
	defaultLegacyAssertionLifetime = 1800
)

type jwtAssertionModel struct {
	APIVersion types.String `tfsdk:"api_version"`
	Issuer     types.String `tfsdk:"issuer"`
	Subject    types.String `tfsdk:"subject"`
	ExpiresIn  types.Int64  `tfsdk:"expires_in"`
	Assertion  types.String `tfsdk:"assertion"`
	IssuedAt   types.String `tfsdk:"issued_at"`
	ExpiresAt  types.String `tfsdk:"expires_at"`
}

const (
	jwtAssertionDescription = "Signs the JWT assertion of the LINE WORKS service-account grant with the provider's private key, " +
		"for calling the token endpoint yourself (from a function, a script or another tool). " +
		"The header is `{\"alg\":\"RS256\",\"typ\":\"JWT\"}` and `iat`/`exp` are whole Unix seconds. LINE WORKS checks them against its own clock with no tolerance, so `iat` is back-dated 10 seconds " +
		"(as golang.org/x/oauth2 does), and a clock a few seconds ahead of the service's is accepted. " +
		"The private key is never an argument, so it never reaches the state.\n\n" +
		"With `api_version = \"1.0\"` it signs the legacy API 1.0 server-token assertion instead: `iss` is the server ID and there is no `sub`. " +
		"The real service no longer answers API 1.0, so this emits a warning."
	jwtAPIVersionDescription    = "`\"2.0\"` (default) for the API 2.0 service-account assertion, or `\"1.0\"` for the legacy API 1.0 server-token assertion."
	jwtIssuerDescription        = "The `iss` claim. Defaults to the provider's `client_id` (API 2.0) or `server_id` (API 1.0)."
	jwtSubjectDescription       = "The `sub` claim. Defaults to the provider's `service_account_id`. API 1.0 assertions have no `sub`: setting it with `api_version = \"1.0\"` is an error."
	jwtExpiresInDescription     = "How long from now the assertion is valid, in seconds, from 1 to 3600. LINE WORKS refuses an `exp` more than 60 minutes after `iat`, which is back-dated 10 seconds: `exp` is capped there, so 3600 gives 3590 seconds from now. Defaults to 3600 (API 2.0) or 1800 (API 1.0, as in its documentation)."
	jwtAssertionAttrDescription = "The signed JWT, ready for the `assertion` form field of the token request."
	jwtIssuedAtDescription      = "The `iat` claim, in RFC 3339 format (UTC)."
	jwtExpiresAtDescription     = "The `exp` claim, in RFC 3339 format (UTC)."
)

// sign fills the model's results. Arguments left out get their defaults, so
// the results show what was signed.
func (m *jwtAssertionModel) sign(d *providerData) diag.Diagnostics {
	var diags diag.Diagnostics
	if m.APIVersion.IsNull() {
		m.APIVersion = types.StringValue(apiVersion2)
	}
	legacy := m.APIVersion.ValueString() == apiVersion1
	if m.ExpiresIn.IsNull() {
		m.ExpiresIn = types.Int64Value(defaultAssertionLifetime)
		if legacy {
			m.ExpiresIn = types.Int64Value(defaultLegacyAssertionLifetime)
		}
	}
	lifetime := time.Duration(m.ExpiresIn.ValueInt64()) * time.Second

	if legacy {
		addLegacyWarning(&diags, path.Root("api_version"), `lineworks_jwt_assertion with api_version = "1.0"`)
	}
	if legacy && m.Subject.ValueString() != "" {
		diags.AddAttributeError(path.Root("subject"), "API 1.0 assertions have no subject",
			"The API 1.0 server-token assertion carries only iss, iat and exp. Remove subject, or use api_version = \"2.0\".")
		return diags
	}

	var (
		a   *lineworks.Assertion
		err error
	)
	if legacy {
		a, err = d.client.SignServerAssertion(m.Issuer.ValueString(), lifetime)
	} else {
		a, err = d.client.SignServiceAccountAssertion(m.Issuer.ValueString(), m.Subject.ValueString(), lifetime)
	}
	if err != nil {
		d.addClientError(&diags, "Failed to sign the LINE WORKS JWT assertion", err)
		return diags
	}
	m.Issuer = types.StringValue(a.Issuer)
	m.Subject = optionalString(a.Subject)
	m.Assertion = types.StringValue(a.JWT)
	m.IssuedAt = types.StringValue(formatTime(a.IssuedAt))
	m.ExpiresAt = types.StringValue(formatTime(a.ExpiresAt))
	return diags
}
