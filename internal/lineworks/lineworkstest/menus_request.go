package lineworkstest

// What every menu handler does first: check the method, the token's scopes
// and the bot ID, read the body, and take the bot's menus under the lock,
// within the bot's mutation check for a change.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// scopeSet says which scopes a family of calls accepts.
type scopeSet int

const (
	// menuScopes: bot or bot.message, and bot.read for reads
	// (bot-richmenu-*, bot-persistentmenu-*).
	menuScopes scopeSet = iota
	// memberScopes: bot, and bot.read for reads (bot-domain-member-*).
	memberScopes
)

// begin checks the method, the token's scopes and the bot ID of a request,
// answering the error and reporting false when one is wrong.
func (m *Menus) begin(w http.ResponseWriter, r *http.Request, need scopeSet, methods ...string) (int64, bool) {
	if !allowMethods(w, r, methods...) {
		return 0, false
	}
	scopes := m.host.scopes(r)
	read := r.Method == http.MethodGet
	allowed := slices.Contains(scopes, "bot") ||
		read && slices.Contains(scopes, "bot.read") ||
		need == menuScopes && slices.Contains(scopes, "bot.message")
	if !allowed {
		want := map[[2]bool]string{
			{false, false}: "bot or bot.message", {false, true}: "bot, bot.message or bot.read",
			{true, false}: "bot", {true, true}: "bot or bot.read",
		}[[2]bool{need == memberScopes, read}]
		apiError(w, http.StatusForbidden, "FORBIDDEN", "The access token lacks the required scope: "+want+".")
		return 0, false
	}
	return pathID(w, r, "botId")
}

// lockBot returns the bot's state with m.mu held, or answers 404 for a bot
// that does not exist (m.mu not held).
func (m *Menus) lockBot(w http.ResponseWriter, botID int64) (*botMenus, bool) {
	st, ok := m.live(botID)
	if !ok {
		m.host.missing(w, botID)
	}
	return st, ok
}

// change runs f as a mutating call on the bot, with its state and m.mu held.
func (m *Menus) change(w http.ResponseWriter, r *http.Request, botID int64, f func(st *botMenus)) {
	m.host.mutate(w, r, botID, func() {
		st, ok := m.lockBot(w, botID)
		if !ok {
			return
		}
		defer m.mu.Unlock()
		f(st)
	})
}

// decodeBody reads the request's JSON object with decode, or answers the error.
func decodeBody[T any](w http.ResponseWriter, r *http.Request, decode func(map[string]json.RawMessage) (T, *invalid)) (T, bool) {
	var v T
	obj, ok := readJSONObject(w, r, false)
	if !ok {
		return v, false
	}
	v, bad := decode(obj)
	if bad != nil {
		bad.write(w)
		return v, false
	}
	return v, true
}

// allowMethods answers 405 unless r.Method is one of methods: the menu
// routes match every method and check it themselves.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	if slices.Contains(methods, r.Method) {
		return true
	}
	methodNotAllowed(w, strings.Join(methods, ", "))
	return false
}
