package lineworks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

var report = lineworkstest.Attachment{
	FileName:    "報告書 2026年11月.pdf",
	ContentType: "application/pdf",
	Content:     []byte("%PDF-1.7 quarterly report"),
}

func (f *fixture) addReport() {
	f.emu.Storage.AddAttachment(testBotID, testFileID, report)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestDownloadFollowsTheRedirectWithTheToken(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	var buf bytes.Buffer
	att, err := f.client(t).DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(report.Content) {
		t.Fatalf("content = %q", buf.String())
	}
	want := Attachment{Size: int64(len(report.Content)), SHA256: sha256Hex(report.Content), ContentType: "application/pdf", FileName: "報告書 2026年11月.pdf", Method: DownloadRedirect}
	if *att != want {
		t.Fatalf("attachment = %+v\nwant         %+v", *att, want)
	}
	storage := f.emu.Requests.All()[2]
	if storage.Host != lineworkstest.HostStorage || !strings.HasPrefix(storage.Header.Get("Authorization"), "Bearer ") {
		t.Fatalf("the storage request went to %s with Authorization %t", storage.Host, storage.Header.Get("Authorization") != "")
	}
	// The Location, not the derived URL: the emulator's Location differs from it.
	if !strings.HasPrefix(storage.Path, lineworkstest.SignedPathPrefix) || storage.Status != http.StatusOK {
		t.Fatalf("the storage request went to %s (%d), want the signed Location", storage.Path, storage.Status)
	}
	if f.tokenRequests() != 1 || f.emu.Requests.Count(lineworkstest.HostAPI, "") != 1 || f.emu.Requests.Count(lineworkstest.HostStorage, "") != 1 {
		t.Fatalf("requests: %+v", f.emu.Requests.All())
	}
}

func TestDownloadFallsBackWhenTheAPIAnswers401(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	f.emu.Storage.SetAPIAnswers401(true)
	var buf bytes.Buffer
	att, err := f.client(t).DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if att.Method != DownloadFallback || buf.String() != string(report.Content) {
		t.Fatalf("method %s content %q", att.Method, buf.String())
	}
	reqs := f.emu.Requests.All()
	last := reqs[len(reqs)-1]
	if last.Path != lineworkstest.DerivedPath(testFileID) || f.emu.Requests.Count(lineworkstest.HostStorage, lineworkstest.SignedPathPrefix) != 0 {
		t.Fatalf("fallback path = %s", last.Path)
	}
	// The 401 is answered with the same token: no token is re-issued for it.
	if f.tokenRequests() != 1 {
		t.Fatalf("%d token requests, want 1", f.tokenRequests())
	}
}

func TestDownloadNeverSendsTheTokenToAForeignHost(t *testing.T) {
	var foreignCalls atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignCalls.Add(1)
	}))
	defer foreign.Close()

	for _, location := range []string{
		foreign.URL + "/steal",                      // loopback, but not a configured endpoint
		"http://apis-storage.worksmobile.com/k/x/",  // a LINE WORKS host, over plain http
		"https://worksmobile.com.evil.example/k/x/", // a look-alike domain
		"https://evil.example/k/x/",
	} {
		t.Run(location, func(t *testing.T) {
			f := newFixture(t)
			f.addReport()
			f.emu.Storage.SetRedirectLocation(location)
			var buf bytes.Buffer
			att, err := f.client(t).DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0)
			if err != nil {
				t.Fatal(err)
			}
			if att.Method != DownloadFallback || buf.String() != string(report.Content) {
				t.Fatalf("method %s", att.Method)
			}
			if !strings.Contains(f.log.text(), "WARN the attachment API redirected to a host") {
				t.Errorf("no warning logged:\n%s", f.log.text())
			}
		})
	}
	if foreignCalls.Load() != 0 {
		t.Fatalf("the foreign host was contacted %d times", foreignCalls.Load())
	}
}

