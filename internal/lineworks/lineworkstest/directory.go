package lineworkstest

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"sync"
)

// DefaultDomainID is the domain of the tenant NewServer creates, which bots
// may name in allowDomains and register in. Directory.AddDomains adds more.
const DefaultDomainID int64 = 10000001

// DefaultUsers are the users of the default tenant, by login e-mail or user
// ID: the bot API accepts either. Treat it as read-only.
var DefaultUsers = []string{
	"admin@example.com",
	"dev@example.com",
	"ops@example.com",
	"d191e339-3299-44e6-7a44-04d9cb01a5e0",
}

// User is a member of the tenant: a user ID, and the login e-mail when the
// user has one. The bot API takes either for a user.
type User struct {
	UserID string `json:"userId"`
	Email  string `json:"email,omitempty"`
}

// Directory is the tenant's directory: its domains and its users, which bots
// name in allowDomains and as administrators, and which components such as
// bot members check names against. Reach it as Server.Directory.
type Directory struct {
	mu      sync.Mutex
	domains map[int64]bool
	users   map[string]User // by user ID
	emails  map[string]string
}

// newDirectory returns the default tenant's directory.
func newDirectory() *Directory {
	d := &Directory{domains: map[int64]bool{DefaultDomainID: true}, users: map[string]User{}, emails: map[string]string{}}
	d.AddUsers(DefaultUsers...)
	return d
}

// AddDomains adds domains to the tenant, for allowDomains and registrations.
func (d *Directory) AddDomains(ids ...int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, id := range ids {
		d.domains[id] = true
	}
}

// AddUsers adds users to the tenant, for administrators and
// subadministrators. Each is a login e-mail (anything with an "@"), which
// gets a user ID of its own (see UserIDFor), or a user ID without an e-mail.
func (d *Directory) AddUsers(users ...string) {
	for _, u := range users {
		if strings.Contains(u, "@") {
			d.AddUser(User{UserID: UserIDFor(u), Email: u})
		} else {
			d.AddUser(User{UserID: u})
		}
	}
}

// AddUser adds u to the tenant, replacing any user with its user ID.
func (d *Directory) AddUser(u User) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.users[u.UserID]; ok && old.Email != "" {
		delete(d.emails, old.Email)
	}
	d.users[u.UserID] = u
	if u.Email != "" {
		d.emails[u.Email] = u.UserID
	}
}

// Users returns the tenant's users, by user ID.
func (d *Directory) Users() []User {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]User, 0, len(d.users))
	for _, id := range slices.Sorted(maps.Keys(d.users)) {
		out = append(out, d.users[id])
	}
	return out
}

// Domains returns the tenant's domain IDs, in order.
func (d *Directory) Domains() []int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Sorted(maps.Keys(d.domains))
}

// HasDomain reports whether id is a domain of the tenant.
func (d *Directory) HasDomain(id int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.domains[id]
}

// User finds a user by user ID or login e-mail.
func (d *Directory) User(idOrEmail string) (User, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if id, ok := d.emails[idOrEmail]; ok {
		return d.users[id], true
	}
	u, ok := d.users[idOrEmail]
	return u, ok
}

// userIDs returns each user's ID in place of its e-mail: what the service
// answers when it stores users by ID. Unknown names are kept as they are.
func (d *Directory) userIDs(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if u, ok := d.User(n); ok {
			out[i] = u.UserID
		}
	}
	return out
}

// UserIDFor is the user ID the directory gives a login e-mail: the shape of
// a real one ("userf7da-f82c-4284-13e7-030f3b4c756x", a UUID whose first
// four characters read "user"), the same for the same e-mail in every run.
func UserIDFor(email string) string {
	sum := sha256.Sum256([]byte("lineworkstest user\x00" + email))
	h := hex.EncodeToString(sum[:16])
	return "user" + h[4:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
