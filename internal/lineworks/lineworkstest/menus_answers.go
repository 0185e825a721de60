package lineworkstest

// The forms of the menu component's answers that the docs leave open.

// MenuAnswers chooses the form of the answers the docs leave open. The
// zero value is the emulator's default form for each.
type MenuAnswers struct {
	RichMenuCreate     RichMenuCreateAnswer
	PersistentMenuNone PersistentMenuNoneAnswer
	AllUsers           AllUsersAnswer
}

// RichMenuCreateAnswer is what POST /bots/{botId}/richmenus answers.
type RichMenuCreateAnswer int

const (
	// RichMenuCreateWhole (the default) answers 201 with the whole rich menu,
	// as a third-party summary of the docs shows (inferred).
	RichMenuCreateWhole RichMenuCreateAnswer = iota
	// RichMenuCreateIDOnly answers 201 with only {"richmenuId"}, all that
	// several real clients read.
	RichMenuCreateIDOnly
)

// PersistentMenuNoneAnswer is what GET /bots/{botId}/persistentmenu answers
// for a bot without a persistent menu.
type PersistentMenuNoneAnswer int

const (
	// PersistentMenuNone404 (the default) answers 404 NOT_FOUND, as one real
	// client expects.
	PersistentMenuNone404 PersistentMenuNoneAnswer = iota
	// PersistentMenuNoneEmpty answers 200 {"content":{"actions":[]}}, as
	// another real client expects.
	PersistentMenuNoneEmpty
)

// AllUsersAnswer is the form of GET …/members for a registration that is not
// limited to selected members. The docs say only that it "returns "All
// users""; the JSON is not shown.
type AllUsersAnswer int

const (
	// AllUsersList (the default, inferred) answers {"members":["All users"],…}.
	AllUsersList AllUsersAnswer = iota
	// AllUsersString answers {"members":"All users",…}.
	AllUsersString
	// AllUsersBody answers the JSON string "All users" as the whole body.
	AllUsersBody
)

// AllUsers is the word the members list answers for an unlimited registration.
const AllUsers = "All users"

// AlternateMenuAnswers sets each answer to a form other than the default, for
// a run with every alternative answer form on.
var AlternateMenuAnswers = MenuAnswers{
	RichMenuCreate:     RichMenuCreateIDOnly,
	PersistentMenuNone: PersistentMenuNoneEmpty,
	AllUsers:           AllUsersString,
}

// SetAnswers sets the form of the answers the docs leave open.
func (m *Menus) SetAnswers(a MenuAnswers) {
	m.mu.Lock()
	m.answers = a
	m.mu.Unlock()
}

// Answers returns the forms set by SetAnswers.
func (m *Menus) Answers() MenuAnswers {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.answers
}