// A Location that is not a URL is no reason to fail, nor to retry: the
// download falls back to the URL derived from the file ID at once, and the
// warning names the Location without its query, where a signed URL keeps
// its credential. net/http would fail the whole answer instead, quoting it
// whole, and retryablehttp retry it.
func TestDownloadFallsBackWhenTheLocationIsNotAURL(t *testing.T) {
	for _, location := range []string{
		"https://apis-storage.worksmobile.com/k/emsg/r/jp1/%zz/?expires=1&signature=s3cr3t-signature",
		"https://[::1/k/emsg/r/jp1/x/?signature=s3cr3t-signature",
		"",
	} {
		t.Run(location, func(t *testing.T) {
			f := newFixture(t)
			f.addReport()
			if location == "" {
				f.emu.Storage.SetRedirectLocation(" ") // sent as no Location at all
			} else {
				f.emu.Storage.SetRedirectLocation(location)
			}
			var buf bytes.Buffer
			att, err := f.client(t).DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0)
			if err != nil {
				t.Fatal(err)
			}
			if att.Method != DownloadFallback || buf.String() != string(report.Content) {
				t.Fatalf("method %s, %d bytes", att.Method, buf.Len())
			}
			if n := len(f.apiRequests(http.MethodGet, "/v1.0/bots/"+testBotID+"/attachments/"+testFileID)); n != 1 {
				t.Errorf("%d requests to the attachment API, want 1: nothing to retry", n)
			}
			log := f.log.text()
			if !strings.Contains(log, "WARN the attachment API redirected without a Location that is a URL") {
				t.Errorf("no warning logged:\n%s", log)
			}
			if location != "" && !strings.Contains(log, location[:strings.Index(location, "?")]) {
				t.Errorf("the warning does not name the Location:\n%s", log)
			}
			if strings.Contains(log, "s3cr3t-signature") || strings.Contains(log, "expires=") {
				t.Errorf("the log quotes the Location's query:\n%s", log)
			}
		})
	}
}

// productionClient is a client with the default endpoints, whose transport
// reaches the emulator under the service's real host names, over https.
func (f *fixture) productionClient(t *testing.T) *Client {
	return f.client(t, func(c *Config) {
		c.AuthEndpoint, c.APIEndpoint, c.StorageEndpoint = "", "", ""
		c.Transport = f.emu.Transport()
	})
}

// With the default endpoints, the Location is on a regional storage host
// (jp1-apis-storage.worksmobile.com), which the token may follow.
func TestDownloadWithTheDefaultEndpoints(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	var buf bytes.Buffer
	att, err := f.productionClient(t).DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if att.Method != DownloadRedirect || buf.String() != string(report.Content) {
		t.Fatalf("method %s, %d bytes", att.Method, buf.Len())
	}
	if f.emu.Requests.Count(lineworkstest.HostStorage, lineworkstest.SignedPathPrefix) != 1 || f.emu.Requests.Count(lineworkstest.HostStorage, "/k/emsg/r/") != 0 {
		t.Fatalf("requests %+v", f.emu.Requests.All())
	}
}

// Scripts from 2022-23 saw http:// storage URLs. The token never goes over
// plain http to a host that is not loopback: the file is fetched from the
// derived https URL instead.
func TestDownloadNeverSendsTheTokenOverPlainHTTP(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	f.emu.Storage.SetLocationStyle(lineworkstest.LocationPlainHTTP)
	var buf bytes.Buffer
	att, err := f.productionClient(t).DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if att.Method != DownloadFallback || buf.String() != string(report.Content) {
		t.Fatalf("method %s, %d bytes", att.Method, buf.Len())
	}
	// Through the emulator's transport the http Location is reachable: had
	// the client followed it, the emulator would have seen the request.
	if n := f.emu.Requests.Count(lineworkstest.HostStorage, lineworkstest.SignedPathPrefix); n != 0 {
		t.Fatalf("the plain-http Location was requested %d times", n)
	}
	reqs := f.emu.Requests.All()
	last := reqs[len(reqs)-1]
	if last.Path != lineworkstest.DerivedPath(testFileID) || !strings.HasPrefix(last.Header.Get("Authorization"), "Bearer ") || last.Status != http.StatusOK {
		t.Fatalf("last request %s %d", last.Path, last.Status)
	}
	if !strings.Contains(f.log.text(), "WARN the attachment API redirected to a host that is not LINE WORKS's nor a configured endpoint") ||
		!strings.Contains(f.log.text(), "http://apis-storage.worksmobile.com") {
		t.Errorf("no warning naming the http host:\n%s", f.log.text())
	}
}

