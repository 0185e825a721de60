package lineworkstest

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Per-minute rate limits of the API, per API and per domain, as documented.
const (
	RateLimitStandard = 240 // Standard and Advanced plans; the emulator's default
	RateLimitFree     = 60  // the Free plan
)

// FaultInjector is what makes the emulator a busy service: the per-API
// rate limit of the API host, 429s forced on the next requests, faults
// injected into a share of requests to the API and storage hosts, and the
// time each read takes. Reach it as Server.Faults.
type FaultInjector struct {
	mu     sync.Mutex
	clock  *clock
	forms  *Forms
	closed <-chan struct{}

	limiter        rateLimiter
	rateLimitN     int
	rateLimitReset int
	faults         faultInjector
	readLatency    time.Duration
}

func newFaultInjector(c *clock, forms *Forms, closed <-chan struct{}) *FaultInjector {
	return &FaultInjector{clock: c, forms: forms, closed: closed,
		limiter: rateLimiter{limit: RateLimitStandard, window: time.Minute, windows: make(map[string]*rateWindow)}}
}

// rateLimiter counts API requests in fixed windows, each beginning with the
// first request after the last one ended (inferred: the docs say "per
// minute" and give the seconds to the reset, not where a window begins).
// Each API is limited on its own; an "API" here is a method and a path with
// its IDs taken out (inferred: the docs do not say how APIs are told apart).
type rateLimiter struct {
	limit   int
	window  time.Duration
	windows map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	used  int
}

// SetRateLimit sets how many requests per minute each API accepts before
// answering 429: RateLimitStandard (the default), RateLimitFree, or any
// other number; 0 or less turns the limit off.
func (fi *FaultInjector) SetRateLimit(perMinute int) {
	fi.SetRateLimitWindow(perMinute, time.Minute)
}

// SetRateLimitWindow sets how many requests each API accepts in a window
// of the given length before answering 429, such as 20 per 3 s: the
// service's limit scaled down so that a test meets it in seconds. 0 or less
// turns the limit off; a window of 0 or less is a minute. Counting starts
// afresh.
func (fi *FaultInjector) SetRateLimitWindow(limit int, window time.Duration) {
	if window <= 0 {
		window = time.Minute
	}
	fi.mu.Lock()
	fi.limiter.limit = limit
	fi.limiter.window = window
	fi.limiter.windows = make(map[string]*rateWindow)
	fi.mu.Unlock()
}

// RateLimit returns the limit in effect per window, 0 when off.
func (fi *FaultInjector) RateLimit() int {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return max(fi.limiter.limit, 0)
}

// RateLimitWindow returns the length of the rate limit's window.
func (fi *FaultInjector) RateLimitWindow() time.Duration {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.limiter.window
}

// SetReadLatency makes every GET (and HEAD) of the API host take d longer,
// after the rate limit counted it, as a busy service's reads do. Mutations
// take Bots.SetMutationHold's time. 0 (the default) adds nothing.
func (fi *FaultInjector) SetReadLatency(d time.Duration) {
	fi.mu.Lock()
	fi.readLatency = max(d, 0)
	fi.mu.Unlock()
}

// ReadLatency returns what SetReadLatency set.
func (fi *FaultInjector) ReadLatency() time.Duration {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.readLatency
}

// delayRead holds a read for the read latency, or until the client goes
// away or the server closes.
func (fi *FaultInjector) delayRead(r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return
	}
	d := fi.ReadLatency()
	if d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-r.Context().Done():
	case <-fi.closed:
	}
}

// RateLimitNext makes the next n API (www) requests answer 429
// TOO_MANY_REQUESTS with a rateLimit-reset of reset seconds, whatever the
// per-minute count says.
func (fi *FaultInjector) RateLimitNext(n int, reset int) {
	fi.mu.Lock()
	fi.rateLimitN = n
	fi.rateLimitReset = reset
	fi.mu.Unlock()
}

// apiKey names the API a request calls: its method and path, with every
// segment that holds a digit (an ID) replaced.
func apiKey(r *http.Request) string {
	seg := strings.Split(r.URL.EscapedPath(), "/")
	for i, s := range seg {
		if strings.ContainsAny(s, "0123456789") && s != "v1.0" {
			seg[i] = "{}"
		}
	}
	return r.Method + " " + strings.Join(seg, "/")
}

// limitRate answers 429 when RateLimitNext asked for it or the request is over
// its API's limit, and reports whether it did. A request within the limit
// gets the budget headers (under BudgetEveryAnswer and BudgetSsed), as
// the service's every answer of a rate-limited API does.
func (fi *FaultInjector) limitRate(w http.ResponseWriter, r *http.Request) bool {
	now := fi.clock.now()
	form := fi.forms.Get().BudgetHeaders
	fi.mu.Lock()
	limit := fi.limiter.limit
	var used, reset int
	switch {
	case fi.rateLimitN > 0:
		fi.rateLimitN--
		used, reset = reportedLimit(limit), fi.rateLimitReset
	case limit > 0:
		key := apiKey(r)
		win := fi.limiter.windows[key]
		if win == nil || !now.Before(win.start.Add(fi.limiter.window)) {
			win = &rateWindow{start: now}
			fi.limiter.windows[key] = win
		}
		win.used++ // refused requests count too (inferred)
		used = win.used
		// Whole seconds, rounded up, as the docs give it.
		reset = int(math.Ceil(win.start.Add(fi.limiter.window).Sub(now).Seconds()))
		if used <= limit {
			fi.mu.Unlock()
			if form != BudgetRefusalsOnly {
				budgetHeaders(w, form, limit, used, reset)
			}
			return false
		}
	default:
		fi.mu.Unlock()
		return false
	}
	fi.mu.Unlock()
	tooManyRequests(w, form, reportedLimit(limit), used, reset)
	return true
}

