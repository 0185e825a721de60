package lineworks

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestAPIKey(t *testing.T) {
	eps := endpoints{api: mustURL(t, "https://www.worksapis.com/v1.0")}
	for _, tt := range []struct {
		method, url, want string
	}{
		{"GET", "https://www.worksapis.com/v1.0/bots", "GET bots"},
		{"GET", "https://www.worksapis.com/v1.0/bots?count=100&cursor=abc", "GET bots"},
		{"GET", "https://www.worksapis.com/v1.0/bots/2000001", "GET bots/{}"},
		{"PATCH", "https://www.worksapis.com/v1.0/bots/2000002", "PATCH bots/{}"},
		{"GET", "https://www.worksapis.com/v1.0/bots/2000001/domains", "GET bots/{}/domains"},
		{"POST", "https://www.worksapis.com/v1.0/bots/2000001/domains/10000001", "POST bots/{}/domains/{}"},
		{"POST", "https://www.worksapis.com/v1.0/bots/2000001/secret", "POST bots/{}/secret"},
		{"GET", "https://www.worksapis.com/v1.0/bots/2000001/attachments/jp1.16286.0", "GET bots/{}/attachments/{}"},
		{"PUT", "https://www.worksapis.com/v1.0/bots/2000001/richmenus/40001/image", "PUT bots/{}/richmenus/{}/image"},
		{"DELETE", "https://www.worksapis.com/v1.0/bots/2000001/users/kim%40example.com/richmenu", "DELETE bots/{}/users/{}/richmenu"},
		// Not the API endpoint: not paced.
		{"POST", "https://auth.worksmobile.com/oauth2/v2.0/token", ""},
		{"GET", "https://apis-storage.worksmobile.com/k/emsg/r/jp1/1.2/", ""},
		{"GET", "https://www.worksapis.com/v2.0/bots", ""},
		{"GET", "http://www.worksapis.com/v1.0/bots", ""},
		{"GET", "https://www.worksapis.com/v1.0", ""},
	} {
		key, ok := eps.apiKey(tt.method, mustURL(t, tt.url))
		if key != tt.want || ok != (tt.want != "") {
			t.Errorf("%s %s: %q %v, want %q", tt.method, tt.url, key, ok, tt.want)
		}
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAnnouncedBudget(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name      string
		headers   map[string]string
		ok        bool
		limit     int
		remaining int
		resetBy   time.Time
	}{
		{"every header", map[string]string{"rateLimit-limit": "240", "rateLimit-remaining": "12", "rateLimit-reset": "7", "rateLimit-used": "228"}, true, 240, 12, now.Add(7 * time.Second)},
		{"used only", map[string]string{"rateLimit-limit": "240", "rateLimit-reset": "7", "rateLimit-used": "200"}, true, 240, 40, now.Add(7 * time.Second)},
		{"used spelt as the English page does", map[string]string{"rateLimit-limit": "60", "rateLimit-reset": "30", "rateLimit-ssed": "59"}, true, 60, 1, now.Add(30 * time.Second)},
		{"over the limit", map[string]string{"rateLimit-limit": "60", "rateLimit-reset": "30", "rateLimit-used": "61"}, true, 60, 0, now.Add(30 * time.Second)},
		{"a reset as a timestamp", map[string]string{"rateLimit-limit": "60", "rateLimit-remaining": "0", "rateLimit-reset": "1795338010"}, true, 60, 0, time.Unix(1795338010, 0)},
		{"a reset past a minute is not believed", map[string]string{"rateLimit-limit": "60", "rateLimit-remaining": "0", "rateLimit-reset": "3600"}, true, 60, 0, now.Add(maxServerWait)},
		{"nothing", map[string]string{}, false, 0, 0, time.Time{}},
		{"no reset", map[string]string{"rateLimit-limit": "60", "rateLimit-remaining": "3"}, false, 0, 0, time.Time{}},
		{"no count", map[string]string{"rateLimit-limit": "60", "rateLimit-reset": "3"}, false, 0, 0, time.Time{}},
		{"garbage", map[string]string{"rateLimit-limit": "many", "rateLimit-remaining": "3", "rateLimit-reset": "3"}, false, 0, 0, time.Time{}},
	} {
		h := http.Header{}
		for k, v := range tt.headers {
			h.Set(k, v)
		}
		limit, remaining, resetBy, ok := announcedBudget(h, now)
		if ok != tt.ok || limit != tt.limit || remaining != tt.remaining || !resetBy.Equal(tt.resetBy) {
			t.Errorf("%s: %d %d %v %v, want %d %d %v %v", tt.name, limit, remaining, resetBy, ok, tt.limit, tt.remaining, tt.resetBy, tt.ok)
		}
	}
}

// newPacedFixture is a fixture whose emulator limits each API to limit
// requests a second, answers reads after 20 ms, and holds n bots; and the
// bots' IDs.
func newPacedFixture(t *testing.T, limit, n int, forms lineworkstest.AnswerForms) (*fixture, []int64) {
	t.Helper()
	f := newFixture(t)
	if err := f.emu.Forms.Set(forms); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		b, err := f.emu.Bots.Add(lineworkstest.Bot{BotName: "bot " + string(rune('a'+i)), PhotoURL: "https://example.com/b.png",
			Description: "d", Administrators: []string{admin}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.BotID)
	}
	f.emu.Faults.SetRateLimitWindow(limit, time.Second)
	f.emu.Faults.SetReadLatency(20 * time.Millisecond)
	return f, ids
}

// readAll reads every bot, parallel callers at a time, and fails on any error.
func readAll(t *testing.T, c *Client, ids []int64, parallel int) {
	t.Helper()
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, err := c.GetBot(context.Background(), id); err != nil {
				t.Errorf("bot %d: %v", id, err)
			}
		})
	}
	wg.Wait()
}

