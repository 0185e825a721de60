package provider

import (
	"os"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Environment variables the provider falls back to. An empty variable counts as unset.
const (
	envClientID         = "LINEWORKS_CLIENT_ID"
	envClientSecret     = "LINEWORKS_CLIENT_SECRET"
	envServiceAccountID = "LINEWORKS_SERVICE_ACCOUNT_ID"
	envPrivateKey       = "LINEWORKS_PRIVATE_KEY"
	envPrivateKeyPath   = "LINEWORKS_PRIVATE_KEY_PATH"
	envScopes           = "LINEWORKS_SCOPES"
	envAccessToken      = "LINEWORKS_ACCESS_TOKEN"
	envAuthEndpoint     = "LINEWORKS_AUTH_ENDPOINT"
	envAPIEndpoint      = "LINEWORKS_API_ENDPOINT"
	envStorageEndpoint  = "LINEWORKS_STORAGE_ENDPOINT"
	envAPIID            = "LINEWORKS_API_ID"
	envServerID         = "LINEWORKS_SERVER_ID"
	envConsumerKey      = "LINEWORKS_CONSUMER_KEY"
	envRequestTimeout   = "LINEWORKS_REQUEST_TIMEOUT"
	envMaxRetries       = "LINEWORKS_MAX_RETRIES"
)

// stringSetting is the configured value, else the environment variable's.
// Unknown values (during validation) count as unset.
func stringSetting(v types.String, env string) string {
	if s := v.ValueString(); !v.IsUnknown() && s != "" {
		return s
	}
	return os.Getenv(env)
}
