package lineworkstest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The tenant NewServer creates: one domain and a few users, which bots may
// name in allowDomains and as administrators. AddDomains and AddUsers add more.
const DefaultDomainID int64 = 10000001

// DefaultUsers are the users of the default tenant, by user ID or login ID
// (email): the bot API accepts either. Treat it as read-only.
var DefaultUsers = []string{
	"admin@example.com",
	"dev@example.com",
	"ops@example.com",
	"d191e339-3299-44e6-7a44-04d9cb01a5e0",
}

const (
	// DefaultBotLimit is the documented number of bots a tenant may hold.
	DefaultBotLimit = 300
	// FreePlanBotLimit is the limit on the Free plan, for SetBotLimit.
	FreePlanBotLimit = 10
	// DefaultMutationHold is how long a mutating call keeps its bot busy
	// unless SetMutationHold says otherwise.
	DefaultMutationHold = 30 * time.Millisecond

	firstBotID      = 2000001 // the docs' example bot ID
	defaultPageSize = 50
	maxPageSize     = 100
	maxBotBody      = 1 << 20
)

// Bot is a bot as the emulator stores it. The field names are those of
// lineworks.Bot. AllowDomains nil means every domain.
type Bot struct {
	BotID             int64             `json:"botId"`
	BotName           string            `json:"botName"`
	PhotoURL          string            `json:"photoUrl"`
	Description       string            `json:"description"`
	Administrators    []string          `json:"administrators"`
	Subadministrators []string          `json:"subadministrators"`
	AllowDomains      []int64           `json:"allowDomains,omitempty"`
	EnableCallback    bool              `json:"enableCallback"`
	CallbackURL       string            `json:"callbackUrl"`
	CallbackEvents    []string          `json:"callbackEvents"`
	ChannelEvents     []string          `json:"channelEvents"`
	EnableGroupJoin   bool              `json:"enableGroupJoin"`
	DefaultRichmenuID string            `json:"defaultRichmenuId,omitempty"`
	I18nBotNames      []I18nBotName     `json:"i18nBotNames"`
	I18nDescriptions  []I18nDescription `json:"i18nDescriptions"`
	I18nPhotoURLs     []I18nPhotoURL    `json:"i18nPhotoUrls"`
	CreatedTime       time.Time         `json:"createdTime"`
	ModifiedTime      time.Time         `json:"modifiedTime"`
}

// I18nBotName is a bot name in one language.
type I18nBotName struct {
	Language string `json:"language"`
	BotName  string `json:"botName"`
}

// I18nDescription is a bot description in one language.
type I18nDescription struct {
	Language    string `json:"language"`
	Description string `json:"description"`
}

// I18nPhotoURL is a bot photo URL for one language.
type I18nPhotoURL struct {
	Language string `json:"language"`
	PhotoURL string `json:"photoUrl"`
}

// BotDomain is a bot's registration in a domain.
type BotDomain struct {
	DomainID              int64 `json:"domainId"`
	Visible               bool  `json:"visible"`
	AllowToSelectedMember bool  `json:"allowToSelectedMember"`
}

// clone deep-copies b, with empty lists rather than nil ones (except
// AllowDomains, where nil means every domain), as the service renders them.
func (b Bot) clone() Bot {
	c := b
	c.Administrators = cloneOrEmpty(b.Administrators)
	c.Subadministrators = cloneOrEmpty(b.Subadministrators)
	c.AllowDomains = slices.Clone(b.AllowDomains)
	c.CallbackEvents = cloneOrEmpty(b.CallbackEvents)
	c.ChannelEvents = cloneOrEmpty(b.ChannelEvents)
	c.I18nBotNames = cloneOrEmpty(b.I18nBotNames)
	c.I18nDescriptions = cloneOrEmpty(b.I18nDescriptions)
	c.I18nPhotoURLs = cloneOrEmpty(b.I18nPhotoURLs)
	return c
}

func cloneOrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clone(s)
}

