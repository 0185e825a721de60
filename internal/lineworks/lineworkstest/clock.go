package lineworkstest

import (
	"sync"
	"time"
)

// clock is the emulator's time, shared by every component: JWT and token
// expiry, the rate limit's window, signed URLs, bot times and every answer's
// Date header follow it, so that a test can put the emulator's clock and the
// client's apart. Its lock is a leaf: the clock function runs outside it, so
// that it may itself call into the Server.
type clock struct {
	mu sync.Mutex
	f  func() time.Time
}

func newClock() *clock { return &clock{f: time.Now} }

func (c *clock) set(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	c.mu.Lock()
	c.f = now
	c.mu.Unlock()
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	f := c.f
	c.mu.Unlock()
	return f()
}