// A signed Location that expires before the client reaches it (5 minutes,
// by the emulator's clock) is refused with 403; the derived URL still works.
func TestDownloadFallsBackWhenTheSignedURLHasExpired(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	clk := &clock{now: fixedNow}
	f.emu.SetClock(clk.Now)
	c := f.client(t, func(c *Config) {
		c.Now = clk.Now
		c.Transport = latency{clock: clk, step: 6 * time.Minute, next: http.DefaultTransport}
	})
	var buf bytes.Buffer
	att, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if att.Method != DownloadFallback || buf.String() != string(report.Content) {
		t.Fatalf("method %s", att.Method)
	}
	var statuses []int
	for _, r := range f.emu.Requests.All() {
		if r.Host == lineworkstest.HostStorage {
			statuses = append(statuses, r.Status)
		}
	}
	if fmt.Sprint(statuses) != "[403 200]" {
		t.Fatalf("storage answered %v, want the signed URL refused then the derived one served", statuses)
	}
}

func TestMayCarryToken(t *testing.T) {
	eps, err := parseEndpoints(&Config{StorageEndpoint: "http://localhost:9000", APIEndpoint: "https://api.example.test/v1.0"})
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]bool{
		"https://apis-storage.worksmobile.com/k/emsg/r/jp1/x/":     true,
		"https://jp2-apis-storage.worksmobile.com/k/emsg/r/jp1/x/": true,
		"https://storage.worksmobile.com/x":                        true,
		"https://www.worksapis.com/v1.0/x":                         true,
		"https://WORKSMOBILE.COM./x":                               true,
		"https://api.example.test/other":                           true, // a configured endpoint's host
		"http://localhost:9000/k/":                                 true, // configured, loopback
		"http://localhost:9001/k/":                                 false,
		"http://127.0.0.1:9000/k/":                                 false, // same port, other host
		"http://apis-storage.worksmobile.com/x":                    false,
		"https://api.example.test:8443/x":                          false,
		"https://example.test/x":                                   false,
		"https://worksmobile.com.evil.example/x":                   false,
		"https://evilworksmobile.com/x":                            false,
		"ftp://apis-storage.worksmobile.com/x":                     false,
	} {
		u, _ := url.Parse(raw)
		if got := eps.mayCarryToken(u); got != want {
			t.Errorf("mayCarryToken(%s) = %t, want %t", raw, got, want)
		}
	}
}

func TestParseEndpointRefusesPlainHTTPBeyondLoopback(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://auth.worksmobile.com":   true,
		"https://auth.worksmobile.com/":  true,
		"http://127.0.0.1:8080":          true,
		"http://[::1]:8080":              true,
		"http://localhost:8080":          true,
		"http://auth.worksmobile.com":    false,
		"http://10.0.0.1":                false,
		"auth.worksmobile.com":           false,
		"https://user:pw@example.com":    false,
		"https://example.com/?a=b":       false,
		"https://example.com/?":          false,
		"https://example.com/base/":      true,
		"https://example.com//base":      false,
		"https://example.com/a/../b":     false,
		"https://example.com/a/./b":      false,
		"https://example.com/a%2F..%2Fb": false,
		"https://example.com/a%2e%2e":    true, // one segment, "a..", harmless
		"https://example.com/%2e%2e":     false,
	} {
		_, err := ParseEndpoint(raw)
		if (err == nil) != ok {
			t.Errorf("ParseEndpoint(%q) err = %v", raw, err)
		}
	}
	if _, err := New(Config{AuthEndpoint: "http://auth.worksmobile.com"}); err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("New with an http endpoint: %v", err)
	}
}