// botStore is the bot part of the emulated tenant. It has its own lock, so
// that bot calls do not contend with token and attachment traffic. The zero
// value is the default tenant, set up on first use.
type botStore struct {
	mu     sync.Mutex
	inited bool

	domains map[int64]bool
	users   map[string]bool
	bots    map[int64]*botState
	nextID  int64
	limit   int

	hold      time.Duration
	holdCh    chan struct{} // closed (and replaced) when the hold changes
	busy      map[int64]bool
	inFlight  int
	conflicts int
}

type botState struct {
	bot     Bot
	secret  string
	domains map[int64]BotDomain
}

// lock locks b, setting up the default tenant the first time.
func (b *botStore) lock() {
	b.mu.Lock()
	if b.inited {
		return
	}
	b.inited = true
	b.domains = map[int64]bool{DefaultDomainID: true}
	b.users = make(map[string]bool)
	for _, u := range DefaultUsers {
		b.users[u] = true
	}
	b.bots = make(map[int64]*botState)
	b.nextID = firstBotID
	b.limit = DefaultBotLimit
	b.hold = DefaultMutationHold
	b.holdCh = make(chan struct{})
	b.busy = make(map[int64]bool)
}

func (b *botStore) unlock() { b.mu.Unlock() }

// AddDomains adds domains to the tenant, for allowDomains and registrations.
func (s *Server) AddDomains(ids ...int64) {
	s.tenant.lock()
	defer s.tenant.unlock()
	for _, id := range ids {
		s.tenant.domains[id] = true
	}
}

// AddUsers adds users (user IDs or login IDs) to the tenant, for
// administrators and subadministrators.
func (s *Server) AddUsers(ids ...string) {
	s.tenant.lock()
	defer s.tenant.unlock()
	for _, id := range ids {
		s.tenant.users[id] = true
	}
}

// SetBotLimit sets how many bots the tenant may hold: DefaultBotLimit, or
// FreePlanBotLimit on the Free plan. n <= 0 restores the default.
func (s *Server) SetBotLimit(n int) {
	if n <= 0 {
		n = DefaultBotLimit
	}
	s.tenant.lock()
	s.tenant.limit = n
	s.tenant.unlock()
}

// SetMutationHold sets how long every mutating call keeps its bot busy, so
// that an overlapping call on the same bot is observably refused. Calls
// holding under the previous setting are released at once. 0 turns holding off.
func (s *Server) SetMutationHold(d time.Duration) {
	s.tenant.lock()
	defer s.tenant.unlock()
	s.tenant.hold = max(d, 0)
	close(s.tenant.holdCh)
	s.tenant.holdCh = make(chan struct{})
}

// ConflictCount returns how many mutating calls were refused because another
// one on the same bot was in progress.
func (s *Server) ConflictCount() int {
	s.tenant.lock()
	defer s.tenant.unlock()
	return s.tenant.conflicts
}

// MutationsInFlight returns how many mutating bot calls are in progress now,
// on all bots together. Tests use it to see that calls on different bots run
// in parallel.
func (s *Server) MutationsInFlight() int {
	s.tenant.lock()
	defer s.tenant.unlock()
	return s.tenant.inFlight
}

// Bot returns the bot with id, as stored.
func (s *Server) Bot(id int64) (Bot, bool) {
	s.tenant.lock()
	defer s.tenant.unlock()
	st := s.tenant.bots[id]
	if st == nil {
		return Bot{}, false
	}
	return st.bot.clone(), true
}

// Bots returns every bot, by bot ID.
func (s *Server) Bots() []Bot {
	s.tenant.lock()
	defer s.tenant.unlock()
	out := make([]Bot, 0, len(s.tenant.bots))
	for _, id := range slices.Sorted(maps.Keys(s.tenant.bots)) {
		out = append(out, s.tenant.bots[id].bot.clone())
	}
	return out
}

