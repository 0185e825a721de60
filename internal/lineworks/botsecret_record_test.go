package lineworks

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// recordClient is a client of f whose secret records live in dir, as those
// of every provider process of a machine do under the same directory.
func (f *fixture) recordClient(t *testing.T, dir string) *Client {
	return f.client(t, func(c *Config) { c.RecordDir = dir })
}

// Retiring a secret stops it: a new one is issued, which nobody holds.
func TestRetireBotSecretStopsTheSecret(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("Retired"))
	if err != nil {
		t.Fatal(err)
	}
	rc := f.recordClient(t, t.TempDir())
	issued, err := rc.IssueRecordedBotSecret(ctx, bot.BotID)
	if err != nil || issued.Secret == "" || issued.Issue == "" || f.emu.Bots.Secret(bot.BotID) != issued.Secret {
		t.Fatalf("issued %+v, err %v", issued, err)
	}
	retired, err := rc.RetireBotSecret(ctx, bot.BotID, issued.Issue, issued.IssuedAt)
	if err != nil || !retired {
		t.Fatalf("retired %v, err %v", retired, err)
	}
	if now := f.emu.Bots.Secret(bot.BotID); now == issued.Secret || now == "" {
		t.Fatal("the retired secret still works")
	}
	// Retiring it again issues nothing more: the discarded one is newer.
	before := len(f.apiRequests("POST", "/v1.0/bots/"+strconv.FormatInt(bot.BotID, 10)+"/secret"))
	if retired, err := rc.RetireBotSecret(ctx, bot.BotID, issued.Issue, issued.IssuedAt); err != nil || retired {
		t.Fatalf("retired again: %v, %v", retired, err)
	}
	if after := len(f.apiRequests("POST", "/v1.0/bots/"+strconv.FormatInt(bot.BotID, 10)+"/secret")); after != before {
		t.Errorf("%d secrets issued to retire one already retired", after-before)
	}
}

// A secret issued since, by another client of the machine (another provider
// block, another process), is newer: retiring the old one would stop it,
// so nothing is issued and it goes on working. A client of another tenant
// (another API endpoint) with a bot of the same ID shares no record.
func TestRetireBotSecretSparesANewerSecret(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("Rotated"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := f.recordClient(t, dir), f.recordClient(t, dir)
	old, err := a.IssueRecordedBotSecret(ctx, bot.BotID)
	if err != nil {
		t.Fatal(err)
	}
	other := newFixture(t) // another tenant, whose bot has the same ID
	other.emu.Bots.SetMutationHold(0)
	otherBot, err := other.client(t).CreateBot(ctx, basicBot("Elsewhere"))
	if err != nil || otherBot.BotID != bot.BotID {
		t.Fatalf("the other tenant's bot: %v, %v", otherBot, err)
	}
	newer, err := b.IssueRecordedBotSecret(ctx, bot.BotID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.recordClient(t, dir).IssueRecordedBotSecret(ctx, otherBot.BotID); err != nil {
		t.Fatal(err)
	}
	if retired, err := a.RetireBotSecret(ctx, bot.BotID, old.Issue, old.IssuedAt); err != nil || retired {
		t.Fatalf("retired %v, err %v", retired, err)
	}
	if f.emu.Bots.Secret(bot.BotID) != newer.Secret {
		t.Fatal("retiring the old secret stopped the newer one")
	}
	// The newer one, retired in turn, goes: nothing newer than it.
	if retired, err := b.RetireBotSecret(ctx, bot.BotID, newer.Issue, newer.IssuedAt); err != nil || !retired {
		t.Fatalf("retiring the newest: %v, %v", retired, err)
	}
	// A secret whose mark is unknown is compared by time.
	if retired, err := a.RetireBotSecret(ctx, bot.BotID, "", old.IssuedAt); err != nil || retired {
		t.Fatalf("an older secret without a mark: %v, %v", retired, err)
	}
}

// Whatever order a new secret's issue and an old one's retiring run in,
// across clients of the machine, the new secret ends up working: the
// record's check and the issue after it are one step under the lock.
func TestRetireAndIssueRaceLeavesTheNewSecretWorking(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("Raced"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := f.recordClient(t, dir), f.recordClient(t, dir)
	for range 10 {
		old, err := a.IssueRecordedBotSecret(ctx, bot.BotID)
		if err != nil {
			t.Fatal(err)
		}
		var (
			wg    sync.WaitGroup
			newer *IssuedSecret
			errs  [2]error
		)
		wg.Add(2)
		go func() { defer wg.Done(); newer, errs[0] = b.IssueRecordedBotSecret(ctx, bot.BotID) }()
		go func() { defer wg.Done(); _, errs[1] = a.RetireBotSecret(ctx, bot.BotID, old.Issue, old.IssuedAt) }()
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		if f.emu.Bots.Secret(bot.BotID) != newer.Secret {
			t.Fatal("the old secret's retiring stopped the new one")
		}
	}
}

// A bot that is gone took its secret with it: nothing to retire, no error.
func TestRetireBotSecretOfAGoneBot(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("Gone"))
	if err != nil {
		t.Fatal(err)
	}
	rc := f.recordClient(t, t.TempDir())
	issued, err := rc.IssueRecordedBotSecret(ctx, bot.BotID)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteBot(ctx, bot.BotID); err != nil {
		t.Fatal(err)
	}
	if retired, err := rc.RetireBotSecret(ctx, bot.BotID, issued.Issue, issued.IssuedAt); err != nil || retired {
		t.Fatalf("retired %v, err %v", retired, err)
	}
}

// A record directory others may write to is not trusted (a record there
// could keep a destroy from retiring a secret): the client goes on with
// what it knows itself, and retires.
func TestRecordsInADirectoryOthersMayWriteAreNotTrusted(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("Shared"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "records")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	rc := f.recordClient(t, dir)
	old, err := rc.IssueRecordedBotSecret(ctx, bot.BotID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rc.IssueRecordedBotSecret(ctx, bot.BotID); err != nil { // newer, recorded
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if retired, err := rc.RetireBotSecret(ctx, bot.BotID, old.Issue, old.IssuedAt); err != nil || !retired {
		t.Fatalf("with a directory others may write: retired %v, err %v", retired, err)
	}
}
