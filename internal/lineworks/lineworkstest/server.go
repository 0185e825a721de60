package lineworkstest

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"
)

// Server emulates the three hosts of LINE WORKS, each on its own loopback
// listener: auth (auth.worksmobile.com), API (www.worksapis.com) and storage
// (apis-storage.worksmobile.com). It only composes the components, each of
// which owns its state and its lock; reach them through its fields. It is
// safe for concurrent use.
type Server struct {
	Auth      *Auth          // apps and tokens (auth host, API 2.0)
	Legacy    *Legacy        // API 1.0 servers, consumer keys and their tokens (auth host)
	Directory *Directory     // the tenant's domains and users
	Bots      *Bots          // bots, registrations, secrets (API host)
	Storage   *Storage       // attachments, signed URLs, uploads (API and storage hosts)
	Faults    *FaultInjector // rate limits and injected faults (API and storage hosts)
	Forms     *Forms         // the answer forms in effect
	Menus     *Menus         // rich and persistent menus, domain members (API host)
	Requests  *RequestLog    // every request received

	clock     *clock
	closed    chan struct{}
	closeOnce sync.Once

	apiRoutes                 *apiRoutes // where components mount their API routes
	auth, api, storage, admin *httptest.Server
	storageURL                string
	handlers                  map[string]http.Handler // by host name (HostAuth …), for the https listeners

	tlsOnce                     sync.Once
	tlsMu                       sync.Mutex
	tlsAuth, tlsAPI, tlsStorage *httptest.Server
	tlsRoots                    *x509.CertPool
}

// Options say where a Server listens. The zero value is what NewServer
// uses: a free port on 127.0.0.1 for each host, and no admin door.
type Options struct {
	// AuthAddr, APIAddr and StorageAddr are "host:port" loopback addresses
	// (127.0.0.1, ::1 or localhost); "" or port 0 picks a free port. The
	// emulator serves plain http, which the provider accepts only on
	// loopback. The storage host's URL names "localhost", unlike the API's
	// 127.0.0.1, whatever its address: see StorageURL.
	AuthAddr, APIAddr, StorageAddr string
	// AdminAddr, when set, serves the admin door (AdminHandler) on its own
	// loopback listener at that address; see AdminURL.
	AdminAddr string
}

// NewServer starts a Server on free loopback ports. Call Close when done.
func NewServer() *Server {
	s, err := Start(Options{})
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	return s
}

// Start starts a Server as o says. Call Close when done.
func Start(o Options) (*Server, error) {
	addrs := []string{o.AuthAddr, o.APIAddr, o.StorageAddr}
	if o.AdminAddr != "" {
		addrs = append(addrs, o.AdminAddr)
	}
	var listeners []net.Listener
	for _, a := range addrs {
		l, err := listenLoopback(a)
		if err != nil {
			for _, l := range listeners {
				_ = l.Close()
			}
			return nil, err
		}
		listeners = append(listeners, l)
	}

	c := newClock()
	s := &Server{clock: c, closed: make(chan struct{})}
	// Production serves storage from a different host than the API, and
	// net/http drops Authorization when a redirect changes host. Naming the
	// storage listener "localhost" while the API is "127.0.0.1" reproduces
	// exactly that.
	_, storagePort, _ := net.SplitHostPort(listeners[2].Addr().String())
	s.storageURL = "http://localhost:" + storagePort
	apiURL := "http://" + listeners[1].Addr().String() + "/v1.0"

	s.Requests = &RequestLog{clock: c}
	s.Auth = newAuth(c)
	s.Legacy = newLegacy(s.Auth)
	s.Directory = newDirectory()
	s.Forms = newForms()
	s.Faults = newFaultInjector(c, s.Forms, s.closed)
	s.Bots = newBots(c, s.Directory, s.Forms, s.closed)
	s.Storage = newStorage(c, s.storageURL, apiURL, s.closed, s.Bots)

	authRoutes := newRouter(func(w http.ResponseWriter, r *http.Request, status int, allow string) {
		if !refuseLegacy(w, r, status, allow) {
			refuseOAuth(w, status, allow)
		}
	})
	s.Auth.mount(authRoutes)
	s.Legacy.mount(authRoutes)

	s.apiRoutes = newAPIRoutes()
	s.Bots.mount(s.apiRoutes)
	s.Storage.mountAPI(s.apiRoutes)
	s.Menus = newMenusOn(s)

	storageRoutes := newRouter(refuseStorage)
	s.Storage.mount(storageRoutes)

	s.handlers = map[string]http.Handler{
		HostAuth:    s.Requests.record(HostAuth, s.Faults.stalling(HostAuth, authRoutes)),
		HostAPI:     s.Requests.record(HostAPI, s.Faults.stalling(HostAPI, &apiHost{faults: s.Faults, auth: s.Auth, routes: s.apiRoutes})),
		HostStorage: s.Requests.record(HostStorage, s.Faults.stalling(HostStorage, &storageHost{faults: s.Faults, auth: s.Auth, routes: storageRoutes})),
	}
	s.auth = serve(listeners[0], s.handlers[HostAuth])
	s.api = serve(listeners[1], s.handlers[HostAPI])
	s.storage = serve(listeners[2], s.handlers[HostStorage])
	if len(listeners) > 3 {
		s.admin = serve(listeners[3], s.AdminHandler())
	}
	return s, nil
}

