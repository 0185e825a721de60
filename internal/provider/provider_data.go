package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// providerData is what Configure hands to every data source, ephemeral
// resource and function of one provider block.
type providerData struct {
	client *lineworks.Client
	// secrets are the configured secret values, masked in every log line
	// whoever writes it.
	secrets []string
	// accessTokenUnknown is set when access_token is configured from a value
	// Terraform does not know yet: API calls must not fall back to another token.
	accessTokenUnknown bool

	// Tokens to revoke when their ephemeral resource closes, by handle. Close
	// runs in the same provider process as Open, so only the handle needs to
	// travel through Terraform.
	revocable  sync.Map
	lastHandle atomic.Int64
}

func (d *providerData) holdForRevoke(token string) string {
	handle := strconv.FormatInt(d.lastHandle.Add(1), 10)
	d.revocable.Store(handle, token)
	return handle
}

func (d *providerData) takeForRevoke(handle string) (string, bool) {
	token, ok := d.revocable.LoadAndDelete(handle)
	if !ok {
		return "", false
	}
	return token.(string), true
}

// Field keys whose values are never logged, and shapes of secrets that are
// masked wherever they appear: JWTs and bearer credentials.
var (
	secretFieldKeys = []string{"access_token", "refresh_token", "new_refresh_token", "client_secret", "private_key", "assertion", "consumer_key", "authorization", "Authorization"}
	secretPatterns  = []*regexp.Regexp{
		regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`),
		regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=-]+`),
		regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`),
	}
)

// logContext masks secrets in everything logged with the returned context.
func (d *providerData) logContext(ctx context.Context) context.Context {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.MaskLogRegexes(ctx, secretPatterns...)
	if len(d.secrets) > 0 {
		ctx = tflog.MaskLogStrings(ctx, d.secrets...)
	}
	return ctx
}

// tflogLogger sends the client's messages to Terraform's log.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

// settingSources says where each client setting comes from, so that a
// missing one is reported with both its attribute and its variable.
var settingSources = map[lineworks.Setting]string{
	lineworks.SettingClientID:         "client_id in the provider block or the " + envClientID + " environment variable",
	lineworks.SettingClientSecret:     "client_secret in the provider block or the " + envClientSecret + " environment variable",
	lineworks.SettingServiceAccountID: "service_account_id in the provider block or the " + envServiceAccountID + " environment variable",
	lineworks.SettingPrivateKey:       "private_key or private_key_path in the provider block, or the " + envPrivateKey + " or " + envPrivateKeyPath + " environment variable",
	lineworks.SettingAPIID:            "api_id in the provider block or the " + envAPIID + " environment variable",
	lineworks.SettingServerID:         "server_id in the provider block or the " + envServerID + " environment variable",
	lineworks.SettingConsumerKey:      "consumer_key in the provider block or the " + envConsumerKey + " environment variable",
}

// addClientError turns an error from the client into a diagnostic. A missing
// setting says where to set it; anything else keeps the service's own words.
func addClientError(diags *diag.Diagnostics, summary string, err error) {
	var missing *lineworks.MissingSettingError
	if errors.As(err, &missing) {
		diags.AddError(fmt.Sprintf("Missing LINE WORKS setting: %s", missing.Setting),
			fmt.Sprintf("%s is not set, and %s needs it. Set %s.", missing.Setting, missing.Operation, settingSources[missing.Setting]))
		return
	}
	diags.AddError(summary, err.Error())
}

// configuredData extracts providerData in a Configure method. It is nil
// before the provider is configured (during validation).
func configuredData(providerDataValue any, diags *diag.Diagnostics) *providerData {
	if providerDataValue == nil {
		return nil
	}
	d, ok := providerDataValue.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", providerDataValue))
		return nil
	}
	return d
}
