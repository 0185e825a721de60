package lineworks

// Benchmarks of the attachment download path against the in-process
// emulator, and of curl doing the same two requests, for comparison:
//
//	go test -run '^$' -bench . -benchtime 3x -count 3 ./internal/lineworks/
//
// They are benchmarks, never timed tests: nothing here fails because a
// machine is slow. What they do assert is correctness (size, SHA-256, the
// redirect path was taken) and the one-token-per-client invariant.
//
// The emulator runs in this process: its CPU time competes with the client's
// and its allocations are counted in B/op and peak-heap-MiB. curl, in
// another process, only competes with the emulator.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const (
	benchClientID       = "bench-client"
	benchClientSecret   = "bench-client-secret"
	benchServiceAccount = "bench.serviceaccount@example.com"
	benchBotID          = "2000001"
	benchBigFileID      = "jp1.1628695315008671000.1628781715.0.1000001.0.0.0"
	benchBigSize        = 256 << 20

	// heapSampleInterval is how often the peak-heap sampler looks. The heap
	// only shrinks at a GC, so a peak is missed by at most what is allocated
	// in one interval.
	heapSampleInterval = 5 * time.Millisecond
)

// benchBigAttachment is generated while streaming (Content is nil), so the
// emulator never holds it in memory.
var benchBigAttachment = lineworkstest.Attachment{
	FileName:    "big.bin",
	ContentType: "application/octet-stream",
	Size:        benchBigSize,
}

// benchBigSHA256 is the expected hash of benchBigAttachment, computed once
// per process, outside any timer.
var benchBigSHA256 = sync.OnceValue(func() string {
	h := sha256.New()
	if _, err := io.Copy(h, lineworkstest.AttachmentContent(benchBigAttachment)); err != nil {
		panic(err)
	}
	return hex.EncodeToString(h.Sum(nil))
})

// newBenchServer starts an emulator with one app registered and returns it
// with a client configured for it. The client has no token yet.
func newBenchServer(b *testing.B) (*lineworkstest.Server, *Client) {
	b.Helper()
	srv := lineworkstest.NewServer()
	b.Cleanup(srv.Close)
	// Thousands of requests a minute with a long -benchtime: the per-minute
	// limit would make the benchmark measure rateLimit-reset waits.
	srv.Faults.SetRateLimit(0)
	key := lineworkstest.TestKey(0)
	srv.Auth.RegisterApp(lineworkstest.App{
		ClientID:         benchClientID,
		ClientSecret:     benchClientSecret,
		ServiceAccountID: benchServiceAccount,
		PublicKey:        &key.PublicKey,
	})
	c, err := New(Config{
		ClientID:         benchClientID,
		ClientSecret:     benchClientSecret,
		ServiceAccountID: benchServiceAccount,
		PrivateKey:       key,
		AuthEndpoint:     srv.AuthURL(),
		APIEndpoint:      srv.APIURL(),
		StorageEndpoint:  srv.StorageURL(),
	})
	if err != nil {
		b.Fatal(err)
	}
	return srv, c
}

// newBigDownloadBench prepares a 256 MiB download: emulator, client with its
// token already issued (so no iteration pays for it), expected hash.
func newBigDownloadBench(b *testing.B) (*lineworkstest.Server, *Client, string) {
	b.Helper()
	srv, c := newBenchServer(b)
	srv.Storage.AddAttachment(benchBotID, benchBigFileID, benchBigAttachment)
	if _, err := c.Token(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	return srv, c, benchBigSHA256()
}

// downloadBig is the operation being measured: DownloadAttachmentToFile of the
// 256 MiB attachment, through the API's redirect to the storage host.
func downloadBig(b *testing.B, c *Client, dst, wantSHA string) {
	b.Helper()
	att, err := c.DownloadAttachmentToFile(context.Background(), benchBotID, benchBigFileID, dst, 0o600, 0)
	if err != nil {
		b.Fatal(err)
	}
	if att.Size != benchBigSize || att.SHA256 != wantSHA || att.Method != DownloadRedirect {
		b.Fatalf("downloaded size %d, sha256 %s, method %s; want %d, %s, %s",
			att.Size, att.SHA256, att.Method, benchBigSize, wantSHA, DownloadRedirect)
	}
}

// curlSameTwoRequests does what a shell script would: ask the API for the
// redirect, then fetch the Location with the same bearer token.
type curlSameTwoRequests struct {
	curl, token, apiURL string
}

func newCurlBench(b *testing.B, srv *lineworkstest.Server) *curlSameTwoRequests {
	b.Helper()
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("curl is not on PATH")
	}
	return &curlSameTwoRequests{
		curl:   curl,
		token:  srv.Auth.IssueAccessToken(benchClientID, "bot"),
		apiURL: srv.APIURL() + "/bots/" + benchBotID + "/attachments/" + benchBigFileID,
	}
}

