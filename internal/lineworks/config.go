package lineworks

import (
	"crypto/rsa"
	"fmt"
	"net/http"
	"time"
)

// Default endpoints of the LINE WORKS service.
const (
	DefaultAuthEndpoint    = "https://auth.worksmobile.com"
	DefaultAPIEndpoint     = "https://www.worksapis.com/v1.0"
	DefaultStorageEndpoint = "https://apis-storage.worksmobile.com"
)

// Defaults for the knobs a caller may leave zero.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 4
)

// DefaultUserAgent is sent when Config.UserAgent is empty, so that LINE WORKS
// support and proxies can still tell this client from any other Go program.
const DefaultUserAgent = "terraform-provider-lineworks"

// DefaultScopes is what a token is issued for when no scopes are given:
// "bot" covers the bot APIs, attachment downloads included.
var DefaultScopes = []string{"bot"}

// Config holds everything a Client needs. Only what an operation uses must be
// set: a missing value is reported when that operation runs, as a
// *MissingSettingError.
type Config struct {
	ClientID         string
	ClientSecret     string
	ServiceAccountID string
	PrivateKey       *rsa.PrivateKey
	Scopes           []string // defaults to DefaultScopes

	// AccessToken, when set, is used for API calls instead of issuing a token.
	AccessToken string

	AuthEndpoint    string // defaults to DefaultAuthEndpoint
	APIEndpoint     string // defaults to DefaultAPIEndpoint
	StorageEndpoint string // defaults to DefaultStorageEndpoint

	// API 1.0 (legacy) credentials.
	APIID       string
	ServerID    string
	ConsumerKey string

	// RequestTimeout bounds the wait for response headers and any stall while
	// reading a body, whatever the answer (stallTransport). It never cuts a
	// download that keeps making progress.
	RequestTimeout time.Duration
	// MaxRetries bounds the retries of a request answered with 429 or 5xx;
	// zero means none (the provider defaults to DefaultMaxRetries).
	MaxRetries int
	// MinRetryWait and MaxRetryWait bound the exponential backoff between
	// retries when the service does not say how long to wait.
	MinRetryWait time.Duration
	MaxRetryWait time.Duration

	// UserAgent goes out with every request, such as
	// "terraform-provider-lineworks/0.1.0 Terraform/1.11.4". Defaults to
	// DefaultUserAgent.
	UserAgent string

	// LockDir holds the files through which the processes of this machine
	// take turns changing a bot (botlock_file.go). Defaults to
	// DefaultLockDir(); tests give each their own.
	LockDir string

	// RecordDir is where the client keeps what the provider processes of a
	// machine share: which bot secret is the newest (RetireBotSecret).
	// Defaults to LockDir, the user's own directory.
	RecordDir string

	Now    func() time.Time // defaults to time.Now
	Logger Logger           // defaults to discarding
	// Transport replaces the HTTP transport, for tests and benchmarks.
	Transport http.RoundTripper
}

// Setting names a piece of configuration, for MissingSettingError and
// SettingError.
type Setting string

// The settings an operation may find missing or invalid.
const (
	SettingClientID         Setting = "client_id"
	SettingClientSecret     Setting = "client_secret"
	SettingServiceAccountID Setting = "service_account_id"
	SettingPrivateKey       Setting = "private_key"
	SettingAPIID            Setting = "api_id"
	SettingServerID         Setting = "server_id"
	SettingConsumerKey      Setting = "consumer_key"
	SettingAuthEndpoint     Setting = "auth_endpoint"
	SettingAPIEndpoint      Setting = "api_endpoint"
	SettingStorageEndpoint  Setting = "storage_endpoint"
)

// SettingError reports a setting New refused, so that a caller can point at it.
type SettingError struct {
	Setting Setting
	Err     error
}

func (e *SettingError) Error() string { return fmt.Sprintf("%s: %v", e.Setting, e.Err) }

func (e *SettingError) Unwrap() error { return e.Err }

// MissingSettingError reports a setting an operation needed but did not get.
type MissingSettingError struct {
	Setting Setting
	// Operation is what needed it, e.g. "issuing an access token".
	Operation string
}

func (e *MissingSettingError) Error() string {
	return fmt.Sprintf("%s is not set, and %s needs it", e.Setting, e.Operation)
}

// need returns a *MissingSettingError for the first of settings that op
// needs and the configuration lacks.
func (c *Config) need(op string, settings ...Setting) error {
	for _, s := range settings {
		if !c.has(s) {
			return &MissingSettingError{Setting: s, Operation: op}
		}
	}
	return nil
}

func (c *Config) has(s Setting) bool {
	switch s {
	case SettingClientID:
		return c.ClientID != ""
	case SettingClientSecret:
		return c.ClientSecret != ""
	case SettingServiceAccountID:
		return c.ServiceAccountID != ""
	case SettingPrivateKey:
		return c.PrivateKey != nil
	case SettingServerID:
		return c.ServerID != ""
	}
	return false
}
