package provider

import (
	"fmt"
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// maxRetriesLimit bounds max_retries: more would only hold a run on a
// service that keeps failing.
const maxRetriesLimit = 10

// maxRetriesSetting is max_retries, else LINEWORKS_MAX_RETRIES (0 to
// maxRetriesLimit), else lineworks.DefaultMaxRetries.
func maxRetriesSetting(v types.Int64, diags *diag.Diagnostics) int {
	if !v.IsNull() && !v.IsUnknown() {
		return int(v.ValueInt64())
	}
	raw := os.Getenv(envMaxRetries)
	if raw == "" {
		return lineworks.DefaultMaxRetries
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > maxRetriesLimit {
		diags.AddAttributeError(path.Root("max_retries"), "Invalid max retries", fmt.Sprintf("%s must be a whole number from 0 to %d, got %q.", envMaxRetries, maxRetriesLimit, raw))
	}
	return n
}
