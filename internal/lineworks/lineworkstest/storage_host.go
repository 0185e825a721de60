package lineworkstest

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// storageHost serves the storage host: injected faults, then the bearer
// token (any good access token: the storage host knows no scopes), then
// downloads and uploads.
type storageHost struct {
	faults *FaultInjector
	auth   *Auth
	routes *router
}

func (h *storageHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", "FileCloud")
	if h.faults.inject(w, r, HostStorage) {
		return
	}
	if _, st := h.auth.authenticate(r); st != tokenOK {
		// Stale tokens too: only the API host has the 403 convention. The
		// forum's 401 came without WWW-Authenticate.
		storageError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Authentication failed.")
		return
	}
	h.routes.ServeHTTP(w, r)
}

// refuseStorage answers what no storage route serves.
func refuseStorage(w http.ResponseWriter, _ *http.Request, status int, allow string) {
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", allow)
		storageError(w, status, "METHOD_NOT_ALLOWED", "Method not allowed.") // inferred
		return
	}
	storageError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource was not found.")
}

// mount registers the storage host's routes: downloads by derived or signed
// path, and uploads to the URLs the attachment API handed out. The paths are
// looked up whole, as the service's are opaque.
func (s *Storage) mount(rt *router) {
	rt.handle("GET /k/emsg/{path...}", s.serveDownload)
	rt.handle("POST /k/emsg/r/{path...}", s.serveUpload)
}

// serveDownload is GET on a derived path or a signed Location.
func (s *Storage) serveDownload(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	now := s.clock.now()
	s.mu.Lock()
	a := s.byPath[path]
	signed := strings.HasPrefix(path, SignedPathPrefix)
	if signed {
		a = s.redirects[path]
	}
	if a != nil && a.gone(now) {
		a = nil
	}
	s.mu.Unlock()
	if a == nil {
		refuseStorage(w, r, http.StatusNotFound, "")
		return
	}
	if signed && !s.checkSignature(r, now) {
		storageError(w, http.StatusForbidden, "FORBIDDEN", "The signature is invalid or has expired.") // inferred
		return
	}
	s.download(w, r, a)
}

// serveUpload is POST {uploadUrl}; any other path under /k/emsg/r/ is for
// downloads only.
func (s *Storage) serveUpload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	up := s.uploads[r.URL.EscapedPath()]
	s.mu.Unlock()
	if up == nil {
		refuseStorage(w, r, http.StatusMethodNotAllowed, http.MethodGet)
		return
	}
	s.receiveUpload(w, r, up, s.clock.now())
}

func (s *Storage) download(w http.ResponseWriter, r *http.Request, a *attachment) {
	s.mu.Lock()
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	var wait chan struct{}
	if s.holdN > 0 {
		if s.inFlight >= s.holdN {
			// Enough downloads at once: release everyone waiting.
			close(s.holdCh)
			s.holdCh = make(chan struct{})
		} else {
			wait = s.holdCh
		}
	}
	timeout, truncate, style := s.holdTimeout, s.truncate, s.disposition
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	if wait != nil {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		select {
		case <-wait:
		case <-timer.C:
		case <-s.closed:
		case <-r.Context().Done():
			return
		}
	}

	size := a.size()
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Content-Disposition", contentDisposition(a.FileName, style))
	w.WriteHeader(http.StatusOK)

	body := AttachmentContent(a.Attachment)
	if truncate {
		_, _ = io.CopyN(w, body, size/2) // a client that went away is not the emulator's problem
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler) // drops the connection without logging
	}
	_, _ = io.Copy(w, body)
}

// DispositionStyle is how the storage host names a file in
// Content-Disposition, which is not documented: each style is one seen in
// the wild.
type DispositionStyle int

const (
	// DispositionRFC6266 (the default): an ASCII fallback in filename and the
	// exact UTF-8 name in filename*=UTF-8''…
	DispositionRFC6266 DispositionStyle = iota
	// DispositionQuotedUTF8: filename="…" with raw UTF-8 bytes.
	DispositionQuotedUTF8
	// DispositionUnquoted: filename=… with raw UTF-8 bytes and no quotes.
	DispositionUnquoted
	// DispositionPercentEncoded: filename="%E9%80%B1…", percent-encoded UTF-8
	// in the plain parameter, without filename*.
	DispositionPercentEncoded
)

// SetContentDisposition sets how downloads name their file.
func (s *Storage) SetContentDisposition(style DispositionStyle) {
	s.mu.Lock()
	s.disposition = style
	s.mu.Unlock()
}

func contentDisposition(name string, style DispositionStyle) string {
	if name == "" {
		return "attachment"
	}
	switch style {
	case DispositionQuotedUTF8:
		return `attachment; filename="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
	case DispositionUnquoted:
		return "attachment; filename=" + name
	case DispositionPercentEncoded:
		return `attachment; filename="` + percentEncode(name) + `"`
	}
	// As RFC 6266 recommends: an ASCII fallback for old clients, and the
	// exact UTF-8 name in filename*.
	var fallback strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			fallback.WriteByte('_')
		} else {
			fallback.WriteRune(r)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback.String(), percentEncode(name))
}

func percentEncode(name string) string {
	var encoded strings.Builder
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return encoded.String()
}

// isAttrChar reports whether b may appear unencoded in an RFC 8187 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
