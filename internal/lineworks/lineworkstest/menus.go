package lineworkstest

// The menu component: rich menus with their images, the default and per-user
// rich menu, the persistent menu, and the members of a bot's domain
// registrations (bot-richmenu-*, bot-default-richmenu-*, bot-richmenu-user-*,
// bot-persistentmenu-*, bot-domain-member-*).
//
// It owns its state and its lock, and needs from the rest of the emulator
// only what menuHost says: which bots, registrations and users exist, the
// bot's defaultRichmenuId (which set-default and PATCH /bots share), the
// per-bot mutation check, the files uploaded through the attachment flow,
// and the scopes of the request's token. mount registers its routes.
//
// Where the docs are silent the emulator chooses, and says so where it
// answers ("inferred"): bounds must lie inside the menu; the image is
// checked (type, exact size, 1,000,000 bytes) when it is set on a menu,
// not at upload; a menu without an image, a bot without a default or
// persistent menu and a user without a menu answer 404; deleting a menu
// clears the default and the users' menus that point at it; a persistent
// menu while rich menus exist is 400 INVALID_PARAMETER, and its create
// answers 201 without a body; members of a registration open to all users
// cannot be added or removed (400 INVALID_PARAMETER), a member added twice
// is 409 ALREADY_EXIST, and a deleted registration takes its members with
// it. AnswerForms gives the other forms the service may answer in (the
// forms the host's forms() returns).

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"
)

// menuHost is what the menu component asks of the rest of the emulator.
type menuHost interface {
	// botExists reports whether the bot exists.
	botExists(botID int64) bool
	// botDomain reports whether the bot is registered in the domain, and
	// whether that registration is limited to selected members.
	botDomain(botID, domainID int64) (registered, allowToSelectedMember bool)
	// user returns the tenant's user that id (a user ID or login e-mail)
	// names, as the service stores it.
	user(id string) (string, bool)
	// defaultRichMenu returns the bot's defaultRichmenuId ("" for none);
	// setDefaultRichMenu sets it. Both report whether the bot exists.
	defaultRichMenu(botID int64) (string, bool)
	setDefaultRichMenu(botID int64, richMenuID string) bool
	// mutate runs f as a mutating call on the bot, or answers 409 CONFLICT
	// while another one runs.
	mutate(w http.ResponseWriter, r *http.Request, botID int64, f func())
	// uploadedFile returns a file uploaded for the bot through POST
	// /bots/{botId}/attachments and its upload URL, while its 24 hours last.
	uploadedFile(botID int64, fileID string) (UploadedFile, bool)
	// scopes returns the scopes of the request's access token, which the
	// API host has already checked.
	scopes(r *http.Request) []string
	// missing answers for a bot that does not exist, as the bot calls do.
	missing(w http.ResponseWriter, botID int64)
	// forms returns the answer forms in effect.
	forms() AnswerForms
}

// UploadedFile is a file uploaded through the attachment flow.
type UploadedFile struct {
	FileName    string
	ContentType string
	Content     []byte
}

// Documented limits (bot-richmenu-create, bot-persistentmenu-create).
const (
	// MaxRichMenusPerBot is the number of rich menus a bot may hold.
	MaxRichMenusPerBot = 1000
	// MaxRichMenuImageSize is the largest rich menu image, in bytes. The docs
	// say "1 MB"; the emulator takes the stricter reading (inferred).
	MaxRichMenuImageSize = 1_000_000

	richMenuWidth          = 2500
	maxRichMenuName        = 300
	maxRichMenuAreas       = 20
	maxPersistentActions   = 4
	firstRichMenuID        = 40001 // the docs' example rich menu ID
	richMenuLabelMax       = 20
	persistentMenuLabelMax = 1000
)

// richMenuHeights are the two documented menu heights (the width is 2500).
var richMenuHeights = []int{843, 1686}

// Menus is the menu component of the emulator. It is safe for concurrent use.
type Menus struct {
	host menuHost

	mu     sync.Mutex
	bots   map[int64]*botMenus
	nextID int64
}

// botMenus is everything the component keeps for one bot.
type botMenus struct {
	richMenus  map[int64]*RichMenu
	images     map[int64]RichMenuImage
	users      map[string]int64 // user ID -> rich menu ID
	persistent *PersistentMenu
	members    map[int64]*memberList // by domain ID
}

// memberList is the members of one registration, in the order they were
// added (seq), which is the order they are listed in.
type memberList struct {
	seq  map[string]int64
	next int64
}

func newMenus(host menuHost) *Menus {
	return &Menus{host: host, bots: make(map[int64]*botMenus), nextID: firstRichMenuID}
}

// mount registers the component's routes. Methods are checked by the
// handlers, so that a wrong one gets the API's own 405 shape.
func (m *Menus) mount(mux *http.ServeMux) {
	const bot = "/v1.0/bots/{botId}"
	mux.HandleFunc(bot+"/richmenus", m.serveRichMenus)
	mux.HandleFunc(bot+"/richmenus/{richmenuId}", m.serveRichMenu)
	// One pattern for both: each would conflict with users/{userId}, of
	// which it is no more specific ("users/image" matches both).
	mux.HandleFunc(bot+"/richmenus/{richmenuId}/{op}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("op") {
		case "image":
			m.serveRichMenuImage(w, r)
		case "set-default":
			m.serveSetDefault(w, r)
		default:
			apiError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource was not found.")
		}
	})
	mux.HandleFunc(bot+"/richmenus/default", m.serveDefault)
	mux.HandleFunc(bot+"/richmenus/{richmenuId}/users/{userId}", m.serveSetUserRichMenu)
	mux.HandleFunc(bot+"/richmenus/users/{userId}", m.serveUserRichMenu)
	mux.HandleFunc(bot+"/persistentmenu", m.servePersistentMenu)
	mux.HandleFunc(bot+"/domains/{domainId}/members", m.serveMembers)
	mux.HandleFunc(bot+"/domains/{domainId}/members/{userId}", m.serveMember)
}

