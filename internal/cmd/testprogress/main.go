// Command testprogress runs `go test -json …` and shows a person watching
// how it goes: a line for every top-level test that passes, the whole output
// of every test that fails, a line for every package, and, whenever nothing
// else was printed for a while, a line naming the tests still running, so
// that a long package never runs silently. It exits as the command did.
//
//	go run ./internal/cmd/testprogress go test -json -race ./...
//
// `make test`, `make unit` and `make testacc` run the tests through it.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	every := flag.Duration("every", 30*time.Second, "longest silence before a line naming the tests still running")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: testprogress [-every 30s] go test -json [flags] [packages]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 || !slices.Contains(flag.Args(), "-json") {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(flag.Args(), *every, os.Stdout))
}

// run runs args, reporting on w, and returns the exit status to use.
func run(args []string, every time.Duration, w io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		return 2
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		return 2
	}
	p := newProgress(w, time.Now)
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(every / 3)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				p.heartbeat(every)
			}
		}
	}()
	p.read(out)
	close(done)
	err = cmd.Wait()
	failed := p.summary()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return max(exit.ExitCode(), 1)
	case err != nil:
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		return 2
	case failed:
		return 1
	}
	return 0
}

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail
	Test       string
	Elapsed    float64
	Output     string
}

// progress turns events into lines for a person. It is safe for the
// reading goroutine and the heartbeat to use at once.
type progress struct {
	mu        sync.Mutex
	w         io.Writer
	now       func() time.Time
	start     time.Time
	lastPrint time.Time

	running  map[string]time.Time // "pkg TestX" -> when it started
	output   map[string][]string  // "pkg TestX" -> its output and its subtests'
	pkgOut   map[string][]string  // package-level output, shown if the package fails
	passed   int
	skipped  int
	failures []string // "pkg TestX", or "pkg" for a package that failed on its own
}

func newProgress(w io.Writer, now func() time.Time) *progress {
	t := now()
	return &progress{
		w: w, now: now, start: t, lastPrint: t,
		running: map[string]time.Time{}, output: map[string][]string{}, pkgOut: map[string][]string{},
	}
}

// read handles every event of r. A line that is not JSON (from a tool in
// the pipeline) is shown as it is.
func (p *progress) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			p.print(sc.Text())
			continue
		}
		p.handle(e)
	}
}

func (p *progress) handle(e event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	top, _, _ := strings.Cut(e.Test, "/")
	key := e.Package + " " + top
	switch {
	case e.Action == "build-output":
		p.printLocked(strings.TrimSuffix(e.Output, "\n"))
	case e.Action == "build-fail":
		p.failures = append(p.failures, e.ImportPath+" (build failed)")
	case e.Test == "" && e.Action == "output":
		p.pkgOut[e.Package] = append(p.pkgOut[e.Package], e.Output)
	case e.Test == "" && (e.Action == "pass" || e.Action == "fail"):
		p.packageDone(e)
	case e.Test == "":
		// start, and skip of a package with no tests.
	case e.Action == "run" && e.Test == top:
		p.running[key] = p.now()
	case e.Action == "output":
		p.output[key] = append(p.output[key], e.Output)
	case e.Test != top:
		// A subtest ended: its lines are in its parent's output.
	case e.Action == "pass":
		p.passed++
		p.printLocked(fmt.Sprintf("--- PASS: %s (%.2fs) [%s]", e.Test, e.Elapsed, path.Base(e.Package)))
		p.forget(key)
	case e.Action == "skip":
		p.skipped++
		p.forget(key)
	case e.Action == "fail":
		p.failures = append(p.failures, key)
		p.printLocked(fmt.Sprintf("=== FAIL: %s [%s], its whole output:", e.Test, e.Package))
		p.printLocked(strings.TrimSuffix(strings.Join(p.output[key], ""), "\n"))
		p.forget(key)
	}
}

// packageDone reports a package. A failed package shows what was printed
// outside its tests (a panic, a timeout, TestMain) and the output of tests
// that never finished.
func (p *progress) packageDone(e event) {
	if e.Action == "pass" {
		p.printLocked(fmt.Sprintf("ok   %s %.1fs", e.Package, e.Elapsed))
		delete(p.pkgOut, e.Package)
		return
	}
	for _, key := range p.sortedRunning() {
		if pkg, test, _ := strings.Cut(key, " "); pkg == e.Package {
			p.failures = append(p.failures, key+" (did not finish)")
			p.printLocked(fmt.Sprintf("=== %s [%s] did not finish; its output:", test, pkg))
			p.printLocked(strings.TrimSuffix(strings.Join(p.output[key], ""), "\n"))
			p.forget(key)
		}
	}
	if !slices.ContainsFunc(p.failures, func(f string) bool { return strings.HasPrefix(f, e.Package+" ") }) {
		p.failures = append(p.failures, e.Package)
	}
	p.printLocked(strings.TrimSuffix(strings.Join(p.pkgOut[e.Package], ""), "\n"))
	p.printLocked(fmt.Sprintf("FAIL %s %.1fs", e.Package, e.Elapsed))
	delete(p.pkgOut, e.Package)
}

func (p *progress) forget(key string) {
	delete(p.running, key)
	delete(p.output, key)
}

// heartbeat names the tests still running when nothing was printed for
// every.
func (p *progress) heartbeat(every time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Sub(p.lastPrint) < every {
		return
	}
	keys := p.sortedRunning()
	if len(keys) == 0 {
		p.printLocked(fmt.Sprintf("... %s: building or starting the next package", round(now.Sub(p.start))))
		return
	}
	var names []string
	for _, key := range keys {
		pkg, test, _ := strings.Cut(key, " ")
		names = append(names, fmt.Sprintf("%s [%s] for %s", test, path.Base(pkg), round(now.Sub(p.running[key]))))
	}
	const most = 4
	if len(names) > most {
		names = append(names[:most], fmt.Sprintf("and %d more", len(names)-most))
	}
	p.printLocked(fmt.Sprintf("... %s: still running %s", round(now.Sub(p.start)), strings.Join(names, ", ")))
}

// sortedRunning is the running tests, longest-running first.
func (p *progress) sortedRunning() []string {
	keys := make([]string, 0, len(p.running))
	for k := range p.running {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := p.running[a].Compare(p.running[b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}

// summary prints the totals and the failures again, and reports whether
// anything failed.
func (p *progress) summary() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.printLocked(fmt.Sprintf("%d passed, %d skipped, %d failed in %s", p.passed, p.skipped, len(p.failures), round(p.now().Sub(p.start))))
	for _, f := range p.failures {
		p.printLocked("FAILED: " + f)
	}
	return len(p.failures) > 0
}

func (p *progress) print(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.printLocked(line)
}

func (p *progress) printLocked(line string) {
	if line == "" {
		return
	}
	_, _ = fmt.Fprintln(p.w, line) // a terminal that went away leaves nobody to tell
	p.lastPrint = p.now()
}

func round(d time.Duration) time.Duration { return d.Round(time.Second) }
