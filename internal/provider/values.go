package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
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
