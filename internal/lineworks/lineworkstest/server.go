// Package lineworkstest provides an in-process LINE WORKS emulator for tests,
// in the spirit of net/http/httptest.
//
// The emulator is deliberately as strict as the real service: a request LINE
// WORKS would reject is rejected here too, with the real error shapes and
// status codes, so that code which passes against the emulator has a fair
// chance of working against production. Where the real behaviour is not
// documented, the choice made is marked "inferred".
package lineworkstest

import (
	"bytes"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Host names used in [Request.Host].
const (
	HostAuth    = "auth"
	HostAPI     = "api"
	HostStorage = "storage"
)

// Server emulates the three hosts of LINE WORKS, each on its own loopback
// listener: auth (auth.worksmobile.com), API (www.worksapis.com) and storage
// (apis-storage.worksmobile.com). It is safe for concurrent use.
type Server struct {
	auth, api, storage *httptest.Server
	storageURL         string
	closed             chan struct{}
	closeOnce          sync.Once

	mu    sync.Mutex
	clock func() time.Time

	apps     map[string]App    // by client ID
	tokens   map[string]*token // access and refresh tokens of every kind
	issued   []string          // every token value ever issued, in order
	seq      int64             // issue counter, see token.seq
	grants   int64             // grant counter, see token.grant
	staleSeq int64             // access tokens with seq < staleSeq are stale

	attachments map[string]map[string]*attachment // bot ID -> file ID
	storagePath map[string]*attachment            // escaped storage path -> attachment

	api401          bool
	expireAtNextAPI bool
	rateLimitN      int
	rateLimitReset  int
	redirectTo      string
	locationStyle   LocationStyle
	disposition     DispositionStyle
	truncate        bool

	// Signed download URLs (the attachment API's Location) and uploads.
	signKey   []byte
	redirects map[string]*attachment    // escaped signed path -> attachment
	uploads   map[string]*pendingUpload // escaped upload path -> upload
	limiter   rateLimiter
	faults    faultInjector
	expired   int // requests that carried an access token past its expiry

	tlsOnce                     sync.Once
	tlsAuth, tlsAPI, tlsStorage *httptest.Server
	tlsRoots                    *x509.CertPool

	holdN       int
	holdTimeout time.Duration
	holdCh      chan struct{} // closed (and replaced) whenever holdN downloads are in flight
	inFlight    int
	maxInFlight int

	legacyServers      map[string]LegacyServer   // by API ID + "/" + server ID
	legacyConsumers    map[string]LegacyConsumer // by API ID + "/" + consumer key
	legacyServerTokens map[string]string         // by API ID + "/" + server ID: the current server token
	legacyErrorCode    string

	requests []*Request

	tenant botStore  // bots, their domains and secrets (bots.go)
	menus  *menuPlug // rich and persistent menus, domain members (menus_plug.go)
}

// NewServer starts a Server. Call Close when done.
func NewServer() *Server {
	s := &Server{
		closed:             make(chan struct{}),
		clock:              time.Now,
		apps:               make(map[string]App),
		tokens:             make(map[string]*token),
		attachments:        make(map[string]map[string]*attachment),
		storagePath:        make(map[string]*attachment),
		redirects:          make(map[string]*attachment),
		uploads:            make(map[string]*pendingUpload),
		signKey:            randomBytes(32),
		limiter:            rateLimiter{limit: RateLimitStandard, windows: make(map[string]*rateWindow)},
		holdCh:             make(chan struct{}),
		legacyServers:      make(map[string]LegacyServer),
		legacyConsumers:    make(map[string]LegacyConsumer),
		legacyServerTokens: make(map[string]string),
	}
	s.menus = newMenuPlug(s)
	s.auth = httptest.NewServer(s.record(HostAuth, s.serveAuth))
	s.api = httptest.NewServer(s.record(HostAPI, s.serveAPI))
	s.storage = httptest.NewServer(s.record(HostStorage, s.serveStorage))

	// Production serves storage from a different host than the API, and
	// net/http drops Authorization when a redirect changes host. Naming the
	// storage listener "localhost" while the API is "127.0.0.1" reproduces
	// exactly that.
	u, err := url.Parse(s.storage.URL)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	_, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	s.storageURL = "http://localhost:" + port
	return s
}

// Close shuts down the listeners and releases downloads held by
// HoldDownloads. It blocks until outstanding requests have finished.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.tlsOnce.Do(func() {}) // no https listener may start after this
		s.mu.Lock()
		servers := []*httptest.Server{s.auth, s.api, s.storage, s.tlsAuth, s.tlsAPI, s.tlsStorage}
		s.mu.Unlock()
		for _, srv := range servers {
			if srv != nil {
				srv.Close()
			}
		}
	})
}

// AuthURL returns the auth host's base URL, like "http://127.0.0.1:PORT".
// The token endpoint is AuthURL()+"/oauth2/v2.0/token".
func (s *Server) AuthURL() string { return s.auth.URL }

// APIURL returns the API base URL including the version, like
// "http://127.0.0.1:PORT/v1.0".
func (s *Server) APIURL() string { return s.api.URL + "/v1.0" }

