package lineworks

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// faultyReads is the fault-injection run: reads attachment downloads through
// one client, with parallel callers as Terraform has, against an emulator
// that answers 10 % of API requests 429 (with rateLimit-reset) and 10 % of
// API and storage requests 503, never more in a row than the client's
// retries. Files are put on the emulator with the upload call, as a bot user
// would. It checks every read's bytes, one token request, and at the
// emulator, that no request was retried more than MaxRetries times.
type faultyReads struct {
	reads, parallel int
	seed            uint64
	// Called around the reads, for a benchmark's timer.
	onReadsStart, onReadsEnd func()
	// Filled by run.
	tooMany, unavailable, retries int
}

func (fr *faultyReads) run(tb testing.TB) {
	tb.Helper()
	f := newFixture(tb)
	// The injected faults are the only 429s here: the per-minute limit has its own test.
	f.emu.Faults.SetRateLimit(0)
	seedTestBot(tb, f)
	botToken := f.emu.Auth.IssueAccessToken(testClientID, "bot")
	ids := make([]string, fr.reads)
	contents := make([][]byte, fr.reads)
	for i := range ids {
		contents[i] = bytes.Repeat([]byte(fmt.Sprintf("file %d of the load test\n", i)), 64+i)
		id, err := f.emu.Storage.UploadAttachment(botToken, testBotID, fmt.Sprintf("報告書 %03d.pdf", i), "application/pdf", contents[i])
		if err != nil {
			tb.Fatal(err)
		}
		ids[i] = id
	}
	f.emu.Requests.Reset()
	const maxRetries = DefaultMaxRetries
	f.emu.Faults.Inject(lineworkstest.Faults{Seed: fr.seed, TooManyRequests: 0.10, Reset: 0, Unavailable: 0.10, MaxInARow: maxRetries})
	c := f.client(tb, func(c *Config) { c.MaxRetries = maxRetries })

	if fr.onReadsStart != nil {
		fr.onReadsStart()
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range fr.parallel {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < fr.reads; i = int(next.Add(1)) - 1 {
				var buf bytes.Buffer
				att, err := c.DownloadAttachment(context.Background(), testBotID, ids[i], &buf, 0)
				if err != nil {
					tb.Errorf("read %d: %v", i, err)
					continue
				}
				if !bytes.Equal(buf.Bytes(), contents[i]) || att.SHA256 != sha256Hex(contents[i]) || att.Method != DownloadRedirect {
					tb.Errorf("read %d: %d bytes by %s, want %d by redirect", i, buf.Len(), att.Method, len(contents[i]))
				}
			}
		})
	}
	wg.Wait()
	if fr.onReadsEnd != nil {
		fr.onReadsEnd()
	}

	if n := f.tokenRequests(); n != 1 {
		tb.Errorf("%d token requests, want exactly 1", n)
	}
	attempts := map[string]int{}
	for _, r := range f.emu.Requests.All() {
		if r.Host != lineworkstest.HostAuth {
			attempts[r.Host+" "+r.Method+" "+r.Path]++
		}
	}
	for req, n := range attempts {
		if n-1 > maxRetries {
			tb.Errorf("%s was sent %d times: %d retries, more than max_retries (%d)", req, n, n-1, maxRetries)
		}
		fr.retries += n - 1
	}
	if want := 2 * fr.reads; len(attempts) != want {
		tb.Errorf("%d distinct requests, want %d: one API request and one storage request per read", len(attempts), want)
	}
	fr.tooMany, fr.unavailable = f.emu.Faults.Injected()
}

func TestFaultsUnderLoad(t *testing.T) {
	fr := &faultyReads{reads: 200, parallel: 10, seed: 1}
	fr.run(t)
	// About 10 % each of some 480 requests; the seed makes it exact, the
	// bounds keep the test meaningful if the request pattern changes.
	if fr.tooMany < 10 || fr.unavailable < 20 {
		t.Fatalf("only %d 429s and %d 503s were injected", fr.tooMany, fr.unavailable)
	}
	if fr.retries != fr.tooMany+fr.unavailable {
		t.Fatalf("%d retries for %d injected faults", fr.retries, fr.tooMany+fr.unavailable)
	}
	t.Logf("%d reads: %d 429s and %d 503s injected, %d retries", fr.reads, fr.tooMany, fr.unavailable, fr.retries)
}

