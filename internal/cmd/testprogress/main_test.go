package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A stream as `go test -json` writes it: passing, skipped, failing (with a
// subtest) and never-finishing tests in two packages.
const stream = `{"Action":"start","Package":"example.com/a"}
{"Action":"run","Package":"example.com/a","Test":"TestPasses"}
{"Action":"output","Package":"example.com/a","Test":"TestPasses","Output":"=== RUN   TestPasses\n"}
{"Action":"output","Package":"example.com/a","Test":"TestPasses","Output":"    a_test.go:9: quiet detail\n"}
{"Action":"pass","Package":"example.com/a","Test":"TestPasses","Elapsed":1.5}
{"Action":"run","Package":"example.com/a","Test":"TestSkips"}
{"Action":"skip","Package":"example.com/a","Test":"TestSkips"}
{"Action":"run","Package":"example.com/a","Test":"TestFails"}
{"Action":"output","Package":"example.com/a","Test":"TestFails","Output":"=== RUN   TestFails\n"}
{"Action":"run","Package":"example.com/a","Test":"TestFails/case"}
{"Action":"output","Package":"example.com/a","Test":"TestFails/case","Output":"    a_test.go:20: got 1, want 2\n"}
{"Action":"fail","Package":"example.com/a","Test":"TestFails/case","Elapsed":0}
{"Action":"output","Package":"example.com/a","Test":"TestFails","Output":"--- FAIL: TestFails (0.01s)\n"}
{"Action":"fail","Package":"example.com/a","Test":"TestFails","Elapsed":0.01}
{"Action":"output","Package":"example.com/a","Output":"FAIL\n"}
{"Action":"fail","Package":"example.com/a","Elapsed":2.5}
{"Action":"start","Package":"example.com/b"}
{"Action":"run","Package":"example.com/b","Test":"TestHangs"}
{"Action":"output","Package":"example.com/b","Test":"TestHangs","Output":"=== RUN   TestHangs\n"}
{"Action":"output","Package":"example.com/b","Output":"panic: test timed out after 1s\n"}
{"Action":"fail","Package":"example.com/b","Elapsed":1}
not json from another tool
`

func TestProgressShowsPassesFailuresAndWhatDidNotFinish(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, time.Now)
	p.read(strings.NewReader(stream))
	if !p.summary() {
		t.Error("summary reports no failure")
	}
	got := out.String()
	for _, want := range []string{
		"--- PASS: TestPasses (1.50s) [a]",
		"=== FAIL: TestFails [example.com/a], its whole output:\n=== RUN   TestFails\n    a_test.go:20: got 1, want 2\n--- FAIL: TestFails (0.01s)\n",
		"FAIL example.com/a 2.5s",
		"=== TestHangs [example.com/b] did not finish; its output:\n=== RUN   TestHangs\n",
		"panic: test timed out after 1s\nFAIL example.com/b 1.0s",
		"not json from another tool",
		"1 passed, 1 skipped, 2 failed in",
		"FAILED: example.com/a TestFails\nFAILED: example.com/b TestHangs (did not finish)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, quiet := range []string{"quiet detail", "TestSkips", "=== RUN   TestPasses"} {
		if strings.Contains(got, quiet) {
			t.Errorf("output shows %q, which only a failure should:\n%s", quiet, got)
		}
	}
}

func TestHeartbeatNamesTheTestsStillRunning(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := newProgress(&out, func() time.Time { return now })
	p.read(strings.NewReader(`{"Action":"run","Package":"example.com/provider","Test":"TestAccSlow"}` + "\n"))
	now = now.Add(20 * time.Second)
	p.heartbeat(30 * time.Second)
	if out.Len() != 0 {
		t.Fatalf("a line before the silence lasted: %q", out.String())
	}
	now = now.Add(15 * time.Second)
	p.heartbeat(30 * time.Second)
	if got := out.String(); got != "... 35s: still running TestAccSlow [provider] for 35s\n" {
		t.Fatalf("got %q", got)
	}
	out.Reset()
	p.heartbeat(30 * time.Second)
	if out.Len() != 0 {
		t.Fatalf("a second line right after the first: %q", out.String())
	}
}

func TestRunExitsAsTheCommandDid(t *testing.T) {
	var out bytes.Buffer
	code := run([]string{"sh", "-c", `echo '{"Action":"pass","Package":"example.com/p","Elapsed":1}'; exit 3`}, time.Minute, &out)
	if code != 3 || !strings.Contains(out.String(), "ok   example.com/p 1.0s") {
		t.Fatalf("exit %d, output %q", code, out.String())
	}
	if code := run([]string{"true"}, time.Minute, &out); code != 0 {
		t.Fatalf("exit %d for a command that succeeded", code)
	}
}
