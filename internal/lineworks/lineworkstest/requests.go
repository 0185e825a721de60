package lineworkstest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Host names used in [Request.Host].
const (
	HostAuth    = "auth"
	HostAPI     = "api"
	HostStorage = "storage"
)

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

// RequestLog is the record of every request the emulator received, on every
// host, in arrival order: what tests count and search for secrets. Reach it
// as Server.Requests.
type RequestLog struct {
	mu       sync.Mutex
	requests []*Request
	watchers []func(Request)
	clock    *clock
}

// Watch calls f with each request once it is answered, on the request's
// goroutine: the lineworks-emulator command logs them so.
func (l *RequestLog) Watch(f func(Request)) {
	l.mu.Lock()
	l.watchers = append(l.watchers, f)
	l.mu.Unlock()
}

// All returns a copy of the recorded requests in arrival order.
func (l *RequestLog) All() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, len(l.requests))
	for i, r := range l.requests {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		if r.Form != nil {
			out[i].Form = cloneValues(r.Form)
		}
		out[i].Body = bytes.Clone(r.Body)
	}
	return out
}

// Count counts recorded requests to host ("" for any) whose path starts with
// pathPrefix.
func (l *RequestLog) Count(host, pathPrefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.requests {
		if (host == "" || r.Host == host) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// Reset forgets the recorded requests.
func (l *RequestLog) Reset() {
	l.mu.Lock()
	l.requests = nil
	l.mu.Unlock()
}

// record wraps a host's handler so that every request is recorded. The
// record is taken on arrival, to keep arrival order, and completed in a
// deferred call so that aborted responses are recorded too.
func (l *RequestLog) record(host string, h http.Handler) http.Handler {
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
		l.mu.Lock()
		l.requests = append(l.requests, rec)
		l.mu.Unlock()

		// The service's own clock, which is what a client compares its clock
		// with; net/http would send the machine's.
		w.Header().Set("Date", l.clock.now().UTC().Format(http.TimeFormat))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			l.mu.Lock()
			rec.Status = sw.statusCode()
			if host == HostAuth && r.Form != nil {
				rec.Form = cloneValues(r.Form)
			}
			done, watchers := *rec, l.watchers
			l.mu.Unlock()
			for _, f := range watchers {
				f(done)
			}
		}()
		h.ServeHTTP(sw, r)
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
