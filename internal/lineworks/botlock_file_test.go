package lineworks

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The helper process: a second provider process on the same machine. The
// test binary runs itself with LINEWORKS_LOCK_HELPER set to what it should
// do, and the settings of its client in the environment: only an access
// token and the endpoint, as the README's aliased provider block has.
const lockHelperEnv = "LINEWORKS_LOCK_HELPER"

func TestLockHelperProcess(t *testing.T) {
	action := os.Getenv(lockHelperEnv)
	if action == "" {
		t.Skip("runs only as the helper process of the lock tests")
	}
	botID, _ := strconv.ParseInt(os.Getenv("HELPER_BOT_ID"), 10, 64)
	c, err := New(Config{
		AccessToken: os.Getenv("HELPER_ACCESS_TOKEN"),
		APIEndpoint: os.Getenv("HELPER_API_ENDPOINT"),
		LockDir:     os.Getenv("HELPER_LOCK_DIR"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	switch action {
	case "update":
		n, _ := strconv.Atoi(os.Getenv("HELPER_UPDATES"))
		for i := range n {
			if _, err := c.UpdateBot(ctx, botID, BotPatch{Description: ptr(fmt.Sprintf("helper %d", i))}); err != nil {
				t.Fatal(err)
			}
		}
	case "hold":
		if _, err := c.lockBotFile(ctx, botID); err != nil {
			t.Fatal(err)
		}
		fmt.Println("locked")
		time.Sleep(time.Hour) // until killed
	}
}

// helper starts the helper process for action on botID.
func (f *fixture) helper(t *testing.T, action string, botID int64, extraEnv ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(),
		lockHelperEnv+"="+action,
		"HELPER_BOT_ID="+strconv.FormatInt(botID, 10),
		"HELPER_ACCESS_TOKEN="+f.emu.Auth.IssueAccessToken(testClientID, "bot"),
		"HELPER_API_ENDPOINT="+f.emu.APIURL(),
		"HELPER_LOCK_DIR="+f.cfg.LockDir,
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	return cmd
}

// Two processes change one bot at once, each through its own client (one
// with only an access token): the emulator, which refuses overlapping
// changes to a bot, refuses none.
func TestProcessesTakeTurnsOnABot(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("shared"))
	if err != nil {
		t.Fatal(err)
	}
	f.emu.Bots.SetMutationHold(20 * time.Millisecond)
	const updates = 15
	helper := f.helper(t, "update", bot.BotID, "HELPER_UPDATES="+strconv.Itoa(updates))
	var out strings.Builder
	helper.Stdout, helper.Stderr = &out, &out
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the helper's first change", func() bool { return len(f.apiRequests("PATCH", fmt.Sprintf("/v1.0/bots/%d", bot.BotID))) > 0 })
	for i := range updates {
		if _, err := c.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr(fmt.Sprintf("main %d", i))}); err != nil {
			t.Error(err)
		}
	}
	if err := helper.Wait(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out.String())
	}
	if n := len(f.apiRequests("PATCH", fmt.Sprintf("/v1.0/bots/%d", bot.BotID))); n != 2*updates {
		t.Errorf("%d changes reached the emulator, want %d", n, 2*updates)
	}
	if n := f.emu.Bots.ConflictCount(); n != 0 {
		t.Errorf("the emulator refused %d overlapping changes", n)
	}
	if entries, _ := os.ReadDir(f.cfg.LockDir); len(entries) != 0 {
		t.Errorf("lock files left behind: %v", entries)
	}
}

// Within one process, two clients (two provider blocks served by one
// process, or lock registries of their own) take turns through the file
// too.
func TestClientsTakeTurnsOnABot(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("shared"))
	if err != nil {
		t.Fatal(err)
	}
	f.emu.Bots.SetMutationHold(5 * time.Millisecond)
	other := f.client(t, func(cfg *Config) { cfg.AccessToken = f.emu.Auth.IssueAccessToken(testClientID, "bot") })
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		for _, cl := range []*Client{c, other} {
			wg.Go(func() {
				errs <- second(cl.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr(fmt.Sprint(i))}))
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := f.emu.Bots.ConflictCount(); n != 0 {
		t.Errorf("the emulator refused %d overlapping changes", n)
	}
}

// A process killed while it holds a bot's lock leaves no lock behind: the
// system lets go of it with the process. Until then, waiting for it ends
// with the context.
func TestAKilledProcessLeavesNoLock(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("shared"))
	if err != nil {
		t.Fatal(err)
	}
	helper := f.helper(t, "hold", bot.BotID)
	stdout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = helper.Process.Kill(); _ = helper.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && lines.Text() != "locked" {
	}

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = c.UpdateBot(short, bot.BotID, BotPatch{Description: ptr("blocked")})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for another process changing the bot to finish") {
		t.Fatalf("while another process holds the bot: %v", err)
	}
	if n := len(f.apiRequests("PATCH", fmt.Sprintf("/v1.0/bots/%d", bot.BotID))); n != 0 {
		t.Fatalf("%d changes sent while another process held the bot", n)
	}

	if err := helper.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	if _, err := c.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("free")}); err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
}

// The lock is the bot's at one API endpoint, whoever holds it: a client
// with only an access token (which knows no client ID) shares it with one
// that issues its own tokens. Other bots and other endpoints have their own.
func TestTheLockIsTheBotsAtItsEndpoint(t *testing.T) {
	f := newFixture(t)
	withCredentials := f.client(t)
	withToken := f.client(t, func(cfg *Config) { cfg.ClientID, cfg.AccessToken = "", "configured" })
	otherEndpoint := f.client(t, func(cfg *Config) { cfg.APIEndpoint = "https://www.worksapis.com/v1.0" })
	if withCredentials.botLockPath(2000001) != withToken.botLockPath(2000001) {
		t.Error("a client with only an access token locks another file")
	}
	if withCredentials.botLockPath(2000001) == withCredentials.botLockPath(2000002) {
		t.Error("two bots share a lock")
	}
	if withCredentials.botLockPath(2000001) == otherEndpoint.botLockPath(2000001) {
		t.Error("two endpoints share a lock")
	}
	if !strings.HasPrefix(DefaultLockDir(), os.TempDir()) {
		t.Errorf("DefaultLockDir() = %s, not under %s", DefaultLockDir(), os.TempDir())
	}
}

// A lock directory other users may write to is not used: one of them could
// hold a bot's lock file for good. Changes still go through, one at a time
// within the process, with a warning that says why.
func TestALockDirectoryOthersMayWriteIsNotUsed(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("shared"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f.cfg.LockDir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("changed")}); err != nil {
		t.Fatal(err)
	}
	if log := f.log.text(); !strings.Contains(log, "cannot lock the LINE WORKS bot across processes") || !strings.Contains(log, "may be written by other users") {
		t.Errorf("no warning that says why:\n%s", log)
	}
}

// What the lock file adds to each change to a bot: taking the lock (open,
// lock, two stats) and letting it go (remove, unlock).
func BenchmarkBotLockFile(b *testing.B) {
	c, err := New(Config{APIEndpoint: DefaultAPIEndpoint, AccessToken: "configured", LockDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		unlock, err := c.lockBotFile(ctx, 2000001)
		if err != nil {
			b.Fatal(err)
		}
		unlock()
	}
}
