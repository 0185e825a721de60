package lineworkstest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// richMenuID parses a rich menu ID from the path; one that cannot be a rich
// menu's is answered as a menu that does not exist (inferred).
func richMenuID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	v := r.PathValue("richmenuId")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		notFoundRichMenu(w, v)
		return 0, false
	}
	return id, true
}

func notFoundRichMenu(w http.ResponseWriter, id string) {
	apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Rich menu %q does not exist.", id)) // inferred
}

// serveRichMenus serves POST (bot-richmenu-create) and GET
// (bot-richmenu-list) /bots/{botId}/richmenus.
func (m *Menus) serveRichMenus(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodGet, http.MethodPost)
	if !ok {
		return
	}
	if r.Method == http.MethodGet {
		m.listRichMenus(w, r, botID)
		return
	}
	menu, ok := decodeBody(w, r, decodeRichMenu)
	if !ok {
		return
	}
	m.change(w, r, botID, func(st *botMenus) {
		if len(st.richMenus) >= MaxRichMenusPerBot {
			// The limit is documented; the answer is inferred.
			apiError(w, http.StatusBadRequest, "LIMIT_EXCEEDED", fmt.Sprintf(
				"Bot %d already has %d rich menus, the most a bot may hold. Delete one before adding another.", botID, len(st.richMenus)))
			return
		}
		id := m.nextID
		m.nextID++
		menu.RichMenuID = strconv.FormatInt(id, 10)
		st.richMenus[id] = &menu
		// bot-menu: adding a rich menu deletes the persistent menu.
		st.persistent = nil
		// 201 per a third-party audit of the docs (inferred).
		if m.host.forms().RichMenuCreateAnswer == RichMenuCreateIDOnly {
			writeJSON(w, http.StatusCreated, "application/json", map[string]string{"richmenuId": menu.RichMenuID})
			return
		}
		writeJSON(w, http.StatusCreated, "application/json", menu.clone())
	})
}

// listRichMenus serves GET /bots/{botId}/richmenus, by rich menu ID.
func (m *Menus) listRichMenus(w http.ResponseWriter, r *http.Request, botID int64) {
	list := "richmenus/" + strconv.FormatInt(botID, 10)
	count, after, ok := page(w, r, list)
	if !ok {
		return
	}
	st, ok := m.lockBot(w, botID)
	if !ok {
		return
	}
	ids, next := pageOf(slices.Sorted(maps.Keys(st.richMenus)), count, after, list)
	menus := make([]RichMenu, 0, len(ids))
	for _, id := range ids {
		menus = append(menus, st.richMenus[id].clone())
	}
	m.mu.Unlock()
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"richmenus": menus, "responseMetaData": m.host.forms().pageMeta(next)})
}

// serveRichMenu serves GET (bot-richmenu-get) and DELETE
// (bot-richmenu-delete) /bots/{botId}/richmenus/{richmenuId}.
func (m *Menus) serveRichMenu(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodGet, http.MethodDelete)
	if !ok {
		return
	}
	if r.Method == http.MethodDelete {
		m.host.mutate(w, r, botID, func() {
			if !m.host.botExists(botID) {
				m.host.missing(w, botID)
			} else if m.deleteRichMenu(botID, r.PathValue("richmenuId")) {
				w.WriteHeader(http.StatusNoContent)
			} else {
				notFoundRichMenu(w, r.PathValue("richmenuId"))
			}
		})
		return
	}
	id, ok := richMenuID(w, r)
	if !ok {
		return
	}
	st, ok := m.lockBot(w, botID)
	if !ok {
		return
	}
	menu := st.richMenus[id]
	var c RichMenu
	if menu != nil {
		c = menu.clone()
	}
	m.mu.Unlock()
	if menu == nil {
		notFoundRichMenu(w, r.PathValue("richmenuId"))
		return
	}
	writeJSON(w, http.StatusOK, "application/json", c)
}

// deleteRichMenu deletes a rich menu with its image, and takes the default
// and the per-user assignments that point at it with it (inferred: the docs
// do not say; a menu that is gone cannot be shown).
func (m *Menus) deleteRichMenu(botID int64, richMenuID string) bool {
	id, err := strconv.ParseInt(richMenuID, 10, 64)
	if err != nil {
		return false
	}
	def, _ := m.host.defaultRichMenu(botID)
	st, ok := m.live(botID)
	if !ok {
		return false
	}
	if st.richMenus[id] == nil {
		m.mu.Unlock()
		return false
	}
	delete(st.richMenus, id)
	delete(st.images, id)
	maps.DeleteFunc(st.users, func(_ string, menu int64) bool { return menu == id })
	m.mu.Unlock()
	if def == richMenuID {
		m.host.setDefaultRichMenu(botID, "")
	}
	return true
}

