package provider

// Where each client setting comes from (a provider argument and its
// environment variable), and the settings errors attached to them.

import (
	"errors"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// settingSource is where a client setting comes from: a provider argument
// and its environment variable.
type settingSource struct {
	attr, env string
	// where overrides the generated "set it here" wording.
	where string
}

func (s settingSource) whereToSet() string {
	if s.where != "" {
		return s.where
	}
	return s.attr + " in the provider block or the " + s.env + " environment variable"
}

var settingSources = map[lineworks.Setting]settingSource{
	lineworks.SettingClientID:         {attr: "client_id", env: envClientID},
	lineworks.SettingClientSecret:     {attr: "client_secret", env: envClientSecret},
	lineworks.SettingServiceAccountID: {attr: "service_account_id", env: envServiceAccountID},
	lineworks.SettingPrivateKey: {attr: "private_key", env: envPrivateKey,
		where: "private_key or private_key_path in the provider block, or the " + envPrivateKey + " or " + envPrivateKeyPath + " environment variable"},
	lineworks.SettingAPIID:           {attr: "api_id", env: envAPIID},
	lineworks.SettingServerID:        {attr: "server_id", env: envServerID},
	lineworks.SettingConsumerKey:     {attr: "consumer_key", env: envConsumerKey},
	lineworks.SettingAuthEndpoint:    {attr: "auth_endpoint", env: envAuthEndpoint},
	lineworks.SettingAPIEndpoint:     {attr: "api_endpoint", env: envAPIEndpoint},
	lineworks.SettingStorageEndpoint: {attr: "storage_endpoint", env: envStorageEndpoint},
}

// addConfigErrors attaches each setting lineworks.New refused to its argument.
func addConfigErrors(diags *diag.Diagnostics, err error) {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, e := range errs {
		var se *lineworks.SettingError
		if !errors.As(e, &se) {
			diags.AddError("Invalid LINE WORKS provider configuration", e.Error())
			continue
		}
		src := settingSources[se.Setting]
		diags.AddAttributeError(path.Root(src.attr), "Invalid LINE WORKS endpoint", fmt.Sprintf("%s (from %s or %s).", se.Err, src.attr, src.env))
	}
}

// warnVersionlessAPIEndpoint warns, on api_endpoint, when the API endpoint
// does not end in a version segment: every call to it would answer 404.
func warnVersionlessAPIEndpoint(diags *diag.Diagnostics, endpoint string) {
	if err := lineworks.CheckAPIEndpointVersion(endpoint); err != nil {
		src := settingSources[lineworks.SettingAPIEndpoint]
		diags.AddAttributeWarning(path.Root(src.attr), "LINE WORKS api_endpoint without an API version",
			fmt.Sprintf("%s (from %s or %s). The provider never takes such an endpoint's 404s for deleted bots, but every call will fail: set it to %s, or leave it unset.",
				err, src.attr, src.env, lineworks.DefaultAPIEndpoint))
	}
}

// unknownSettings are the client settings configured from values Terraform
// does not know in this phase.
func unknownSettings(m providerModel) map[lineworks.Setting]bool {
	unknown := map[lineworks.Setting]bool{}
	for setting, v := range map[lineworks.Setting]types.String{
		lineworks.SettingClientID:         m.ClientID,
		lineworks.SettingClientSecret:     m.ClientSecret,
		lineworks.SettingServiceAccountID: m.ServiceAccountID,
		lineworks.SettingPrivateKey:       m.PrivateKey,
		lineworks.SettingAPIID:            m.APIID,
		lineworks.SettingServerID:         m.ServerID,
		lineworks.SettingConsumerKey:      m.ConsumerKey,
	} {
		if v.IsUnknown() {
			unknown[setting] = true
		}
	}
	if m.PrivateKeyPath.IsUnknown() {
		unknown[lineworks.SettingPrivateKey] = true
	}
	return unknown
}

// accessTokenFrom names where the access token comes from: access_token,
// LINEWORKS_ACCESS_TOKEN, or "" when none is given (or it is not known yet).
func accessTokenFrom(m providerModel) string {
	switch {
	case m.AccessToken.IsUnknown():
		return ""
	case !m.AccessToken.IsNull():
		return "access_token"
	case os.Getenv(envAccessToken) != "":
		return envAccessToken
	}
	return ""
}
