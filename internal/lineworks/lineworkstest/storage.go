package lineworkstest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"regexp"
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
	path       string    // escaped derived path on the storage host
	signedPath string    // escaped path of the attachment API's signed Location
	expires    time.Time // zero: kept for good (attachments added directly)
}

// gone reports whether an uploaded file has passed its 24 hours.
func (a *attachment) gone(now time.Time) bool {
	return !a.expires.IsZero() && !now.Before(a.expires)
}

// Paths on the storage host. The derived path is the one the forum found and
// uploads use; the signed prefix is that of the attachment API's Location,
// whose real shape is not documented (inferred: another path plus a signed
// query string, as the facts say the Location may differ).
const (
	derivedPathPrefix = "/k/emsg/r/"
	// SignedPathPrefix starts the path of every download URL the attachment
	// API's Location gives by default. Tests tell "followed the redirect"
	// from "fell back to the derived URL" by it.
	SignedPathPrefix = "/k/emsg/d/"
	// signedURLLifetime bounds a Location's validity (inferred).
	signedURLLifetime = 5 * time.Minute
	// uploadLifetime is the documented validity of a file ID and its upload URL.
	uploadLifetime = 24 * time.Hour
)

// AddAttachment makes a file downloadable through the bot attachment API,
// as if a user had sent it, for good. Storage URLs do not contain the bot
// ID, so file IDs should be unique across bots, as they are in production.
func (s *Server) AddAttachment(botID, fileID string, a Attachment) {
	if a.Content != nil {
		a.Content = bytes.Clone(a.Content)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addAttachmentLocked(botID, fileID, &attachment{Attachment: a}, time.Time{})
}

func (s *Server) addAttachmentLocked(botID, fileID string, at *attachment, expires time.Time) {
	region, _, _ := strings.Cut(fileID, ".")
	at.path = DerivedPath(fileID)
	at.signedPath = SignedPathPrefix + url.PathEscape(region) + "/" + hex.EncodeToString(randomBytes(16)) + "/"
	at.expires = expires
	if s.attachments[botID] == nil {
		s.attachments[botID] = make(map[string]*attachment)
	}
	s.attachments[botID][fileID] = at
	s.storagePath[at.path] = at
	s.redirects[at.signedPath] = at
}

// DerivedURL returns the storage URL derived from fileID the way the
// forum's workaround does: the URL a client falls back to. By default the
// attachment API's Location is another URL (see SetLocationStyle).
func (s *Server) DerivedURL(fileID string) string {
	return s.storageURL + DerivedPath(fileID)
}

// DerivedPath is the storage path derived from a file ID:
// "jp1.1628695315008671000.1628781715.0.1000001.0.0.0" becomes
// "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/".
func DerivedPath(fileID string) string {
	first, rest, ok := strings.Cut(fileID, ".")
	if !ok {
		// Not a real-looking file ID; keep it reachable all the same.
		return derivedPathPrefix + url.PathEscape(fileID) + "/"
	}
	return derivedPathPrefix + url.PathEscape(first) + "/" + url.PathEscape(rest) + "/"
}

// LocationStyle says what the attachment API's Location points to.
type LocationStyle int

const (
	// LocationSigned (the default) is another path than the derived one, with
	// a signed, expiring query string, on the storage host: what the facts
	// say the Location may be. Through Transport, the host is the file's
	// regional storage host (jp1-apis-storage.worksmobile.com for a jp1 file).
	LocationSigned LocationStyle = iota
	// LocationDerived is exactly the derived URL, as the emulator answered
	// before LocationSigned.
	LocationDerived
	// LocationPlainHTTP is the signed URL on http://apis-storage.worksmobile.com,
	// as scripts from 2022-23 saw: a client must not send its token there.
	// A client following it reaches the emulator only through Transport.
	LocationPlainHTTP
)

// SetLocationStyle sets what the attachment API's Location points to.
func (s *Server) SetLocationStyle(style LocationStyle) {
	s.mu.Lock()
	s.locationStyle = style
	s.mu.Unlock()
}

// location returns the Location the attachment API answers for a.
func (s *Server) location(r *http.Request, a *attachment, style LocationStyle, now time.Time) string {
	region, _, _ := strings.Cut(strings.TrimPrefix(a.signedPath, SignedPathPrefix), "/")
	base := s.storageURL
	if production(r) {
		base = "https://" + ProductionStorageHost
		if regionPattern.MatchString(region) {
			base = "https://" + region + "-" + ProductionStorageHost
		}
	}
	switch style {
	case LocationDerived:
		return base + a.path
	case LocationPlainHTTP:
		base = "http://" + ProductionStorageHost
	}
	expires := strconv.FormatInt(now.Add(signedURLLifetime).Unix(), 10)
	q := url.Values{"expires": {expires}, "signature": {s.sign(a.signedPath, expires)}}
	return base + a.signedPath + "?" + q.Encode()
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}[0-9]+$`)

func (s *Server) sign(path, expires string) string {
	m := hmac.New(sha256.New, s.signKey)
	m.Write([]byte(path + "\n" + expires))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkSignature verifies a signed URL's query against the emulator's clock.
func (s *Server) checkSignature(r *http.Request, now time.Time) bool {
	q := r.URL.Query()
	exp, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return false
	}
	return hmac.Equal([]byte(q.Get("signature")), []byte(s.sign(r.URL.EscapedPath(), q.Get("expires"))))
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

// serveStorage serves downloads and uploads on the storage host.
func (s *Server) serveStorage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", "FileCloud")
	if s.injectFault(w, r, HostStorage) {
		return
	}
	if _, st := s.authenticate(r); st != tokenOK {
		// Stale tokens too: only the API host has the 403 convention. The
		// forum's 401 came without WWW-Authenticate.
		storageError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Authentication failed.")
		return
	}
	path := r.URL.EscapedPath()
	now := s.now()
	s.mu.Lock()
	up := s.uploads[path]
	a := s.storagePath[path]
	signed := strings.HasPrefix(path, SignedPathPrefix)
	if signed {
		a = s.redirects[path]
	}
	if a != nil && a.gone(now) {
		a = nil
	}
	s.mu.Unlock()

	if r.Method == http.MethodPost && up != nil {
		s.receiveUpload(w, r, up, now)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		storageError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed.") // inferred
		return
	}
	if a == nil {
		storageError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource was not found.")
		return
	}
	if signed && !s.checkSignature(r, now) {
		storageError(w, http.StatusForbidden, "FORBIDDEN", "The signature is invalid or has expired.") // inferred
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
func (s *Server) SetContentDisposition(style DispositionStyle) {
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

// pendingUpload is a file ID whose upload URL was handed out.
type pendingUpload struct {
	botID, fileID, fileName string
	expires                 time.Time
	used                    bool
}

// maxUploadSize bounds an upload held in memory. The real limit is an
// Admin setting (inferred default).
const maxUploadSize = 64 << 20

// newUpload creates a file ID and its upload URL. A file ID embeds its
// creation time in nanoseconds and its expiry 86 400 s later (inferred from
// the published examples); the upload URL is the derived URL plus the name.
func (s *Server) newUpload(r *http.Request, botID, fileName string) (fileID, uploadURL string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	fileID = fmt.Sprintf("jp1.%d.%d.0.1000001.0.0.0", now.UnixNano()+s.seq, now.Add(uploadLifetime).Unix())
	path := DerivedPath(fileID) + url.PathEscape(fileName)
	s.uploads[path] = &pendingUpload{botID: botID, fileID: fileID, fileName: fileName, expires: now.Add(uploadLifetime)}
	base := s.storageURL
	if production(r) {
		base = "https://" + ProductionStorageHost
	}
	return fileID, base + path
}

// receiveUpload is POST {uploadUrl}: multipart/form-data with the file in a
// part named Filedata, as the file-upload page shows. An upload URL works once.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request, up *pendingUpload, now time.Time) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Content-Type must be multipart/form-data.") // inferred
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Malformed multipart body.") // inferred
		return
	}
	var content []byte
	var contentType string
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Malformed multipart body.") // inferred
			return
		}
		if part.FormName() != "Filedata" {
			continue
		}
		content, err = io.ReadAll(io.LimitReader(part, maxUploadSize+1))
		if err != nil {
			storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Malformed multipart body.") // inferred
			return
		}
		contentType, found = part.Header.Get("Content-Type"), true
		break
	}
	switch {
	case !found:
		storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "The file must be in a part named Filedata.") // inferred
		return
	case len(content) > maxUploadSize:
		storageError(w, http.StatusRequestEntityTooLarge, "FILE_SIZE_EXCEEDED", "The file is too large.") // inferred
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case up.used:
		storageError(w, http.StatusForbidden, "FORBIDDEN", "The upload URL has already been used.") // documented rule, inferred answer
		return
	case !now.Before(up.expires):
		storageError(w, http.StatusForbidden, "FORBIDDEN", "The upload URL has expired.") // documented rule, inferred answer
		return
	}
	up.used = true
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	s.addAttachmentLocked(up.botID, up.fileID, &attachment{Attachment: Attachment{FileName: up.fileName, ContentType: contentType, Content: content}}, up.expires)
	writeJSON(w, http.StatusOK, "application/json;charset=UTF-8", map[string]string{"fileId": up.fileID}) // inferred
}
