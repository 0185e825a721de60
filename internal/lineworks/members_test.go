package lineworks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// newMemberFixture is a bot registered in the default domain, limited to
// selected members when limited.
func newMemberFixture(t *testing.T, limited bool) (*fixture, *Client, int64) {
	t.Helper()
	f, c, botID := newMenuFixture(t)
	if _, err := c.RegisterBotDomain(context.Background(), botID, lineworkstest.DefaultDomainID, BotDomainSettings{AllowToSelectedMember: limited}); err != nil {
		t.Fatal(err)
	}
	return f, c, botID
}

func TestBotDomainMembers(t *testing.T) {
	f, c, botID := newMemberFixture(t, true)
	ctx := context.Background()
	domain := lineworkstest.DefaultDomainID
	if members, err := c.ListBotDomainMembers(ctx, botID, domain); err != nil || len(members) != 0 {
		t.Fatalf("before any: %v, %v", members, err)
	}
	for _, u := range lineworkstest.DefaultUsers[:2] {
		if err := c.AddBotDomainMember(ctx, botID, domain, u); err != nil {
			t.Fatal(err)
		}
	}
	// Adding a member again is no error: the user is a member, as asked.
	if err := c.AddBotDomainMember(ctx, botID, domain, lineworkstest.DefaultUsers[0]); err != nil {
		t.Fatalf("adding again: %v", err)
	}
	members, err := c.ListBotDomainMembers(ctx, botID, domain)
	if err != nil || !slices.Equal(members, lineworkstest.DefaultUsers[:2]) {
		t.Fatalf("ListBotDomainMembers = %v, %v", members, err)
	}
	if err := c.DeleteBotDomainMember(ctx, botID, domain, lineworkstest.DefaultUsers[0]); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteBotDomainMember(ctx, botID, domain, lineworkstest.DefaultUsers[0]); err != nil {
		t.Fatalf("removing one already gone: %v", err)
	}
	if got := f.emu.Menus.DomainMembers(botID, domain); !slices.Equal(got, lineworkstest.DefaultUsers[1:2]) {
		t.Fatalf("stored %v", got)
	}
	// An unknown user is the service's refusal, not "All users".
	err = c.AddBotDomainMember(ctx, botID, domain, "nobody@example.com")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || errors.Is(err, ErrAllUsers) {
		t.Fatalf("unknown user: %v", err)
	}
	// A registration that is gone took its members; on a wrong endpoint
	// that cannot be told, and nothing is said to be gone.
	wrong := f.client(t, func(cfg *Config) { cfg.APIEndpoint = strings.TrimSuffix(f.emu.APIURL(), "/v1.0") })
	if _, err := wrong.ListBotDomainMembers(ctx, botID, domain); IsNotFound(err) || !IsWrongEndpoint(err) || errors.Is(err, ErrNotRegistered) {
		t.Fatalf("wrong endpoint: %v", err)
	}
	if err := c.DeleteBotDomain(ctx, botID, domain); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListBotDomainMembers(ctx, botID, domain); !errors.Is(err, ErrNotRegistered) {
		t.Fatalf("registration gone: %v", err)
	}
	if _, err := wrong.ListBotDomainMembers(ctx, botID, domain); IsNotFound(err) || !IsWrongEndpoint(err) || errors.Is(err, ErrNotRegistered) {
		t.Fatalf("registration gone, wrong endpoint: %v", err)
	}
	f.emu.Bots.Remove(botID)
	if _, err := c.ListBotDomainMembers(ctx, botID, domain); !errors.Is(err, ErrNotRegistered) {
		t.Fatalf("bot gone: %v", err)
	}
}