func TestDownloadRetriesRateLimitedRequests(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	f.emu.Faults.RateLimitNext(2, 0)
	var buf bytes.Buffer
	if _, err := f.client(t).DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0); err != nil {
		t.Fatal(err)
	}
	if n := f.emu.Requests.Count(lineworkstest.HostAPI, ""); n != 3 {
		t.Fatalf("%d API requests, want 2 refused + 1", n)
	}
}

func TestDownloadGivesUpOnPersistentRateLimit(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	f.emu.Faults.RateLimitNext(100, 0)
	_, err := f.client(t, func(c *Config) { c.MaxRetries = 2 }).DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests || !strings.Contains(err.Error(), "rate limit") {
		t.Fatalf("err = %v", err)
	}
}

func TestBackoffHonoursTheServersWait(t *testing.T) {
	for _, tc := range []struct {
		status int
		header http.Header
		want   time.Duration
	}{
		{429, http.Header{"rateLimit-reset": {"7"}}, 7 * time.Second},
		{429, http.Header{"Ratelimit-Reset": {"0"}}, time.Second},
		{429, http.Header{"Ratelimit-Reset": {"600"}}, maxServerWait},
		{429, http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{503, http.Header{"Retry-After": {"2"}}, 2 * time.Second},
		{500, http.Header{}, time.Second},
	} {
		// Header.Get canonicalises, as net/http does for received headers.
		header := http.Header{}
		for k, v := range tc.header {
			header.Set(k, v[0])
		}
		resp := &http.Response{StatusCode: tc.status, Header: header, Body: http.NoBody}
		if got := backoff(time.Second, 30*time.Second, 0, resp); got != tc.want {
			t.Errorf("backoff(%d %v) = %v, want %v", tc.status, tc.header, got, tc.want)
		}
		resp.Body.Close()
	}
}

func TestDownloadReissuesAStaleTokenOnce(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	c := f.client(t)
	if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0); err != nil {
		t.Fatal(err)
	}
	f.emu.Auth.ExpireAccessTokens() // the API now answers 403 UNAUTHORIZED
	var buf bytes.Buffer
	if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0); err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(report.Content) || f.tokenRequests() != 2 {
		t.Fatalf("%d token requests, want 2", f.tokenRequests())
	}
}

func TestParallelDownloadsReissueAStaleTokenOnlyOnce(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	c := f.client(t)
	if _, err := c.Token(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	f.emu.Auth.ExpireAccessTokens()
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := f.tokenRequests(); n != 2 {
		t.Fatalf("%d token requests, want the first and one re-issue", n)
	}
}

func TestDownloadsRunInParallel(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	// Each storage download waits until 6 are in flight at once: serialised
	// downloads would each wait out the timeout and the high-water mark would be 1.
	f.emu.Storage.HoldDownloads(6, 20*time.Second)
	c := f.client(t)
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := f.emu.Storage.MaxConcurrentDownloads(); got != 6 {
		t.Fatalf("at most %d downloads were in flight at once, want 6", got)
	}
	if f.tokenRequests() != 1 {
		t.Fatalf("%d token requests for 6 downloads, want 1", f.tokenRequests())
	}
}

func TestDownloadWithAConfiguredToken(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	token := f.emu.Auth.IssueAccessToken(testClientID, "bot")
	c := f.client(t, func(c *Config) {
		*c = Config{AccessToken: token, APIEndpoint: c.APIEndpoint, StorageEndpoint: c.StorageEndpoint, AuthEndpoint: c.AuthEndpoint}
	})
	if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0); err != nil {
		t.Fatal(err)
	}
	if f.tokenRequests() != 0 {
		t.Fatal("a token was issued although one was configured")
	}
	f.emu.Auth.ExpireAccessTokens()
	_, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0)
	if !errors.Is(err, ErrStaticTokenRejected) || strings.Contains(err.Error(), token) {
		t.Fatalf("err = %v", err)
	}
}

