package lineworkstest

// How the menu component plugs into Server: the menuHost it needs, built on
// the Bots, Directory and Storage components, and its routes on the API
// host's mux (behind the host's preamble: faults, rate limit, token). Only
// this file and the lines in Start that call it know both sides.

import (
	"bytes"
	"net/http"
	"strconv"
)

// newMenusOn builds the menu component for s and mounts its routes.
func newMenusOn(s *Server) *Menus {
	m := newMenus(serverMenuHost{s})
	m.mount(s.apiRoutes.mux())
	s.Bots.onRemoval(m.forget)
	return m
}

// serverMenuHost is the menuHost of a Server.
type serverMenuHost struct{ s *Server }

func (h serverMenuHost) botExists(botID int64) bool { return h.s.Bots.botExists(botID) }

func (h serverMenuHost) botDomain(botID, domainID int64) (registered, limited bool) {
	d, ok := h.s.Bots.registration(botID, domainID)
	return ok, d.AllowToSelectedMember
}

// user keeps a user as the request named them, or, where the answer forms
// give users back as IDs, as the user's ID: a member added by login e-mail
// is then listed by ID, and a per-user menu set by e-mail is found by ID.
func (h serverMenuHost) user(id string) (string, bool) {
	u, ok := h.s.Directory.User(id)
	if ok && h.s.Forms.Get().Administrators == UsersAsIDs {
		return u.UserID, true
	}
	return id, ok
}

func (h serverMenuHost) defaultRichMenu(botID int64) (string, bool) {
	b, ok := h.s.Bots.Get(botID)
	return b.DefaultRichmenuID, ok
}

func (h serverMenuHost) setDefaultRichMenu(botID int64, id string) bool {
	return h.s.Bots.Modify(botID, func(b *Bot) { b.DefaultRichmenuID = id })
}

func (h serverMenuHost) mutate(w http.ResponseWriter, r *http.Request, botID int64, f func()) {
	h.s.Bots.mutate(w, r, botID, f)
}

func (h serverMenuHost) uploadedFile(botID int64, fileID string) (UploadedFile, bool) {
	a, ok := h.s.Storage.Upload(strconv.FormatInt(botID, 10), fileID)
	if !ok {
		return UploadedFile{}, false
	}
	return UploadedFile{FileName: a.FileName, ContentType: a.ContentType, Content: bytes.Clone(a.Content)}, true
}

func (h serverMenuHost) scopes(r *http.Request) []string { return requestScopes(r) }

func (h serverMenuHost) missing(w http.ResponseWriter, botID int64) { h.s.Bots.missing(w, botID) }

func (h serverMenuHost) forms() AnswerForms { return h.s.Forms.Get() }