// ModifyBot changes a bot out of band, as an administrator in the Developer
// Console would: f edits a copy, which replaces the bot (its ID and
// creation time stay), modifiedTime moves on, and registrations outside a
// narrowed allowDomains go. It reports whether the bot exists.
func (s *Server) ModifyBot(id int64, f func(*Bot)) bool {
	now := s.now()
	s.tenant.lock()
	defer s.tenant.unlock()
	st := s.tenant.bots[id]
	if st == nil {
		return false
	}
	b := st.bot.clone()
	f(&b)
	b.BotID, b.CreatedTime = st.bot.BotID, st.bot.CreatedTime
	b.ModifiedTime = nextStamp(st.bot.ModifiedTime, now)
	st.bot = b.clone()
	st.cascade()
	return true
}

// RemoveBot deletes a bot out of band, with its registrations and secret. It
// reports whether the bot existed.
func (s *Server) RemoveBot(id int64) bool {
	s.tenant.lock()
	defer s.tenant.unlock()
	if s.tenant.bots[id] == nil {
		return false
	}
	delete(s.tenant.bots, id)
	return true
}

// BotDomains returns a bot's registrations, by domain ID.
func (s *Server) BotDomains(id int64) []BotDomain {
	s.tenant.lock()
	defer s.tenant.unlock()
	st := s.tenant.bots[id]
	if st == nil {
		return nil
	}
	return st.sortedDomains()
}

// BotSecret returns the bot's current secret, "" if none was issued.
func (s *Server) BotSecret(id int64) string {
	s.tenant.lock()
	defer s.tenant.unlock()
	if st := s.tenant.bots[id]; st != nil {
		return st.secret
	}
	return ""
}

// CallbackSignature returns what LINE WORKS would send in X-WORKS-Signature
// with a callback of body from bot id: base64(HMAC-SHA256(key = the bot's
// current secret, message = body)). It is "" when the bot has no secret.
func (s *Server) CallbackSignature(id int64, body []byte) string {
	secret := s.BotSecret(id)
	if secret == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// cascade deletes the registrations a narrowed allowDomains no longer
// allows, as the service does.
func (st *botState) cascade() {
	if st.bot.AllowDomains == nil {
		return
	}
	for id := range st.domains {
		if !slices.Contains(st.bot.AllowDomains, id) {
			delete(st.domains, id)
		}
	}
}

func (st *botState) sortedDomains() []BotDomain {
	out := make([]BotDomain, 0, len(st.domains))
	for _, id := range slices.Sorted(maps.Keys(st.domains)) {
		out = append(out, st.domains[id])
	}
	return out
}

// nextStamp is the service's time for a change made at now: whole seconds,
// and always later than prev, so that modifiedTime changes with every
// update even when the clock is fixed or fast calls share a second.
func nextStamp(prev, now time.Time) time.Time {
	t := now.UTC().Truncate(time.Second)
	if !prev.IsZero() && !t.After(prev) {
		t = prev.Add(time.Second)
	}
	return t
}

func newBotSecret() string {
	b := make([]byte, 24)
	rand.Read(b) // never fails; see crypto/rand.Read
	return base64.StdEncoding.EncodeToString(b)
}

// serveBots serves the bot management API (bot-create … bot-domain-delete)
// and reports whether the path was one of its own. The attachment paths
// under /bots/{botId} are not.
func (s *Server) serveBots(w http.ResponseWriter, r *http.Request, t *token) bool {
	seg := strings.Split(r.URL.EscapedPath(), "/")
	if len(seg) < 3 || seg[0] != "" || seg[1] != "v1.0" || seg[2] != "bots" {
		return false
	}
	switch {
	case len(seg) == 3:
		s.serveBotCollection(w, r, t)
	case len(seg) == 4 && seg[3] != "":
		s.serveBot(w, r, t, seg[3])
	case len(seg) == 5 && seg[3] != "" && seg[4] == "secret":
		s.serveBotSecret(w, r, t, seg[3])
	case len(seg) == 5 && seg[3] != "" && seg[4] == "domains":
		s.serveBotDomainList(w, r, t, seg[3])
	case len(seg) == 6 && seg[3] != "" && seg[4] == "domains" && seg[5] != "":
		s.serveBotDomain(w, r, t, seg[3], seg[5])
	default:
		return false
	}
	return true
}

// allowMethods answers 405 unless r.Method is one of methods.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	if slices.Contains(methods, r.Method) {
		return true
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	apiError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed.") // inferred
	return false
}

