package lineworks

// The endpoints a Client talks to, and where a bearer token may go.

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// lineWorksDomains are the service's own domains. A bearer token may follow a
// redirect to them (and their subdomains) without being configured.
var lineWorksDomains = []string{"worksmobile.com", "worksapis.com"}

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

// apiVersionSegment is how the path of an API endpoint ends: its version,
// such as v1.0.
var apiVersionSegment = regexp.MustCompile(`^v[0-9]+(\.[0-9]+)*$`)

// CheckAPIEndpointVersion reports an API endpoint whose path does not end in
// a version segment, such as https://www.worksapis.com: LINE WORKS API 2.0
// is at DefaultAPIEndpoint, and a base URL without the version answers 404
// to every call. An endpoint ParseEndpoint refuses is not reported here.
func CheckAPIEndpointVersion(raw string) error {
	if u, err := ParseEndpoint(raw); raw != "" && err == nil && !apiVersionSegment.MatchString(path.Base(u.Path)) {
		return fmt.Errorf("%s does not end in an API version such as /v1.0: LINE WORKS API 2.0 is at %s, and a URL without the version answers 404 to every call", u, DefaultAPIEndpoint)
	}
	return nil
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

// joinEscaped appends path segments to base, escaping each one, so that no
// segment can add another level to the path.
func joinEscaped(base *url.URL, segments ...string) *url.URL {
	u := *base
	p, raw := u.Path, u.EscapedPath()
	for _, s := range segments {
		p += "/" + s
		raw += "/" + url.PathEscape(s)
	}
	u.Path, u.RawPath = p, raw
	return &u
}
