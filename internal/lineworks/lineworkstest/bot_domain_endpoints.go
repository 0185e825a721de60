package lineworkstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// listDomains is GET /bots/{botId}/domains (bot-domain-list). There is no
// GET for one registration.
func (b *Bots) listDomains(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := botRoute(w, r, t)
	if !ok {
		return
	}
	list := "domains/" + strconv.FormatInt(id, 10)
	count, after, ok := page(w, r, list)
	if !ok {
		return
	}
	forms := b.forms.Get()
	b.mu.Lock()
	st := b.bots[id]
	if st == nil {
		b.mu.Unlock()
		b.missing(w, id)
		return
	}
	ids, next := pageOf(slices.Sorted(maps.Keys(st.domains)), count, after, list)
	domains := make([]BotDomain, 0, len(ids))
	for _, d := range ids {
		domains = append(domains, st.domains[d])
	}
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"domains": domains, "responseMetaData": forms.pageMeta(next)})
}

// changeDomain is POST (bot-domain-register), PUT, PATCH and DELETE
// /bots/{botId}/domains/{domainId}.
func (b *Bots) changeDomain(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := botRoute(w, r, t)
	if !ok {
		return
	}
	domainID, ok := pathID(w, r, "domainId")
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
	b.guard.mutate(w, r, id, func() { b.changeDomainNow(w, r.Method, id, domainID, obj) })
}

func (b *Bots) changeDomainNow(w http.ResponseWriter, method string, id, domainID int64, obj map[string]json.RawMessage) {
	b.mu.Lock()
	st := b.bots[id]
	if st == nil {
		b.mu.Unlock()
		b.missing(w, id)
		return
	}
	cur, registered := st.domains[domainID]
	if method != http.MethodPost && !registered {
		b.mu.Unlock()
		notFound(w)
		return
	}
	if method == http.MethodDelete {
		delete(st.domains, domainID)
		b.mu.Unlock()
		b.removed(id, domainID)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	defer b.mu.Unlock()
	switch method {
	case http.MethodPost:
		if !b.dir.HasDomain(domainID) {
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
