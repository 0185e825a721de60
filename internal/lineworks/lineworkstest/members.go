package lineworkstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// membersOf returns the member list of a bot's registration, with m.mu held,
// or answers the error (m.mu not held). A registration that is gone takes
// its members with it.
func (m *Menus) membersOf(w http.ResponseWriter, botID, domainID int64) (l *memberList, limited, ok bool) {
	registered, limited := m.host.botDomain(botID, domainID)
	st, ok := m.lockBot(w, botID)
	if !ok {
		return nil, false, false
	}
	if !registered {
		delete(st.members, domainID)
		m.mu.Unlock()
		apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bot %d is not registered in domain %d.", botID, domainID))
		return nil, false, false
	}
	l = st.members[domainID]
	if l == nil {
		l = &memberList{seq: make(map[string]int64)}
		st.members[domainID] = l
	}
	return l, limited, true
}

// notLimited answers a member change on a registration open to all users
// (inferred: the docs do not say what the service does).
func notLimited(w http.ResponseWriter, botID, domainID int64) {
	apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf(
		"The registration of bot %d in domain %d is open to all users (allowToSelectedMember is false): set allowToSelectedMember to true to choose its members.", botID, domainID))
}

// serveMembers serves POST (bot-domain-member-create: 201) and GET
// (bot-domain-member-list) /bots/{botId}/domains/{domainId}/members.
func (m *Menus) serveMembers(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, memberScopes, http.MethodGet, http.MethodPost)
	if !ok {
		return
	}
	domainID, ok := pathID(w, r, "domainId")
	if !ok {
		return
	}
	if r.Method == http.MethodGet {
		m.listMembers(w, r, botID, domainID)
		return
	}
	userID, ok := decodeBody(w, r, decodeMember)
	if !ok {
		return
	}
	user, known := m.host.user(userID)
	m.changeMembers(w, r, botID, domainID, func(l *memberList) {
		switch _, member := l.seq[user]; {
		case !known:
			invalidf("userId %q is not a user of this tenant", userID).write(w) // inferred: 400 rather than 404
		case member:
			// ALREADY_EXIST is in the docs' list of codes; its use here is inferred.
			apiError(w, http.StatusConflict, "ALREADY_EXIST", fmt.Sprintf("User %q already may use bot %d in domain %d.", user, botID, domainID))
		default:
			l.next++
			l.seq[user] = l.next
			w.WriteHeader(http.StatusCreated)
		}
	})
}

// decodeMember reads the body of POST …/members: {"userId"}.
func decodeMember(obj map[string]json.RawMessage) (string, *invalid) {
	for _, k := range sortedKeys(obj) {
		if k != "userId" {
			return "", invalidf("%s is not a field of a bot user: expected userId", k)
		}
	}
	raw, ok := obj["userId"]
	if !ok {
		return "", invalidf("userId is required: a user ID or login ID (email)")
	}
	return jsonString(raw, "userId")
}

// changeMembers runs f as a mutating call on the members of a bot's
// registration that is limited to selected members.
func (m *Menus) changeMembers(w http.ResponseWriter, r *http.Request, botID, domainID int64, f func(l *memberList)) {
	m.host.mutate(w, r, botID, func() {
		l, limited, ok := m.membersOf(w, botID, domainID)
		if !ok {
			return
		}
		defer m.mu.Unlock()
		if !limited {
			notLimited(w, botID, domainID)
			return
		}
		f(l)
	})
}

// listMembers serves GET …/members: user IDs in the order they were added,
// or "All users" in the form AnswerForms.AllUsersMembers says for a registration
// that is not limited.
func (m *Menus) listMembers(w http.ResponseWriter, r *http.Request, botID, domainID int64) {
	list := "members/" + strconv.FormatInt(botID, 10) + "/" + strconv.FormatInt(domainID, 10)
	count, after, ok := page(w, r, list)
	if !ok {
		return
	}
	l, limited, ok := m.membersOf(w, botID, domainID)
	if !ok {
		return
	}
	bySeq := make(map[int64]string, len(l.seq))
	for u, seq := range l.seq {
		bySeq[seq] = u
	}
	m.mu.Unlock()
	forms := m.host.forms()
	if !limited {
		switch forms.AllUsersMembers {
		case AllUsersString:
			writeJSON(w, http.StatusOK, "application/json", map[string]any{"members": AllUsers, "responseMetaData": forms.pageMeta(nil)})
		case AllUsersBody:
			writeJSON(w, http.StatusOK, "application/json", AllUsers)
		default:
			writeJSON(w, http.StatusOK, "application/json", map[string]any{"members": []string{AllUsers}, "responseMetaData": forms.pageMeta(nil)})
		}
		return
	}
	seqs, next := pageOf(slices.Sorted(maps.Keys(bySeq)), count, after, list)
	members := make([]string, 0, len(seqs))
	for _, seq := range seqs {
		members = append(members, bySeq[seq])
	}
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"members": members, "responseMetaData": forms.pageMeta(next)})
}

// serveMember serves DELETE /bots/{botId}/domains/{domainId}/members/{userId}
// (bot-domain-member-delete: 204). A user who is not a member answers 404
// (inferred).
func (m *Menus) serveMember(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, memberScopes, http.MethodDelete)
	if !ok {
		return
	}
	domainID, ok := pathID(w, r, "domainId")
	if !ok {
		return
	}
	user, _ := m.host.user(r.PathValue("userId"))
	m.changeMembers(w, r, botID, domainID, func(l *memberList) {
		if _, member := l.seq[user]; !member {
			apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("User %q is not a member of bot %d in domain %d.", r.PathValue("userId"), botID, domainID))
			return
		}
		delete(l.seq, user)
		w.WriteHeader(http.StatusNoContent)
	})
}
