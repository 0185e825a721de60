package lineworkstest

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// DefaultMutationHold is how long a mutating call keeps its bot busy unless
// Bots.SetMutationHold says otherwise.
const DefaultMutationHold = 30 * time.Millisecond

// mutationGuard refuses overlapping mutating calls on one bot. Every bot
// page forbids add, update, delete and the domain and bot-user calls in
// parallel for the same bot; the emulator refuses the overlapping call
// (inferred: 409 CONFLICT; the docs name no code). Each mutating call holds
// its bot busy for a while, so that an overlap is observable. It has its own
// lock, so that a held call blocks nothing else.
type mutationGuard struct {
	mu        sync.Mutex
	hold      time.Duration
	holdCh    chan struct{} // closed (and replaced) when the hold changes
	busy      map[int64]bool
	inFlight  int
	conflicts int
	closed    <-chan struct{}
}

func newMutationGuard(closed <-chan struct{}) *mutationGuard {
	return &mutationGuard{hold: DefaultMutationHold, holdCh: make(chan struct{}), busy: make(map[int64]bool), closed: closed}
}

// setHold sets the hold; calls holding under the previous one are released
// at once.
func (g *mutationGuard) setHold(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hold = max(d, 0)
	close(g.holdCh)
	g.holdCh = make(chan struct{})
}

// mutate runs f as a mutating call on bot id, after the hold, or answers
// 409 CONFLICT when another is in progress on that bot. f does not run when
// the client goes away during the hold.
func (g *mutationGuard) mutate(w http.ResponseWriter, r *http.Request, id int64, f func()) {
	g.mu.Lock()
	if g.busy[id] {
		g.conflicts++
		g.mu.Unlock()
		apiError(w, http.StatusConflict, "CONFLICT", fmt.Sprintf(
			"Another request on bot %d is in progress. LINE WORKS does not allow add, update, delete and domain calls in parallel for the same bot: send them one at a time.", id))
		return
	}
	g.busy[id] = true
	g.inFlight++
	hold, released := g.hold, g.holdCh
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.busy, id)
		g.inFlight--
		g.mu.Unlock()
	}()
	if hold > 0 {
		timer := time.NewTimer(hold)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-released:
		case <-g.closed:
		case <-r.Context().Done():
			return
		}
	}
	f()
}

func (g *mutationGuard) stats() (inFlight, conflicts int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inFlight, g.conflicts
}
