package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// scopesSetting is the provider's scopes argument, else LINEWORKS_SCOPES
// (space- or comma-separated), normalized as the client compares them.
func scopesSetting(ctx context.Context, v types.Set, diags *diag.Diagnostics) []string {
	if !v.IsNull() && !v.IsUnknown() {
		var scopes []string
		diags.Append(v.ElementsAs(ctx, &scopes, false)...)
		return lineworks.NormalizeScopes(scopes)
	}
	return lineworks.NormalizeScopes([]string{os.Getenv(envScopes)})
}
