package lineworkstest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"
)

const (
	// DefaultBotLimit is the documented number of bots a tenant may hold.
	DefaultBotLimit = 300
	// FreePlanBotLimit is the limit on the Free plan, for Bots.SetLimit.
	FreePlanBotLimit = 10

	firstBotID = 2000001 // the docs' example bot ID
)

// Bots is the bot management API on the API host (bot-create …
// bot-domain-delete): the tenant's bots, their domain registrations and
// secrets, and the per-bot check that refuses overlapping mutations. Reach
// it as Server.Bots. Other components on the API host reach it through
// botRegistry (seam.go).
type Bots struct {
	mu    sync.Mutex
	clock *clock
	dir   *Directory
	forms *Forms
	guard *mutationGuard

	bots    map[int64]*botState
	deleted map[int64]bool // IDs of bots that existed and were deleted
	nextID  int64
	limit   int
	// createHold delays every POST /bots (SetCreateHold).
	createHold time.Duration

	removalHooks []func(botID, domainID int64)
}

type botState struct {
	bot     Bot
	secret  string
	domains map[int64]BotDomain
}

func newBots(c *clock, dir *Directory, forms *Forms, closed <-chan struct{}) *Bots {
	return &Bots{
		clock: c, dir: dir, forms: forms, guard: newMutationGuard(closed),
		bots: make(map[int64]*botState), deleted: make(map[int64]bool),
		nextID: firstBotID, limit: DefaultBotLimit,
	}
}

// SetLimit sets how many bots the tenant may hold: DefaultBotLimit, or
// FreePlanBotLimit on the Free plan. n <= 0 restores the default.
func (b *Bots) SetLimit(n int) {
	if n <= 0 {
		n = DefaultBotLimit
	}
	b.mu.Lock()
	b.limit = n
	b.mu.Unlock()
}

// SetMutationHold sets how long every mutating call keeps its bot busy, so
// that an overlapping call on the same bot is observably refused. Calls
// holding under the previous setting are released at once. 0 turns holding off.
func (b *Bots) SetMutationHold(d time.Duration) { b.guard.setHold(d) }

// ConflictCount returns how many mutating calls were refused because another
// one on the same bot was in progress.
func (b *Bots) ConflictCount() int {
	_, n := b.guard.stats()
	return n
}

// MutationsInFlight returns how many mutating calls are in progress now, on
// all bots together. Tests use it to see that calls on different bots run in
// parallel.
func (b *Bots) MutationsInFlight() int {
	n, _ := b.guard.stats()
	return n
}

// Get returns the bot with id, as stored.
func (b *Bots) Get(id int64) (Bot, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.bots[id]
	if st == nil {
		return Bot{}, false
	}
	return st.bot.clone(), true
}

// List returns every bot, by bot ID.
func (b *Bots) List() []Bot {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Bot, 0, len(b.bots))
	for _, id := range slices.Sorted(maps.Keys(b.bots)) {
		out = append(out, b.bots[id].bot.clone())
	}
	return out
}

