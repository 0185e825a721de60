package lineworkstest

import (
	"fmt"
	"net/http"
)

// servePersistentMenu serves POST (bot-persistentmenu-create), GET
// (bot-persistentmenu-get) and DELETE (bot-persistentmenu-delete)
// /bots/{botId}/persistentmenu.
func (m *Menus) servePersistentMenu(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodGet, http.MethodPost, http.MethodDelete)
	if !ok {
		return
	}
	switch r.Method {
	case http.MethodGet:
		m.getPersistentMenu(w, botID)
	case http.MethodDelete:
		m.change(w, r, botID, func(st *botMenus) {
			if st.persistent == nil {
				noPersistentMenu(w, botID) // inferred
				return
			}
			st.persistent = nil
			w.WriteHeader(http.StatusNoContent)
		})
	default:
		menu, ok := decodeBody(w, r, decodePersistentMenu)
		if !ok {
			return
		}
		m.change(w, r, botID, func(st *botMenus) {
			if n := len(st.richMenus); n > 0 {
				// bot-persistentmenu-create: no persistent menu while rich
				// menus exist. The status and code are inferred.
				apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf(
					"Bot %d has %d rich menus: a persistent menu cannot be added while a bot has rich menus. Delete them first.", botID, n))
				return
			}
			// A POST replaces the menu (inferred). 201 per a third-party
			// audit of the docs; no body, as API 1.0 answered (inferred).
			st.persistent = &menu
			w.WriteHeader(http.StatusCreated)
		})
	}
}

func (m *Menus) getPersistentMenu(w http.ResponseWriter, botID int64) {
	st, ok := m.lockBot(w, botID)
	if !ok {
		return
	}
	var menu *PersistentMenu
	if st.persistent != nil {
		c := st.persistent.clone()
		menu = &c
	}
	m.mu.Unlock()
	form := m.host.forms().PersistentMenuNone
	switch {
	case menu != nil:
		writeJSON(w, http.StatusOK, "application/json", map[string]any{"content": menu})
	case form == PersistentMenuNoneEmpty:
		writeJSON(w, http.StatusOK, "application/json", map[string]any{"content": PersistentMenu{Actions: []MenuAction{}}})
	default:
		noPersistentMenu(w, botID)
	}
}

func noPersistentMenu(w http.ResponseWriter, botID int64) {
	apiError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bot %d has no persistent menu.", botID))
}
