package lineworkstest_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestAttachmentDownload(t *testing.T) {
	s := newServer(t)
	content := []byte("%PDF-1.7 hello")
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: "報告書 1.pdf", ContentType: "application/pdf", Content: content})
	access, _ := accessToken(t, s)

	r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	derived := s.StorageURL() + "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/"
	if s.Storage.DerivedURL(fileID) != derived {
		t.Errorf("DerivedURL = %q, want %q", s.Storage.DerivedURL(fileID), derived)
	}
	// The Location is another URL than the derived one, on the storage host,
	// signed: "followed the redirect" and "fell back" differ.
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusFound || err != nil {
		t.Fatalf("got %d Location %q", r.status, r.header.Get("Location"))
	}
	if loc.Scheme+"://"+loc.Host != s.StorageURL() || !strings.HasPrefix(loc.Path, lineworkstest.SignedPathPrefix+"jp1/") ||
		loc.Query().Get("signature") == "" || loc.Query().Get("expires") == "" {
		t.Fatalf("Location %s, want a signed URL under %s on %s", loc, lineworkstest.SignedPathPrefix, s.StorageURL())
	}

	for _, u := range []string{loc.String(), derived} {
		r = get(t, noRedirect, u, access)
		if r.status != 200 || !bytes.Equal(r.raw, content) {
			t.Fatalf("%s: got %d %q", u, r.status, r.raw)
		}
		for k, v := range map[string]string{
			"Content-Type":        "application/pdf",
			"Content-Length":      fmt.Sprint(len(content)),
			"Content-Disposition": `attachment; filename="___ 1.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8%201.pdf`,
		} {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
	}

	// Following the redirect with net/http drops Authorization, because the
	// storage host name differs: the forum's 401.
	if u, _ := url.Parse(s.StorageURL()); u.Hostname() != "localhost" {
		t.Fatalf("StorageURL %s", s.StorageURL())
	}
	r = get(t, http.DefaultClient, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 401, "UNAUTHORIZED")
	if r.header.Get("Server") != "FileCloud" || r.body["description"] != "Authentication failed." {
		t.Errorf("storage 401: %v %s", r.header, r.raw)
	}
	reqs := s.Requests.All()
	last := reqs[len(reqs)-1]
	if last.Host != lineworkstest.HostStorage || last.Header.Get("Authorization") != "" || last.Status != 401 {
		t.Errorf("last request %+v", last)
	}
}

func TestAPIAnswers401(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	s.Storage.SetAPIAnswers401(true)
	r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 401, "UNAUTHORIZED")
	if r.body["description"] != "Authentication failed." {
		t.Errorf("body %s", r.raw)
	}
	if r := get(t, noRedirect, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", access); r.status != 200 {
		t.Errorf("storage: %d %s", r.status, r.raw)
	}
	s.Storage.SetAPIAnswers401(false)
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Errorf("after reset: %d %s", r.status, r.raw)
	}
}

func TestRedirectLocation(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, "file1", lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	s.Storage.SetRedirectLocation("https://evil.example/steal")
	if r := get(t, noRedirect, attachmentURL(s, botID, "file1"), access); r.header.Get("Location") != "https://evil.example/steal" {
		t.Errorf("Location %q", r.header.Get("Location"))
	}
	s.Storage.SetRedirectLocation("")
	s.Storage.SetLocationStyle(lineworkstest.LocationDerived)
	loc := s.StorageURL() + "/k/emsg/r/file1/"
	if r := get(t, noRedirect, attachmentURL(s, botID, "file1"), access); r.header.Get("Location") != loc {
		t.Errorf("Location %q, want %q", r.header.Get("Location"), loc)
	}
	if r := get(t, noRedirect, loc, access); r.status != 200 || string(r.raw) != "x" {
		t.Errorf("download: %d %q", r.status, r.raw)
	}

	s.Storage.SetLocationStyle(lineworkstest.LocationPlainHTTP)
	r := get(t, noRedirect, attachmentURL(s, botID, "file1"), access)
	if u, err := url.Parse(r.header.Get("Location")); err != nil || u.Scheme != "http" || u.Host != lineworkstest.ProductionStorageHost ||
		!strings.HasPrefix(u.Path, lineworkstest.SignedPathPrefix) || u.Query().Get("signature") == "" {
		t.Errorf("plain http Location %q", r.header.Get("Location"))
	}
}

// A signed Location works until it expires, by the emulator's clock, and
// only as signed; the derived URL keeps working.
func TestSignedLocation(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access := s.Auth.IssueAccessToken(clientID)
	loc, err := url.Parse(get(t, noRedirect, attachmentURL(s, botID, fileID), access).header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, noRedirect, loc.String(), ""); r.status != 401 {
		t.Errorf("signed URL without the token: %d", r.status)
	}
	tampered := *loc
	q := tampered.Query()
	q.Set("expires", fmt.Sprint(fixedNow.Add(time.Hour).Unix()))
	tampered.RawQuery = q.Encode()
	unsigned := *loc
	unsigned.RawQuery = ""
	for _, u := range []*url.URL{&tampered, &unsigned} {
		if r := get(t, noRedirect, u.String(), access); r.status != 403 || r.body["code"] != "FORBIDDEN" {
			t.Errorf("%s: %d %s", u, r.status, r.raw)
		}
	}
	mu.Lock()
	now = now.Add(5 * time.Minute)
	mu.Unlock()
	if r := get(t, noRedirect, loc.String(), access); r.status != 403 {
		t.Errorf("expired signed URL: %d", r.status)
	}
	if r := get(t, noRedirect, s.Storage.DerivedURL(fileID), access); r.status != 200 {
		t.Errorf("derived URL: %d", r.status)
	}
}

