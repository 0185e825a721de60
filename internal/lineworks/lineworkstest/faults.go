package lineworkstest

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Per-minute rate limits of the API, per API and per domain, as documented.
const (
	RateLimitStandard = 240 // Standard and Advanced plans; the emulator's default
	RateLimitFree     = 60  // the Free plan
)

// rateLimiter counts API requests in one-minute windows. Each API is limited
// on its own; an "API" here is a method and a path with its IDs taken out
// (inferred: the docs do not say how APIs are told apart).
type rateLimiter struct {
	limit   int
	windows map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	used  int
}

// SetRateLimit sets how many requests per minute each API accepts before
// answering 429: RateLimitStandard (the default), RateLimitFree, or any
// other number; 0 or less turns the limit off.
func (s *Server) SetRateLimit(perMinute int) {
	s.mu.Lock()
	s.limiter.limit = perMinute
	s.limiter.windows = make(map[string]*rateWindow)
	s.mu.Unlock()
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
// its API's per-minute limit, and reports whether it did.
func (s *Server) limitRate(w http.ResponseWriter, r *http.Request) bool {
	now := s.now()
	s.mu.Lock()
	limit := s.limiter.limit
	var used, reset int
	switch {
	case s.rateLimitN > 0:
		s.rateLimitN--
		used, reset = reportedLimit(limit), s.rateLimitReset
	case limit > 0:
		key := apiKey(r)
		win := s.limiter.windows[key]
		if win == nil || !now.Before(win.start.Add(time.Minute)) {
			win = &rateWindow{start: now}
			s.limiter.windows[key] = win
		}
		win.used++ // refused requests count too (inferred)
		if win.used <= limit {
			s.mu.Unlock()
			return false
		}
		used, reset = win.used, int(math.Ceil(win.start.Add(time.Minute).Sub(now).Seconds()))
	default:
		s.mu.Unlock()
		return false
	}
	s.mu.Unlock()
	tooManyRequests(w, reportedLimit(limit), used, reset)
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
func tooManyRequests(w http.ResponseWriter, limit, used, reset int) {
	// Spelled as in the docs; header names are case-insensitive anyway.
	h := w.Header()
	h["rateLimit-limit"] = []string{strconv.Itoa(limit)}
	h["rateLimit-remaining"] = []string{strconv.Itoa(max(limit-used, 0))}
	h["rateLimit-reset"] = []string{strconv.Itoa(max(reset, 0))}
	h["rateLimit-used"] = []string{strconv.Itoa(used)}
	apiError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "API rate limit exceeded")
}

// Faults describes the failures of a busy service, injected into a share of
// the requests to the API and storage hosts (never the auth host). Which
// attempt fails is decided by Seed, the request's host, method and path, and
// how many times that request came before, so a run is repeatable whatever
// order concurrent requests arrive in.
type Faults struct {
	Seed uint64
	// TooManyRequests is the share of API requests answered 429
	// TOO_MANY_REQUESTS with the rateLimit headers, as the rate limit does.
	TooManyRequests float64
	// Reset is the rateLimit-reset, in seconds, of those 429s.
	Reset int
	// Unavailable is the share of API and storage requests answered 503.
	Unavailable float64
	// MaxInARow caps the faults one request (host, method, path) meets in a
	// row, so that a client allowed that many retries always gets through.
	// 0 means no cap.
	MaxInARow int
}

type faultInjector struct {
	on                   bool
	f                    Faults
	attempts, inARow     map[string]int
	tooMany, unavailable int
}

// InjectFaults turns fault injection on with f, or off with the zero Faults.
func (s *Server) InjectFaults(f Faults) {
	s.mu.Lock()
	s.faults = faultInjector{
		on: f.TooManyRequests > 0 || f.Unavailable > 0, f: f,
		attempts: make(map[string]int), inARow: make(map[string]int),
	}
	s.mu.Unlock()
}

// InjectedFaults returns how many 429s and 503s fault injection answered.
func (s *Server) InjectedFaults() (tooManyRequests, unavailable int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.tooMany, s.faults.unavailable
}

// injectFault answers the request with an injected fault when its turn says
// so, and reports whether it did.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, host string) bool {
	s.mu.Lock()
	fi := &s.faults
	if !fi.on {
		s.mu.Unlock()
		return false
	}
	key := host + " " + r.Method + " " + r.URL.EscapedPath()
	u := faultDraw(fi.f.Seed, key, fi.attempts[key])
	fi.attempts[key]++
	status := 0
	switch {
	case fi.f.MaxInARow > 0 && fi.inARow[key] >= fi.f.MaxInARow:
	case u < fi.f.TooManyRequests:
		if host == HostAPI { // the rate limit is the API's
			status = http.StatusTooManyRequests
			fi.tooMany++
		}
	case u < fi.f.TooManyRequests+fi.f.Unavailable:
		status = http.StatusServiceUnavailable
		fi.unavailable++
	}
	if status == 0 {
		fi.inARow[key] = 0
	} else {
		fi.inARow[key]++
	}
	limit, reset := s.limiter.limit, fi.f.Reset
	s.mu.Unlock()

	switch status {
	case http.StatusTooManyRequests:
		tooManyRequests(w, reportedLimit(limit), reportedLimit(limit), reset)
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
