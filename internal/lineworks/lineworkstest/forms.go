package lineworkstest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// The values of each answer form. For each, the first is the emulator's
// default.
type (
	// CreateAnswer is what POST /bots answers with.
	CreateAnswer string
	// WriteAnswer is what PATCH and PUT /bots/{botId} answer with.
	WriteAnswer string
	// UsersAnswer is how administrators and subadministrators come back.
	UsersAnswer string
	// PhotoURLAnswer is how photoUrl and the i18n photo URLs come back.
	PhotoURLAnswer string
	// AllDomainsAnswer is how a bot of every domain shows allowDomains.
	AllDomainsAnswer string
	// CursorAnswer is how the last page of a list shows nextCursor.
	CursorAnswer string
	// BudgetHeadersAnswer is which answers carry the rate limit's budget.
	BudgetHeadersAnswer string
	// RichMenuCreateAnswer is what POST /bots/{botId}/richmenus answers.
	RichMenuCreateAnswer string
	// PersistentMenuNoneAnswer is what GET /bots/{botId}/persistentmenu
	// answers for a bot without a persistent menu.
	PersistentMenuNoneAnswer string
	// AllUsersAnswer is the form of GET …/members for a registration that
	// is not limited to selected members. The docs say only that it
	// "returns "All users""; the JSON is not shown.
	AllUsersAnswer string
)

const (
	CreateAnswerFull   CreateAnswer = "full"    // the whole bot
	CreateAnswerIDOnly CreateAnswer = "id_only" // {"botId": …} only

	WriteAnswerFull   WriteAnswer = "full"    // 200 with the whole bot
	WriteAnswerNoBody WriteAnswer = "no_body" // 204, no body

	UsersAsSent UsersAnswer = "as_sent"  // as the request sent them (a login e-mail stays one)
	UsersAsIDs  UsersAnswer = "user_ids" // each user's ID, an e-mail sent or not

	PhotoURLAsSent    PhotoURLAnswer = "as_sent"   // as the request sent it
	PhotoURLRewritten PhotoURLAnswer = "rewritten" // a developers.worksmobile.com/gateway/image/view URL, as a console photo reads

	AllDomainsAbsent AllDomainsAnswer = "absent" // no allowDomains at all
	AllDomainsEmpty  AllDomainsAnswer = "empty"  // allowDomains: []
	AllDomainsZero   AllDomainsAnswer = "zero"   // allowDomains: [0]

	CursorNull   CursorAnswer = "null"   // "nextCursor": null
	CursorEmpty  CursorAnswer = "empty"  // "nextCursor": ""
	CursorAbsent CursorAnswer = "absent" // no nextCursor

	BudgetEveryAnswer  BudgetHeadersAnswer = "every_answer"  // rateLimit-limit, -remaining, -reset and -used on every answer of a limited API
	BudgetSsed         BudgetHeadersAnswer = "ssed"          // the same, the used count spelt rateLimit-ssed, as the English page does
	BudgetRefusalsOnly BudgetHeadersAnswer = "refusals_only" // the headers on a 429 only

	RichMenuCreateFull   RichMenuCreateAnswer = "full"    // 201 with the whole rich menu, as a third-party summary of the docs shows (inferred)
	RichMenuCreateIDOnly RichMenuCreateAnswer = "id_only" // 201 with only {"richmenuId": …}, all that several real clients read

	PersistentMenuNoneNotFound PersistentMenuNoneAnswer = "not_found" // 404 NOT_FOUND, as one real client expects
	PersistentMenuNoneEmpty    PersistentMenuNoneAnswer = "empty"     // 200 {"content":{"actions":[]}}, as another real client expects

	AllUsersList   AllUsersAnswer = "list"   // {"members":["All users"],…} (inferred)
	AllUsersString AllUsersAnswer = "string" // {"members":"All users",…}
	AllUsersBody   AllUsersAnswer = "body"   // the JSON string "All users" as the whole body
)

// AllUsers is the word the members list answers for an unlimited
// registration.
const AllUsers = "All users"

// DocumentedChannelEvents is the default of channelEvents the bot-create
// page documents (checked again in the jp, en and kr pages): six events,
// without begin and end.
var DocumentedChannelEvents = []string{"message", "join", "leave", "joined", "left", "postback"}

