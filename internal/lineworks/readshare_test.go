package lineworks

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// newSharedBot is a bot at the emulator, registered in the default domain
// and two more, and the emulator's GET count for the bot and its domains.
func newSharedBot(t *testing.T, f *fixture) (id int64, gets func() (bot, domains int)) {
	t.Helper()
	const d2, d3 = 10000002, 10000003
	f.emu.Directory.AddDomains(d2, d3)
	b, err := f.emu.Bots.Add(lineworkstest.Bot{BotName: "shared", PhotoURL: "https://example.com/b.png", Description: "d", Administrators: []string{admin}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []int64{lineworkstest.DefaultDomainID, d2, d3} {
		if !f.emu.Bots.SetDomain(b.BotID, lineworkstest.BotDomain{DomainID: d, Visible: true}) {
			t.Fatalf("registering in %d", d)
		}
	}
	return b.BotID, func() (int, int) {
		return len(f.apiRequests(http.MethodGet, fmt.Sprintf("/v1.0/bots/%d", b.BotID))),
			len(f.apiRequests(http.MethodGet, fmt.Sprintf("/v1.0/bots/%d/domains", b.BotID)))
	}
}

// What a plan asks about one bot (the bot, its secret's bot, each
// registration), all at once and again: one GET of the bot and one listing
// of its domains answer it all, and callers get copies of their own.
func TestReadsOfABotAreShared(t *testing.T) {
	f := newFixture(t)
	f.emu.Faults.SetReadLatency(50 * time.Millisecond) // so that the callers overlap
	c := f.client(t)
	id, gets := newSharedBot(t, f)
	ctx := context.Background()

	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := c.GetBot(ctx, id); err != nil {
				t.Error(err)
			}
		})
		for _, d := range []int64{lineworkstest.DefaultDomainID, 10000002, 10000003} {
			wg.Go(func() {
				if reg, err := c.GetBotDomain(ctx, id, d); err != nil || reg.DomainID != d || !reg.Visible {
					t.Errorf("registration in %d: %+v %v", d, reg, err)
				}
			})
		}
	}
	wg.Wait()
	bot, err := c.GetBot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if b, d := gets(); b != 1 || d != 1 {
		t.Errorf("%d GETs of the bot and %d listings of its domains, want 1 and 1", b, d)
	}
	if n := f.tokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}

	bot.Administrators[0] = "changed by the caller"
	domains, _ := c.ListBotDomains(ctx, id)
	domains[0].Visible = false
	again, _ := c.GetBot(ctx, id)
	domainsAgain, _ := c.ListBotDomains(ctx, id)
	if again.Administrators[0] != admin || !domainsAgain[0].Visible {
		t.Errorf("a caller's change to its copy reached another caller: %v %+v", again.Administrators, domainsAgain[0])
	}
}

// A change through the client is never hidden by what was read before it:
// the next read asks the service again.
func TestAChangeIsNeverHiddenByASharedRead(t *testing.T) {
	f, c := newBotFixture(t)
	id, gets := newSharedBot(t, f)
	ctx := context.Background()

	if _, err := c.GetBot(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListBotDomains(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateBot(ctx, id, BotPatch{BotName: ptr("renamed")}); err != nil {
		t.Fatal(err)
	}
	if bot, err := c.GetBot(ctx, id); err != nil || bot.BotName != "renamed" {
		t.Errorf("after the update: %+v %v", bot, err)
	}
	if err := c.DeleteBotDomain(ctx, id, 10000002); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBotDomain(ctx, id, 10000002); !IsNotFound(err) {
		t.Errorf("after removing the registration: %v", err)
	}
	if b, d := gets(); b != 2 || d != 2 {
		t.Errorf("%d GETs of the bot and %d listings, want 2 and 2", b, d)
	}
	if err := c.DeleteBot(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBot(ctx, id); !IsNotFound(err) {
		t.Errorf("after deleting the bot: %v", err)
	}
	// A refusal is not kept.
	if _, err := c.GetBot(ctx, id); !IsNotFound(err) {
		t.Errorf("again: %v", err)
	}
	if b, _ := gets(); b != 4 {
		t.Errorf("%d GETs of the bot, want 4: an error is never reused", b)
	}
}

// A read in flight when a change begins answers its callers, but is not
// kept for those who come after the change.
func TestAReadInFlightDuringAChangeIsNotKept(t *testing.T) {
	f, c := newBotFixture(t)
	id, gets := newSharedBot(t, f)
	ctx := context.Background()
	f.emu.Faults.SetReadLatency(300 * time.Millisecond)

	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := c.GetBot(ctx, id); err != nil {
			t.Error(err)
		}
	}()
	waitFor(t, "the read to be in flight", func() bool { b, _ := gets(); return b == 1 })
	if _, err := c.UpdateBot(ctx, id, BotPatch{BotName: ptr("renamed")}); err != nil {
		t.Fatal(err)
	}
	<-done
	if bot, err := c.GetBot(ctx, id); err != nil || bot.BotName != "renamed" {
		t.Errorf("after the update: %+v %v", bot, err)
	}
	if b, _ := gets(); b != 2 {
		t.Errorf("%d GETs of the bot, want 2", b)
	}
}

// Nor is a read that begins while a change is under way.
func TestAReadDuringAChangeIsNotKept(t *testing.T) {
	f, c := newBotFixture(t)
	id, gets := newSharedBot(t, f)
	ctx := context.Background()
	f.emu.Bots.SetMutationHold(300 * time.Millisecond)

	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := c.UpdateBot(ctx, id, BotPatch{BotName: ptr("renamed")}); err != nil {
			t.Error(err)
		}
	}()
	waitFor(t, "the update to be in flight", func() bool { return f.emu.Bots.MutationsInFlight() == 1 })
	if bot, err := c.GetBot(ctx, id); err != nil || bot.BotName != "shared" {
		t.Fatalf("during the update: %+v %v", bot, err)
	}
	<-done
	if bot, err := c.GetBot(ctx, id); err != nil || bot.BotName != "renamed" {
		t.Errorf("after the update: %+v %v", bot, err)
	}
	if b, _ := gets(); b != 2 {
		t.Errorf("%d GETs of the bot, want 2", b)
	}
}
