package lineworks

// Pacing: LINE WORKS limits each API (a method and a path shape, such as
// GET /bots/{botId}) to so many calls a minute, and announces the budget
// with every answer of a limited API: rateLimit-limit, rateLimit-remaining,
// rateLimit-reset (seconds until the window ends) and the used count
// (rateLimit-used; the English page spells it rateLimit-ssed). The pacer
// keeps that budget per API for the whole Client, which a provider process
// has one of, and holds a request back until the budget says the service
// would accept it, instead of sending it to be refused with a 429 that
// counts against the same tenant's other workspaces. A 429 still happens
// when another client spends the budget; the retry policy (retry.go)
// handles it as before, and the pacer learns from it.

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pacer holds the budgets, by API.
type pacer struct {
	mu      sync.Mutex
	budgets map[string]*budget
	now     func() time.Time
	logger  Logger
}

func newPacer(logger Logger) *pacer {
	return &pacer{budgets: map[string]*budget{}, now: time.Now, logger: logger}
}

// budget is what the pacer knows of one API's window. Until an answer has
// announced it, one read at a time finds out (the probe): a plan's reads
// come by the hundred, and a window another process has spent would refuse
// them all. Writes are not held back for it: they are few, and writes on
// different bots must not wait for each other. An API whose answers
// announce nothing is not held back at all, until a 429 does.
type budget struct {
	known, unlimited, probing bool
	limit                     int
	// least is the least the service said remains of the window, which
	// counts every answered request (and perhaps some of those in flight):
	// what the pacer may still send is least less those in flight.
	least int
	// resetBy is when the window has ended at the latest: the earliest
	// "answered at + rateLimit-reset" of the window's answers (the reset is
	// rounded up to whole seconds, and the service counted the request
	// before answering it). Zero while a window the pacer began has not
	// answered yet.
	resetBy  time.Time
	window   int // counts the windows, so that a late answer is told apart
	inFlight int
	changed  chan struct{} // closed, and replaced, when the budget changes
}

// ticket is a request let through: which API, in which window. An
// uncounted one went to an API that announces nothing.
type ticket struct {
	key            string
	window         int
	probe, counted bool
}

// acquire waits until the budget of key allows one more request, or ctx
// ends. read says the request is a GET.
func (p *pacer) acquire(ctx context.Context, key string, read bool) (ticket, error) {
	var waited time.Duration
	for {
		p.mu.Lock()
		b := p.budgets[key]
		if b == nil {
			b = &budget{changed: make(chan struct{})}
			p.budgets[key] = b
		}
		now := p.now()
		if b.known && !b.resetBy.IsZero() && !now.Before(b.resetBy) {
			// The window has ended: the next one begins with the whole limit.
			b.window, b.least, b.resetBy = b.window+1, b.limit, time.Time{}
		}
		var wait time.Duration // > 0: until the reset; 0: until the budget changes
		send := false
		switch {
		case b.unlimited:
			p.mu.Unlock()
			return ticket{key: key}, nil // not counted: nothing to count against
		case !b.known:
			send = !b.probing || !read
		case b.least-b.inFlight > 0:
			send = true
		case b.resetBy.IsZero():
			// Spent in a window no answer has dated yet: wait for one, or,
			// with nothing in flight to date it, send and let a 429 say.
			send = b.inFlight == 0
		default:
			wait = b.resetBy.Sub(now)
		}
		if send {
			t := ticket{key: key, window: b.window, probe: !b.known && read, counted: true}
			b.probing = b.probing || t.probe
			b.inFlight++
			limit := b.limit
			p.mu.Unlock()
			if waited > 0 {
				p.logger.Debug(ctx, "waited for the LINE WORKS rate limit before sending", map[string]any{"api": key, "waited": waited.String(), "limit": limit})
			}
			return t, nil
		}
		changed := b.changed
		p.mu.Unlock()

		start := time.Now()
		if err := sleepUntilChanged(ctx, changed, wait); err != nil {
			return ticket{}, err
		}
		waited += time.Since(start)
	}
}

// sleepUntilChanged returns when changed is closed, after wait (when it is
// positive), or with ctx's error when ctx ends first.
func sleepUntilChanged(ctx context.Context, changed <-chan struct{}, wait time.Duration) error {
	var timeout <-chan time.Time
	if wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-changed:
	case <-timeout:
	}
	return nil
}

