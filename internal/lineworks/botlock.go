package lineworks

import (
	"context"
	"fmt"
	"sync"
)

// botLocks serializes mutating calls per bot ID: LINE WORKS forbids adding,
// updating or deleting a bot, or its domain registrations, in parallel for
// the same bot. Calls on different bots do not wait for each other. An entry
// lives only while someone holds or waits for it, so the map stays as small
// as the number of bots being changed right now.
type botLocks struct {
	mu sync.Mutex
	m  map[int64]*botLock
}

type botLock struct {
	sem  chan struct{} // holds one token while the bot is locked
	refs int           // holders and waiters
}

// lock waits until botID is free or ctx ends, and returns the function that
// frees it again.
func (l *botLocks) lock(ctx context.Context, botID int64) (unlock func(), err error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[int64]*botLock)
	}
	e := l.m[botID]
	if e == nil {
		e = &botLock{sem: make(chan struct{}, 1)}
		l.m[botID] = e
	}
	e.refs++
	l.mu.Unlock()

	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		l.release(botID, e)
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-e.sem
			l.release(botID, e)
		})
	}, nil
}

func (l *botLocks) release(botID int64, e *botLock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.refs--; e.refs == 0 {
		delete(l.m, botID)
	}
}

// size is the number of bots locked or waited for, for tests.
func (l *botLocks) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// mutateBot runs a mutating call on botID while holding that bot's lock, for
// the whole call including retries and a token re-issue. desc, such as
// "updating bot 2000001", begins its errors.
func (c *Client) mutateBot(ctx context.Context, botID int64, desc string, call apiCall) error {
	if err := checkBotID(botID); err != nil {
		return err
	}
	call.write = true
	return c.withBotLock(ctx, botID, desc, func() error {
		if err := c.callAPI(ctx, call); err != nil {
			return fmt.Errorf("%s: %w", desc, err)
		}
		return nil
	})
}

// withBotLock runs f while holding botID's lock: for a change that takes
// several calls (reads included) that no other change to the bot may come
// between. mutateBot is the one-call case.
func (c *Client) withBotLock(ctx context.Context, botID int64, desc string, f func() error) error {
	unlock, err := c.botLocks.lock(ctx, botID)
	if err != nil {
		return fmt.Errorf("%s: waiting for another change to the bot to finish: %w", desc, err)
	}
	defer unlock()
	// What was read of the bot is forgotten before the change (a read in
	// flight is not kept) and after it (nor one that began meanwhile).
	c.reads.forget(botID)
	defer c.reads.forget(botID)
	return f()
}