// allowScope answers 403 FORBIDDEN unless t may make the call: "bot" for
// everything, "bot.read" for reads only.
func allowScope(w http.ResponseWriter, r *http.Request, t *token) bool {
	if slices.Contains(t.scopes, "bot") || (r.Method == http.MethodGet && slices.Contains(t.scopes, "bot.read")) {
		return true
	}
	need := "bot"
	if r.Method == http.MethodGet {
		need = "bot or bot.read"
	}
	apiError(w, http.StatusForbidden, "FORBIDDEN", "The access token lacks the required scope: "+need+".")
	return false
}

// pathID parses a bot or domain ID from an escaped path segment.
func pathID(w http.ResponseWriter, escaped, name string) (int64, bool) {
	v, ok := pathSegment(escaped)
	id, err := strconv.ParseInt(v, 10, 64)
	if !ok || err != nil || id <= 0 {
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("%s must be a positive integer, got %q", name, escaped)) // inferred
		return 0, false
	}
	return id, true
}

// readBody reads a bounded request body.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBotBody+1))
	switch {
	case err != nil:
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", "The request body could not be read.")
		return nil, false
	case len(body) > maxBotBody:
		apiError(w, http.StatusRequestEntityTooLarge, "INVALID_PARAMETER", "The request body is too large.") // inferred
		return nil, false
	}
	return body, true
}

// readJSONObject reads the request body as a JSON object, or answers the
// error and reports false. emptyOK takes an empty body as {}.
func readJSONObject(w http.ResponseWriter, r *http.Request, emptyOK bool) (map[string]json.RawMessage, bool) {
	body, ok := readBody(w, r)
	if !ok {
		return nil, false
	}
	obj, bad := jsonObject(r, body, emptyOK)
	if bad != nil {
		bad.write(w)
		return nil, false
	}
	return obj, true
}

func notFoundBot(w http.ResponseWriter, id int64) {
	apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bot %d does not exist.", id))
}

// mutate runs f as a mutating call on bot id. While one runs, the bot is
// busy: every bot page forbids add, update, delete and the domain calls in
// parallel for the same bot, and the emulator refuses the overlapping call
// (inferred: 409 CONFLICT; the docs name no code). f runs after the hold.
func (s *Server) mutate(w http.ResponseWriter, r *http.Request, id int64, f func()) {
	b := &s.tenant
	b.lock()
	if b.busy[id] {
		b.conflicts++
		b.unlock()
		apiError(w, http.StatusConflict, "CONFLICT", fmt.Sprintf(
			"Another request on bot %d is in progress. LINE WORKS does not allow add, update, delete and domain calls in parallel for the same bot: send them one at a time.", id))
		return
	}
	b.busy[id] = true
	b.inFlight++
	hold, released := b.hold, b.holdCh
	b.unlock()
	defer func() {
		b.lock()
		delete(b.busy, id)
		b.inFlight--
		b.unlock()
	}()
	if hold > 0 {
		timer := time.NewTimer(hold)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-released:
		case <-s.closed:
		case <-r.Context().Done():
			return
		}
	}
	f()
}

