package provider

import (
	"strconv"
	"strings"
	"time"

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

// joinInt64s lists IDs for a message: "10000001, 10000002".
func joinInt64s(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(s, ", ")
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