func TestContentDispositionStyles(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{FileName: `週報 "1".pdf`, Content: []byte("x")})
	access := s.Auth.IssueAccessToken(clientID)
	for style, want := range map[lineworkstest.DispositionStyle]string{
		lineworkstest.DispositionRFC6266:        `attachment; filename="__ _1_.pdf"; filename*=UTF-8''%E9%80%B1%E5%A0%B1%20%221%22.pdf`,
		lineworkstest.DispositionQuotedUTF8:     `attachment; filename="週報 \"1\".pdf"`,
		lineworkstest.DispositionUnquoted:       `attachment; filename=週報 "1".pdf`,
		lineworkstest.DispositionPercentEncoded: `attachment; filename="%E9%80%B1%E5%A0%B1%20%221%22.pdf"`,
	} {
		s.Storage.SetContentDisposition(style)
		if got := get(t, noRedirect, s.Storage.DerivedURL(fileID), access).header.Get("Content-Disposition"); got != want {
			t.Errorf("style %d: %s, want %s", style, got, want)
		}
	}
}

func TestStorageErrors(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	base := s.StorageURL() + "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/"
	for _, tt := range []struct {
		name, url, token string
		status           int
	}{
		{"no token", base, "", 401},
		{"bad token", base, "nope", 401},
		{"unknown file", s.StorageURL() + "/k/emsg/r/jp1/2.0/", access, 404},
		{"no trailing slash", strings.TrimSuffix(base, "/"), access, 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, noRedirect, tt.url, tt.token)
			if r.status != tt.status || r.header.Get("Server") != "FileCloud" {
				t.Errorf("got %d %v %s", r.status, r.header, r.raw)
			}
		})
	}
}

func TestGeneratedContent(t *testing.T) {
	a := lineworkstest.Attachment{FileName: "big.bin", Size: 1<<20 + 3}
	h := func(a lineworkstest.Attachment) [32]byte {
		b, err := io.ReadAll(lineworkstest.AttachmentContent(a))
		if err != nil || int64(len(b)) != a.Size {
			t.Fatalf("read %d, %v", len(b), err)
		}
		return sha256.Sum256(b)
	}
	if first, second := h(a), h(a); first != second {
		t.Error("content is not deterministic")
	}
	b := a
	b.FileName = "other.bin"
	if h(a) == h(b) {
		t.Error("different attachments have the same content")
	}
}

// A 256 MiB attachment streams without being held in memory.
func TestLargeDownload(t *testing.T) {
	if testing.Short() {
		t.Skip("large download")
	}
	s := newServer(t)
	a := lineworkstest.Attachment{FileName: "big.bin", Size: 256 << 20}
	s.Storage.AddAttachment(botID, fileID, a)
	access, _ := accessToken(t, s)

	want := sha256.New()
	if _, err := io.Copy(want, lineworkstest.AttachmentContent(a)); err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	req, _ := http.NewRequest(http.MethodGet, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := sha256.New()
	n, err := io.CopyBuffer(got, resp.Body, make([]byte, 64<<10))
	if err != nil || n != a.Size || resp.ContentLength != a.Size {
		t.Fatalf("copied %d of %d (Content-Length %d): %v", n, a.Size, resp.ContentLength, err)
	}
	runtime.ReadMemStats(&after)
	if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Error("content differs from AttachmentContent")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("download allocated %d MiB", alloc>>20)
	}
}

func TestTruncateDownloads(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Size: 1 << 20})
	access, _ := accessToken(t, s)
	s.Storage.SetTruncateDownloads(true)
	req, _ := http.NewRequest(http.MethodGet, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if resp.ContentLength != 1<<20 || n != 1<<19 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Content-Length %d, read %d, err %v", resp.ContentLength, n, err)
	}
}

func TestHoldDownloads(t *testing.T) {
	s := newServer(t)
	access, _ := accessToken(t, s)
	const n = 4
	for i := range n {
		s.Storage.AddAttachment(botID, fmt.Sprintf("jp1.%d", i), lineworkstest.Attachment{Size: 1000})
	}
	// A generous timeout: the test passes only if the barrier, not the timer, releases.
	s.Storage.HoldDownloads(n, time.Minute)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := fetch(http.DefaultClient, newGet(fmt.Sprintf("%s/k/emsg/r/jp1/%d/", s.StorageURL(), i), access))
			if err != nil || r.status != 200 || len(r.raw) != 1000 {
				t.Errorf("download %d: %d %v", i, r.status, err)
			}
		})
	}
	wg.Wait()
	if got := s.Storage.MaxConcurrentDownloads(); got != n {
		t.Errorf("MaxConcurrentDownloads = %d, want %d", got, n)
	}
	if time.Since(start) > 30*time.Second {
		t.Error("downloads were released by the timeout")
	}

	// A lone download waits for the timeout only.
	s.Storage.HoldDownloads(n, 10*time.Millisecond)
	if r := get(t, http.DefaultClient, s.StorageURL()+"/k/emsg/r/jp1/0/", access); r.status != 200 {
		t.Errorf("lone download: %d", r.status)
	}
}
