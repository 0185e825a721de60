package lineworkstest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
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
	botID, fileID string
	path          string    // escaped derived path on the storage host
	signedPath    string    // escaped path of the attachment API's signed Location
	expires       time.Time // zero: kept for good (attachments added directly)
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

// Storage is the storage host (apis-storage.worksmobile.com) and the bot
// attachment calls of the API host that lead to it: the files users sent to
// bots, the signed download URLs the attachment API redirects to, and
// uploads. Other components look uploaded files up with File. Reach it as
// Server.Storage.
type Storage struct {
	mu     sync.Mutex
	clock  *clock
	closed <-chan struct{}
	url    string // the storage host's base URL
	apiURL string // the API's, for UploadAttachment
	bots   botRegistry
	sigKey []byte
	seq    int64 // upload counter, for unique file IDs

	attachments map[string]map[string]*attachment // bot ID -> file ID
	byPath      map[string]*attachment            // escaped derived path -> attachment
	redirects   map[string]*attachment            // escaped signed path -> attachment
	uploads     map[string]*pendingUpload         // escaped upload path -> upload

	api401        bool
	redirectTo    string
	locationStyle LocationStyle
	disposition   DispositionStyle
	truncate      bool

	holdN       int
	holdTimeout time.Duration
	holdCh      chan struct{} // closed (and replaced) whenever holdN downloads are in flight
	inFlight    int
	maxInFlight int
}

func newStorage(c *clock, storageURL, apiURL string, closed <-chan struct{}, bots botRegistry) *Storage {
	return &Storage{
		clock: c, closed: closed, url: storageURL, apiURL: apiURL, bots: bots, sigKey: randomBytes(32),
		attachments: make(map[string]map[string]*attachment),
		byPath:      make(map[string]*attachment),
		redirects:   make(map[string]*attachment),
		uploads:     make(map[string]*pendingUpload),
		holdCh:      make(chan struct{}),
	}
}

// AddAttachment makes a file downloadable through the bot attachment API,
// as if a user had sent it, for good. Storage URLs do not contain the bot
// ID, so file IDs should be unique across bots, as they are in production.
func (s *Storage) AddAttachment(botID, fileID string, a Attachment) {
	if a.Content != nil {
		a.Content = bytes.Clone(a.Content)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(botID, fileID, &attachment{Attachment: a}, time.Time{})
}

func (s *Storage) addLocked(botID, fileID string, at *attachment, expires time.Time) {
	region, _, _ := strings.Cut(fileID, ".")
	at.botID, at.fileID = botID, fileID
	at.path = DerivedPath(fileID)
	at.signedPath = SignedPathPrefix + url.PathEscape(region) + "/" + hex.EncodeToString(randomBytes(16)) + "/"
	at.expires = expires
	if s.attachments[botID] == nil {
		s.attachments[botID] = make(map[string]*attachment)
	}
	s.attachments[botID][fileID] = at
	s.byPath[at.path] = at
	s.redirects[at.signedPath] = at
}

// Upload returns the file uploaded for bot botID under fileID (POST
// /bots/{botId}/attachments, then the upload URL), while its 24 hours last.
// A file a user sent (AddAttachment) is not an upload. Read its bytes with
// AttachmentContent. Components that take a file ID, such as a rich menu's
// image, look it up here.
func (s *Storage) Upload(botID, fileID string) (Attachment, bool) {
	now := s.clock.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.attachments[botID][fileID]
	if a == nil || a.expires.IsZero() || a.gone(now) {
		return Attachment{}, false
	}
	out := a.Attachment
	out.Content = bytes.Clone(out.Content)
	return out, true
}

// DerivedURL returns the storage URL derived from fileID the way the
// forum's workaround does: the URL a client falls back to. By default the
// attachment API's Location is another URL (see SetLocationStyle).
func (s *Storage) DerivedURL(fileID string) string {
	return s.url + DerivedPath(fileID)
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
func (s *Storage) SetLocationStyle(style LocationStyle) {
	s.mu.Lock()
	s.locationStyle = style
	s.mu.Unlock()
}

// SetRedirectLocation makes the attachment API redirect to u instead of the
// storage host, whatever SetLocationStyle says. "" restores the default.
func (s *Storage) SetRedirectLocation(u string) {
	s.mu.Lock()
	s.redirectTo = u
	s.mu.Unlock()
}

// SetAPIAnswers401 makes the attachment API answer 401 UNAUTHORIZED even for
// a valid token, as reported in the community forum. Storage keeps working.
func (s *Storage) SetAPIAnswers401(on bool) {
	s.mu.Lock()
	s.api401 = on
	s.mu.Unlock()
}

// SetTruncateDownloads makes storage send the full Content-Length, half the
// body, and then drop the connection.
func (s *Storage) SetTruncateDownloads(on bool) {
	s.mu.Lock()
	s.truncate = on
	s.mu.Unlock()
}

// HoldDownloads makes each storage download wait, before sending its body,
// until n downloads are in flight at once or timeout passes. Tests use it to
// prove that downloads run in parallel without relying on timing. n <= 0
// turns holding off.
func (s *Storage) HoldDownloads(n int, timeout time.Duration) {
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
func (s *Storage) MaxConcurrentDownloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// location returns the Location the attachment API answers for a.
func (s *Storage) location(r *http.Request, a *attachment, style LocationStyle, now time.Time) string {
	region, _, _ := strings.Cut(strings.TrimPrefix(a.signedPath, SignedPathPrefix), "/")
	base := s.url
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

func (s *Storage) sign(path, expires string) string {
	m := hmac.New(sha256.New, s.sigKey)
	m.Write([]byte(path + "\n" + expires))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkSignature verifies a signed URL's query against the emulator's clock.
func (s *Storage) checkSignature(r *http.Request, now time.Time) bool {
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
