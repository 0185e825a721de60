package lineworkstest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// The service's host names, which the emulator answers to through Transport.
const (
	ProductionAuthHost    = "auth.worksmobile.com"
	ProductionAPIHost     = "www.worksapis.com"
	ProductionStorageHost = "apis-storage.worksmobile.com"
)

// Transport returns an HTTP transport that reaches the emulator under the
// service's real host names: https://auth.worksmobile.com,
// https://www.worksapis.com/v1.0, https://apis-storage.worksmobile.com and
// its regional and older variants (jp1-apis-storage…, storage…), with a
// certificate it trusts, and the same names over plain http. A client
// configured with the default endpoints and this transport talks to the
// emulator as it would to LINE WORKS. Nothing else is reachable: any other
// host is an error, so a test using it never leaves the machine.
func (s *Server) Transport() http.RoundTripper {
	s.tlsOnce.Do(s.startTLS)
	return &http.Transport{
		Proxy: nil, // never a proxy from the environment
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			target, err := s.route(addr)
			if err != nil {
				return nil, err
			}
			var d net.Dialer
			return d.DialContext(ctx, network, target)
		},
		TLSClientConfig:     &tls.Config{RootCAs: s.tlsRoots, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: 16,
	}
}

// route maps a production host and port to the listener that serves it.
func (s *Server) route(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	var plain, secure *httptest.Server
	switch h := strings.ToLower(strings.TrimSuffix(host, ".")); {
	case h == ProductionAuthHost:
		plain, secure = s.auth, s.tlsAuth
	case h == ProductionAPIHost:
		plain, secure = s.api, s.tlsAPI
	case isProductionStorageHost(h):
		plain, secure = s.storage, s.tlsStorage
	default:
		return "", fmt.Errorf("lineworkstest: %s is not a LINE WORKS host; the emulator's transport reaches nothing else", host)
	}
	switch port {
	case "443":
		return secure.Listener.Addr().String(), nil
	case "80":
		return plain.Listener.Addr().String(), nil
	}
	return "", fmt.Errorf("lineworkstest: nothing listens on port %s of %s", port, host)
}

// isProductionStorageHost matches apis-storage.worksmobile.com,
// jp{N}-apis-storage.worksmobile.com and storage.worksmobile.com.
func isProductionStorageHost(h string) bool {
	if h == ProductionStorageHost || h == "storage.worksmobile.com" {
		return true
	}
	region, ok := strings.CutSuffix(h, "-"+ProductionStorageHost)
	return ok && regionPattern.MatchString(region)
}

// production reports whether r reached the emulator under a production
// host name, so that the URLs it answers use production names too.
func production(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	return host == ProductionAuthHost || host == ProductionAPIHost || isProductionStorageHost(host)
}

// startTLS starts the https listeners and the certificate they present: one
// self-signed certificate for the service's domains, trusted by Transport only.
func (s *Server) startTLS() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "lineworkstest emulator"},
		DNSNames:              []string{"worksmobile.com", "*.worksmobile.com", "worksapis.com", "*.worksapis.com"},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	s.tlsRoots = x509.NewCertPool()
	s.tlsRoots.AddCert(cert)
	start := func(h http.Handler) *httptest.Server {
		srv := httptest.NewUnstartedServer(h)
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
		srv.StartTLS()
		return srv
	}
	s.tlsMu.Lock()
	defer s.tlsMu.Unlock()
	s.tlsAuth = start(s.handlers[HostAuth])
	s.tlsAPI = start(s.handlers[HostAPI])
	s.tlsStorage = start(s.handlers[HostStorage])
}
