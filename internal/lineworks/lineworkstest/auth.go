package lineworkstest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	refreshTokenTTL = 90 * 24 * time.Hour
	maxJWTLifetime  = 3600 // seconds: LINE WORKS refuses assertions valid for more than 60 minutes
)

// knownScopes lists the OAuth scopes the LINE WORKS docs name. A token
// request for any other scope is refused with invalid_scope.
var knownScopes = []string{
	"bot", "bot.message", "bot.read",
	"user", "user.read", "user.email.read", "user.profile.read",
	"directory", "directory.read", "group", "group.read", "orgunit", "orgunit.read",
	"calendar", "calendar.read", "contact", "contact.read", "board", "board.read",
	"file", "file.read", "group.folder", "group.folder.read", "group.note", "group.note.read",
	"mail", "mail.read", "task", "task.read", "form", "form.read",
	"audit", "audit.read", "monitoring.read",
	"openid", "email", "profile",
	"cxtalk", "cxtalk.read",
}

// App is an app registered in the Developer Console.
type App struct {
	ClientID, ClientSecret string
	ServiceAccountID       string // like "xxxxx.serviceaccount@example.com"
	PublicKey              *rsa.PublicKey

	// Scopes enabled for the app; nil means every known scope. A parent
	// scope "x" also allows "x.read".
	Scopes []string

	AccessTokenTTL      time.Duration // default 24h; the console also offers 1h
	RotateRefreshTokens bool          // a refresh returns a new refresh token and invalidates the old one
	ExpiresInAsNumber   bool          // expires_in as a JSON number; by default a string ("86400"), as seen in practice
}

// allows reports whether the app may be granted scope.
func (a App) allows(scope string) bool {
	if !slices.Contains(knownScopes, scope) {
		return false
	}
	if a.Scopes == nil {
		return true
	}
	if slices.Contains(a.Scopes, scope) {
		return true
	}
	parent, ok := strings.CutSuffix(scope, ".read")
	return ok && slices.Contains(a.Scopes, parent)
}

type tokenKind int

const (
	kindAccess tokenKind = iota + 1
	kindRefresh
	kindLegacyServer  // API 1.0 server token
	kindLegacyService // API 1.0 service API access token
	kindLegacyRefresh // API 1.0 service API refresh token
)

// token is what the emulator knows about an opaque token it issued.
// Revoking a token deletes it.
type token struct {
	kind    tokenKind
	client  string // client ID; the server ID or consumer key for API 1.0 tokens
	apiID   string // API 1.0 tokens only
	scopes  []string
	grant   int64 // shared by the tokens of one authorization grant
	seq     int64 // issue order, for ExpireAccessTokens
	expires time.Time
}

type tokenState int

const (
	tokenInvalid tokenState = iota // unknown, revoked or expired
	tokenStale                     // made stale by ExpireAccessTokens
	tokenOK
)

// Auth is the auth host (auth.worksmobile.com) of API 2.0: the apps
// registered in the Developer Console and every token the emulator issued,
// API 1.0's included (Legacy issues those through Auth). The API and storage
// hosts ask it whether a bearer token is good. Reach it as Server.Auth.
type Auth struct {
	mu    sync.Mutex
	clock *clock

	apps     map[string]App    // by client ID
	tokens   map[string]*token // access and refresh tokens of every kind
	issued   []string          // every token value ever issued, in order
	seq      int64             // issue counter, see token.seq
	grants   int64             // grant counter, see token.grant
	staleSeq int64             // access tokens with seq < staleSeq are stale

	expireAtNextAPI bool
	expired         int // requests that carried an access token past its expiry
}

func newAuth(c *clock) *Auth {
	return &Auth{clock: c, apps: make(map[string]App), tokens: make(map[string]*token)}
}

// RegisterApp registers app, replacing any app with the same client ID.
func (a *Auth) RegisterApp(app App) {
	if app.AccessTokenTTL <= 0 {
		app.AccessTokenTTL = 24 * time.Hour
	}
	app.Scopes = slices.Clone(app.Scopes)
	a.mu.Lock()
	a.apps[app.ClientID] = app
	a.mu.Unlock()
}

// app returns the app registered under clientID.
func (a *Auth) app(clientID string) (App, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	app, ok := a.apps[clientID]
	return app, ok
}

// IssuedTokens returns every token value the emulator ever issued, of every
// kind, revoked ones included: what a test must never find in a log, an
// error, a plan or a state.
func (a *Auth) IssuedTokens() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.issued)
}

// TokenValid reports whether token is a known, unrevoked, unexpired and not
// stale token of any kind.
func (a *Auth) TokenValid(token string) bool {
	_, st := a.lookup(token)
	return st == tokenOK
}

// IssueAccessToken issues an access token without a JWT, as if the client
// had obtained one. Without scopes, the token gets the app's enabled scopes
// (every known scope if the app is unknown or enables all).
func (a *Auth) IssueAccessToken(clientID string, scopes ...string) string {
	now := a.clock.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	app, scopes := a.defaultScopesLocked(clientID, scopes)
	return a.issueLocked(token{
		kind: kindAccess, client: clientID, scopes: scopes,
		grant: a.newGrantLocked(), expires: now.Add(app.AccessTokenTTL),
	})
}