// AnswerForms chooses, for each answer the LINE WORKS docs leave open, which
// of the forms the service might give the emulator gives (see
// /work/shared/lineworks-api.md, "Checked again against the docs"). A client
// that passes only against one form may fail on a real tenant, so tests run
// in each. The zero value, and each field's zero value, is the emulator's
// default form.
//
// The JSON names and values are those of the contract report (`make
// contract`), which records how a real tenant answers: a report loads as the
// emulator's forms, to make the emulator answer as that tenant does.
type AnswerForms struct {
	// CreateStatus is POST /bots's status: 201 (default) or 200.
	CreateStatus int `json:"create_status,omitempty"`
	// CreateAnswer: the whole bot (default), or only {"botId": …}.
	CreateAnswer CreateAnswer `json:"create_answer,omitempty"`
	// WriteAnswer: PATCH and PUT /bots/{botId} answer 200 with the whole
	// bot (default), or 204 with no body.
	WriteAnswer WriteAnswer `json:"write_answer,omitempty"`
	// Administrators: administrators and subadministrators come back as
	// sent (default), or as user IDs where a login e-mail was sent. The
	// same goes for the members of a bot's domain registration and the users
	// of per-user rich menus, which are then stored by ID.
	Administrators UsersAnswer `json:"administrators,omitempty"`
	// PhotoURL: photoUrl and i18nPhotoUrls come back as sent (default), or
	// rewritten to a gateway URL, stable for the same input.
	PhotoURL PhotoURLAnswer `json:"photo_url,omitempty"`
	// AllDomains: a bot of every domain has no allowDomains (default), or
	// "allowDomains": [] or [0]. A request may send that form too, meaning
	// every domain (inferred: a service that answers so takes it back).
	AllDomains AllDomainsAnswer `json:"all_domains,omitempty"`
	// DeletedBotStatus: a bot that existed and was deleted is 404 NOT_FOUND
	// (default), or 410 DELETED, which the Korean error page lists.
	DeletedBotStatus int `json:"deleted_bot_status,omitempty"`
	// LastPageCursor: the last page of a list has "nextCursor": null
	// (default), "", or no nextCursor.
	LastPageCursor CursorAnswer `json:"last_page_cursor,omitempty"`
	// BudgetHeaders: the rate limit's headers come with every answer of a
	// limited API, as the docs say (default); the same with the used count
	// spelt rateLimit-ssed, as the English page spells it; or only with a
	// 429.
	BudgetHeaders BudgetHeadersAnswer `json:"budget_headers,omitempty"`
	// ChannelEventsDefault is what a bot created or replaced without
	// channelEvents gets. nil is every event, the emulator's default
	// (inferred before the docs were checked again); the docs say
	// DocumentedChannelEvents.
	ChannelEventsDefault []string `json:"channel_events_default,omitempty"`
	// RichMenuCreateAnswer: creating a rich menu answers 201 with the whole
	// menu (default), or with only {"richmenuId": …}.
	RichMenuCreateAnswer RichMenuCreateAnswer `json:"rich_menu_create_answer,omitempty"`
	// PersistentMenuNone: a bot without a persistent menu answers 404
	// NOT_FOUND (default), or 200 with a menu of no actions.
	PersistentMenuNone PersistentMenuNoneAnswer `json:"persistent_menu_none,omitempty"`
	// AllUsersMembers: the members of a registration open to all users are
	// {"members": ["All users"]} (default), {"members": "All users"}, or the
	// bare JSON string "All users".
	AllUsersMembers AllUsersAnswer `json:"all_users_members,omitempty"`
}

// AllAnswerForms turns every form away from its default at once: 200 with
// only the bot ID on create, 204 on update, user IDs, rewritten photo URLs,
// allowDomains [0], 410 for a deleted bot, no nextCursor on the last page,
// the rate limit's budget on a 429 only, the documented six channel events,
// only the ID on a rich menu's create, an empty persistent menu for none, and
// "All users" as a members string.
func AllAnswerForms() AnswerForms {
	return AnswerForms{
		CreateStatus:         200,
		CreateAnswer:         CreateAnswerIDOnly,
		WriteAnswer:          WriteAnswerNoBody,
		Administrators:       UsersAsIDs,
		PhotoURL:             PhotoURLRewritten,
		AllDomains:           AllDomainsZero,
		DeletedBotStatus:     410,
		LastPageCursor:       CursorAbsent,
		BudgetHeaders:        BudgetRefusalsOnly,
		ChannelEventsDefault: slices.Clone(DocumentedChannelEvents),
		RichMenuCreateAnswer: RichMenuCreateIDOnly,
		PersistentMenuNone:   PersistentMenuNoneEmpty,
		AllUsersMembers:      AllUsersString,
	}
}