func TestDownloadWithoutTheBotScope(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	_, err := f.client(t, func(c *Config) { c.Scopes = []string{"user.read"} }).DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), "bot or bot.message") {
		t.Fatalf("err = %v", err)
	}
}

func TestDownloadOfAnExpiredFileSaysSo(t *testing.T) {
	f := newFixture(t)
	_, err := f.client(t).DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0)
	var nf *AttachmentNotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), testFileID) || !strings.Contains(err.Error(), "24 hours") {
		t.Fatalf("err = %v", err)
	}
}

func TestDownloadRefusesIDsThatLeaveTheirPath(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for _, id := range []string{"../../admin", "jp1/../../x", "jp1.a/b", "jp1..x", ".jp1.x", "jp1.x.", "jp1 x", "jp1.%2e%2e", "", "jp1"} {
		if _, err := c.DownloadAttachment(context.Background(), testBotID, id, io.Discard, 0); err == nil || !strings.Contains(err.Error(), "not a LINE WORKS file ID") {
			t.Errorf("file ID %q: err = %v", id, err)
		}
	}
	for _, id := range []string{"../1", "1/2", "", "2000001?x=1"} {
		if _, err := c.DownloadAttachment(context.Background(), id, testFileID, io.Discard, 0); err == nil || !strings.Contains(err.Error(), "not a LINE WORKS bot ID") {
			t.Errorf("bot ID %q: err = %v", id, err)
		}
	}
	if n := len(f.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests were sent for invalid IDs", n)
	}
}

func TestDownloadToFileWritesAtomically(t *testing.T) {
	f := newFixture(t)
	binary := make([]byte, 256*1024)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	f.emu.Storage.AddAttachment(testBotID, testFileID, lineworkstest.Attachment{FileName: "data.bin", Content: binary})
	dir := t.TempDir()
	name := filepath.Join(dir, "new", "nested", "data.bin")

	att, err := f.client(t).DownloadAttachmentToFile(context.Background(), testBotID, testFileID, name, 0o640, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil || !bytes.Equal(got, binary) || att.SHA256 != sha256Hex(binary) {
		t.Fatalf("file differs from the attachment (err %v)", err)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", fi.Mode().Perm())
	}
	assertOnlyFiles(t, filepath.Dir(name), "data.bin")
}

func TestFailedDownloadLeavesTheExistingFileAlone(t *testing.T) {
	f := newFixture(t)
	f.emu.Storage.AddAttachment(testBotID, testFileID, lineworkstest.Attachment{FileName: "big.bin", Size: 1 << 20})
	f.emu.Storage.SetTruncateDownloads(true)
	dir := t.TempDir()
	name := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(name, []byte("previous version"), 0o600); err != nil {
		t.Fatal(err)
	}

	_, err := f.client(t).DownloadAttachmentToFile(context.Background(), testBotID, testFileID, name, 0o600, 0)
	var incomplete *IncompleteDownloadError
	if !errors.As(err, &incomplete) || incomplete.Expected != 1<<20 {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "previous version" {
		t.Fatalf("the existing file was changed to %d bytes", len(got))
	}
	assertOnlyFiles(t, dir, "big.bin")
}

func TestFailedDownloadRemovesTheDirectoriesItCreated(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	_, err := f.client(t).DownloadAttachmentToFile(context.Background(), testBotID, testFileID, filepath.Join(dir, "a", "b", "gone.bin"), 0o600, 0)
	if err == nil {
		t.Fatal("downloading a missing file succeeded")
	}
	assertOnlyFiles(t, dir)
}

func TestDownloadToADirectoryIsRefused(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	_, err := f.client(t).DownloadAttachmentToFile(context.Background(), testBotID, testFileID, t.TempDir(), 0o600, 0)
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("err = %v", err)
	}
}

func TestDownloadSizeLimit(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	size := int64(len(report.Content))
	c := f.client(t)
	if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, size); err != nil {
		t.Fatalf("a file of exactly the limit was refused: %v", err)
	}
	var tooLarge *SizeLimitError
	if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, size-1); !errors.As(err, &tooLarge) {
		t.Fatalf("err = %v", err)
	}
}