// reportedLimit is the rateLimit-limit a forced or injected 429 reports:
// the configured limit, or the default when counting is off.
func reportedLimit(limit int) int {
	if limit <= 0 {
		return RateLimitStandard
	}
	return limit
}

// tooManyRequests writes the documented 429: the rateLimit headers and no
// Retry-After, which the docs never mention.
func tooManyRequests(w http.ResponseWriter, form BudgetHeadersAnswer, limit, used, reset int) {
	budgetHeaders(w, form, limit, used, reset)
	apiError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "API rate limit exceeded")
}

// budgetHeaders writes the rateLimit headers: the limit, what remains of it
// and how many were used in this window, and the seconds until it resets.
func budgetHeaders(w http.ResponseWriter, form BudgetHeadersAnswer, limit, used, reset int) {
	// Spelled as in the docs; header names are case-insensitive anyway.
	h := w.Header()
	h["rateLimit-limit"] = []string{strconv.Itoa(limit)}
	h["rateLimit-remaining"] = []string{strconv.Itoa(max(limit-used, 0))}
	h["rateLimit-reset"] = []string{strconv.Itoa(max(reset, 0))}
	usedName := "rateLimit-used"
	if form == BudgetSsed {
		usedName = "rateLimit-ssed" // as the English page spells it
	}
	h[usedName] = []string{strconv.Itoa(used)}
}

// Faults describes the failures of a busy service, injected into a share of
// the requests to the API and storage hosts (never the auth host). Which
// attempt fails is decided by Seed, the request's host, method and path, and
// how many times that request came before, so a run is repeatable whatever
// order concurrent requests arrive in.
type Faults struct {
	Seed uint64 `json:"seed"`
	// TooManyRequests is the share of API requests answered 429
	// TOO_MANY_REQUESTS with the rateLimit headers, as the rate limit does.
	TooManyRequests float64 `json:"too_many_requests"`
	// Reset is the rateLimit-reset, in seconds, of those 429s.
	Reset int `json:"reset"`
	// Unavailable is the share of API and storage requests answered 503.
	Unavailable float64 `json:"unavailable"`
	// MaxInARow caps the faults one request (host, method, path) meets in a
	// row, so that a client allowed that many retries always gets through.
	// 0 means no cap.
	MaxInARow int `json:"max_in_a_row"`
	// StallAfterHeaders names the hosts (HostAuth, HostAPI, HostStorage)
	// whose every answer sends its status line and headers and then no
	// byte of its body until the client gives up or the emulator closes:
	// a server, or a proxy, that hangs half-way.
	StallAfterHeaders []string `json:"stall_after_headers,omitempty"`
}

type faultInjector struct {
	on                   bool
	f                    Faults
	attempts, inARow     map[string]int
	tooMany, unavailable int
}

// Inject turns fault injection on with f, or off with the zero Faults.
func (fi *FaultInjector) Inject(f Faults) {
	fi.mu.Lock()
	f.StallAfterHeaders = slices.Clone(f.StallAfterHeaders)
	fi.faults = faultInjector{
		on: f.TooManyRequests > 0 || f.Unavailable > 0, f: f,
		attempts: make(map[string]int), inARow: make(map[string]int),
	}
	fi.mu.Unlock()
}

// Injecting returns the faults being injected, the zero Faults when off.
func (fi *FaultInjector) Injecting() Faults {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f := fi.faults.f
	f.StallAfterHeaders = slices.Clone(f.StallAfterHeaders)
	return f
}

// Injected returns how many 429s and 503s fault injection answered.
func (fi *FaultInjector) Injected() (tooManyRequests, unavailable int) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.faults.tooMany, fi.faults.unavailable
}

// injectFault answers the request with an injected fault when its turn says
// so, and reports whether it did.
func (fi *FaultInjector) inject(w http.ResponseWriter, r *http.Request, host string) bool {
	fi.mu.Lock()
	in := &fi.faults
	if !in.on {
		fi.mu.Unlock()
		return false
	}
	key := host + " " + r.Method + " " + r.URL.EscapedPath()
	u := faultDraw(in.f.Seed, key, in.attempts[key])
	in.attempts[key]++
	status := 0
	switch {
	case in.f.MaxInARow > 0 && in.inARow[key] >= in.f.MaxInARow:
	case u < in.f.TooManyRequests:
		if host == HostAPI { // the rate limit is the API's
			status = http.StatusTooManyRequests
			in.tooMany++
		}
	case u < in.f.TooManyRequests+in.f.Unavailable:
		status = http.StatusServiceUnavailable
		in.unavailable++
	}
	if status == 0 {
		in.inARow[key] = 0
	} else {
		in.inARow[key]++
	}
	limit, reset := fi.limiter.limit, in.f.Reset
	fi.mu.Unlock()

	switch status {
	case http.StatusTooManyRequests:
		tooManyRequests(w, fi.forms.Get().BudgetHeaders, reportedLimit(limit), reportedLimit(limit), reset)
	case http.StatusServiceUnavailable:
		body := map[string]string{"code": "SERVICE_UNAVAILABLE", "description": "The service is temporarily unavailable."} // inferred
		if host == HostStorage {
			w.Header().Set("Server", "FileCloud")
		}
		writeJSON(w, status, "application/json", body)
	default:
		return false
	}
	return true
}

// faultDraw is a number in [0, 1) fixed by its arguments.
func faultDraw(seed uint64, key string, attempt int) float64 {
	h := sha256.New()
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], seed)
	binary.BigEndian.PutUint64(b[8:], uint64(attempt))
	h.Write(b[:])
	h.Write([]byte(key))
	return float64(binary.BigEndian.Uint64(h.Sum(nil))>>11) / (1 << 53)
}