// listenLoopback listens on addr, which must be a loopback address.
func listenLoopback(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("listen address %q: the emulator listens on loopback only (127.0.0.1, ::1 or localhost): it serves plain http, which the provider accepts only on loopback", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return l, nil
}

func serve(l net.Listener, h http.Handler) *httptest.Server {
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h, ReadHeaderTimeout: time.Minute}}
	srv.Start()
	return srv
}

// closeGrace is how long Close lets outstanding requests finish before it
// cuts their connections.
const closeGrace = 2 * time.Second

// Close shuts down the listeners and releases downloads held by
// HoldDownloads and mutations held by SetMutationHold. It waits for
// outstanding requests to finish, for closeGrace at most: then it cuts the
// connections of clients still sending or not reading, so that the
// emulator command stops promptly on Ctrl-C whatever its clients do.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.tlsOnce.Do(func() {}) // no https listener may start after this
		s.tlsMu.Lock()
		servers := slices.DeleteFunc([]*httptest.Server{s.auth, s.api, s.storage, s.admin, s.tlsAuth, s.tlsAPI, s.tlsStorage},
			func(srv *httptest.Server) bool { return srv == nil })
		s.tlsMu.Unlock()
		var wg sync.WaitGroup
		for _, srv := range servers {
			wg.Go(srv.Close)
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(closeGrace):
			for _, srv := range servers {
				srv.CloseClientConnections()
			}
			<-done
		}
	})
}

// Done is closed when Close begins.
func (s *Server) Done() <-chan struct{} { return s.closed }

// AuthURL returns the auth host's base URL, like "http://127.0.0.1:PORT".
// The token endpoint is AuthURL()+"/oauth2/v2.0/token".
func (s *Server) AuthURL() string { return s.auth.URL }

// APIURL returns the API base URL including the version, like
// "http://127.0.0.1:PORT/v1.0".
func (s *Server) APIURL() string { return s.api.URL + "/v1.0" }

// StorageURL returns the storage host's base URL, like
// "http://localhost:PORT". The host name differs from the API's on purpose.
func (s *Server) StorageURL() string { return s.storageURL }

// AdminURL returns the admin door's base URL, like "http://127.0.0.1:PORT",
// when Options.AdminAddr started one, and "" otherwise.
func (s *Server) AdminURL() string {
	if s.admin == nil {
		return ""
	}
	return s.admin.URL
}

// SetClock sets the emulator's clock, used for JWT and token expiry, the
// rate limit's window, signed URLs, bot times and every response's Date
// header, so that a test can put the emulator's clock and the client's
// apart. nil restores time.Now.
func (s *Server) SetClock(now func() time.Time) { s.clock.set(now) }
