package lineworks

// Reads shared within a run. In a plan, the lineworks_bot resource, its
// lineworks_bot_secret and each of its lineworks_bot_domain registrations
// all ask about the same bot: one GET of the bot and one listing of its
// domains answer them all. Concurrent callers wait for one request
// (singleflight), and a result is reused until the bot is changed through
// this client (mutateBot), so a plan costs at most two GETs per bot
// whatever it manages on it.
//
// The scope is the Client, which lives as long as its provider process:
// one phase (validate, plan or apply) of one provider block. A plan reads
// every object once, early in its walk, and compares the configuration
// with that snapshot; sharing changes nothing there but the count. An apply
// reads a bot again only after changing it (mutateBot forgets what was
// read, before and after the change), so it never sees its own writes
// undone. A change someone else makes while a long apply runs is seen by
// the next plan, as it would be without sharing: an apply does not refresh
// what it does not change. Errors are shared with the callers waiting at
// the time, never kept.

import (
	"context"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"
)

// readShare holds the reads of one Client, as JSON: each caller decodes
// its own copy, which it may change freely.
type readShare struct {
	mu      sync.Mutex
	changes map[int64]uint64 // per bot, how many times it was changed through this client
	results map[string]sharedResult
	flights singleflight.Group
}

type sharedResult struct {
	changes uint64 // the bot's count when the read began
	raw     []byte
}

// read returns what fetch gives for what (sharedBot, sharedDomains) of botID:
// the result of a read since the bot last changed, or of a read in flight,
// or of a new one.
func (s *readShare) read(ctx context.Context, botID int64, what string, fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	key := sharedKey(what, botID)
	s.mu.Lock()
	s.init()
	changes := s.changes[botID]
	if r, ok := s.results[key]; ok && r.changes == changes {
		s.mu.Unlock()
		return r.raw, nil
	}
	s.mu.Unlock()

	// A caller that comes after a change does not join a read begun before it.
	flight := key + "#" + strconv.FormatUint(changes, 10)
	v, err, _ := s.flights.Do(flight, func() (any, error) {
		raw, err := fetch(ctx)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		if s.changes[botID] == changes {
			s.results[key] = sharedResult{changes: changes, raw: raw}
		}
		s.mu.Unlock()
		return raw, nil
	})
	if err != nil {
		return nil, err
	}
	raw, _ := v.([]byte) // what fetch returned
	return raw, nil
}

// forget drops what was read of botID, and keeps reads in flight from
// being kept: the bot is changing.
func (s *readShare) forget(botID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.changes[botID]++
	delete(s.results, sharedKey(sharedBot, botID))
	delete(s.results, sharedKey(sharedDomains, botID))
}

// What is shared of a bot.
const (
	sharedBot     = "bot"     // GET /bots/{botId}
	sharedDomains = "domains" // every page of GET /bots/{botId}/domains
)

func sharedKey(what string, botID int64) string { return what + "/" + strconv.FormatInt(botID, 10) }

func (s *readShare) init() {
	if s.results == nil {
		s.results, s.changes = map[string]sharedResult{}, map[int64]uint64{}
	}
}