// stateLocked returns the bot's menus, created on first use. A bot that no
// longer exists takes its menus with it: callers check the bot first, and
// forget drops what a deleted bot or registration left behind.
func (m *Menus) stateLocked(botID int64) *botMenus {
	st := m.bots[botID]
	if st == nil {
		st = &botMenus{
			richMenus: make(map[int64]*RichMenu),
			images:    make(map[int64]RichMenuImage),
			users:     make(map[string]int64),
			members:   make(map[int64]*memberList),
		}
		m.bots[botID] = st
	}
	return st
}

// forget drops the menus of a deleted bot (domainID 0), or the members of
// a registration that went: Bots calls it after each removal, so that a
// registration made again starts without members.
func (m *Menus) forget(botID, domainID int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if domainID == 0 {
		delete(m.bots, botID)
	} else if st := m.bots[botID]; st != nil {
		delete(st.members, domainID)
	}
}

// live returns the bot's state with m.mu held, or reports false (m.mu not
// held) when the bot does not exist, forgetting whatever it left behind.
func (m *Menus) live(botID int64) (*botMenus, bool) {
	exists := m.host.botExists(botID)
	m.mu.Lock()
	if !exists {
		delete(m.bots, botID)
		m.mu.Unlock()
		return nil, false
	}
	return m.stateLocked(botID), true
}

// RichMenus returns the bot's rich menus, by ID.
func (m *Menus) RichMenus(botID int64) []RichMenu {
	st, ok := m.live(botID)
	if !ok {
		return nil
	}
	defer m.mu.Unlock()
	out := make([]RichMenu, 0, len(st.richMenus))
	for _, id := range slices.Sorted(maps.Keys(st.richMenus)) {
		out = append(out, st.richMenus[id].clone())
	}
	return out
}

// RichMenuImage returns the image set on a rich menu.
func (m *Menus) RichMenuImage(botID int64, richMenuID string) (RichMenuImage, bool) {
	id, err := strconv.ParseInt(richMenuID, 10, 64)
	st, ok := m.live(botID)
	if !ok {
		return RichMenuImage{}, false
	}
	defer m.mu.Unlock()
	img, ok := st.images[id]
	return img.clone(), ok && err == nil
}

// RemoveRichMenu deletes a rich menu out of band, as an administrator in the
// Developer Console would, with what the API's delete takes with it. It
// reports whether the menu existed.
func (m *Menus) RemoveRichMenu(botID int64, richMenuID string) bool {
	return m.deleteRichMenu(botID, richMenuID)
}

// UserRichMenus returns the bot's per-user rich menus: user ID -> rich menu ID.
func (m *Menus) UserRichMenus(botID int64) map[string]string {
	st, ok := m.live(botID)
	if !ok {
		return nil
	}
	defer m.mu.Unlock()
	out := make(map[string]string, len(st.users))
	for u, id := range st.users {
		out[u] = strconv.FormatInt(id, 10)
	}
	return out
}

// PersistentMenu returns the bot's persistent menu.
func (m *Menus) PersistentMenu(botID int64) (PersistentMenu, bool) {
	st, ok := m.live(botID)
	if !ok {
		return PersistentMenu{}, false
	}
	defer m.mu.Unlock()
	if st.persistent == nil {
		return PersistentMenu{}, false
	}
	return st.persistent.clone(), true
}

// RemovePersistentMenu deletes the bot's persistent menu out of band. It
// reports whether there was one.
func (m *Menus) RemovePersistentMenu(botID int64) bool {
	st, ok := m.live(botID)
	if !ok {
		return false
	}
	defer m.mu.Unlock()
	had := st.persistent != nil
	st.persistent = nil
	return had
}

// DomainMembers returns the members of a bot's registration in a domain, in
// the order they were added.
func (m *Menus) DomainMembers(botID, domainID int64) []string {
	registered, _ := m.host.botDomain(botID, domainID)
	st, ok := m.live(botID)
	if !ok {
		return nil
	}
	defer m.mu.Unlock()
	if !registered {
		delete(st.members, domainID)
		return nil
	}
	return st.members[domainID].sorted()
}

// RemoveDomainMember removes a member out of band. It reports whether the
// user was a member.
func (m *Menus) RemoveDomainMember(botID, domainID int64, userID string) bool {
	st, ok := m.live(botID)
	if !ok {
		return false
	}
	defer m.mu.Unlock()
	l := st.members[domainID]
	if l == nil {
		return false
	}
	_, was := l.seq[userID]
	delete(l.seq, userID)
	return was
}

func (l *memberList) sorted() []string {
	if l == nil {
		return []string{}
	}
	users := slices.Collect(maps.Keys(l.seq))
	slices.SortFunc(users, func(a, b string) int { return int(l.seq[a] - l.seq[b]) })
	return users
}
