package lineworks

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
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

// mutateBot runs a mutating call on botID while holding that bot's lock
// (withBotLock), as sendChange sends it. desc, such as "updating bot
// 2000001", begins its errors.
func (c *Client) mutateBot(ctx context.Context, botID int64, desc string, call apiCall) error {
	if err := checkBotID(botID); err != nil {
		return err
	}
	return c.withBotLock(ctx, botID, desc, func() error {
		if err := c.sendChange(ctx, botID, call); err != nil {
			return fmt.Errorf("%s: %w", desc, err)
		}
		return nil
	})
}

// withBotLock runs f while holding botID's lock, in this client and across
// the processes of this machine (botlock_file.go): for a change that takes
// several calls (reads included) that no other change to the bot may come
// between. mutateBot is the one-call case.
//
// The file lock alone would exclude this process's goroutines too (flock
// and LockFileEx lock per open file), but the in-process lock stays: it
// still holds when the file cannot be locked (lockBotFile then goes on
// without), and it hands the bot over the moment it is freed, where a
// file lock is polled; only one goroutine per bot and process polls.
func (c *Client) withBotLock(ctx context.Context, botID int64, desc string, f func() error) error {
	unlock, err := c.botLocks.lock(ctx, botID)
	if err != nil {
		return fmt.Errorf("%s: waiting for another change to the bot to finish: %w", desc, err)
	}
	defer unlock()
	unlockFile, err := c.lockBotFile(ctx, botID)
	if err != nil {
		return fmt.Errorf("%s: waiting for another process changing the bot to finish: %w", desc, err)
	}
	defer unlockFile()
	// What was read of the bot is forgotten before the change (a read in
	// flight is not kept) and after it (nor one that began meanwhile).
	c.reads.forget(botID)
	defer c.reads.forget(botID)
	return f()
}

// sendChange sends a change to botID, whose lock the caller holds. The
// call runs to its answer once sent (inflight.go), so the lock is let go
// only when the service has answered or the connection is closed. A 409
// CONFLICT (another change to the bot in progress, from elsewhere, or one
// the service is still finishing) is tried again up to MaxRetries times
// with back-off.
func (c *Client) sendChange(ctx context.Context, botID int64, call apiCall) error {
	call.write, call.finish = true, true
	var err error
	for attempt := 0; ; attempt++ {
		err = c.callAPI(ctx, call)
		if !IsConflict(err) || attempt == c.cfg.MaxRetries {
			break
		}
		wait := backoff(c.cfg.MinRetryWait, c.cfg.MaxRetryWait, attempt, nil)
		c.cfg.Logger.Debug(ctx, "LINE WORKS refused a change to the bot while another was in progress; trying again", map[string]any{"bot_id": botID, "wait": wait.String()})
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("waiting to try again after 409 CONFLICT: %w", err)
		}
	}
	var apiErr *APIError
	if IsConflict(err) && errors.As(err, &apiErr) {
		apiErr.Hint = conflictHint(c.cfg.MaxRetries)
	}
	return err
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