// release records what the answer to t said of the budget (resp is nil
// when the request got no answer).
func (p *pacer) release(t ticket, resp *http.Response) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.budgets[t.key]
	if t.counted {
		b.inFlight--
		b.probing = b.probing && !t.probe
	}
	defer func() { close(b.changed); b.changed = make(chan struct{}) }()
	if resp == nil {
		return
	}
	limit, remaining, resetBy, ok := announcedBudget(resp.Header, p.now())
	switch {
	case !ok:
		// Nothing announced: until a 429 says otherwise, nothing to pace by.
		b.unlimited = !b.known
	case resp.StatusCode == http.StatusTooManyRequests:
		// Refused: nothing more until the window ends, whatever was thought.
		b.known, b.unlimited, b.limit = true, false, limit
		b.window, b.least, b.resetBy = b.window+1, 0, resetBy
	case !b.known || (t.window == b.window && !b.resetBy.IsZero() && resetBy.After(b.resetBy.Add(newWindowSlack))):
		// The first budget heard of, or a window the service began before
		// the pacer thought the last one over: the service's word stands.
		b.known, b.unlimited, b.limit = true, false, limit
		b.window, b.least, b.resetBy = b.window+1, remaining, resetBy
	case t.window == b.window:
		b.limit = limit
		b.least = min(b.least, remaining)
		if b.resetBy.IsZero() || resetBy.Before(b.resetBy) {
			b.resetBy = resetBy
		}
	}
	// An answer from a window that has ended says nothing of this one.
}

// newWindowSlack is how much later than the pacer's own an answer's window
// end must be to show a window the service began since: answers of one
// window differ by the rounding of rateLimit-reset (under a second) and
// their travel.
const newWindowSlack = 2 * time.Second

// announcedBudget reads the rateLimit headers of an answer received at now:
// the limit, what remains, and when the window has ended at the latest. ok
// is false when the answer announces no budget.
func announcedBudget(h http.Header, now time.Time) (limit, remaining int, resetBy time.Time, ok bool) {
	limit, errL := strconv.Atoi(h.Get("rateLimit-limit"))
	reset, okR := announcedReset(h, now)
	if errL != nil || !okR || limit <= 0 {
		return 0, 0, time.Time{}, false
	}
	remaining, err := strconv.Atoi(h.Get("rateLimit-remaining"))
	if err != nil {
		used, err := strconv.Atoi(h.Get("rateLimit-used"))
		if err != nil {
			// The English page spells it so.
			if used, err = strconv.Atoi(h.Get("rateLimit-ssed")); err != nil {
				return 0, 0, time.Time{}, false
			}
		}
		remaining = limit - used
	}
	return limit, max(remaining, 0), now.Add(reset), true
}

// announcedReset reads an answer's rateLimit-reset, received at now: how
// long until its window ends. The header gives seconds, or an epoch
// timestamp. LINE WORKS limits are per minute: a reset further off than
// maxServerWait is not believed.
func announcedReset(h http.Header, now time.Time) (time.Duration, bool) {
	s, err := strconv.ParseInt(h.Get("rateLimit-reset"), 10, 64)
	if err != nil || s < 0 {
		return 0, false
	}
	wait := time.Duration(s) * time.Second
	if s > 1_000_000_000 { // an epoch timestamp rather than a delay
		wait = time.Unix(s, 0).Sub(now)
	}
	return min(wait, maxServerWait), true
}

// apiKey names the API a request to the API endpoint calls: its method and
// its path under the endpoint, each ID (every second segment:
// bots/{botId}/domains/{domainId}) taken out. ok is false for any other
// URL (the auth and storage hosts are not paced).
func (e endpoints) apiKey(method string, u *url.URL) (key string, ok bool) {
	if !strings.EqualFold(u.Scheme, e.api.Scheme) || !strings.EqualFold(u.Host, e.api.Host) {
		return "", false
	}
	rest, found := strings.CutPrefix(u.EscapedPath(), e.api.EscapedPath()+"/")
	if !found {
		return "", false
	}
	segs := strings.Split(rest, "/")
	for i := 1; i < len(segs); i += 2 {
		segs[i] = "{}"
	}
	return method + " " + strings.Join(segs, "/"), true
}

// pacedTransport paces every request to the API endpoint, retries
// included, and reads every answer's budget.
type pacedTransport struct {
	next  http.RoundTripper
	pacer *pacer
	eps   endpoints
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	key, ok := t.eps.apiKey(req.Method, req.URL)
	if !ok {
		return t.next.RoundTrip(req)
	}
	tk, err := t.pacer.acquire(req.Context(), key, req.Method == http.MethodGet)
	if err != nil {
		if req.Body != nil {
			req.Body.Close() // a RoundTripper always closes the body
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	t.pacer.release(tk, resp)
	return resp, err
}
