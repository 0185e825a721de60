package provider

// Conversions between Go values and Terraform values that every type may
// use: times, optional strings, IDs, and sets and maps that keep an empty
// collection empty and a left-out one null.

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// formatTime renders a time the way every result of this provider does:
// RFC 3339 in UTC.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// optionalString is null for the empty string.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// expiry renders a token's lifetime; both are null when the service gave none.
func expiry(tok *lineworks.Token) (types.Int64, types.String) {
	if tok.ExpiresIn <= 0 {
		return types.Int64Null(), types.StringNull()
	}
	return types.Int64Value(tok.ExpiresIn), types.StringValue(formatTime(tok.Expiry))
}

// nonEmpty is values without the empty ones.
func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// formatBotID is the bot_id of a bot.
func formatBotID(id int64) string { return strconv.FormatInt(id, 10) }

// optionalTime is null for the zero time.
func optionalTime(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(formatTime(t))
}

// stringsOf is a set's strings, sorted; nil when the set is null or unknown.
func stringsOf(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	return elementsOf[string](ctx, s, diags)
}

// int64sOf is a set's numbers, sorted; nil when the set is null or unknown.
func int64sOf(ctx context.Context, s types.Set, diags *diag.Diagnostics) []int64 {
	return elementsOf[int64](ctx, s, diags)
}

func elementsOf[T cmp.Ordered](ctx context.Context, s types.Set, diags *diag.Diagnostics) []T {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []T
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	slices.Sort(out)
	return out
}

// stringSet is values as a set. No values give an empty set when prior is
// one, and null otherwise.
func stringSet(ctx context.Context, prior types.Set, values []string, diags *diag.Diagnostics) types.Set {
	return setOf(ctx, types.StringType, prior, values, diags)
}

// int64Set is values as a set. No values give an empty set when prior is
// one, and null otherwise (for allow_domains: every domain).
func int64Set(ctx context.Context, prior types.Set, values []int64, diags *diag.Diagnostics) types.Set {
	return setOf(ctx, types.Int64Type, prior, values, diags)
}

func setOf[T any](ctx context.Context, elem attr.Type, prior types.Set, values []T, diags *diag.Diagnostics) types.Set {
	if len(values) == 0 && !keepEmpty(prior) {
		return types.SetNull(elem)
	}
	if values == nil {
		values = []T{}
	}
	s, d := types.SetValueFrom(ctx, elem, values)
	diags.Append(d...)
	return s
}

// stringMap is values as a map. No values give an empty map when prior is
// one, and null otherwise.
func stringMap(ctx context.Context, prior types.Map, values map[string]string, diags *diag.Diagnostics) types.Map {
	if len(values) == 0 && !keepEmpty(prior) {
		return types.MapNull(types.StringType)
	}
	m, d := types.MapValueFrom(ctx, types.StringType, values)
	diags.Append(d...)
	return m
}

// keepEmpty reports whether prior is a known, empty collection.
func keepEmpty(prior interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	if prior.IsNull() || prior.IsUnknown() {
		return false
	}
	switch v := prior.(type) {
	case types.Set:
		return len(v.Elements()) == 0
	case types.Map:
		return len(v.Elements()) == 0
	}
	return false
}
