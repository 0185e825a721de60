package lineworkstest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestRateLimit(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access, _ := accessToken(t, s)
	s.Faults.RateLimitNext(2, 7)
	for range 2 {
		r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
		wantAPIError(t, r, 429, "TOO_MANY_REQUESTS")
		wantRateLimitHeaders(t, r, "240", "7", "240")
	}
	// Rate limiting is for the API host only.
	s.Faults.RateLimitNext(1, 7)
	accessToken(t, s)
	if r := get(t, noRedirect, s.StorageURL()+"/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/", access); r.status != 200 {
		t.Errorf("storage: %d", r.status)
	}
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), access), 429, "TOO_MANY_REQUESTS")
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Errorf("after the limit: %d", r.status)
	}
}

// steppedClock sets the emulator's clock to fixedNow, moved on only by the
// function it returns.
func steppedClock(s *lineworkstest.Server) (advance func(time.Duration)) {
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	return func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
}

// wantRateLimitHeaders checks a 429: nothing remains of the limit.
func wantRateLimitHeaders(t *testing.T, r reply, limit, reset, used string) {
	t.Helper()
	for k, v := range map[string]string{"rateLimit-limit": limit, "rateLimit-remaining": "0", "rateLimit-reset": reset, "rateLimit-used": used} {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// The docs mention no Retry-After: a client must read rateLimit-reset.
	if r.header.Get("Retry-After") != "" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	if r.body["description"] != "API rate limit exceeded" {
		t.Errorf("body %s", r.raw)
	}
}

// The per-minute limit counts each API on its own, in windows of the
// emulator's clock; the Free plan allows 60.
func TestRateLimitPerMinute(t *testing.T) {
	s := newServer(t)
	advance := steppedClock(s)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	s.Storage.AddAttachment(botID, "jp1.2", lineworkstest.Attachment{Content: []byte("y")})
	access := s.Auth.IssueAccessToken(clientID)
	s.Faults.SetRateLimit(lineworkstest.RateLimitFree)

	for i := range lineworkstest.RateLimitFree {
		// Another file ID is the same API.
		file := []string{fileID, "jp1.2"}[i%2]
		if r := get(t, noRedirect, attachmentURL(s, botID, file), access); r.status != 302 {
			t.Fatalf("request %d: %d %s", i+1, r.status, r.raw)
		}
	}
	advance(45 * time.Second)
	r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 429, "TOO_MANY_REQUESTS")
	wantRateLimitHeaders(t, r, "60", "15", "61")

	// Another API has its own count.
	if r := get(t, noRedirect, s.APIURL()+"/bots/"+botID+"/attachments", access); r.status == 429 {
		t.Errorf("another API was limited: %s", r.raw)
	}
	advance(15 * time.Second)
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Errorf("after the window: %d %s", r.status, r.raw)
	}

	s.Faults.SetRateLimit(0)
	for range 2 * lineworkstest.RateLimitStandard {
		if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
			t.Fatalf("without a limit: %d", r.status)
		}
	}
}

// A limit scaled down to a window of seconds counts the same way, and every
// answer of a limited API carries its budget (the documented form), spelt
// as the form in effect says; refused requests count too.
func TestRateLimitWindowAndBudgetHeaders(t *testing.T) {
	s := newServer(t)
	advance := steppedClock(s)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access := s.Auth.IssueAccessToken(clientID)
	s.Faults.SetRateLimitWindow(3, 2*time.Second)
	if s.Faults.RateLimit() != 3 || s.Faults.RateLimitWindow() != 2*time.Second {
		t.Fatalf("limit %d per %s", s.Faults.RateLimit(), s.Faults.RateLimitWindow())
	}

	for i, want := range []struct{ remaining, reset, used string }{{"2", "2", "1"}, {"1", "2", "2"}, {"0", "1", "3"}} {
		r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
		if r.status != 302 {
			t.Fatalf("request %d: %d %s", i+1, r.status, r.raw)
		}
		for k, v := range map[string]string{"rateLimit-limit": "3", "rateLimit-remaining": want.remaining, "rateLimit-reset": want.reset, "rateLimit-used": want.used} {
			if got := r.header.Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i+1, k, got, v)
			}
		}
		advance(600 * time.Millisecond) // the reset rounds up: 2 s, 1.4 → 2, 0.8 → 1
	}
	r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 429, "TOO_MANY_REQUESTS")
	wantRateLimitHeaders(t, r, "3", "1", "4")
	advance(200 * time.Millisecond) // the window began 2 s ago
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 || r.header.Get("rateLimit-remaining") != "2" {
		t.Fatalf("a new window: %d, remaining %q", r.status, r.header.Get("rateLimit-remaining"))
	}

	setForms(t, s, lineworkstest.AnswerForms{BudgetHeaders: lineworkstest.BudgetSsed})
	r = get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	if r.header.Get("rateLimit-ssed") != "2" || r.header.Get("rateLimit-used") != "" || r.header.Get("rateLimit-remaining") != "1" {
		t.Errorf("ssed form: %v", r.header)
	}
	setForms(t, s, lineworkstest.AnswerForms{BudgetHeaders: lineworkstest.BudgetRefusalsOnly})
	r = get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	if r.status != 302 || r.header.Get("rateLimit-limit") != "" || r.header.Get("rateLimit-remaining") != "" {
		t.Errorf("refusals-only form, within the limit: %d %v", r.status, r.header)
	}
	r = get(t, noRedirect, attachmentURL(s, botID, fileID), access)
	wantAPIError(t, r, 429, "TOO_MANY_REQUESTS")
	wantRateLimitHeaders(t, r, "3", "2", "4")

	// Without a limit there is no budget to announce.
	s.Faults.SetRateLimit(0)
	setForms(t, s, lineworkstest.AnswerForms{})
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.header.Get("rateLimit-limit") != "" {
		t.Errorf("no limit, yet %v", r.header)
	}
}

