package lineworkstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Attachment is a file a user sent to a bot.
type Attachment struct {
	FileName    string // sent in Content-Disposition
	ContentType string // default application/octet-stream

	// Content is the exact bytes. When nil, the file is Size bytes of
	// deterministic pseudo-random content, generated while streaming so that
	// large files cost no memory.
	Content []byte
	Size    int64
}

func (a Attachment) size() int64 {
	if a.Content != nil {
		return int64(len(a.Content))
	}
	return a.Size
}

type attachment struct {
	Attachment
	path string // escaped path on the storage host
}

// AddAttachment makes a file downloadable through the bot attachment API.
// Storage URLs do not contain the bot ID, so file IDs should be unique
// across bots, as they are in production.
func (s *Server) AddAttachment(botID, fileID string, a Attachment) {
	if a.Content != nil {
		a.Content = bytes.Clone(a.Content)
	}
	at := &attachment{Attachment: a, path: storagePath(fileID)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attachments[botID] == nil {
		s.attachments[botID] = make(map[string]*attachment)
	}
	s.attachments[botID][fileID] = at
	s.storagePath[at.path] = at
}

// DownloadURL returns the storage URL of fileID, as the attachment API's
// Location gives it (unless SetRedirectLocation overrides that).
func (s *Server) DownloadURL(fileID string) string {
	return s.storageURL + storagePath(fileID)
}

// storagePath derives the storage path from a file ID the way the forum's
// workaround does: "jp1.1628695315008671000.1628781715.0.1000001.0.0.0"
// becomes "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/".
func storagePath(fileID string) string {
	first, rest, ok := strings.Cut(fileID, ".")
	if !ok {
		// Not a real-looking file ID; keep it reachable all the same.
		return "/k/emsg/r/" + url.PathEscape(fileID) + "/"
	}
	return "/k/emsg/r/" + url.PathEscape(first) + "/" + url.PathEscape(rest) + "/"
}

// AttachmentContent returns the exact bytes the storage host sends for a.
func AttachmentContent(a Attachment) io.Reader {
	if a.Content != nil {
		return bytes.NewReader(a.Content)
	}
	// Seed from the attachment's description, so the content is the same in
	// every process without being stored anywhere.
	h := sha256.New()
	_, _ = fmt.Fprintf(h, "lineworkstest\x00%s\x00%s\x00", a.FileName, a.ContentType) // a hash never fails to write
	_ = binary.Write(h, binary.BigEndian, a.Size)
	var seed [32]byte
	h.Sum(seed[:0])
	return io.LimitReader(rand.NewChaCha8(seed), max(a.Size, 0))
}

// storageError writes an error as the storage host (server: FileCloud) does.
func storageError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, "application/json;charset=UTF-8", map[string]string{"code": code, "description": description})
}

// serveStorage serves downloads on the storage host.
func (s *Server) serveStorage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", "FileCloud")
	if _, st := s.authenticate(r); st != tokenOK {
		// Stale tokens too: only the API host has the 403 convention.
		storageError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Authentication failed.")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		storageError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed.") // inferred
		return
	}
	s.mu.Lock()
	a := s.storagePath[r.URL.EscapedPath()]
	s.mu.Unlock()
	if a == nil {
		storageError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource was not found.")
		return
	}
	s.download(w, r, a)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request, a *attachment) {
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
	timeout, truncate := s.holdTimeout, s.truncate
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
	h.Set("Content-Disposition", contentDisposition(a.FileName))
	w.WriteHeader(http.StatusOK)

	body := AttachmentContent(a.Attachment)
	if truncate {
		_, _ = io.CopyN(w, body, size/2) // a client that went away is not the emulator's problem
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler) // drops the connection without logging
	}
	_, _ = io.Copy(w, body)
}

// contentDisposition names the file as RFC 6266 recommends: an ASCII
// fallback for old clients, and the exact UTF-8 name in filename*.
func contentDisposition(name string) string {
	if name == "" {
		return "attachment"
	}
	var fallback, encoded strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			fallback.WriteByte('_')
		} else {
			fallback.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback.String(), encoded.String())
}

// isAttrChar reports whether b may appear unencoded in an RFC 8187 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