// serveBotCollection serves GET /bots (bot-list) and POST /bots (bot-create).
func (s *Server) serveBotCollection(w http.ResponseWriter, r *http.Request, t *token) {
	if !allowMethods(w, r, http.MethodGet, http.MethodPost) || !allowScope(w, r, t) {
		return
	}
	if r.Method == http.MethodGet {
		s.listBots(w, r)
		return
	}
	obj, ok := readJSONObject(w, r, false)
	if !ok {
		return
	}
	var bot Bot
	set, bad := decodeBotFields(obj, &bot)
	if bad != nil {
		bad.write(w)
		return
	}
	if !set["channelEvents"] {
		bot.ChannelEvents = slices.Clone(DefaultChannelEvents)
	}
	now := s.now()
	b := &s.tenant
	b.lock()
	defer b.unlock()
	if bad := checkBot(&bot, b); bad != nil {
		bad.write(w)
		return
	}
	if len(b.bots) >= b.limit {
		// inferred: the docs give the limit, not the answer.
		apiError(w, http.StatusBadRequest, "LIMIT_EXCEEDED", fmt.Sprintf(
			"The tenant already has %d bots, the most it may hold (300; 10 on the Free plan). Delete a bot before adding another.", len(b.bots)))
		return
	}
	bot.BotID = b.nextID
	b.nextID++
	bot.CreatedTime = nextStamp(time.Time{}, now)
	bot.ModifiedTime = bot.CreatedTime
	b.bots[bot.BotID] = &botState{bot: bot.clone(), domains: map[int64]BotDomain{}}
	// inferred: 201, as a third-party wrapper that follows the docs' status
	// codes reports; the docs' create response section was not available.
	writeJSON(w, http.StatusCreated, "application/json", bot.clone())
}

// page reads count and cursor. The cursor is opaque to clients: here the
// standard base64 of a marker, the list it belongs to, the last ID listed
// and a checksum, so that a cursor altered or cut short is refused. It
// carries '+' and '/', as real cursors may, so a client that does not escape
// it fails here as it would in production.
func page(w http.ResponseWriter, r *http.Request, list string) (count int, after int64, ok bool) {
	q := r.URL.Query()
	count = defaultPageSize
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("count must be an integer from 1 to %d, got %q", maxPageSize, v))
			return 0, 0, false
		}
		count = n
	}
	if v := q.Get("cursor"); v != "" {
		a, valid := decodeCursor(v, list)
		if !valid {
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("cursor %q is not a cursor this list returned", v))
			return 0, 0, false
		}
		after = a
	}
	return count, after, true
}

var cursorMarker = []byte{0xfb, 0xef, 0xff} // "++//" in base64

const cursorSumLen = 4

func encodeCursor(list string, after int64) string {
	raw := append(slices.Clone(cursorMarker), fmt.Sprintf("%s:%d", list, after)...)
	sum := sha256.Sum256(raw)
	return base64.StdEncoding.EncodeToString(append(raw, sum[:cursorSumLen]...))
}

func decodeCursor(v, list string) (int64, bool) {
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(raw) < len(cursorMarker)+cursorSumLen {
		return 0, false
	}
	raw, sum := raw[:len(raw)-cursorSumLen], raw[len(raw)-cursorSumLen:]
	if want := sha256.Sum256(raw); !hmac.Equal(sum, want[:cursorSumLen]) || !bytes.HasPrefix(raw, cursorMarker) {
		return 0, false
	}
	l, id, ok := strings.Cut(string(raw[len(cursorMarker):]), ":")
	after, err := strconv.ParseInt(id, 10, 64)
	return after, ok && err == nil && l == list
}

// pageOf returns up to count of ids (sorted) after after, and the cursor of
// the next page or nil.
func pageOf(ids []int64, count int, after int64, list string) ([]int64, *string) {
	i, _ := slices.BinarySearch(ids, after+1)
	ids = ids[i:]
	if len(ids) <= count {
		return ids, nil
	}
	next := encodeCursor(list, ids[count-1])
	return ids[:count], &next
}

type responseMetaData struct {
	NextCursor *string `json:"nextCursor"` // inferred: null on the last page
}