// Reads take the read latency, after the rate limit counted them;
// mutations do not (they take the mutation hold).
func TestReadLatency(t *testing.T) {
	s := newServer(t)
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	access := s.Auth.IssueAccessToken(clientID)
	s.Faults.SetReadLatency(150 * time.Millisecond)
	if s.Faults.ReadLatency() != 150*time.Millisecond {
		t.Fatalf("read latency %s", s.Faults.ReadLatency())
	}
	start := time.Now()
	if r := get(t, noRedirect, attachmentURL(s, botID, fileID), access); r.status != 302 {
		t.Fatalf("read: %d", r.status)
	}
	if took := time.Since(start); took < 150*time.Millisecond {
		t.Errorf("a read took %s, less than the latency", took)
	}
	s.Faults.SetReadLatency(time.Hour)
	s.Bots.SetMutationHold(0)
	start = time.Now()
	req := newGet(s.APIURL()+"/bots/"+botID+"/secret", access)
	req.Method = "POST"
	do(t, noRedirect, req)
	if took := time.Since(start); took > 30*time.Minute {
		t.Errorf("a mutation waited for the read latency: %s", took)
	}
	// Closing the server releases a held read.
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = fetch(noRedirect, newGet(attachmentURL(s, botID, fileID), access))
	}()
	waitFor(t, "the read to arrive", func() bool { return s.Requests.Count(lineworkstest.HostAPI, "") > 2 })
	s.Close()
	<-done
}

// Faults are injected where the seed says, the same in every run, never on
// the auth host, and never more than MaxInARow in a row for one request.
func TestInjectFaults(t *testing.T) {
	run := func(seed uint64) []int {
		s := newServer(t)
		s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
		access := s.Auth.IssueAccessToken(clientID)
		s.Faults.Inject(lineworkstest.Faults{Seed: seed, TooManyRequests: 0.3, Unavailable: 0.3, Reset: 2, MaxInARow: 2})
		var statuses []int
		inARow := 0
		for range 60 {
			r := get(t, noRedirect, attachmentURL(s, botID, fileID), access)
			statuses = append(statuses, r.status)
			switch r.status {
			case 302:
				inARow = 0
			case 429:
				inARow++
				wantRateLimitHeaders(t, r, "240", "2", "240")
			case 503:
				inARow++
				wantAPIError(t, r, 503, "SERVICE_UNAVAILABLE")
			default:
				t.Fatalf("status %d", r.status)
			}
			if inARow > 2 {
				t.Fatalf("%d faults in a row", inARow)
			}
			if r := get(t, noRedirect, s.Storage.DerivedURL(fileID), access); r.status == 429 {
				t.Fatal("429 on the storage host")
			}
		}
		if r := postForm(t, tokenURL(s), jwtForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), appClaims(time.Now())))); r.status != 200 {
			t.Fatalf("token endpoint: %d", r.status)
		}
		tooMany, unavailable := s.Faults.Injected()
		if tooMany == 0 || unavailable == 0 {
			t.Fatalf("injected %d 429s and %d 503s", tooMany, unavailable)
		}
		return statuses
	}
	first, again, other := run(7), run(7), run(8)
	if fmt.Sprint(first) != fmt.Sprint(again) {
		t.Errorf("seed 7 gave\n%v\nthen\n%v", first, again)
	}
	if fmt.Sprint(first) == fmt.Sprint(other) {
		t.Error("seeds 7 and 8 gave the same faults")
	}
}