// An unlimited registration has no member list, in whichever form the
// service says "All users", and changing its members says why it failed.
func TestBotDomainMembersAllUsers(t *testing.T) {
	for _, form := range []lineworkstest.AllUsersAnswer{lineworkstest.AllUsersList, lineworkstest.AllUsersString, lineworkstest.AllUsersBody} {
		t.Run(fmt.Sprint(form), func(t *testing.T) {
			f, c, botID := newMemberFixture(t, false)
			if err := f.emu.Forms.Set(lineworkstest.AnswerForms{AllUsersMembers: form}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.ListBotDomainMembers(context.Background(), botID, lineworkstest.DefaultDomainID); !errors.Is(err, ErrAllUsers) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	_, c, botID := newMemberFixture(t, false)
	for name, change := range map[string]func() error{
		"add": func() error {
			return c.AddBotDomainMember(context.Background(), botID, lineworkstest.DefaultDomainID, lineworkstest.DefaultUsers[0])
		},
		"delete": func() error {
			return c.DeleteBotDomainMember(context.Background(), botID, lineworkstest.DefaultDomainID, lineworkstest.DefaultUsers[0])
		},
	} {
		err := change()
		var apiErr *APIError
		if !errors.Is(err, ErrAllUsers) || !errors.As(err, &apiErr) || !strings.Contains(err.Error(), "allowToSelectedMember is false") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseMembersPage(t *testing.T) {
	for body, want := range map[string]string{
		`{"members":["a","b"],"responseMetaData":{"nextCursor":"c"}}`: "[a b] c <nil>",
		`{"members":[],"responseMetaData":{"nextCursor":null}}`:       "[]  <nil>",
		`{"members":["a"]}`: "[a]  <nil>",
		`{}`:                "[]  <nil>",
		`{"members":["All users"],"responseMetaData":{}}`: "[]  " + ErrAllUsers.Error(),
		`{"members":"All users"}`:                         "[]  " + ErrAllUsers.Error(),
		`"All users"`:                                     "[]  " + ErrAllUsers.Error(),
		`{"members":"all users "}`:                        "[]  " + ErrAllUsers.Error(),
		`"Everybody"`:                                     `[]  LINE WORKS answered "Everybody" instead of a member list`,
		`{"members":[1]}`:                                 "[]  reading members from the answer: json: cannot unmarshal number into Go value of type string",
	} {
		members, next, err := parseMembersPage([]byte(body))
		if got := fmt.Sprintf("%v %s %v", append([]string{}, members...), next, err); got != want {
			t.Errorf("%s: got %q, want %q", body, got, want)
		}
	}
}

// More than a page of members is read through the cursor.
func TestListBotDomainMembersPages(t *testing.T) {
	f, c, botID := newMemberFixture(t, true)
	f.emu.Faults.SetRateLimit(0)
	var users []string
	for i := range 130 {
		users = append(users, fmt.Sprintf("user%03d@example.com", i))
	}
	f.emu.Directory.AddUsers(users...)
	for _, u := range users {
		if err := c.AddBotDomainMember(context.Background(), botID, lineworkstest.DefaultDomainID, u); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.ListBotDomainMembers(context.Background(), botID, lineworkstest.DefaultDomainID)
	if err != nil || !slices.Equal(got, users) {
		t.Fatalf("%d members, %v", len(got), err)
	}
}

// Member changes need the bot scope; the list takes bot.read too.
func TestBotDomainMemberScopes(t *testing.T) {
	f, _, botID := newMemberFixture(t, true)
	c := f.client(t, func(cfg *Config) { cfg.Scopes = []string{"bot.message"} })
	err := c.AddBotDomainMember(context.Background(), botID, lineworkstest.DefaultDomainID, lineworkstest.DefaultUsers[0])
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), "needs the bot scope") {
		t.Fatalf("with bot.message: %v", err)
	}
	ro := f.client(t, func(cfg *Config) { cfg.Scopes = []string{"bot.read"} })
	if _, err := ro.ListBotDomainMembers(context.Background(), botID, lineworkstest.DefaultDomainID); err != nil {
		t.Fatalf("listing with bot.read: %v", err)
	}
}

// AddBotDomainMemberListed says how the service lists the member it added:
// as sent, or under the user ID the service stored for a login e-mail.
func TestAddBotDomainMemberListed(t *testing.T) {
	ctx := context.Background()
	domain := lineworkstest.DefaultDomainID
	f, c, botID := newMemberFixture(t, true)
	f.emu.Directory.AddUsers("a@example.com", "b@example.com")
	if as, err := c.AddBotDomainMemberListed(ctx, botID, domain, "a@example.com"); err != nil || as != "a@example.com" {
		t.Fatalf("as sent: %q, %v", as, err)
	}
	if err := f.emu.Forms.Set(lineworkstest.AnswerForms{Administrators: lineworkstest.UsersAsIDs}); err != nil {
		t.Fatal(err)
	}
	id := lineworkstest.UserIDFor("b@example.com")
	if as, err := c.AddBotDomainMemberListed(ctx, botID, domain, "b@example.com"); err != nil || as != id {
		t.Fatalf("as an ID: %q, %v", as, err)
	}
	// A member already, by ID: the e-mail's name cannot be told.
	if as, err := c.AddBotDomainMemberListed(ctx, botID, domain, "b@example.com"); err != nil || as != "" {
		t.Fatalf("again: %q, %v", as, err)
	}
	_, c2, bot2 := newMemberFixture(t, false)
	if _, err := c2.AddBotDomainMemberListed(ctx, bot2, domain, "admin@example.com"); !errors.Is(err, ErrAllUsers) {
		t.Fatalf("all users: %v", err)
	}
}

func TestListedName(t *testing.T) {
	for _, tt := range []struct {
		user          string
		before, after []string
		want          string
	}{
		{"a@x", nil, []string{"a@x"}, "a@x"},
		{"a@x", []string{"a@x"}, []string{"a@x"}, "a@x"},
		{"a@x", []string{"u1"}, []string{"u1", "u2"}, "u2"},
		{"a@x", []string{"u1"}, []string{"u1"}, ""},
		{"a@x", nil, []string{"u1", "u2"}, ""},
	} {
		if got := listedName(tt.user, tt.before, tt.after); got != tt.want {
			t.Errorf("listedName(%q, %v, %v) = %q, want %q", tt.user, tt.before, tt.after, got, tt.want)
		}
	}
}