// listBots serves GET /bots: summaries, by bot ID.
func (s *Server) listBots(w http.ResponseWriter, r *http.Request) {
	count, after, ok := page(w, r, "bots")
	if !ok {
		return
	}
	type summary struct {
		BotID         int64          `json:"botId"`
		BotName       string         `json:"botName"`
		PhotoURL      string         `json:"photoUrl"`
		I18nBotNames  []I18nBotName  `json:"i18nBotNames"`
		I18nPhotoURLs []I18nPhotoURL `json:"i18nPhotoUrls"`
	}
	b := &s.tenant
	b.lock()
	ids, next := pageOf(slices.Sorted(maps.Keys(b.bots)), count, after, "bots")
	bots := make([]summary, 0, len(ids))
	for _, id := range ids {
		c := b.bots[id].bot.clone()
		bots = append(bots, summary{c.BotID, c.BotName, c.PhotoURL, c.I18nBotNames, c.I18nPhotoURLs})
	}
	b.unlock()
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"bots": bots, "responseMetaData": responseMetaData{next}})
}

// serveBot serves GET, PATCH, PUT and DELETE /bots/{botId}.
func (s *Server) serveBot(w http.ResponseWriter, r *http.Request, t *token, rawID string) {
	if !allowMethods(w, r, http.MethodGet, http.MethodPatch, http.MethodPut, http.MethodDelete) || !allowScope(w, r, t) {
		return
	}
	id, ok := pathID(w, rawID, "botId")
	if !ok {
		return
	}
	switch r.Method {
	case http.MethodGet:
		if bot, ok := s.Bot(id); ok {
			writeJSON(w, http.StatusOK, "application/json", bot)
		} else {
			notFoundBot(w, id)
		}
	case http.MethodDelete:
		s.mutate(w, r, id, func() {
			if s.RemoveBot(id) {
				w.WriteHeader(http.StatusNoContent)
			} else {
				notFoundBot(w, id)
			}
		})
	default:
		obj, ok := readJSONObject(w, r, false)
		if !ok {
			return
		}
		s.mutate(w, r, id, func() { s.updateBot(w, r.Method == http.MethodPut, id, obj) })
	}
}

// updateBot applies a PATCH (the fields sent) or a PUT (the whole object),
// checks the result, and cascades a narrowed allowDomains.
func (s *Server) updateBot(w http.ResponseWriter, replace bool, id int64, obj map[string]json.RawMessage) {
	now := s.now()
	b := &s.tenant
	b.lock()
	defer b.unlock()
	st := b.bots[id]
	if st == nil {
		notFoundBot(w, id)
		return
	}
	var bot Bot
	if !replace {
		bot = st.bot.clone()
	}
	set, bad := decodeBotFields(obj, &bot)
	if bad != nil {
		bad.write(w)
		return
	}
	if replace && !set["channelEvents"] {
		bot.ChannelEvents = slices.Clone(DefaultChannelEvents) // inferred: a replace without it gets the default again
	}
	if bad := checkBot(&bot, b); bad != nil {
		bad.write(w)
		return
	}
	bot.BotID, bot.CreatedTime = id, st.bot.CreatedTime
	bot.ModifiedTime = nextStamp(st.bot.ModifiedTime, now)
	st.bot = bot.clone()
	st.cascade()
	writeJSON(w, http.StatusOK, "application/json", st.bot.clone())
}

// serveBotSecret serves POST /bots/{botId}/secret (bot-secret-issue).
func (s *Server) serveBotSecret(w http.ResponseWriter, r *http.Request, t *token, rawID string) {
	if !allowMethods(w, r, http.MethodPost) || !allowScope(w, r, t) {
		return
	}
	id, ok := pathID(w, rawID, "botId")
	if !ok {
		return
	}
	// The secret call is not in the docs' list of calls that must not run in
	// parallel; the emulator serializes it all the same, the safer assumption.
	s.mutate(w, r, id, func() {
		b := &s.tenant
		b.lock()
		st := b.bots[id]
		if st == nil {
			b.unlock()
			notFoundBot(w, id)
			return
		}
		st.secret = newBotSecret()
		secret := st.secret
		b.unlock()
		writeJSON(w, http.StatusOK, "application/json", map[string]string{"secret": secret})
	})
}

