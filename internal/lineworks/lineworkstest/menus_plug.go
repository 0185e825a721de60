package lineworkstest

// How the menu component plugs into Server: the menuHost it needs, built on
// the bot store, the attachment uploads and the token table, and the routing
// of API requests to its routes. Only this file and the lines that call it
// know both sides.

import (
	"net/http"
	"slices"
	"strconv"
)

// menuPlug is the Server's menu component and the mux its routes live on.
type menuPlug struct {
	menus *Menus
	mux   *http.ServeMux
}

func newMenuPlug(s *Server) *menuPlug {
	p := &menuPlug{menus: newMenus(serverMenuHost{s}), mux: http.NewServeMux()}
	p.menus.mount(p.mux)
	return p
}

// Menus returns the emulator's rich menus, persistent menus and bot domain
// members, and the settings of their answers.
func (s *Server) Menus() *Menus { return s.menus.menus }

// serveMenus serves r when it is one of the menu component's routes, and
// reports whether it was. The API host has checked the token already.
func (s *Server) serveMenus(w http.ResponseWriter, r *http.Request) bool {
	if _, pattern := s.menus.mux.Handler(r); pattern == "" {
		return false
	}
	s.menus.mux.ServeHTTP(w, r) // sets the path values Handler does not
	return true
}

// serverMenuHost is the menuHost of a Server.
type serverMenuHost struct{ s *Server }

func (h serverMenuHost) botExists(botID int64) bool {
	_, ok := h.s.Bot(botID)
	return ok
}

func (h serverMenuHost) botDomain(botID, domainID int64) (registered, limited bool) {
	for _, d := range h.s.BotDomains(botID) {
		if d.DomainID == domainID {
			return true, d.AllowToSelectedMember
		}
	}
	return false, false
}

func (h serverMenuHost) user(id string) (string, bool) {
	t := &h.s.tenant
	t.lock()
	defer t.unlock()
	return id, t.users[id]
}

func (h serverMenuHost) defaultRichMenu(botID int64) (string, bool) {
	b, ok := h.s.Bot(botID)
	return b.DefaultRichmenuID, ok
}

func (h serverMenuHost) setDefaultRichMenu(botID int64, id string) bool {
	return h.s.ModifyBot(botID, func(b *Bot) { b.DefaultRichmenuID = id })
}

func (h serverMenuHost) mutate(w http.ResponseWriter, r *http.Request, botID int64, f func()) {
	h.s.mutate(w, r, botID, f)
}

func (h serverMenuHost) uploadedFile(botID int64, fileID string) (UploadedFile, bool) {
	now := h.s.now()
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	a := h.s.attachments[strconv.FormatInt(botID, 10)][fileID]
	// Only uploads expire; a file added with AddAttachment was sent by a
	// user, not uploaded by the bot, and is not an upload's file ID.
	if a == nil || a.expires.IsZero() || a.gone(now) {
		return UploadedFile{}, false
	}
	return UploadedFile{FileName: a.FileName, ContentType: a.ContentType, Content: slices.Clone(a.Content)}, true
}

func (h serverMenuHost) scopes(r *http.Request) []string {
	v, _ := bearerToken(r)
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if t := h.s.tokens[v]; t != nil {
		return slices.Clone(t.scopes)
	}
	return nil
}