// richMenuExists reports whether the bot has the rich menu.
func (m *Menus) richMenuExists(botID int64, richMenuID string) bool {
	id, err := strconv.ParseInt(richMenuID, 10, 64)
	st, ok := m.live(botID)
	if !ok {
		return false
	}
	defer m.mu.Unlock()
	return err == nil && st.richMenus[id] != nil
}

// serveSetDefault serves POST /bots/{botId}/richmenus/{richmenuId}/set-default
// (bot-default-richmenu-set): 201 {"botId","defaultRichmenuId"}. The default
// is the bot's defaultRichmenuId, which PATCH /bots/{botId} also sets.
func (m *Menus) serveSetDefault(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodPost)
	if !ok {
		return
	}
	id := r.PathValue("richmenuId")
	m.host.mutate(w, r, botID, func() {
		switch {
		case !m.host.botExists(botID):
			m.host.missing(w, botID)
		case !m.richMenuExists(botID, id):
			notFoundRichMenu(w, id)
		case !m.host.setDefaultRichMenu(botID, id):
			m.host.missing(w, botID)
		default:
			writeJSON(w, http.StatusCreated, "application/json", map[string]any{"botId": botID, "defaultRichmenuId": id})
		}
	})
}

// serveDefault serves GET (bot-default-richmenu-get) and DELETE
// (bot-default-richmenu-delete) /bots/{botId}/richmenus/default. A bot
// without a default answers 404 to both, as real clients expect (inferred).
func (m *Menus) serveDefault(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodGet, http.MethodDelete)
	if !ok {
		return
	}
	answer := func() {
		def, exists := m.host.defaultRichMenu(botID)
		switch {
		case !exists:
			m.host.missing(w, botID)
		// A default PATCH /bots set to a menu that does not exist is none.
		case def == "" || !m.richMenuExists(botID, def):
			apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bot %d has no default rich menu.", botID))
		case r.Method == http.MethodDelete:
			m.host.setDefaultRichMenu(botID, "")
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, http.StatusOK, "application/json", map[string]any{"botId": botID, "defaultRichmenuId": def})
		}
	}
	if r.Method == http.MethodGet {
		answer()
		return
	}
	m.host.mutate(w, r, botID, answer)
}

// serveSetUserRichMenu serves POST
// /bots/{botId}/richmenus/{richmenuId}/users/{userId} (bot-richmenu-user-set): 204.
func (m *Menus) serveSetUserRichMenu(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodPost)
	if !ok {
		return
	}
	user, known := m.host.user(r.PathValue("userId"))
	m.change(w, r, botID, func(st *botMenus) {
		id, err := strconv.ParseInt(r.PathValue("richmenuId"), 10, 64)
		switch {
		case err != nil || st.richMenus[id] == nil:
			notFoundRichMenu(w, r.PathValue("richmenuId"))
		case !known:
			notFoundUser(w, r.PathValue("userId"))
		default:
			st.users[user] = id
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

func notFoundUser(w http.ResponseWriter, id string) {
	apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("User %q does not exist.", id)) // inferred
}

// serveUserRichMenu serves GET (bot-richmenu-user-get: the whole rich menu)
// and DELETE (bot-richmenu-user-delete) /bots/{botId}/richmenus/users/{userId}.
// A user without a menu of their own answers 404 to both (inferred).
func (m *Menus) serveUserRichMenu(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodGet, http.MethodDelete)
	if !ok {
		return
	}
	user, known := m.host.user(r.PathValue("userId"))
	answer := func(st *botMenus) {
		id, assigned := st.users[user]
		switch {
		case !known:
			notFoundUser(w, r.PathValue("userId"))
		case !assigned:
			apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("User %q has no rich menu of their own on bot %d.", user, botID))
		case r.Method == http.MethodDelete:
			delete(st.users, user)
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, http.StatusOK, "application/json", st.richMenus[id].clone())
		}
	}
	if r.Method == http.MethodDelete {
		m.change(w, r, botID, answer)
		return
	}
	if st, ok := m.lockBot(w, botID); ok {
		defer m.mu.Unlock()
		answer(st)
	}
}
