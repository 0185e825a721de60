package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// legacyGuideURL is the migration guide (docs/guides/api-1-0-legacy.md) on the registry.
const legacyGuideURL = "https://registry.terraform.io/providers/lineworks-community/lineworks/latest/docs/guides/api-1-0-legacy"

const legacyWarningSummary = "LINE WORKS API 1.0 is retired"

// addLegacyWarning warns that what is about to be used is API 1.0, which
// the real service stopped answering on 30 April 2023. attr is the argument
// that asked for it, or empty for the resource as a whole.
func addLegacyWarning(diags *diag.Diagnostics, attr path.Path, what string) {
	detail := fmt.Sprintf("%s uses LINE WORKS API 1.0, which LINE WORKS retired on 30 April 2023: the real service no longer answers it. "+
		"It keeps working only against an endpoint that still serves API 1.0 (auth_endpoint). "+
		"Move to API 2.0 (lineworks_access_token); the \"API 1.0 (legacy)\" migration guide shows how: %s", what, legacyGuideURL)
	if attr.Equal(path.Empty()) {
		diags.AddWarning(legacyWarningSummary, detail)
		return
	}
	diags.AddAttributeWarning(attr, legacyWarningSummary, detail)
}
