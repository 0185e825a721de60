package lineworkstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"
)

// mount registers the bot management routes on the API host.
func (b *Bots) mount(api *apiRoutes) {
	api.handle("GET /v1.0/bots", b.listBots)
	api.handle("POST /v1.0/bots", b.createBot)
	api.handle("GET /v1.0/bots/{botId}", b.getBot)
	api.handle("PATCH /v1.0/bots/{botId}", b.updateBot)
	api.handle("PUT /v1.0/bots/{botId}", b.updateBot)
	api.handle("DELETE /v1.0/bots/{botId}", b.deleteBot)
	api.handle("POST /v1.0/bots/{botId}/secret", b.issueSecret)
	api.handle("GET /v1.0/bots/{botId}/domains", b.listDomains)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		api.handle(m+" /v1.0/bots/{botId}/domains/{domainId}", b.changeDomain)
	}
}

// allowScope answers 403 FORBIDDEN unless t may make the bot call: "bot"
// for everything, "bot.read" for reads only.
func allowScope(w http.ResponseWriter, r *http.Request, t *token) bool {
	if r.Method == http.MethodGet {
		return requireScope(w, t, "bot", "bot.read")
	}
	return requireScope(w, t, "bot")
}

// botRoute begins every call on one bot: the scope, then the bot ID.
func botRoute(w http.ResponseWriter, r *http.Request, t *token) (int64, bool) {
	if !allowScope(w, r, t) {
		return 0, false
	}
	return pathID(w, r, "botId")
}

// createBot is POST /bots (bot-create).
func (b *Bots) createBot(w http.ResponseWriter, r *http.Request, t *token) {
	if !allowScope(w, r, t) {
		return
	}
	obj, ok := readJSONObject(w, r, false)
	if !ok {
		return
	}
	forms := b.forms.Get()
	var bot Bot
	set, bad := decodeBotFields(obj, &bot)
	if bad != nil {
		bad.write(w)
		return
	}
	if !set["channelEvents"] {
		bot.ChannelEvents = b.defaultChannelEvents(forms)
	}
	b.holdCreate()
	now := b.clock.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if bad := checkBot(&bot, b.dir, forms); bad != nil {
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
	// The docs show neither the status nor the body (answer forms). 201 by
	// default, as a third-party wrapper that follows the docs' status codes
	// reports.
	answer := forms.botAnswer(bot, b.dir)
	if forms.CreateAnswer == CreateAnswerIDOnly {
		answer = map[string]int64{"botId": bot.BotID}
	}
	writeJSON(w, forms.CreateStatus, "application/json", answer)
}

// listBots is GET /bots (bot-list): summaries, by bot ID.
func (b *Bots) listBots(w http.ResponseWriter, r *http.Request, t *token) {
	if !allowScope(w, r, t) {
		return
	}
	count, after, ok := page(w, r, "bots")
	if !ok {
		return
	}
	forms := b.forms.Get()
	type summary struct {
		BotID         int64          `json:"botId"`
		BotName       string         `json:"botName"`
		PhotoURL      string         `json:"photoUrl"`
		I18nBotNames  []I18nBotName  `json:"i18nBotNames"`
		I18nPhotoURLs []I18nPhotoURL `json:"i18nPhotoUrls"`
	}
	b.mu.Lock()
	ids, next := pageOf(slices.Sorted(maps.Keys(b.bots)), count, after, "bots")
	bots := make([]summary, 0, len(ids))
	for _, id := range ids {
		c := b.bots[id].bot.clone()
		c.PhotoURL = forms.photoURL(c.PhotoURL)
		for i := range c.I18nPhotoURLs {
			c.I18nPhotoURLs[i].PhotoURL = forms.photoURL(c.I18nPhotoURLs[i].PhotoURL)
		}
		bots = append(bots, summary{c.BotID, c.BotName, c.PhotoURL, c.I18nBotNames, c.I18nPhotoURLs})
	}
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"bots": bots, "responseMetaData": forms.pageMeta(next)})
}

// getBot is GET /bots/{botId} (bot-get).
func (b *Bots) getBot(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := botRoute(w, r, t)
	if !ok {
		return
	}
	bot, ok := b.Get(id)
	if !ok {
		b.missing(w, id)
		return
	}
	writeJSON(w, http.StatusOK, "application/json", b.forms.Get().botAnswer(bot, b.dir))
}

// deleteBot is DELETE /bots/{botId} (bot-delete).
func (b *Bots) deleteBot(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := botRoute(w, r, t)
	if !ok {
		return
	}
	b.guard.mutate(w, r, id, func() {
		if b.Remove(id) {
			w.WriteHeader(http.StatusNoContent)
		} else {
			b.missing(w, id)
		}
	})
}

// updateBot is PATCH (bot-update-patch: the fields sent) and PUT (the whole
// object) /bots/{botId}.
func (b *Bots) updateBot(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := botRoute(w, r, t)
	if !ok {
		return
	}
	obj, ok := readJSONObject(w, r, false)
	if !ok {
		return
	}
	b.guard.mutate(w, r, id, func() { b.update(w, r.Method == http.MethodPut, id, obj) })
}

// update applies a PATCH or a PUT and answers it.
func (b *Bots) update(w http.ResponseWriter, replace bool, id int64, obj map[string]json.RawMessage) {
	forms := b.forms.Get()
	bot, bad, found := b.edit(id, replace, obj)
	switch {
	case !found:
		b.missing(w, id)
	case bad != nil:
		bad.write(w)
	case forms.WriteAnswer == WriteAnswerNoBody:
		w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(w, http.StatusOK, "application/json", forms.botAnswer(bot, b.dir))
	}
}

// issueSecret is POST /bots/{botId}/secret (bot-secret-issue).
func (b *Bots) issueSecret(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := botRoute(w, r, t)
	if !ok {
		return
	}
	// The secret call is not in the docs' list of calls that must not run in
	// parallel; the emulator serializes it all the same, the safer assumption.
	b.guard.mutate(w, r, id, func() {
		b.mu.Lock()
		st := b.bots[id]
		if st == nil {
			b.mu.Unlock()
			b.missing(w, id)
			return
		}
		st.secret = newBotSecret()
		secret := st.secret
		b.mu.Unlock()
		writeJSON(w, http.StatusOK, "application/json", map[string]string{"secret": secret})
	})
}

// SetCreateHold sets how long POST /bots waits before it creates the bot
// and answers, so that a test can interrupt a client while its create is in
// flight. The bot is created when the hold ends even if the client has gone
// away meanwhile (inferred: a service that received a create carries it out;
// an interrupted apply was measured to leave the bot behind). 0, the
// default, turns holding off; a change applies to the creates that arrive
// from then on.
func (b *Bots) SetCreateHold(d time.Duration) {
	b.mu.Lock()
	b.createHold = max(d, 0)
	b.mu.Unlock()
}

// holdCreate waits out the create hold (SetCreateHold), whatever the client
// does meanwhile, or until the server closes.
func (b *Bots) holdCreate() {
	b.mu.Lock()
	hold := b.createHold
	b.mu.Unlock()
	if hold <= 0 {
		return
	}
	t := time.NewTimer(hold)
	defer t.Stop()
	select {
	case <-t.C:
	case <-b.guard.closed:
	}
}