// normalized fills every field left zero with its default, and checks the
// values.
func (f AnswerForms) normalized() (AnswerForms, error) {
	var problems []string
	check := func(name string, v *string, allowed ...string) {
		if *v == "" {
			*v = allowed[0]
		} else if !slices.Contains(allowed, *v) {
			problems = append(problems, fmt.Sprintf("%s is %q, want one of %s", name, *v, strings.Join(allowed, ", ")))
		}
	}
	checkInt := func(name string, v *int, allowed ...int) {
		if *v == 0 {
			*v = allowed[0]
		} else if !slices.Contains(allowed, *v) {
			problems = append(problems, fmt.Sprintf("%s is %d, want %d or %d", name, *v, allowed[0], allowed[1]))
		}
	}
	checkInt("create_status", &f.CreateStatus, 201, 200)
	check("create_answer", (*string)(&f.CreateAnswer), string(CreateAnswerFull), string(CreateAnswerIDOnly))
	check("write_answer", (*string)(&f.WriteAnswer), string(WriteAnswerFull), string(WriteAnswerNoBody))
	check("administrators", (*string)(&f.Administrators), string(UsersAsSent), string(UsersAsIDs))
	check("photo_url", (*string)(&f.PhotoURL), string(PhotoURLAsSent), string(PhotoURLRewritten))
	check("all_domains", (*string)(&f.AllDomains), string(AllDomainsAbsent), string(AllDomainsEmpty), string(AllDomainsZero))
	checkInt("deleted_bot_status", &f.DeletedBotStatus, 404, 410)
	check("last_page_cursor", (*string)(&f.LastPageCursor), string(CursorNull), string(CursorEmpty), string(CursorAbsent))
	check("budget_headers", (*string)(&f.BudgetHeaders), string(BudgetEveryAnswer), string(BudgetSsed), string(BudgetRefusalsOnly))
	check("rich_menu_create_answer", (*string)(&f.RichMenuCreateAnswer), string(RichMenuCreateFull), string(RichMenuCreateIDOnly))
	check("persistent_menu_none", (*string)(&f.PersistentMenuNone), string(PersistentMenuNoneNotFound), string(PersistentMenuNoneEmpty))
	check("all_users_members", (*string)(&f.AllUsersMembers), string(AllUsersList), string(AllUsersString), string(AllUsersBody))
	if f.ChannelEventsDefault == nil {
		f.ChannelEventsDefault = slices.Clone(channelEvents)
	} else if bad := checkNames("channel_events_default", f.ChannelEventsDefault, channelEvents); bad != nil || len(f.ChannelEventsDefault) == 0 {
		problems = append(problems, fmt.Sprintf("channel_events_default must list 1 to 8 distinct events of %s", strings.Join(channelEvents, ", ")))
	}
	if problems != nil {
		return AnswerForms{}, fmt.Errorf("answer forms: %s", strings.Join(problems, "; "))
	}
	f.ChannelEventsDefault = slices.Clone(f.ChannelEventsDefault)
	return f, nil
}

// ParseAnswerForms reads answer forms as the emulator command's
// -answer-forms flag takes them: "all" (AllAnswerForms), "" (the defaults),
// or comma-separated name=value pairs with the JSON names and values, such
// as "create_answer=id_only,deleted_bot_status=410". channel_events_default
// takes "documented" or "every".
func ParseAnswerForms(s string) (AnswerForms, error) {
	switch strings.TrimSpace(s) {
	case "":
		return AnswerForms{}, nil
	case "all":
		return AllAnswerForms(), nil
	}
	obj := map[string]any{}
	for _, pair := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			return AnswerForms{}, fmt.Errorf("answer forms: %q is not name=value (or \"all\")", pair)
		}
		switch name {
		case "create_status", "deleted_bot_status":
			obj[name] = json.Number(value)
		case "channel_events_default":
			switch value {
			case "documented":
				obj[name] = DocumentedChannelEvents
			case "every":
				obj[name] = channelEvents
			default:
				return AnswerForms{}, fmt.Errorf("answer forms: channel_events_default is %q, want documented or every", value)
			}
		default:
			obj[name] = value
		}
	}
	raw, _ := json.Marshal(obj) // strings, numbers and string lists always marshal
	return DecodeAnswerForms(raw)
}

// DecodeAnswerForms reads answer forms from JSON (see UnmarshalJSON) and
// checks their values.
func DecodeAnswerForms(raw []byte) (AnswerForms, error) {
	var f AnswerForms
	if err := json.Unmarshal(raw, &f); err != nil {
		return AnswerForms{}, fmt.Errorf("answer forms: %w", err)
	}
	return f.normalized()
}

