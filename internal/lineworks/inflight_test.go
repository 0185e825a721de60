package lineworks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// inFlight reports whether a request with method to path has reached the
// emulator and is not answered yet.
func (f *fixture) inFlight(method, path string) bool {
	for _, r := range f.emu.Requests.All() {
		if r.Host == lineworkstest.HostAPI && r.Method == method && r.Path == path && r.Status == 0 {
			return true
		}
	}
	return false
}

// A create the service has received is not abandoned when the caller gives
// up (Terraform cancels on Ctrl-C): the call waits for the answer, and the
// bot created comes back, whatever form the answer takes.
func TestACreateSentRunsToItsAnswer(t *testing.T) {
	for name, forms := range map[string]lineworkstest.AnswerForms{"whole bot": {}, "id only": {CreateAnswer: lineworkstest.CreateAnswerIDOnly}} {
		t.Run(name, func(t *testing.T) {
			f, c := newBotFixture(t)
			if err := f.emu.Forms.Set(forms); err != nil {
				t.Fatal(err)
			}
			f.emu.Bots.SetCreateHold(300 * time.Millisecond)
			ctx, cancel := context.WithCancel(context.Background())
			type result struct {
				bot *Bot
				err error
			}
			done := make(chan result, 1)
			go func() {
				bot, err := c.CreateBot(ctx, basicBot("interrupted"))
				done <- result{bot, err}
			}()
			waitFor(t, "the create to reach the emulator", func() bool { return f.inFlight(http.MethodPost, "/v1.0/bots") })
			cancel()
			r := <-done
			if r.err != nil {
				t.Fatalf("CreateBot after the caller gave up: %v", r.err)
			}
			bots := f.emu.Bots.List()
			if len(bots) != 1 || r.bot.BotID != bots[0].BotID || r.bot.BotName != "interrupted" || r.bot.CreatedTime.IsZero() {
				t.Fatalf("returned %+v; the emulator holds %+v", r.bot, bots)
			}
		})
	}
}

// The same for a secret issue and an update: the secret returned is the
// bot's, and the bot's lock is let go only once the service has answered,
// so the next change (from another process) is not refused.
func TestAChangeSentRunsToItsAnswer(t *testing.T) {
	f, c := newBotFixture(t)
	bot, err := c.CreateBot(context.Background(), basicBot("busy"))
	if err != nil {
		t.Fatal(err)
	}
	other := f.client(t)
	f.emu.Bots.SetMutationHold(300 * time.Millisecond)

	ctx, cancel := context.WithCancel(context.Background())
	secret := make(chan error, 1)
	var issued string
	go func() {
		var err error
		issued, err = c.IssueBotSecret(ctx, bot.BotID)
		secret <- err
	}()
	waitFor(t, "the secret issue to reach the emulator", func() bool {
		return f.inFlight(http.MethodPost, fmt.Sprintf("/v1.0/bots/%d/secret", bot.BotID))
	})
	cancel()
	if _, err := other.UpdateBot(context.Background(), bot.BotID, BotPatch{Description: ptr("next")}); err != nil {
		t.Fatalf("the next change: %v", err)
	}
	if err := <-secret; err != nil {
		t.Fatalf("IssueBotSecret after the caller gave up: %v", err)
	}
	if issued == "" || issued != f.emu.Bots.Secret(bot.BotID) {
		t.Error("the secret returned is not the bot's")
	}
	if n := f.emu.Bots.ConflictCount(); n != 0 {
		t.Errorf("%d changes refused: the lock was let go before the answer", n)
	}
	f.log.assertNoSecrets(t, issued)
}

// A call not sent yet is abandoned at once: before it is sent, and after
// an answer that proves nothing was done (a 429), instead of waiting out
// the back-off.
func TestACallNotSentIsAbandoned(t *testing.T) {
	f, c := newBotFixture(t)
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.CreateBot(gone, basicBot("never")); !errors.Is(err, context.Canceled) {
		t.Fatalf("CreateBot for a caller gone: %v", err)
	}
	if n := len(f.apiRequests(http.MethodPost, "/v1.0/bots")); n != 0 {
		t.Fatalf("%d creates sent for a caller gone", n)
	}

	f.emu.Faults.RateLimitNext(1, 30)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- second(c.CreateBot(ctx, basicBot("refused"))) }()
	waitFor(t, "the create to be refused", func() bool {
		r := f.apiRequests(http.MethodPost, "/v1.0/bots")
		return len(r) == 1 && r[0].Status == http.StatusTooManyRequests
	})
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the create waited out its back-off after the caller gave up")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to give up", d)
	}
	if n := len(f.apiRequests(http.MethodPost, "/v1.0/bots")); n != 1 || len(f.emu.Bots.List()) != 0 {
		t.Errorf("%d creates sent, %d bots", n, len(f.emu.Bots.List()))
	}
}