// Add adds a bot out of band, as if created in the Developer Console, and
// returns it as stored. bot.BotID 0 takes the next free ID; the times are
// now unless set. The bot is checked as a create would check it, except
// against the bot limit.
func (b *Bots) Add(bot Bot) (Bot, error) {
	now := b.clock.now()
	forms := b.forms.Get()
	bot = bot.clone()
	if len(bot.ChannelEvents) == 0 {
		bot.ChannelEvents = b.defaultChannelEvents(forms)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if bad := checkBot(&bot, b.dir, forms); bad != nil {
		return Bot{}, fmt.Errorf("%s", bad.description)
	}
	switch {
	case bot.BotID < 0:
		return Bot{}, fmt.Errorf("botId must be positive, got %d", bot.BotID)
	case bot.BotID == 0:
		bot.BotID = b.nextID
	case b.bots[bot.BotID] != nil:
		return Bot{}, fmt.Errorf("bot %d already exists", bot.BotID)
	}
	b.nextID = max(b.nextID, bot.BotID+1)
	if bot.CreatedTime.IsZero() {
		bot.CreatedTime = nextStamp(time.Time{}, now)
	}
	if bot.ModifiedTime.IsZero() {
		bot.ModifiedTime = bot.CreatedTime
	}
	delete(b.deleted, bot.BotID)
	b.bots[bot.BotID] = &botState{bot: bot.clone(), domains: map[int64]BotDomain{}}
	return bot.clone(), nil
}

// Modify changes a bot out of band, as an administrator in the Developer
// Console would: f edits a copy, which replaces the bot (its ID and
// creation time stay), modifiedTime moves on, and registrations outside a
// narrowed allowDomains go. It reports whether the bot exists.
func (b *Bots) Modify(id int64, f func(*Bot)) bool {
	now := b.clock.now()
	b.mu.Lock()
	st := b.bots[id]
	if st == nil {
		b.mu.Unlock()
		return false
	}
	bot := st.bot.clone()
	f(&bot)
	gone := st.store(bot, now)
	b.mu.Unlock()
	b.removed(id, gone...)
	return true
}

// Remove deletes a bot out of band, with its registrations and secret. It
// reports whether the bot existed.
func (b *Bots) Remove(id int64) bool {
	b.mu.Lock()
	ok := b.bots[id] != nil
	if ok {
		delete(b.bots, id)
		b.deleted[id] = true
	}
	b.mu.Unlock()
	if ok {
		b.removed(id, 0)
	}
	return ok
}

// Domains returns a bot's registrations, by domain ID.
func (b *Bots) Domains(id int64) []BotDomain {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.bots[id]
	if st == nil {
		return nil
	}
	return st.sortedDomains()
}

// SetDomain registers a bot in a domain out of band, or changes its
// registration, as the Developer Console would. It reports whether the bot
// exists and may be registered there (a domain of the tenant, in its
// allowDomains).
func (b *Bots) SetDomain(id int64, d BotDomain) bool {
	if !b.dir.HasDomain(d.DomainID) {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.bots[id]
	if st == nil || (st.bot.AllowDomains != nil && !slices.Contains(st.bot.AllowDomains, d.DomainID)) {
		return false
	}
	st.domains[d.DomainID] = d
	return true
}

// RemoveDomain deletes a bot's registration in a domain out of band. It
// reports whether there was one.
func (b *Bots) RemoveDomain(id, domainID int64) bool {
	b.mu.Lock()
	st := b.bots[id]
	_, ok := st.registration(domainID)
	if ok {
		delete(st.domains, domainID)
	}
	b.mu.Unlock()
	if ok {
		b.removed(id, domainID)
	}
	return ok
}

// Secret returns the bot's current secret, "" if none was issued.
func (b *Bots) Secret(id int64) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if st := b.bots[id]; st != nil {
		return st.secret
	}
	return ""
}

// SetSecret sets the bot's Bot Secret out of band, "" for none, as if
// issued in the Developer Console. It reports whether the bot exists.
func (b *Bots) SetSecret(id int64, secret string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.bots[id]
	if st != nil {
		st.secret = secret
	}
	return st != nil
}

// change applies fields (the API's names, as a PATCH sends them) to a bot
// out of band, checked as a PATCH is.
func (b *Bots) change(id int64, fields map[string]json.RawMessage) error {
	_, bad, found := b.edit(id, false, fields)
	switch {
	case !found:
		return fmt.Errorf("bot %d does not exist", id)
	case bad != nil:
		return fmt.Errorf("%s", bad.description)
	}
	return nil
}

// edit applies fields to bot id, as a PATCH (over the bot) or, with
// replace, a PUT (the whole object): it checks and normalizes the result as
// the service does, then stores it. found is false when there is no bot.
func (b *Bots) edit(id int64, replace bool, fields map[string]json.RawMessage) (_ Bot, _ *invalid, found bool) {
	now := b.clock.now()
	forms := b.forms.Get()
	b.mu.Lock()
	st := b.bots[id]
	if st == nil {
		b.mu.Unlock()
		return Bot{}, nil, false
	}
	var bot Bot
	if !replace {
		bot = st.bot.clone()
	}
	set, bad := decodeBotFields(fields, &bot)
	if bad == nil && replace && !set["channelEvents"] {
		bot.ChannelEvents = b.defaultChannelEvents(forms) // inferred: a replace without it gets the default again
	}
	if bad == nil {
		bad = checkBot(&bot, b.dir, forms)
	}
	if bad != nil {
		b.mu.Unlock()
		return Bot{}, bad, true
	}
	gone := st.store(bot, now)
	stored := st.bot.clone()
	b.mu.Unlock()
	b.removed(id, gone...)
	return stored, nil, true
}

// CallbackSignature returns what LINE WORKS would send in X-WORKS-Signature
// with a callback of body from bot id: base64(HMAC-SHA256(key = the bot's
// current secret, message = body)). It is "" when the bot has no secret.
func (b *Bots) CallbackSignature(id int64, body []byte) string {
	secret := b.Secret(id)
	if secret == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// defaultChannelEvents is what a bot created or replaced without
// channelEvents gets.
func (b *Bots) defaultChannelEvents(forms AnswerForms) []string {
	return slices.Clone(forms.ChannelEventsDefault)
}

// missing answers for a bot that does not exist: 404, or 410 DELETED for
// one that existed when the answer form says so.
func (b *Bots) missing(w http.ResponseWriter, id int64) {
	b.mu.Lock()
	deleted := b.deleted[id]
	b.mu.Unlock()
	if deleted && b.forms.Get().DeletedBotStatus == http.StatusGone {
		apiError(w, http.StatusGone, "DELETED", fmt.Sprintf("Bot %d has been deleted.", id))
		return
	}
	notFound(w)
}

// removed runs the removal hooks for a bot (domain 0) or its registrations
// in domains, outside the lock.
func (b *Bots) removed(botID int64, domainIDs ...int64) {
	b.mu.Lock()
	hooks := slices.Clone(b.removalHooks)
	b.mu.Unlock()
	for _, d := range domainIDs {
		for _, h := range hooks {
			h(botID, d)
		}
	}
}

// store replaces the stored bot with bot, changed at now: its ID and
// creation time stay, modifiedTime moves on, and registrations outside a
// narrowed allowDomains go (their domain IDs are returned).
func (st *botState) store(bot Bot, now time.Time) []int64 {
	bot.BotID, bot.CreatedTime = st.bot.BotID, st.bot.CreatedTime
	bot.ModifiedTime = nextStamp(st.bot.ModifiedTime, now)
	st.bot = bot.clone()
	return st.cascade()
}

// cascade deletes the registrations a narrowed allowDomains no longer
// allows, as the service does, and returns their domain IDs.
func (st *botState) cascade() []int64 {
	if st.bot.AllowDomains == nil {
		return nil
	}
	var gone []int64
	for _, id := range slices.Sorted(maps.Keys(st.domains)) {
		if !slices.Contains(st.bot.AllowDomains, id) {
			delete(st.domains, id)
			gone = append(gone, id)
		}
	}
	return gone
}

// registration is the bot's registration in a domain; st may be nil.
func (st *botState) registration(domainID int64) (BotDomain, bool) {
	if st == nil {
		return BotDomain{}, false
	}
	d, ok := st.domains[domainID]
	return d, ok
}

func (st *botState) sortedDomains() []BotDomain {
	out := make([]BotDomain, 0, len(st.domains))
	for _, id := range slices.Sorted(maps.Keys(st.domains)) {
		out = append(out, st.domains[id])
	}
	return out
}

func newBotSecret() string {
	b := make([]byte, 24)
	rand.Read(b) // never fails; see crypto/rand.Read
	return base64.StdEncoding.EncodeToString(b)
}