// UnmarshalJSON reads an object of forms by their JSON names, refusing
// unknown names: a misspelt form must not silently leave the default on.
// The other fields of a contract report (notes, left_behind, the example
// time) are ignored, and its null (not observed) leaves the default. A
// string is read as ParseAnswerForms reads it, so "all" turns every form on.
func (f *AnswerForms) UnmarshalJSON(raw []byte) error {
	var spec string
	if json.Unmarshal(raw, &spec) == nil {
		parsed, err := ParseAnswerForms(spec)
		*f = parsed
		return err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return err
	}
	known := map[string]bool{}
	for _, name := range AnswerFormNames() {
		known[name] = true
	}
	for k, v := range obj {
		switch {
		case known[k] && string(v) == "null":
			delete(obj, k)
		case known[k]:
		case strings.HasSuffix(k, "_note"), k == "left_behind", k == "created_time_example":
			delete(obj, k)
		default:
			return fmt.Errorf("unknown answer form %q", k)
		}
	}
	raw, _ = json.Marshal(obj) // re-marshalling raw JSON never fails
	type plain AnswerForms     // without this method
	var p plain
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	*f = AnswerForms(p)
	return nil
}

// AnswerFormNames are the JSON names of the answer forms, in AnswerForms'
// order: what -answer-forms, the admin door and a contract report name.
func AnswerFormNames() []string {
	t := reflect.TypeFor[AnswerForms]()
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names = append(names, name)
	}
	return names
}

// Forms holds the answer forms in effect. Reach it as Server.Forms.
type Forms struct {
	mu sync.Mutex
	f  AnswerForms // normalized
}

func newForms() *Forms {
	f, _ := AnswerForms{}.normalized() // the defaults are valid
	return &Forms{f: f}
}

// Set puts forms in effect for the requests that arrive from now on, or
// says which value is not a form.
func (fs *Forms) Set(forms AnswerForms) error {
	n, err := forms.normalized()
	if err != nil {
		return err
	}
	fs.mu.Lock()
	fs.f = n
	fs.mu.Unlock()
	return nil
}

// Get returns the forms in effect, every field filled in.
func (fs *Forms) Get() AnswerForms {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.f
	f.ChannelEventsDefault = slices.Clone(f.ChannelEventsDefault)
	return f
}

// pageMeta is a list's responseMetaData for next, the next page's cursor,
// nil on the last page.
func (f AnswerForms) pageMeta(next *string) map[string]any {
	switch {
	case next != nil:
		return map[string]any{"nextCursor": *next}
	case f.LastPageCursor == CursorEmpty:
		return map[string]any{"nextCursor": ""}
	case f.LastPageCursor == CursorAbsent:
		return map[string]any{}
	}
	return map[string]any{"nextCursor": nil}
}

// photoURL is a photo URL as the service gives it back.
func (f AnswerForms) photoURL(u string) string {
	if f.PhotoURL != PhotoURLRewritten || u == "" || strings.HasPrefix(u, gatewayImageURL) {
		return u
	}
	sum := sha256.Sum256([]byte(u))
	return gatewayImageURL + "?" + url.Values{"fileId": {hex.EncodeToString(sum[:16])}, "type": {"bot"}}.Encode()
}

// gatewayImageURL starts the URL of a photo uploaded in the Developer
// Console; the query's shape is inferred.
const gatewayImageURL = "https://developers.worksmobile.com/gateway/image/view"

// botAnswer is b as the API answers it: users, photo URLs and allowDomains
// in the forms in effect.
func (f AnswerForms) botAnswer(b Bot, dir *Directory) any {
	b = b.clone()
	if f.Administrators == UsersAsIDs {
		b.Administrators = dir.userIDs(b.Administrators)
		b.Subadministrators = dir.userIDs(b.Subadministrators)
	}
	b.PhotoURL = f.photoURL(b.PhotoURL)
	for i := range b.I18nPhotoURLs {
		b.I18nPhotoURLs[i].PhotoURL = f.photoURL(b.I18nPhotoURLs[i].PhotoURL)
	}
	type plain Bot // Bot's fields and tags, without its methods
	return struct {
		plain
		AllowDomains json.RawMessage `json:"allowDomains,omitempty"` // shadows plain's
	}{plain(b), f.allowDomains(b.AllowDomains)}
}

// allowDomains renders a bot's allowDomains; nil means every domain.
func (f AnswerForms) allowDomains(ids []int64) json.RawMessage {
	if ids == nil {
		switch f.AllDomains {
		case AllDomainsEmpty:
			return json.RawMessage("[]")
		case AllDomainsZero:
			return json.RawMessage("[0]")
		}
		return nil
	}
	raw, _ := json.Marshal(ids) // int64s always marshal
	return raw
}

// everyDomain reports whether a request's allowDomains is this form's way
// of saying every domain.
func (f AnswerForms) everyDomain(ids []int64) bool {
	switch f.AllDomains {
	case AllDomainsEmpty:
		return ids != nil && len(ids) == 0
	case AllDomainsZero:
		return len(ids) == 1 && ids[0] == 0
	}
	return false
}