func (cr *curlSameTwoRequests) run(b *testing.B, dst string) {
	b.Helper()
	auth := "Authorization: Bearer " + cr.token
	loc, err := exec.Command(cr.curl, "-s", "-o", "/dev/null", "-w", "%{redirect_url}", "-H", auth, cr.apiURL).Output()
	if err != nil {
		b.Fatalf("curl (attachment API): %v", err)
	}
	if !strings.HasPrefix(string(loc), "http") {
		b.Fatalf("curl (attachment API): no redirect, got %q", loc)
	}
	if out, err := exec.Command(cr.curl, "-s", "-H", auth, "-o", dst, string(loc)).CombinedOutput(); err != nil {
		b.Fatalf("curl (storage): %v: %s", err, out)
	}
}

// checkSize fails unless name holds the whole attachment; an error answer
// from the emulator would be a few bytes of JSON.
func checkSize(b *testing.B, name string) {
	b.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	if fi.Size() != benchBigSize {
		b.Fatalf("%s has %d bytes, want %d", name, fi.Size(), benchBigSize)
	}
}

// heapObjectsMetric is live plus not-yet-swept heap objects: what the heap
// actually holds, garbage included, without stopping the world to read it.
const heapObjectsMetric = "/memory/classes/heap/objects:bytes"