// StorageURL returns the storage host's base URL, like
// "http://localhost:PORT". The host name differs from the API's on purpose.
func (s *Server) StorageURL() string { return s.storageURL }

// SetClock sets the emulator's clock, used for JWT and token expiry, the
// rate limit's window, signed URLs and every response's Date header, so that
// a test can put the emulator's clock and the client's apart. nil restores
// time.Now.
func (s *Server) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	s.clock = now
	s.mu.Unlock()
}

// now reads the clock without holding s.mu, so that a clock function may
// itself call into the Server.
func (s *Server) now() time.Time {
	s.mu.Lock()
	f := s.clock
	s.mu.Unlock()
	return f()
}

// SetAPIAnswers401 makes the attachment API answer 401 UNAUTHORIZED even for a
// valid token, as reported in the community forum. Storage keeps working.
func (s *Server) SetAPIAnswers401(on bool) {
	s.mu.Lock()
	s.api401 = on
	s.mu.Unlock()
}

// RateLimitNext makes the next n API (www) requests answer 429
// TOO_MANY_REQUESTS with a rateLimit-reset of reset seconds, whatever the
// per-minute count says.
func (s *Server) RateLimitNext(n int, reset int) {
	s.mu.Lock()
	s.rateLimitN = n
	s.rateLimitReset = reset
	s.mu.Unlock()
}

// ExpireAccessTokens makes every access token issued so far stale: the API
// answers 403 with code UNAUTHORIZED for it, which the official samples treat
// as "token expired, reissue", and storage answers 401. Tokens issued later
// work. Refresh tokens are not affected.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	s.staleSeq = s.seq + 1
	s.mu.Unlock()
}

// ExpireAccessTokensAtNextAPIRequest does what ExpireAccessTokens does, but
// only when the next API request arrives: a token that expires between being
// issued and being used, in the middle of a Terraform run.
func (s *Server) ExpireAccessTokensAtNextAPIRequest() {
	s.mu.Lock()
	s.expireAtNextAPI = true
	s.mu.Unlock()
}

// SetRedirectLocation makes the attachment API redirect to u instead of the
// storage host, whatever SetLocationStyle says. "" restores the default.
func (s *Server) SetRedirectLocation(u string) {
	s.mu.Lock()
	s.redirectTo = u
	s.mu.Unlock()
}

// SetTruncateDownloads makes storage send the full Content-Length, half the
// body, and then drop the connection.
func (s *Server) SetTruncateDownloads(on bool) {
	s.mu.Lock()
	s.truncate = on
	s.mu.Unlock()
}

// HoldDownloads makes each storage download wait, before sending its body,
// until n downloads are in flight at once or timeout passes. Tests use it to
// prove that downloads run in parallel without relying on timing. n <= 0
// turns holding off.
func (s *Server) HoldDownloads(n int, timeout time.Duration) {
	s.mu.Lock()
	s.holdN = n
	s.holdTimeout = timeout
	// Release anyone waiting under the old setting.
	close(s.holdCh)
	s.holdCh = make(chan struct{})
	s.mu.Unlock()
}

// MaxConcurrentDownloads returns the high-water mark of storage downloads in
// flight at once.
func (s *Server) MaxConcurrentDownloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// Request records one request received by the emulator.
type Request struct {
	Host   string // HostAuth, HostAPI or HostStorage
	Method string
	Path   string      // the escaped path as received
	Header http.Header // as received, including Authorization
	Form   url.Values  // parsed form (query and body) of auth host requests, when the emulator parsed one
	Status int         // the status the emulator answered; 0 while in progress
	// Body is the body of an API host request, up to maxRecordedBody bytes.
	Body []byte
}

// maxRecordedBody bounds Request.Body.
const maxRecordedBody = 64 << 10

// Requests returns a copy of the recorded requests in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		if r.Form != nil {
			out[i].Form = cloneValues(r.Form)
		}
		out[i].Body = bytes.Clone(r.Body)
	}
	return out
}

// CountRequests counts recorded requests to host ("" for any) whose path
// starts with pathPrefix.
func (s *Server) CountRequests(host, pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (host == "" || r.Host == host) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

// record wraps a host's handler so that every request is recorded. The
// record is taken on arrival, to keep arrival order, and completed in a
// deferred call so that aborted responses are recorded too.
func (s *Server) record(host string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &Request{
			Host:   host,
			Method: r.Method,
			Path:   r.URL.EscapedPath(),
			Header: r.Header.Clone(),
		}
		if host == HostAPI {
			// Read the head of the body for the record, and hand the handler
			// the whole body all the same.
			head, _ := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody))
			rec.Body = head
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		}
		s.mu.Lock()
		s.requests = append(s.requests, rec)
		s.mu.Unlock()

		// The service's own clock, which is what a client compares its clock
		// with; net/http would send the machine's.
		w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			s.mu.Lock()
			rec.Status = sw.statusCode()
			if host == HostAuth && r.Form != nil {
				rec.Form = cloneValues(r.Form)
			}
			s.mu.Unlock()
		}()
		h(sw, r)
	})
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK // the handler wrote nothing: net/http sends 200
	}
	return w.status
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