// IssueRefreshToken issues a refresh token as if from a user-account OAuth
// login. Scopes default as for IssueAccessToken.
func (a *Auth) IssueRefreshToken(clientID string, scopes ...string) string {
	now := a.clock.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	_, scopes = a.defaultScopesLocked(clientID, scopes)
	return a.issueLocked(token{
		kind: kindRefresh, client: clientID, scopes: scopes,
		grant: a.newGrantLocked(), expires: now.Add(refreshTokenTTL),
	})
}

// ExpireAccessTokens makes every access token issued so far stale: the API
// answers 403 with code UNAUTHORIZED for it, which the official samples treat
// as "token expired, reissue", and storage answers 401. Tokens issued later
// work. Refresh tokens are not affected.
func (a *Auth) ExpireAccessTokens() {
	a.mu.Lock()
	a.staleSeq = a.seq + 1
	a.mu.Unlock()
}

// ExpireAccessTokensAtNextAPIRequest does what ExpireAccessTokens does, but
// only when the next API request arrives: a token that expires between being
// issued and being used, in the middle of a Terraform run.
func (a *Auth) ExpireAccessTokensAtNextAPIRequest() {
	a.mu.Lock()
	a.expireAtNextAPI = true
	a.mu.Unlock()
}

// ExpiredTokenRequests counts the requests to the API and storage hosts that
// carried an access token this emulator issued, after that token expired by
// the emulator's clock.
func (a *Auth) ExpiredTokenRequests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.expired
}

func (a *Auth) defaultScopesLocked(clientID string, scopes []string) (App, []string) {
	app, ok := a.apps[clientID]
	if !ok {
		app.AccessTokenTTL = 24 * time.Hour
	}
	switch {
	case len(scopes) > 0:
		return app, slices.Clone(scopes)
	case app.Scopes != nil:
		return app, slices.Clone(app.Scopes)
	}
	return app, slices.Clone(knownScopes)
}

// issue records t under a fresh random value and returns the value. A
// non-empty replaces is revoked in the same step, as a 1.0 server token
// reissue does.
func (a *Auth) issue(t token, replaces string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if replaces != "" {
		delete(a.tokens, replaces)
	}
	if t.grant == 0 {
		t.grant = a.newGrantLocked()
	}
	return a.issueLocked(t)
}

func (a *Auth) issueLocked(t token) string {
	a.seq++
	t.seq = a.seq
	v := randomToken(t.seq)
	a.tokens[v] = &t
	a.issued = append(a.issued, v)
	return v
}

func (a *Auth) newGrantLocked() int64 {
	a.grants++
	return a.grants
}

// lookup finds a token by value, by the emulator's clock.
func (a *Auth) lookup(v string) (token, tokenState) {
	now := a.clock.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	t, st := a.lookupLocked(v, now)
	if t == nil {
		return token{}, st
	}
	return *t, st
}

func (a *Auth) lookupLocked(v string, now time.Time) (*token, tokenState) {
	t := a.tokens[v]
	switch {
	case t == nil || !now.Before(t.expires):
		return nil, tokenInvalid
	case t.kind == kindAccess && t.seq < a.staleSeq:
		return t, tokenStale
	}
	return t, tokenOK
}

// expireIfScheduled carries out ExpireAccessTokensAtNextAPIRequest, at the
// start of an API request.
func (a *Auth) expireIfScheduled() {
	a.mu.Lock()
	if a.expireAtNextAPI {
		a.expireAtNextAPI = false
		a.staleSeq = a.seq + 1
	}
	a.mu.Unlock()
}

// authenticate checks the request's bearer token, which must be an API 2.0
// access token. A known token past its expiry is counted: a client must
// replace a token before it expires, never send it stale.
func (a *Auth) authenticate(r *http.Request) (*token, tokenState) {
	v, ok := bearerToken(r)
	if !ok {
		return nil, tokenInvalid
	}
	now := a.clock.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if t := a.tokens[v]; t != nil && t.kind == kindAccess && !now.Before(t.expires) {
		a.expired++
	}
	t, st := a.lookupLocked(v, now)
	if st == tokenInvalid || t.kind != kindAccess {
		return nil, tokenInvalid
	}
	c := *t
	return &c, st
}

// bearerToken extracts the token from "Authorization: Bearer <token>". The
// scheme is case-insensitive (RFC 9110 section 11.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, v, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || v == "" || strings.ContainsAny(v, " \t") {
		return "", false
	}
	return v, true
}

// randomToken returns a token in the shape of the real ones: the standard
// base64 alphabet, "+", "/" and "=" padding included ("jp1AAAB…/…+…=="),
// and every other one with a ".suffix". Every value carries all three
// characters, so a client that forgets to form-encode or URL-encode a token
// fails here, not only in production. The prefix and the suffix's shape are
// inferred from published examples.
func randomToken(seq int64) string {
	b := randomBytes(52) // 52 bytes: 72 characters ending in "=="
	v := []byte("jp1AAAB" + base64.StdEncoding.EncodeToString(b))
	v[12], v[24] = '+', '/'
	if seq%2 == 0 {
		return string(v) + "." + hex.EncodeToString(b[:4])
	}
	return string(v)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails; see crypto/rand.Read
	return b
}