// The largest max_size there is bounds nothing, and counts right: a body
// of unannounced length (chunked) arrives whole, with its hash. Adding one
// to it once made the limit negative, and the download "succeeded" with
// zero bytes and the SHA-256 of nothing.
func TestTheLargestSizeLimitDoesNotOverflow(t *testing.T) {
	content := bytes.Repeat([]byte("chunked "), 4096)
	chunked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for chunk := range slices.Chunk(content, 1000) {
			_, _ = w.Write(chunk)
			w.(http.Flusher).Flush() // no Content-Length: chunked
		}
	}))
	defer chunked.Close()
	f := newFixture(t)
	f.addReport()
	f.emu.Storage.SetAPIAnswers401(true) // so the download goes to the storage endpoint: the chunked server
	c := f.client(t, func(c *Config) { c.StorageEndpoint = chunked.URL })
	for _, limit := range []int64{math.MaxInt64, math.MaxInt64 - 1, MaxAttachmentSize, int64(len(content))} {
		var buf bytes.Buffer
		att, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, &buf, limit)
		if err != nil {
			t.Fatalf("max size %d: %v", limit, err)
		}
		if att.Size != int64(len(content)) || att.SHA256 != sha256Hex(content) || !bytes.Equal(buf.Bytes(), content) {
			t.Fatalf("max size %d: %d bytes, SHA-256 %s", limit, att.Size, att.SHA256)
		}
	}
	var tooLarge *SizeLimitError
	if _, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, int64(len(content))-1); !errors.As(err, &tooLarge) {
		t.Fatalf("one byte over the limit, without Content-Length: %v", err)
	}
}

