package lineworkstest

import (
	"context"
	"net/http"
	"path"
	"slices"
	"strings"
)

// router routes one host's requests with http.ServeMux method-and-path
// patterns. What no pattern serves is answered in the host's own error shape
// by refuse (404, or 405 with the methods the path is served for): the
// mux's plain-text answers would tell a client it reached no LINE WORKS host.
//
// Unlike ServeMux alone, a router never redirects: a path with "." or ".."
// segments or repeated slashes is a 404, as the service resolves none of
// them, and HEAD is not served as GET. A pattern without a method serves
// every method: its handler checks the method itself.
type router struct {
	mux    *http.ServeMux
	refuse func(w http.ResponseWriter, r *http.Request, status int, allow string)
}

func newRouter(refuse func(w http.ResponseWriter, r *http.Request, status int, allow string)) *router {
	return &router{mux: http.NewServeMux(), refuse: refuse}
}

// handle registers h for pattern, such as "GET /v1.0/bots/{botId}".
func (rt *router) handle(pattern string, h http.HandlerFunc) { rt.mux.HandleFunc(pattern, h) }

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if canonicalPath(r.URL.EscapedPath()) {
		_, pattern := rt.mux.Handler(r)
		headAsGet := r.Method == http.MethodHead && strings.HasPrefix(pattern, http.MethodGet+" ")
		if pattern != "" && !headAsGet {
			rt.mux.ServeHTTP(w, r) // sets the path values Handler does not
			return
		}
		if allow := rt.allowed(r); allow != "" {
			rt.refuse(w, r, http.StatusMethodNotAllowed, allow)
			return
		}
	}
	rt.refuse(w, r, http.StatusNotFound, "")
}

// probeMethod is a method no pattern names, to learn which methods a path is
// served for from the mux's own 405.
const probeMethod = "LINEWORKSTEST-PROBE"

// allowed lists the methods r's path is served for, "" when none: ServeMux's
// Allow header without the HEAD it adds to every GET.
func (rt *router) allowed(r *http.Request) string {
	probe := r.Clone(context.Background())
	probe.Method = probeMethod
	h, pattern := rt.mux.Handler(probe)
	if pattern != "" {
		return "" // a pattern without a method: only its handler knows
	}
	cw := &captureWriter{header: http.Header{}} // h is the mux's own 404 or 405
	h.ServeHTTP(cw, probe)
	if cw.status != http.StatusMethodNotAllowed {
		return ""
	}
	methods := strings.Split(cw.header.Get("Allow"), ", ")
	methods = slices.DeleteFunc(methods, func(m string) bool { return m == http.MethodHead || m == "" })
	return strings.Join(methods, ", ")
}

// canonicalPath reports whether p is an absolute path with no "." or ".."
// segment and no repeated slash: what ServeMux would redirect elsewhere.
func canonicalPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// captureWriter keeps the status and headers of an answer, and drops its body.
type captureWriter struct {
	header http.Header
	status int
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *captureWriter) Write(p []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return len(p), nil
}