func (f *fixture) refusals() int {
	n := 0
	for _, r := range f.emu.Requests.All() {
		if r.Status == http.StatusTooManyRequests {
			n++
		}
	}
	return n
}

// Under a per-API limit, reads of many bots wait for the budget the answers
// announce instead of being refused, and say so at DEBUG.
func TestPacingDrawsNoRefusal(t *testing.T) {
	for _, tt := range []struct {
		name  string
		forms lineworkstest.AnswerForms
		strip string // a header taken out of every answer
	}{
		{"the documented headers", lineworkstest.AnswerForms{}, ""},
		// Only the used count, spelt as the English page does, says what remains.
		{"rateLimit-ssed alone", lineworkstest.AnswerForms{BudgetHeaders: lineworkstest.BudgetSsed}, "rateLimit-remaining"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const limit, bots = 4, 12
			f, ids := newPacedFixture(t, limit, bots, tt.forms)
			c := f.client(t, func(c *Config) {
				c.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
					resp, err := http.DefaultTransport.RoundTrip(r)
					if resp != nil && tt.strip != "" {
						resp.Header.Del(tt.strip)
					}
					return resp, err
				})
			})
			start := time.Now()
			readAll(t, c, ids, 10)
			if n := f.refusals(); n != 0 {
				t.Errorf("%d requests were refused (429)", n)
			}
			// Twelve reads at four a second take at least two seconds: the
			// client did wait.
			if took := time.Since(start); took < 2*time.Second {
				t.Errorf("%d reads at %d a second took only %s: the limit was not in force", bots, limit, took)
			}
			if log := f.log.text(); !strings.Contains(log, "waited for the LINE WORKS rate limit before sending map[api:GET bots/{} limit:4 waited:") {
				t.Errorf("no DEBUG line for the waits:\n%s", log)
			}
		})
	}
}

// When the answers announce nothing until a 429, or another client spends
// the same budget, refusals still happen, and are retried as before.
func TestPacingStillRetriesRefusals(t *testing.T) {
	t.Run("budget on 429s only", func(t *testing.T) {
		t.Parallel()
		f, ids := newPacedFixture(t, 4, 12, lineworkstest.AnswerForms{BudgetHeaders: lineworkstest.BudgetRefusalsOnly})
		readAll(t, f.client(t), ids, 10)
		if f.refusals() == 0 {
			t.Error("no 429 at all, yet the answers announced no budget before one")
		}
	})
	t.Run("another client spends the budget", func(t *testing.T) {
		t.Parallel()
		f, ids := newPacedFixture(t, 4, 12, lineworkstest.AnswerForms{})
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { readAll(t, f.client(t), ids, 10) })
		}
		wg.Wait()
	})
}

// A request waiting for the budget gives up when its context ends.
func TestPacingWaitRespectsTheContext(t *testing.T) {
	p := newPacer(discardLogger{})
	tk, err := p.acquire(context.Background(), "GET bots/{}", true)
	if err != nil {
		t.Fatal(err)
	}
	refused := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}}
	refused.Header.Set("rateLimit-limit", "60")
	refused.Header.Set("rateLimit-remaining", "0")
	refused.Header.Set("rateLimit-reset", "50")
	p.release(tk, refused)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := p.acquire(ctx, "GET bots/{}", true); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("acquire = %v, want the context's deadline", err)
	}
	// Another API has its own budget.
	if _, err := p.acquire(ctx, "GET bots/{}/domains", true); err != nil {
		t.Fatalf("another API: %v", err)
	}
}