func TestStalledDownloadIsCutAfterTheRequestTimeout(t *testing.T) {
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		_, _ = w.Write([]byte("0123456789"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer stall.Close()
	defer stall.CloseClientConnections() // whatever the client does
	f := newFixture(t)
	f.addReport()
	f.emu.Storage.SetAPIAnswers401(true) // so the download goes to the storage endpoint: the stalling server
	c := f.client(t, func(c *Config) { c.StorageEndpoint, c.RequestTimeout = stall.URL, stallTimeout })
	var err error
	returnsWithin(t, func() { _, err = c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0) })
	var incomplete *IncompleteDownloadError
	if !errors.As(err, &incomplete) || incomplete.Received != 10 || !strings.Contains(err.Error(), "no data arrived") {
		t.Fatalf("err = %v", err)
	}
}

func TestFileNameFromContentDisposition(t *testing.T) {
	for header, want := range map[string]string{
		`attachment; filename="report.pdf"`:                                                     "report.pdf",
		`attachment; filename="fallback.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf`: "報告書.pdf",
		`attachment; filename*=UTF-8''%E5%86%99%E7%9C%9F%201.jpg`:                               "写真 1.jpg",
		`attachment; filename*=utf-8'ja'%E9%80%B1%E5%A0%B1.pdf`:                                 "週報.pdf",
		`attachment; filename="../../etc/passwd"`:                                               "passwd",
		`attachment; filename="C:\\Users\\me\\a.txt"`:                                           "a.txt",
		`attachment; filename=".."`:                                                             "",
		`attachment`:                                                                            "",
		``:                                                                                      "",
		// The forms the storage host may send besides RFC 5987.
		`attachment; filename="週報 2026.pdf"`:                    "週報 2026.pdf",
		`attachment; filename=週報.pdf`:                           "週報.pdf",
		`attachment; filename=my report.pdf`:                    "my report.pdf",
		`attachment;filename=週報.pdf;size=10`:                    "週報.pdf",
		`attachment; filename="%E9%80%B1%E5%A0%B1.pdf"`:         "週報.pdf",
		`attachment; filename=%E9%80%B1%E5%A0%B1.pdf`:           "週報.pdf",
		`attachment; filename="100%.pdf"`:                       "100%.pdf",   // not an escape: kept
		`attachment; filename="%FF%FE.pdf"`:                     "%FF%FE.pdf", // not UTF-8 once decoded: kept
		`attachment; filename="..%2F..%2Fetc%2Fpasswd"`:         "passwd",
		`attachment; filename*=UTF-8''%2E%2E%2Fx; filename="y"`: "x",
		// RFC 5987 with an escape already decoded is not decoded twice.
		`attachment; filename*=UTF-8''100%2541.pdf`: "100%41.pdf",
		// Other charsets: ISO-8859-1 decoded, the rest falls back to filename.
		`attachment; filename*=ISO-8859-1''caf%E9.txt`:                  "café.txt",
		`attachment; filename*=Shift_JIS''%8F%54.pdf; filename="x.pdf"`: "x.pdf",
		// What must never reach a file name.
		"attachment; filename=\"a\x00b\nc.pdf\"":                      "a_b_c.pdf",
		"attachment; filename=\"fdp\u202e.exe\"":                      "fdp.exe",
		`attachment; filename="report..final...pdf"`:                  "report.final.pdf",
		"attachment; filename=\"\xff\xfe.pdf\"":                       "\uFFFD.pdf", // a run of invalid bytes becomes one U+FFFD
		`attachment; filename="  spaced.pdf  "`:                       "spaced.pdf",
		`attachment; filename="` + strings.Repeat("あ", 100) + `.pdf"`: strings.Repeat("あ", 85),
	} {
		if got := fileNameFrom(header); got != want {
			t.Errorf("fileNameFrom(%s) = %q, want %q", header, got, want)
		}
	}
}

// Each Content-Disposition form the storage host may use, end to end.
func TestDownloadReadsEveryFileNameForm(t *testing.T) {
	for _, style := range []lineworkstest.DispositionStyle{
		lineworkstest.DispositionRFC6266, lineworkstest.DispositionQuotedUTF8,
		lineworkstest.DispositionUnquoted, lineworkstest.DispositionPercentEncoded,
	} {
		f := newFixture(t)
		f.addReport()
		f.emu.Storage.SetContentDisposition(style)
		att, err := f.client(t).DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0)
		if err != nil {
			t.Fatal(err)
		}
		if att.FileName != report.FileName {
			t.Errorf("style %d: file name %q, want %q", style, att.FileName, report.FileName)
		}
	}
}

func TestAttachmentURL(t *testing.T) {
	got, err := AttachmentURL(DefaultStorageEndpoint, testFileID)
	if want := "https://apis-storage.worksmobile.com/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/"; err != nil || got != want {
		t.Fatalf("AttachmentURL = %q, %v; want %q", got, err, want)
	}
	if _, err := AttachmentURL(DefaultStorageEndpoint, "jp1/../x"); err == nil {
		t.Fatal("a traversing file ID was accepted")
	}
}

func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
}