// BenchmarkFaultInjection200Reads times the fault-injection run: 200 reads
// through one client, 10 parallel callers, 10 % 429 and 10 % 503, retry
// waits of 1 to 10 ms (rateLimit-reset 0), uploads excluded.
func BenchmarkFaultInjection200Reads(b *testing.B) {
	var faults, retries int
	for i := range b.N {
		b.StopTimer()
		fr := &faultyReads{reads: 200, parallel: 10, seed: uint64(i + 1)}
		// run uploads first; only the reads are timed.
		fr.runTimed(b)
		faults += fr.tooMany + fr.unavailable
		retries += fr.retries
	}
	b.ReportMetric(float64(faults)/float64(b.N), "faults/op")
	b.ReportMetric(float64(retries)/float64(b.N), "retries/op")
}

// runTimed is run with the benchmark timer on for the reads only.
func (fr *faultyReads) runTimed(b *testing.B) {
	b.Helper()
	fr.onReadsStart, fr.onReadsEnd = b.StartTimer, b.StopTimer
	fr.run(b)
}

// clock is a fake clock shared by the client and the emulator.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// latency is a transport on which every API and storage request takes a
// while by the fake clock: time passes between a token check and the
// request's arrival. Token requests take none, so the client's idea of a
// token's expiry is exact and only its margin protects it.
type latency struct {
	clock    *clock
	step     time.Duration
	authHost string
	next     http.RoundTripper
}

func (l latency) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != l.authHost {
		l.clock.advance(l.step)
	}
	return l.next.RoundTrip(req)
}

// A long run with short-lived tokens: every API and storage request takes
// 45 s by the shared clock (longer than the expiry margin, less than the
// time a read takes) and some are retried after 429 or 503, so tokens expire
// between reads, between the requests of one read, and while a request waits
// to be retried. The client must replace a token before each use, never send
// it stale, and still reuse each token for as long as it may.
func TestTokenExpiringDuringALongRunIsNeverSentStale(t *testing.T) {
	f := newFixture(t)
	const ttl = 10 * time.Minute
	f.emu.Auth.RegisterApp(lineworkstest.App{ClientID: "short-lived", ClientSecret: "short-secret", ServiceAccountID: testAccount,
		PublicKey: &lineworkstest.TestKey(0).PublicKey, AccessTokenTTL: ttl})
	clk := &clock{now: fixedNow}
	f.emu.SetClock(clk.Now)
	seedTestBot(t, f)
	botToken := f.emu.Auth.IssueAccessToken(testClientID, "bot")
	const reads = 200
	ids := make([]string, reads)
	for i := range ids {
		id, err := f.emu.Storage.UploadAttachment(botToken, testBotID, fmt.Sprintf("%d.txt", i), "text/plain", []byte(fmt.Sprint(i)))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	f.emu.Faults.Inject(lineworkstest.Faults{Seed: 3, TooManyRequests: 0.15, Unavailable: 0.15, MaxInARow: DefaultMaxRetries})
	authURL, _ := url.Parse(f.emu.AuthURL())
	c := f.client(t, func(c *Config) {
		c.ClientID, c.ClientSecret, c.Now = "short-lived", "short-secret", clk.Now
		c.Transport = latency{clock: clk, step: 45 * time.Second, authHost: authURL.Host, next: http.DefaultTransport}
	})
	start := clk.Now()
	for i, id := range ids {
		var buf bytes.Buffer
		if _, err := c.DownloadAttachment(context.Background(), testBotID, id, &buf, 0); err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if buf.String() != fmt.Sprint(i) {
			t.Fatalf("read %d: %q", i, buf.String())
		}
	}
	elapsed := clk.Now().Sub(start)
	if n := f.emu.Auth.ExpiredTokenRequests(); n != 0 {
		t.Fatalf("%d requests carried an expired token", n)
	}
	// Each token serves about its lifetime less the margin; a client that
	// re-issued per read, or never, would be far off.
	tokens := f.tokenRequests()
	if lo, hi := int(elapsed/ttl), 2*int(elapsed/(ttl-expiryMargin))+1; tokens < lo || tokens > hi {
		t.Fatalf("%d token requests over %v of %v tokens, want %d to %d", tokens, elapsed, ttl, lo, hi)
	}
	t.Logf("%d reads over %v by the emulator's clock: %d tokens of %v, none sent stale", reads, elapsed, tokens, ttl)
}
