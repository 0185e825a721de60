package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// requestTimeoutSetting is request_timeout, else LINEWORKS_REQUEST_TIMEOUT;
// zero (the client's default) when neither is set.
func requestTimeoutSetting(v types.String, diags *diag.Diagnostics) time.Duration {
	raw := stringSetting(v, envRequestTimeout)
	if raw == "" {
		return 0
	}
	d, err := parseTimeout(raw)
	if err != nil {
		diags.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout", fmt.Sprintf("%s (from request_timeout or %s).", err, envRequestTimeout))
	}
	return d
}

// parseTimeout reads a positive Go duration such as 30s.
func parseTimeout(raw string) (time.Duration, error) {
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration such as 30s or 2m", raw)
	}
	return d, nil
}