// Above pipelineThreshold the hash runs in its own goroutine; the result
// must be the same bytes and the same hash, and failures must still leave
// nothing behind.
func TestLargeDownloadsArePipelinedExactly(t *testing.T) {
	f := newFixture(t)
	big := lineworkstest.Attachment{FileName: "big.bin", Size: pipelineThreshold*2 + 12345}
	f.emu.Storage.AddAttachment(testBotID, testFileID, big)
	content, err := io.ReadAll(lineworkstest.AttachmentContent(big))
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "big.bin")
	att, err := f.client(t).DownloadAttachmentToFile(context.Background(), testBotID, testFileID, name, 0o600, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	if !bytes.Equal(got, content) || att.SHA256 != sha256Hex(content) || att.Size != big.Size {
		t.Fatalf("pipelined download differs: %d bytes, sha %s", len(got), att.SHA256)
	}

	f.emu.Storage.SetTruncateDownloads(true)
	if err := os.WriteFile(name, []byte("kept"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = f.client(t).DownloadAttachmentToFile(context.Background(), testBotID, testFileID, name, 0o600, 0)
	var incomplete *IncompleteDownloadError
	if !errors.As(err, &incomplete) {
		t.Fatalf("truncated pipelined download: err = %v", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "kept" {
		t.Fatal("a truncated download replaced the existing file")
	}
	assertOnlyFiles(t, filepath.Dir(name), "big.bin")
}

func TestCopyHashingReportsWriteErrors(t *testing.T) {
	for _, size := range []int64{1000, pipelineThreshold + 1, -1} {
		src := io.LimitReader(lineworkstest.AttachmentContent(lineworkstest.Attachment{Size: 8 << 20}), 8<<20)
		n, err := copyHashing(failingWriter{}, sha256.New(), src, size)
		if err == nil || !strings.Contains(err.Error(), "writing: disk full") || n != 0 {
			t.Errorf("size %d: n = %d, err = %v", size, n, err)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// net/http quotes the whole URL in its errors; a signed storage URL's query
// is a credential and must not reach an error message.
func TestTransportErrorsDoNotQuoteTheQuery(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close() // connections to it are now refused
	f := newFixture(t)
	f.addReport()
	f.emu.Storage.SetRedirectLocation(closedURL + "/k/emsg/r/jp1/x/?signature=s3cr3t-signature")
	c := f.client(t, func(c *Config) { c.StorageEndpoint, c.MaxRetries = closedURL, 1 })
	_, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0)
	if err == nil || !strings.Contains(err.Error(), "/k/emsg/r/jp1/x/") {
		t.Fatalf("err = %v, want the refused redirect target named", err)
	}
	if strings.Contains(err.Error(), "s3cr3t-signature") {
		t.Fatalf("the error quotes the signed query: %v", err)
	}
}

// A storage host that fails may quote the URL it was asked for in its
// error body; a signed URL's query is a credential, as in a transport
// error, and must not reach the error message either, in any encoding.
func TestStorageErrorsDoNotQuoteTheSignedQuery(t *testing.T) {
	const signature = "s3cr3t-signature+v2/x=="
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = fmt.Fprintf(w, `{"code":"INTERNAL_SERVER_ERROR","description":"could not read %s"}`, jsonEscaped(r.URL.String()))
	}))
	defer storage.Close()
	f := newFixture(t)
	f.addReport()
	f.emu.Storage.SetRedirectLocation(storage.URL + "/k/emsg/r/jp1/x/?expires=1&signature=" + url.QueryEscape(signature))
	c := f.client(t, func(c *Config) { c.StorageEndpoint, c.MaxRetries = storage.URL, 0 })
	_, err := c.DownloadAttachment(context.Background(), testBotID, testFileID, io.Discard, 0)
	if err == nil || !strings.Contains(err.Error(), "could not read /k/emsg/r/jp1/x/") {
		t.Fatalf("err = %v, want the storage host's words", err)
	}
	for _, form := range SecretForms(signature) {
		if strings.Contains(err.Error(), form) {
			t.Errorf("the error quotes the signed query as %q: %v", form, err)
		}
	}
}
