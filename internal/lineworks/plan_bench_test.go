package lineworks

// A no-change plan over many bots, under the per-API rate limit:
//
//	go test -run '^$' -bench PlanOverManyBots -benchtime 1x ./internal/lineworks/
//
// It drives the client the way the provider's Read methods do (the bot's
// GetBot, each registration's GetBotDomain, the secret's GetBot), in the
// order Terraform's walk calls them, rather than running terraform: what is
// measured is the client's pacing and sharing, without process start-ups,
// plugin RPCs or a terraform binary, in a minute instead of several. The
// acceptance tests count the same requests with the real terraform
// (TestAccPlanReadsEachBotAtMostTwice).
//
// The walk: Terraform runs at most -parallelism (10) operations at once,
// first come first served, and a block whose arguments refer to
// lineworks_bot.b (bot_id = lineworks_bot.b[each.key].bot_id) waits for
// every instance of it. So the bots are read first, then their
// registrations and secrets.
//
// The bound is the time the limit alone forces on those reads: in each of
// the two steps, for its busiest API, (⌈n/limit⌉ − 1) windows (the last
// window's requests go as it opens). Nothing fails because a machine is
// slow; what is asserted is correctness: every read answered, at most two
// GETs per bot, no 429, one token.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const (
	planBots          = 200
	planRegistrations = 2  // per bot, besides its secret
	planParallelism   = 10 // terraform's default -parallelism
	planLimit         = 20 // requests per window and API: 240 a minute, scaled down
	planWindow        = 3 * time.Second
	planReadLatency   = 50 * time.Millisecond
	planWriteLatency  = 150 * time.Millisecond
)

func BenchmarkPlanOverManyBots(b *testing.B) {
	f := newFixture(b)
	f.cfg.Logger = discardLogger{}
	domains := []int64{lineworkstest.DefaultDomainID}
	for i := 1; i < planRegistrations; i++ {
		domains = append(domains, lineworkstest.DefaultDomainID+int64(i))
		f.emu.Directory.AddDomains(lineworkstest.DefaultDomainID + int64(i))
	}
	var ids []int64
	for i := range planBots {
		bot, err := f.emu.Bots.Add(lineworkstest.Bot{BotName: fmt.Sprintf("bot %d", i), PhotoURL: "https://example.com/b.png",
			Description: "one of many", Administrators: []string{admin}})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range domains {
			f.emu.Bots.SetDomain(bot.BotID, lineworkstest.BotDomain{DomainID: d, Visible: true})
		}
		f.emu.Bots.SetSecret(bot.BotID, "s3cret")
		ids = append(ids, bot.BotID)
	}
	f.emu.Faults.SetReadLatency(planReadLatency)
	f.emu.Bots.SetMutationHold(planWriteLatency)

	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		// A fresh provider process, and a budget no one else spends.
		f.emu.Faults.SetRateLimitWindow(planLimit, planWindow)
		f.emu.Requests.Reset()
		c := f.client(b)
		b.StartTimer()

		start := time.Now()
		ctx := context.Background()
		walk := newWalk(planParallelism)
		for _, id := range ids {
			walk.do(func() error { _, err := c.GetBot(ctx, id); return err })
		}
		walk.wait(b)
		for _, id := range ids {
			for _, d := range domains {
				walk.do(func() error { _, err := c.GetBotDomain(ctx, id, d); return err })
			}
			walk.do(func() error { _, err := c.GetBot(ctx, id); return err })
		}
		walk.wait(b)
		elapsed += time.Since(start)
	}

	gets, refusals := 0, f.refusals()
	for _, r := range f.emu.Requests.All() {
		if r.Host == lineworkstest.HostAPI && r.Method == http.MethodGet {
			gets++
		}
	}
	tokens := f.tokenRequests()
	// Each step's busiest API: the bots, then their domain lists (the
	// secrets' reads of the bot are shared).
	bound := 2 * time.Duration((planBots+planLimit-1)/planLimit-1) * planWindow
	perPlan := elapsed / time.Duration(b.N)
	b.ReportMetric(float64(gets)/planBots, "GETs/bot")
	b.ReportMetric(float64(refusals), "429s")
	b.ReportMetric(float64(tokens), "tokens")
	b.ReportMetric(perPlan.Seconds(), "s/plan")
	b.ReportMetric(bound.Seconds(), "bound-s")
	b.ReportMetric(perPlan.Seconds()/bound.Seconds(), "x-bound")
	if gets > 2*planBots || refusals != 0 || tokens != 1 {
		b.Errorf("the last plan sent %d GETs for %d bots (at most %d), drew %d 429s (want 0), asked for %d tokens (want 1)", gets, planBots, 2*planBots, refusals, tokens)
	}
}

// walk runs operations as Terraform's graph walk does: at most n at once,
// in the order they became ready.
type walk struct {
	queue chan func() error
	wg    sync.WaitGroup
	mu    sync.Mutex
	errs  []string
}

func newWalk(n int) *walk {
	w := &walk{queue: make(chan func() error, planBots*(planRegistrations+2))}
	for range n {
		go func() {
			for op := range w.queue {
				if err := op(); err != nil {
					w.mu.Lock()
					w.errs = append(w.errs, err.Error())
					w.mu.Unlock()
				}
				w.wg.Done()
			}
		}()
	}
	return w
}

func (w *walk) do(op func() error) {
	w.wg.Add(1)
	w.queue <- op
}

// wait waits for every operation given so far, failing on any error.
func (w *walk) wait(b *testing.B) {
	w.wg.Wait()
	if len(w.errs) > 0 {
		b.Fatalf("%d reads failed: %s", len(w.errs), strings.Join(w.errs, "; "))
	}
}
