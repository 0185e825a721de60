package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// scopeSetValidators check the shape of scope names; whether a scope is
// enabled for the app only the service can tell.
func scopeSetValidators() []validator.Set {
	return []validator.Set{
		setvalidator.SizeAtLeast(1),
		setvalidator.ValueStringsAre(stringvalidator.RegexMatches(
			regexp.MustCompile(`^[a-z]+(\.[a-z]+)*$`),
			"must be a LINE WORKS scope name such as bot, bot.message or user.read",
		)),
	}
}

// endpointValidator checks an endpoint URL: https, or http on loopback only.
type endpointValidator struct{}

var _ validator.String = endpointValidator{}

func (endpointValidator) Description(context.Context) string {
	return "must be an https URL, or an http URL on a loopback host"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := lineworks.ParseEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid LINE WORKS endpoint", err.Error()+".")
	}
}

// durationValidator checks a positive Go duration such as "30s".
type durationValidator struct{}

var _ validator.String = durationValidator{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseTimeout(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", fmt.Sprintf("%s.", err))
	}
}

// botIDValidator is the plan-time check of every bot_id argument: the
// client's own rule (lineworks.ParseBotID).
var botIDValidator = clientValidator{"LINE WORKS bot ID", func(s string) error {
	_, err := lineworks.ParseBotID(s)
	return err
}}

// clientValidator applies one of the client's own checks at plan time, so a
// value is refused by the same rule before and after Terraform.
type clientValidator struct {
	name  string // what a valid value is, e.g. "LINE WORKS file ID"
	check func(string) error
}

var _ validator.String = clientValidator{}

func (v clientValidator) Description(context.Context) string { return "must be a " + v.name }

func (v clientValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v clientValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.name, err.Error()+".")
	}
}

// int64Bounds checks an int64 argument against [min, max] in words written
// for that argument: the framework's own message ("value must be between 1
// and 1099511627776") says neither what the bound is for nor what to do.
type int64Bounds struct {
	min, max int64
	// tooSmall and tooLarge are the messages, formatted with the value.
	tooSmall, tooLarge string
}

var _ validator.Int64 = int64Bounds{}

func (v int64Bounds) Description(context.Context) string {
	return fmt.Sprintf("must be between %d and %d", v.min, v.max)
}

func (v int64Bounds) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v int64Bounds) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	switch n := req.ConfigValue.ValueInt64(); {
	case n < v.min:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), fmt.Sprintf(v.tooSmall, n))
	case n > v.max:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), fmt.Sprintf(v.tooLarge, n))
	}
}

// accessTokenValidator refuses an access_token that cannot be one. Empty, it
// would count as unset and the provider would quietly issue tokens with the
// app's credentials instead (or ask for client_id), which is not what the
// configuration says. With its "Bearer " prefix, it would be sent as
// "Bearer Bearer …"; stripping the prefix silently would leave a value in
// the configuration that is not a token, which other tools given the same
// variable would send as it is. Saying so costs one edit.
type accessTokenValidator struct{}

var _ validator.String = accessTokenValidator{}

func (accessTokenValidator) Description(context.Context) string {
	return "must be an access token, not empty, without a Bearer prefix"
}

func (v accessTokenValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (accessTokenValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := accessTokenProblem(req.ConfigValue.ValueString(), "access_token"); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid LINE WORKS access token", problem)
	}
}

// accessTokenProblem says what is wrong with token, given as from, in words
// that never quote it; "" when nothing is.
func accessTokenProblem(token, from string) string {
	switch trimmed := strings.TrimSpace(token); {
	case trimmed == "":
		return fmt.Sprintf("%s is empty. Leave it out (or set it to null) for the provider to issue its own tokens with client_id, client_secret, "+
			"service_account_id and private_key, or give it a token, such as ephemeral.lineworks_access_token.<name>.access_token.", from)
	case len(trimmed) > len("Bearer") && strings.EqualFold(trimmed[:len("Bearer")], "Bearer") && strings.ContainsAny(trimmed[len("Bearer"):len("Bearer")+1], " \t"):
		return fmt.Sprintf("%s starts with \"Bearer \": give the token alone, without the prefix. The provider sends it in an Authorization: Bearer header itself.", from)
	}
	return ""
}
