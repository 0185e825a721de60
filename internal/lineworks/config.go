package lineworks

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
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

// lineWorksDomains are the service's own domains. A bearer token may follow a
// redirect to them (and their subdomains) without being configured.
var lineWorksDomains = []string{"worksmobile.com", "worksapis.com"}

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
	// reading a body. It never cuts a download that keeps making progress.
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

// ParseEndpoint checks an endpoint URL: https, or http to a loopback host
// only, since a bearer token must never cross the network in clear text.
// The result has no trailing slash.
func ParseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid URL: %w", raw, err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL such as https://auth.worksmobile.com", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%q uses plain http: tokens are only sent over https, except to a loopback host (127.0.0.1, ::1, localhost)", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not carry credentials, a query or a fragment", raw)
	}
	// Every path segment must stay what it is once paths are joined to it:
	// no empty, "." or ".." segment, and no escaped "/" that would turn into one.
	escaped := strings.TrimRight(u.EscapedPath(), "/")
	for _, seg := range strings.Split(escaped, "/")[1:] {
		v, err := url.PathUnescape(seg)
		if err != nil || v == "" || v == "." || v == ".." || strings.Contains(v, "/") {
			return nil, fmt.Errorf("%q has an empty, '.', '..' or escaped '/' path segment: give the base URL plainly, such as https://apis-storage.worksmobile.com", raw)
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// endpoints are the parsed, validated endpoint URLs of a Client.
type endpoints struct {
	auth, api, storage *url.URL
}

func parseEndpoints(cfg *Config) (endpoints, error) {
	var eps endpoints
	var errs []error
	for _, e := range []struct {
		dst     **url.URL
		raw     string
		def     string
		setting Setting
	}{
		{&eps.auth, cfg.AuthEndpoint, DefaultAuthEndpoint, SettingAuthEndpoint},
		{&eps.api, cfg.APIEndpoint, DefaultAPIEndpoint, SettingAPIEndpoint},
		{&eps.storage, cfg.StorageEndpoint, DefaultStorageEndpoint, SettingStorageEndpoint},
	} {
		raw := e.raw
		if raw == "" {
			raw = e.def
		}
		u, err := ParseEndpoint(raw)
		if err != nil {
			errs = append(errs, &SettingError{Setting: e.setting, Err: err})
			continue
		}
		*e.dst = u
	}
	return eps, errors.Join(errs...)
}

// mayCarryToken says whether a bearer token may be sent to u: a LINE WORKS
// host over https, or the host of an endpoint the user configured (over https,
// or plain http to loopback). Nothing else ever sees the token.
func (eps endpoints) mayCarryToken(u *url.URL) bool {
	if u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())) {
		return false
	}
	for _, ep := range []*url.URL{eps.auth, eps.api, eps.storage} {
		if ep.Scheme == u.Scheme && strings.EqualFold(ep.Host, u.Host) {
			return true
		}
	}
	if u.Scheme != "https" {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	for _, d := range lineWorksDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
