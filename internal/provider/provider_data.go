package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	// unknown are the settings configured from values Terraform does not know
	// in this phase: they count as unset, but errors must not say "not set".
	unknown map[lineworks.Setting]bool
	// accessTokenUnknown is set when access_token is configured from a value
	// Terraform does not know yet: API calls must not fall back to another token.
	accessTokenUnknown bool
	// now is the provider's clock (lineworksProvider.now).
	now func() time.Time
	// key is where the private key came from, for the advice of errors.
	key keySource
	// access is what the block calls the API with, for plan-time checks
	// and the advice on a missing scope.
	access blockAccess
	// menus records the kinds of menu the configuration gives each bot.
	menus menuClaims

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
	token, _ := d.revocable.LoadAndDelete(handle)
	s, ok := token.(string) // false when the handle is unknown
	return s, ok
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

// logContext masks secrets in everything logged with the returned context:
// the provider's configured secrets, and more, such as a refresh token an
// ephemeral resource was given, each in every form it may take in text
// (URL-encoded, JSON-escaped, base64).
func (d *providerData) logContext(ctx context.Context, more ...string) context.Context {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, secretFieldKeys...)
	ctx = tflog.MaskLogRegexes(ctx, secretPatterns...)
	return maskSecrets(ctx, append(slices.Clone(d.secrets), more...)...)
}

// maskSecrets masks each of secrets, in every form lineworks.SecretForms
// lists, in everything logged with the returned context.
func maskSecrets(ctx context.Context, secrets ...string) context.Context {
	var forms []string
	for _, s := range secrets {
		forms = append(forms, lineworks.SecretForms(s)...)
	}
	if len(forms) == 0 {
		return ctx
	}
	return tflog.MaskLogStrings(ctx, forms...)
}

// tflogLogger sends the client's messages to Terraform's log, each with a
// logger of its own (SetField copies the logger's options): tflog masks
// field values by writing them back into the fields map the logger
// carries, and the client logs from goroutines that share a context (a
// list resource's reads ahead), so a shared map would be written by several
// at once ("concurrent map writes", which kills the provider). With a copy
// each, no lock is needed.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ownLogger(ctx), msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ownLogger(ctx), msg, fields)
}

// ownLogger is ctx with a copy of its logger, for one message.
func ownLogger(ctx context.Context) context.Context {
	return tflog.SetField(ctx, "lineworks_client", true)
}

// apiReady reports whether API calls may be made in this phase: not while
// access_token comes from a value Terraform does not know yet, since the
// client must not fall back to issuing a token of its own.
func (d *providerData) apiReady(diags *diag.Diagnostics) bool {
	if d.accessTokenUnknown {
		diags.AddError("LINE WORKS access token not known yet",
			"The provider's access_token comes from a value Terraform does not know during this phase, so LINE WORKS cannot be called yet. "+
				"Configure access_token from an ephemeral value (such as ephemeral.lineworks_access_token), which is known during plan.")
		return false
	}
	return true
}

// begin starts an operation that calls LINE WORKS, so that each CRUD method
// reads as its own steps. It reports false when diags already holds an
// error (reading the plan, state or configuration failed) or when the API
// may not be called in this phase (apiReady); otherwise it returns ctx with
// every secret of the provider masked in the log.
func (d *providerData) begin(ctx context.Context, diags *diag.Diagnostics) (context.Context, bool) {
	if diags.HasError() || !d.apiReady(diags) {
		return ctx, false
	}
	return d.logContext(ctx), true
}

// beginBot is begin for an operation on one bot: it also reads the bot_id
// argument, with the error on bot_id when it is not a bot ID.
func (d *providerData) beginBot(ctx context.Context, botID types.String, diags *diag.Diagnostics) (context.Context, int64, bool) {
	ctx, ok := d.begin(ctx, diags)
	if !ok {
		return ctx, 0, false
	}
	id, ok := botIDOf(botID, diags)
	return ctx, id, ok
}

// botIDOf reads a bot_id argument by lineworks.ParseBotID, with the error
// on bot_id when it is not a bot ID.
func botIDOf(v types.String, diags *diag.Diagnostics) (int64, bool) {
	id, err := lineworks.ParseBotID(v.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("bot_id"), "Invalid LINE WORKS bot ID", err.Error()+".")
		return 0, false
	}
	return id, true
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
