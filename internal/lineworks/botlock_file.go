package lineworks

// The per-bot lock that the provider processes of one machine share.
// Terraform runs each provider block (the default one and every alias) as a
// process of its own, side by side, so the lock in botLocks cannot keep two
// blocks from changing one bot at once, which LINE WORKS refuses (409
// CONFLICT). An advisory file lock per bot (flock on unix, LockFileEx on
// Windows, through github.com/gofrs/flock) does: the kernel releases it when
// the process that holds it ends, however it ends, so no lock outlives a
// killed process.
//
// The file is named by the API endpoint (scheme, host, port, path) and the
// bot ID, not by credentials: a provider block configured with only
// access_token does not know the client ID, and must still wait for the
// default block. The holder removes the file before it lets go, so that the
// directory does not fill with a file per bot ever changed; a waiter that
// then finds it locked a removed file starts again on the path's new one.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// lockPollInterval is how often a waiter tries a file lock held by another
// process: a file lock cannot wait for a context, so waiting is polling.
const lockPollInterval = 25 * time.Millisecond

// maxLockAttempts bounds how many times a waiter starts again on a lock file
// that was replaced while it waited: each time, another process held the bot.
const maxLockAttempts = 1000

// DefaultLockDir is the directory of the per-bot lock files when
// Config.LockDir is empty: one per user under the OS temporary directory, so
// that users of one machine never share (or block) each other's files.
func DefaultLockDir() string {
	name := "terraform-provider-lineworks"
	if uid := os.Getuid(); uid >= 0 { // -1 on Windows, whose TEMP is per user already
		name += "-" + strconv.Itoa(uid)
	}
	return filepath.Join(os.TempDir(), name)
}

// botLockPath is the lock file of botID at the client's API endpoint.
func (c *Client) botLockPath(botID int64) string {
	u := *c.eps.api
	key := strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.EscapedPath()
	sum := sha256.Sum256([]byte(key + "\x00" + strconv.FormatInt(botID, 10)))
	return filepath.Join(c.cfg.LockDir, fmt.Sprintf("bot-%d-%s.lock", botID, hex.EncodeToString(sum[:8])))
}

// lockBotFile takes botID's file lock, waiting for another process that
// holds it until ctx ends. When the file cannot be locked at all (a
// directory that cannot be written, or that other users may write, where
// one could hold the bot for good; a system without file locks) it logs why
// and returns a no-op: the in-process lock and the retry of a 409 still
// apply.
func (c *Client) lockBotFile(ctx context.Context, botID int64) (unlock func(), err error) {
	path := c.botLockPath(botID)
	if err := ownDirectory(c.cfg.LockDir); err != nil {
		c.warnNoFileLock(ctx, botID, err)
		return func() {}, nil
	}
	for attempt := 0; ; attempt++ {
		if attempt == maxLockAttempts {
			c.warnNoFileLock(ctx, botID, fmt.Errorf("the lock file %s kept being replaced", path))
			return func() {}, nil
		}
		fl := flock.New(path)
		if _, err := fl.TryLockContext(ctx, lockPollInterval); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			c.warnNoFileLock(ctx, botID, err)
			return func() {}, nil
		}
		// The previous holder may have removed the file after this one opened
		// it: only the file at the path counts.
		held, herr := fl.Stat()
		at, aerr := os.Stat(path)
		if herr == nil && aerr == nil && os.SameFile(held, at) {
			return func() {
				_ = os.Remove(path) // fails on Windows while others have it open; it then stays
				_ = fl.Unlock()
			}, nil
		}
		_ = fl.Unlock()
	}
}

func (c *Client) warnNoFileLock(ctx context.Context, botID int64, err error) {
	c.cfg.Logger.Warn(ctx, "cannot lock the LINE WORKS bot across processes; changes from other provider blocks may collide (409 CONFLICT, retried)",
		map[string]any{"bot_id": botID, "lock_dir": c.cfg.LockDir, "error": err.Error()})
}
