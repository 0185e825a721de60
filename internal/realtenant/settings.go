// Package realtenant reads the LINE WORKS tenant a developer points the
// opt-in tools at, from the LINEWORKS_* variables the provider reads too:
// the acceptance tests against a real tenant (LINEWORKS_ACC_REAL=1), their
// sweeper (make sweep) and the contract report (make contract). Everything
// those tools create is named with Prefix, and Sweep deletes what a run
// left behind.
package realtenant

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// The variables Settings are read from: the provider's own.
const (
	EnvClientID         = "LINEWORKS_CLIENT_ID"
	EnvClientSecret     = "LINEWORKS_CLIENT_SECRET"
	EnvServiceAccountID = "LINEWORKS_SERVICE_ACCOUNT_ID"
	EnvPrivateKey       = "LINEWORKS_PRIVATE_KEY"
	EnvPrivateKeyPath   = "LINEWORKS_PRIVATE_KEY_PATH"
	EnvAuthEndpoint     = "LINEWORKS_AUTH_ENDPOINT"
	EnvAPIEndpoint      = "LINEWORKS_API_ENDPOINT"
	EnvStorageEndpoint  = "LINEWORKS_STORAGE_ENDPOINT"
)

// Settings are an app of the tenant and where the tenant answers. They hold
// secrets: String never shows them.
type Settings struct {
	ClientID         string
	ClientSecret     string
	ServiceAccountID string
	// PrivateKeyPEM is the app's key, from LINEWORKS_PRIVATE_KEY or read
	// from the file LINEWORKS_PRIVATE_KEY_PATH names (then PrivateKeyPath).
	PrivateKeyPEM  []byte
	PrivateKeyPath string
	// The endpoints; empty means the service's own.
	AuthEndpoint, APIEndpoint, StorageEndpoint string
}

// FromEnv reads Settings through getenv (os.Getenv, or a test's map). Every
// credential must be set; a missing one is named in the error, with what
// to set.
func FromEnv(getenv func(string) string) (Settings, error) {
	s := Settings{
		ClientID:         getenv(EnvClientID),
		ClientSecret:     getenv(EnvClientSecret),
		ServiceAccountID: getenv(EnvServiceAccountID),
		AuthEndpoint:     getenv(EnvAuthEndpoint),
		APIEndpoint:      getenv(EnvAPIEndpoint),
		StorageEndpoint:  getenv(EnvStorageEndpoint),
	}
	var missing []string
	for name, v := range map[string]string{EnvClientID: s.ClientID, EnvClientSecret: s.ClientSecret, EnvServiceAccountID: s.ServiceAccountID} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	inline, path := getenv(EnvPrivateKey), getenv(EnvPrivateKeyPath)
	switch {
	case inline != "" && path != "":
		return Settings{}, fmt.Errorf("both %s and %s are set: unset one of them", EnvPrivateKey, EnvPrivateKeyPath)
	case inline != "":
		s.PrivateKeyPEM = []byte(inline)
	case path != "":
		pemText, err := os.ReadFile(path)
		if err != nil {
			return Settings{}, fmt.Errorf("%s: %w", EnvPrivateKeyPath, err)
		}
		s.PrivateKeyPEM, s.PrivateKeyPath = pemText, path
	default:
		missing = append(missing, EnvPrivateKeyPath+" (or "+EnvPrivateKey+")")
	}
	if missing != nil {
		slices.Sort(missing)
		return Settings{}, fmt.Errorf("%s not set: set the credentials of an app of the test tenant (Developer Console, API 2.0: Client ID, Client Secret, Service Account, Private Key)", strings.Join(missing, ", "))
	}
	if _, err := lineworks.ParsePrivateKey(s.PrivateKeyPEM); err != nil {
		return Settings{}, fmt.Errorf("the private key: %w", err)
	}
	return s, nil
}

// Config is the client configuration of the app, with the bot scope.
func (s Settings) Config() (lineworks.Config, error) {
	key, err := lineworks.ParsePrivateKey(s.PrivateKeyPEM)
	if err != nil {
		return lineworks.Config{}, fmt.Errorf("the private key: %w", err)
	}
	return lineworks.Config{
		ClientID:         s.ClientID,
		ClientSecret:     s.ClientSecret,
		ServiceAccountID: s.ServiceAccountID,
		PrivateKey:       key,
		Scopes:           []string{"bot"},
		AuthEndpoint:     s.AuthEndpoint,
		APIEndpoint:      s.APIEndpoint,
		StorageEndpoint:  s.StorageEndpoint,
		MaxRetries:       lineworks.DefaultMaxRetries,
	}, nil
}

// Client is a client of the tenant as the app, sending userAgent.
func (s Settings) Client(userAgent string) (*lineworks.Client, error) {
	cfg, err := s.Config()
	if err != nil {
		return nil, err
	}
	cfg.UserAgent = userAgent
	return lineworks.New(cfg)
}

// String names the app and the API endpoint, never a secret.
func (s Settings) String() string {
	api := s.APIEndpoint
	if api == "" {
		api = lineworks.DefaultAPIEndpoint
	}
	return fmt.Sprintf("app %s (%s) at %s", s.ClientID, s.ServiceAccountID, api)
}

// GoString is String, so that %#v shows no secret either.
func (s Settings) GoString() string { return s.String() }