// serveBotDomainList serves GET /bots/{botId}/domains (bot-domain-list).
func (s *Server) serveBotDomainList(w http.ResponseWriter, r *http.Request, t *token, rawID string) {
	if !allowMethods(w, r, http.MethodGet) || !allowScope(w, r, t) {
		return
	}
	id, ok := pathID(w, rawID, "botId")
	if !ok {
		return
	}
	list := "domains/" + strconv.FormatInt(id, 10)
	count, after, ok := page(w, r, list)
	if !ok {
		return
	}
	b := &s.tenant
	b.lock()
	st := b.bots[id]
	if st == nil {
		b.unlock()
		notFoundBot(w, id)
		return
	}
	ids, next := pageOf(slices.Sorted(maps.Keys(st.domains)), count, after, list)
	domains := make([]BotDomain, 0, len(ids))
	for _, d := range ids {
		domains = append(domains, st.domains[d])
	}
	b.unlock()
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"domains": domains, "responseMetaData": responseMetaData{next}})
}

// serveBotDomain serves POST (bot-domain-register), PUT, PATCH and DELETE
// /bots/{botId}/domains/{domainId}.
func (s *Server) serveBotDomain(w http.ResponseWriter, r *http.Request, t *token, rawID, rawDomain string) {
	if !allowMethods(w, r, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete) || !allowScope(w, r, t) {
		return
	}
	id, ok := pathID(w, rawID, "botId")
	if !ok {
		return
	}
	domainID, ok := pathID(w, rawDomain, "domainId")
	if !ok {
		return
	}
	var obj map[string]json.RawMessage
	if r.Method != http.MethodDelete {
		// inferred: an empty body is an empty object (both fields default to false).
		if obj, ok = readJSONObject(w, r, true); !ok {
			return
		}
	}
	s.mutate(w, r, id, func() { s.changeBotDomain(w, r.Method, id, domainID, obj) })
}

func (s *Server) changeBotDomain(w http.ResponseWriter, method string, id, domainID int64, obj map[string]json.RawMessage) {
	b := &s.tenant
	b.lock()
	defer b.unlock()
	st := b.bots[id]
	if st == nil {
		notFoundBot(w, id)
		return
	}
	cur, registered := st.domains[domainID]
	if method != http.MethodPost && !registered {
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bot %d is not registered in domain %d.", id, domainID))
		return
	}
	switch method {
	case http.MethodDelete:
		delete(st.domains, domainID)
		w.WriteHeader(http.StatusNoContent)
		return
	case http.MethodPost:
		if !b.domains[domainID] {
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("domainId %d is not a domain of this tenant.", domainID)) // inferred: 400 rather than 404
			return
		}
		if st.bot.AllowDomains != nil && !slices.Contains(st.bot.AllowDomains, domainID) {
			// bot-domain-register: the domain must be in the bot's allowDomains (code inferred).
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("domainId %d is not in the bot's allowDomains %v: add it there first.", domainID, st.bot.AllowDomains))
			return
		}
		if registered {
			apiError(w, http.StatusConflict, "ALREADY_EXISTS", fmt.Sprintf("Bot %d is already registered in domain %d: update the registration instead.", id, domainID)) // inferred
			return
		}
		cur = BotDomain{}
	case http.MethodPut:
		cur = BotDomain{} // a replace: fields not sent are false again
	}
	cur.DomainID = domainID
	if bad := decodeDomainFields(obj, &cur); bad != nil {
		bad.write(w)
		return
	}
	st.domains[domainID] = cur
	status := http.StatusOK
	if method == http.MethodPost {
		status = http.StatusCreated
	}
	writeJSON(w, status, "application/json", cur)
}
