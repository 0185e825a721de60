package lineworks

// Retiring a bot secret. LINE WORKS cannot revoke one, but issuing a new
// secret stops the previous one, so a secret is retired by issuing another
// and discarding it, unless a newer one was issued since, which the
// retiring would kill. Which is the newest is recorded per bot in a file
// every provider process of the machine shares (each provider block of a
// Terraform run is a process of its own), read and written under the bot's
// lock (botlock.go), which they share too.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// IssuedSecret is a bot secret just issued, and the mark of that issue.
type IssuedSecret struct {
	Secret string
	// Issue tells this issue from every other of the bot's secrets: hand it
	// to RetireBotSecret to retire this secret.
	Issue string
	// IssuedAt is when it was issued, by this machine's clock.
	IssuedAt time.Time
}

// secretRecord is the file's content: the last secret issued for a bot from
// this machine. It holds no secret.
type secretRecord struct {
	Issue    string    `json:"issue"`
	IssuedAt time.Time `json:"issued_at"`
}

// IssueRecordedBotSecret issues a new bot secret, as IssueBotSecret does,
// and records it as the bot's newest, under the bot's lock.
func (c *Client) IssueRecordedBotSecret(ctx context.Context, botID int64) (*IssuedSecret, error) {
	var issued *IssuedSecret
	err := c.withSecretRecord(ctx, botID, issueSecretDesc(botID), func(_ *secretRecord, write func(secretRecord)) error {
		secret, err := c.issueBotSecretLocked(ctx, botID)
		if err != nil {
			return err
		}
		issued = &IssuedSecret{Secret: secret, Issue: newIssueMark(), IssuedAt: c.cfg.Now()}
		write(secretRecord{Issue: issued.Issue, IssuedAt: issued.IssuedAt})
		return nil
	})
	return issued, err
}

// RetireBotSecret stops the secret issued as issue (issued at issuedAt;
// issue may be "" for a secret whose mark is unknown) from working, by
// issuing a new secret and discarding it: nobody ever holds that one, and
// it is neither logged nor kept. It reports whether it did. It does not
// when a newer secret was issued for the bot since, from this machine
// (create_before_destroy, or another resource or provider block): that one
// already stopped the old, and retiring would stop it too. A bot that no
// longer exists has no secret to retire.
//
// Secrets issued elsewhere (the Developer Console, another machine) leave
// no record here: retiring then stops them too.
func (c *Client) RetireBotSecret(ctx context.Context, botID int64, issue string, issuedAt time.Time) (retired bool, err error) {
	err = c.withSecretRecord(ctx, botID, fmt.Sprintf("retiring the secret of bot %d", botID), func(last *secretRecord, write func(secretRecord)) error {
		if last != nil && last.Issue != issue && (issue != "" || last.IssuedAt.After(issuedAt)) {
			c.cfg.Logger.Debug(ctx, "a newer bot secret was issued since; the old one already stopped working", map[string]any{"bot_id": botID})
			return nil
		}
		if _, err := c.issueBotSecretLocked(ctx, botID); err != nil {
			if IsNotFound(err) {
				return nil // the secret went with its bot
			}
			return fmt.Errorf("retiring the secret of bot %d: %w", botID, err)
		}
		// The discarded secret is now the newest: no one holds its mark.
		write(secretRecord{Issue: newIssueMark(), IssuedAt: c.cfg.Now()})
		retired = true
		c.cfg.Logger.Debug(ctx, "retired a LINE WORKS bot secret by issuing one nobody holds", map[string]any{"bot_id": botID})
		return nil
	})
	return retired, err
}

func newIssueMark() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// withSecretRecord runs f on bot botID's record (nil when none can be read)
// under the bot's lock, shared by every process of the machine (desc, such
// as "retiring the secret of bot 2000001", begins the error of a wait for
// it); write replaces the record. A record that cannot be kept (no writable
// directory) does not stop f: it then only knows what this process
// recorded.
func (c *Client) withSecretRecord(ctx context.Context, botID int64, desc string, f func(last *secretRecord, write func(secretRecord)) error) error {
	if err := checkBotID(botID); err != nil {
		return err
	}
	return c.withBotLock(ctx, botID, desc, func() error {
		name, err := c.secretRecordPath(botID)
		if err != nil {
			c.cfg.Logger.Debug(ctx, "no place to record bot secrets", map[string]any{"error": err.Error()})
			return f(nil, func(secretRecord) {})
		}
		var last *secretRecord
		if b, err := os.ReadFile(name); err == nil {
			var r secretRecord
			if json.Unmarshal(b, &r) == nil && r.Issue != "" {
				last = &r
			}
		}
		return f(last, func(r secretRecord) {
			b, _ := json.Marshal(r) // a struct of strings and a time
			tmp := name + ".tmp" + strconv.Itoa(os.Getpid())
			if err := os.WriteFile(tmp, b, 0o600); err == nil {
				if err := os.Rename(tmp, name); err != nil {
					os.Remove(tmp)
				}
			}
		})
	})
}

// secretRecordPath is where bot botID's record lives: a directory of this
// user's own under RecordDir, one file per API endpoint and bot, so that
// tenants (and emulators) do not share records.
func (c *Client) secretRecordPath(botID int64) (string, error) {
	if err := ownDirectory(c.cfg.RecordDir); err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(c.eps.api.String() + "\x00" + strconv.FormatInt(botID, 10)))
	return filepath.Join(c.cfg.RecordDir, "bot-secret-"+hex.EncodeToString(sum[:16])), nil
}
