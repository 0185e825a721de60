package lineworkstest_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBotParallelMutations(t *testing.T) {
	s, tok := newBotServer(t)
	a := createBot(t, s, tok, validBot())
	b := createBot(t, s, tok, validBot())
	patch := map[string]any{"description": "changed"}

	t.Run("same bot", func(t *testing.T) {
		s.Bots.SetMutationHold(time.Minute)
		first := make(chan reply, 1)
		go func() {
			r, err := fetch(noRedirect, botRequest(s, http.MethodPatch, botPath(a), tok, patch))
			if err != nil {
				panic(err)
			}
			first <- r
		}()
		waitFor(t, "the first PATCH to be in progress", func() bool { return s.Bots.MutationsInFlight() == 1 })
		r := botCall(t, s, http.MethodPatch, botPath(a), tok, patch)
		wantAPIError(t, r, http.StatusConflict, "CONFLICT")
		if d := r.body["description"].(string); !strings.Contains(d, "parallel") {
			t.Errorf("description %q", d)
		}
		// Domain and secret calls on the busy bot are refused too.
		wantAPIError(t, botCall(t, s, http.MethodPost, botPath(a, "domains", "10000001"), tok, nil), http.StatusConflict, "CONFLICT")
		wantAPIError(t, botCall(t, s, http.MethodPost, botPath(a, "secret"), tok, nil), http.StatusConflict, "CONFLICT")
		if s.Bots.ConflictCount() != 3 {
			t.Errorf("ConflictCount = %d", s.Bots.ConflictCount())
		}
		s.Bots.SetMutationHold(0) // releases the first PATCH
		wantStatus(t, <-first, http.StatusOK)
		if s.Bots.MutationsInFlight() != 0 {
			t.Errorf("in flight after: %d", s.Bots.MutationsInFlight())
		}
		// Reads are never refused.
		wantStatus(t, botCall(t, s, http.MethodGet, botPath(a), tok, nil), http.StatusOK)
	})

	t.Run("two bots", func(t *testing.T) {
		conflicts := s.Bots.ConflictCount()
		s.Bots.SetMutationHold(time.Minute)
		var wg sync.WaitGroup
		replies := make([]reply, 2)
		for i, id := range []int64{a, b} {
			wg.Go(func() {
				r, err := fetch(noRedirect, botRequest(s, http.MethodPatch, botPath(id), tok, patch))
				if err != nil {
					panic(err)
				}
				replies[i] = r
			})
		}
		waitFor(t, "both PATCHes to be in progress at once", func() bool { return s.Bots.MutationsInFlight() == 2 })
		s.Bots.SetMutationHold(0)
		wg.Wait()
		for _, r := range replies {
			wantStatus(t, r, http.StatusOK)
		}
		if s.Bots.ConflictCount() != conflicts {
			t.Error("calls on two bots conflicted")
		}
	})
}