func readHeapObjects() uint64 {
	s := []metrics.Sample{{Name: heapObjectsMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// heapSampler records the highest heap reading while it runs.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

// startHeapSampler collects garbage first, so that the baseline it returns
// is the live heap before the operation, then samples until stopped.
func startHeapSampler() (s *heapSampler, baseline uint64) {
	runtime.GC()
	baseline = readHeapObjects()
	s = &heapSampler{stop: make(chan struct{}), done: make(chan struct{}), peak: baseline}
	go func() {
		defer close(s.done)
		t := time.NewTicker(heapSampleInterval)
		defer t.Stop()
		for {
			s.peak = max(s.peak, readHeapObjects())
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s, baseline
}

// Stop ends sampling, takes a last reading, and returns the peak.
func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	<-s.done
	return max(s.peak, readHeapObjects())
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// BenchmarkDownloadAttachmentToFile256MiB measures the provider's download of
// a 256 MiB attachment to a file: API request, 302, storage request with the
// token, body streamed to a temporary file while hashed, fsync, rename.
//
// peak-heap-MiB is the highest heap (objects, garbage included) seen during
// a download minus the live heap just before it, maximum over iterations. It
// includes the in-process emulator's allocations, so the client alone uses
// less. The goal is to stay far below 64 MiB, i.e. a download's memory does
// not grow with the attachment's size.
func BenchmarkDownloadAttachmentToFile256MiB(b *testing.B) {
	_, c, wantSHA := newBigDownloadBench(b)
	dst := filepath.Join(b.TempDir(), "attachment.bin")
	var peak uint64
	b.SetBytes(benchBigSize)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		// Start from no file, as the curl benchmark does, so that no iteration
		// pays for unlinking the previous 256 MiB inside the timer.
		_ = os.Remove(dst)
		sampler, baseline := startHeapSampler()
		b.StartTimer()

		downloadBig(b, c, dst, wantSHA)

		b.StopTimer()
		if p := sampler.Stop(); p > baseline {
			peak = max(peak, p-baseline)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(mib(peak), "peak-heap-MiB")
}

// BenchmarkCurlSameTwoRequests256MiB is the baseline for the benchmark above:
// curl sending the same two requests to the same emulator. Like any script
// would, it neither hashes nor fsyncs; BenchmarkDownloadVsCurl256MiB also
// times curl followed by an fsync.
func BenchmarkCurlSameTwoRequests256MiB(b *testing.B) {
	srv, _ := newBenchServer(b)
	srv.Storage.AddAttachment(benchBotID, benchBigFileID, benchBigAttachment)
	cr := newCurlBench(b, srv)
	dst := filepath.Join(b.TempDir(), "attachment.bin")
	b.SetBytes(benchBigSize)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		_ = os.Remove(dst)
		b.StartTimer()

		cr.run(b, dst)

		b.StopTimer()
		checkSize(b, dst)
		b.StartTimer()
	}
}

// BenchmarkDownloadVsCurl256MiB runs the client and curl back to back in each
// iteration, against one emulator, and reports their ratio, so that the
// comparison holds within a single run on a noisy machine:
//
//   - go-MB/s: DownloadAttachmentToFile (hash, fsync, rename included);
//   - go-nosync-MB/s: DownloadAttachment into a plain file: the same
//     requests and streaming, without the fsync and rename;
//   - curl-MB/s and curl+fsync-MB/s: curl, then the same plus an fsync of
//     the file curl wrote, the durability the client provides;
//   - go/curl-time and go/curl+fsync-time: time ratios, lower is better,
//     1.2 means the client takes 20% longer.
//
// ns/op is the time of the three downloads and curl's fsync together, so no
// MB/s is printed for it.
func BenchmarkDownloadVsCurl256MiB(b *testing.B) {
	srv, c, wantSHA := newBigDownloadBench(b)
	cr := newCurlBench(b, srv)
	dir := b.TempDir()
	goDst := filepath.Join(dir, "go.bin")
	rawDst := filepath.Join(dir, "go-nosync.bin")
	curlDst := filepath.Join(dir, "curl.bin")

	var goTime, rawTime, curlTime, syncTime time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for _, f := range []string{goDst, rawDst, curlDst} {
			_ = os.Remove(f)
		}
		b.StartTimer()

		start := time.Now()
		downloadBig(b, c, goDst, wantSHA)
		goTime += time.Since(start)

		start = time.Now()
		f, err := os.Create(rawDst)
		if err != nil {
			b.Fatal(err)
		}
		att, err := c.DownloadAttachment(context.Background(), benchBotID, benchBigFileID, f, 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		rawTime += time.Since(start)
		if att.SHA256 != wantSHA {
			b.Fatalf("sha256 %s, want %s", att.SHA256, wantSHA)
		}
		// Write the unsynced file out, untimed, so that its writeback does not
		// slow down the curl download that follows.
		b.StopTimer()
		if err := syncFile(rawDst); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		start = time.Now()
		cr.run(b, curlDst)
		curlTime += time.Since(start)
		start = time.Now()
		if err := syncFile(curlDst); err != nil {
			b.Fatal(err)
		}
		syncTime += time.Since(start)

		b.StopTimer()
		checkSize(b, curlDst)
		b.StartTimer()
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 {
		return float64(benchBigSize) * float64(b.N) / 1e6 / d.Seconds()
	}
	b.ReportMetric(mbps(goTime), "go-MB/s")
	b.ReportMetric(mbps(rawTime), "go-nosync-MB/s")
	b.ReportMetric(mbps(curlTime), "curl-MB/s")
	b.ReportMetric(mbps(curlTime+syncTime), "curl+fsync-MB/s")
	b.ReportMetric(goTime.Seconds()/curlTime.Seconds(), "go/curl-time")
	b.ReportMetric(goTime.Seconds()/(curlTime+syncTime).Seconds(), "go/curl+fsync-time")
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// BenchmarkParallelReadsShareOneToken downloads small attachments from many
// goroutines through one Client, which starts without a token, as a provider
// process does, and then checks that the emulator saw exactly one token
// request: one per provider process, whatever the number of downloads.
// token-requests is that count (a total, not per op).
func BenchmarkParallelReadsShareOneToken(b *testing.B) {
	const (
		files = 32
		size  = 64 << 10
	)
	srv, c := newBenchServer(b)
	ids := make([]string, files)
	for i := range ids {
		ids[i] = fmt.Sprintf("jp1.%d.1628781715.0.1000001.0.0.0", 1628695315008671000+i)
		srv.Storage.AddAttachment(benchBotID, ids[i], lineworkstest.Attachment{FileName: fmt.Sprintf("f%d.bin", i), Size: size})
	}
	var next atomic.Int64
	b.SetBytes(size)
	b.ReportAllocs()
	b.SetParallelism(8) // 8×GOMAXPROCS goroutines, as Terraform's default parallelism of 10 would roughly give
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := ids[next.Add(1)%files]
			att, err := c.DownloadAttachment(context.Background(), benchBotID, id, io.Discard, 0)
			if err != nil {
				b.Error(err)
				return
			}
			if att.Size != size {
				b.Errorf("%s: %d bytes, want %d", id, att.Size, size)
				return
			}
		}
	})
	b.StopTimer()
	tokens := srv.Requests.Count(lineworkstest.HostAuth, tokenPath)
	b.ReportMetric(float64(tokens), "token-requests")
	if tokens != 1 {
		b.Fatalf("%d downloads made %d token requests, want exactly 1", next.Load(), tokens)
	}
}
