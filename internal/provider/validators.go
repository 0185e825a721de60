package provider

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// scopeSetValidators check the shape of scope names; whether a scope is
// enabled for the app only the service can tell.
func scopeSetValidators() []validator.Set {
	return []validator.Set{
		setSize{min: 1, max: math.MaxInt, say: func(attr string, _ int) string {
			return attr + ` is empty: leave it out for the default, or list the scopes, such as ["bot", "bot.message"].`
		}},
		setvalidator.ValueStringsAre(scopeName{}),
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

// richMenuIDValidator is the plan-time check of a rich_menu_id argument.
var richMenuIDValidator = clientValidator{"LINE WORKS rich menu ID", lineworks.ValidateRichMenuID}

// userIDValidator is the plan-time check of a user_id argument.
var userIDValidator = clientValidator{"LINE WORKS user ID or login ID", lineworks.ValidateUserID}

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
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+topAttribute(req.Path), fmt.Sprintf(v.tooSmall, n))
	case n > v.max:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+topAttribute(req.Path), fmt.Sprintf(v.tooLarge, n))
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

// The validators below apply the framework's rules in words written for the
// argument: the framework's own ("Attribute administrators set must contain
// at least 1 elements and at most 3 elements, got: 4") say neither what the
// limit is about nor what to do. Each says it with a function of the
// attribute's path, as written in the configuration, and the value.

// topAttribute is the name of the argument a path is in, for a summary.
func topAttribute(p path.Path) string {
	if steps := p.Steps(); len(steps) > 0 {
		return steps[0].String()
	}
	return p.String()
}

// countBounds is what setSize and charCount share: a count that must be
// in [min, max], and the words for one that is not, a function of the
// attribute's path and the count. The framework's validators
// (setvalidator.SizeBetween, stringvalidator.UTF8LengthBetween) take no
// words of ours, and a wrapper that rewrote their message would not know
// the count the words give.
type countBounds struct {
	min, max int
	say      func(attr string, n int) string
}

// check reports n, the count of the value at p, when it is out of bounds.
func (b countBounds) check(p path.Path, n int, diags *diag.Diagnostics) {
	if n < b.min || n > b.max {
		diags.AddAttributeError(p, "Invalid "+topAttribute(p), b.say(p.String(), n))
	}
}

// setSize checks how many elements a set holds.
type setSize countBounds

var _ validator.Set = setSize{}

func (v setSize) Description(context.Context) string {
	return fmt.Sprintf("must hold %d to %d elements", v.min, v.max)
}

func (v setSize) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v setSize) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	countBounds(v).check(req.Path, len(req.ConfigValue.Elements()), &resp.Diagnostics)
}

// charCount checks how many characters (not bytes) a string holds.
type charCount countBounds

var _ validator.String = charCount{}

func (v charCount) Description(context.Context) string {
	return fmt.Sprintf("must be %d to %d characters long", v.min, v.max)
}

func (v charCount) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v charCount) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	countBounds(v).check(req.Path, utf8.RuneCountInString(req.ConfigValue.ValueString()), &resp.Diagnostics)
}

// oneOfWords checks a string (an element, or a map key) against values.
type oneOfWords struct {
	values []string
	say    func(attr, v string) string
}

var _ validator.String = oneOfWords{}

func (v oneOfWords) Description(context.Context) string {
	return "must be one of " + quotedWords(v.values)
}

func (v oneOfWords) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v oneOfWords) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || slices.Contains(v.values, req.ConfigValue.ValueString()) {
		return
	}
	// The path names the element or key; the message names what holds it.
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+topAttribute(req.Path), v.say(req.Path.ParentPath().String(), req.ConfigValue.ValueString()))
}

// notEmpty refuses an empty string, in words written for the argument.
type notEmpty struct{ say func(attr string) string }

var _ validator.String = notEmpty{}

func (notEmpty) Description(context.Context) string { return "must not be empty" }

func (v notEmpty) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v notEmpty) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueString() == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+topAttribute(req.Path), v.say(topAttribute(req.Path)))
	}
}

// scopeName checks one scope: a LINE WORKS scope name, one to an element.
// "bot bot.message" is two scopes written as one, which LINEWORKS_SCOPES
// allows but an element does not.
type scopeName struct{}

var (
	_            validator.String = scopeName{}
	scopePattern                  = regexp.MustCompile(`^[a-z]+(\.[a-z]+)*$`)
)

func (scopeName) Description(context.Context) string {
	return "must be a LINE WORKS scope name such as bot, bot.message or user.read"
}

func (v scopeName) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (scopeName) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	attr := topAttribute(req.Path)
	if parts := lineworks.NormalizeScopes([]string{s}); len(parts) > 0 && strings.ContainsAny(s, " ,\t\n") &&
		!slices.ContainsFunc(parts, func(p string) bool { return !scopePattern.MatchString(p) }) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+attr,
			fmt.Sprintf("%s holds %q, several scopes in one string: write each as an element of its own, %s.", attr, s, hclStrings(parts)))
		return
	}
	if !scopePattern.MatchString(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+attr,
			fmt.Sprintf("%s holds %q, which is not a LINE WORKS scope name: scopes are lowercase words joined by dots, such as \"bot\", \"bot.message\" or \"user.read\", as the Developer Console lists them (API 2.0 > the app > OAuth Scopes).", attr, s))
	}
}

// botTextLength is the length check of a bot's name or description (what),
// in any language: 1 to limit characters.
func botTextLength(what string, limit int) charCount {
	return charCount{min: 1, max: limit, say: func(attr string, n int) string {
		if n == 0 {
			return fmt.Sprintf("%s is empty: LINE WORKS takes %s of 1 to %d characters.", attr, what, limit)
		}
		return fmt.Sprintf("%s is %d characters long: LINE WORKS takes %s of 1 to %d characters.", attr, n, what, limit)
	}}
}

// domainIDValidator is the plan-time check of a domain ID.
var domainIDValidator = int64Bounds{
	min: 1, max: math.MaxInt64,
	tooSmall: "%d is not a domain ID: domain IDs are positive numbers, such as 10000001 (the Admin console shows them).",
}
