package lineworkstest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	grantJWT     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantRefresh = "refresh_token"

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

// RegisterApp registers a, replacing any app with the same client ID.
func (s *Server) RegisterApp(a App) {
	if a.AccessTokenTTL <= 0 {
		a.AccessTokenTTL = 24 * time.Hour
	}
	a.Scopes = slices.Clone(a.Scopes)
	s.mu.Lock()
	s.apps[a.ClientID] = a
	s.mu.Unlock()
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

// issueLocked records t under a fresh random value and returns the value.
func (s *Server) issueLocked(t token) string {
	s.seq++
	t.seq = s.seq
	v := randomToken(t.seq)
	s.tokens[v] = &t
	s.issued = append(s.issued, v)
	return v
}

// IssuedTokens returns every token value the emulator ever issued, of every
// kind, revoked ones included: what a test must never find in a log, an
// error, a plan or a state.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}

func (s *Server) newGrantLocked() int64 {
	s.grants++
	return s.grants
}

func (s *Server) lookupLocked(v string, now time.Time) (*token, tokenState) {
	t := s.tokens[v]
	switch {
	case t == nil || !now.Before(t.expires):
		return nil, tokenInvalid
	case t.kind == kindAccess && t.seq < s.staleSeq:
		return t, tokenStale
	}
	return t, tokenOK
}

// TokenValid reports whether token is a known, unrevoked, unexpired and not
// stale token of any kind.
func (s *Server) TokenValid(token string) bool {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, st := s.lookupLocked(token, now)
	return st == tokenOK
}

// IssueAccessToken issues an access token without a JWT, as if the client
// had obtained one. Without scopes, the token gets the app's enabled scopes
// (every known scope if the app is unknown or enables all).
func (s *Server) IssueAccessToken(clientID string, scopes ...string) string {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	app, scopes := s.defaultScopesLocked(clientID, scopes)
	return s.issueLocked(token{
		kind: kindAccess, client: clientID, scopes: scopes,
		grant: s.newGrantLocked(), expires: now.Add(app.AccessTokenTTL),
	})
}

// IssueRefreshToken issues a refresh token as if from a user-account OAuth
// login. Scopes default as for IssueAccessToken.
func (s *Server) IssueRefreshToken(clientID string, scopes ...string) string {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	_, scopes = s.defaultScopesLocked(clientID, scopes)
	return s.issueLocked(token{
		kind: kindRefresh, client: clientID, scopes: scopes,
		grant: s.newGrantLocked(), expires: now.Add(refreshTokenTTL),
	})
}

func (s *Server) defaultScopesLocked(clientID string, scopes []string) (App, []string) {
	app, ok := s.apps[clientID]
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

// serveAuth routes requests to the auth host.
func (s *Server) serveAuth(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	switch path {
	case "/oauth2/v2.0/token":
		s.serveToken(w, r)
		return
	case "/oauth2/v2.0/revoke":
		s.serveRevoke(w, r)
		return
	}
	seg := strings.Split(path, "/")
	switch {
	case len(seg) == 5 && seg[0] == "" && seg[1] == "b" && seg[2] != "" && seg[3] == "server" && seg[4] == "token":
		s.serveLegacyServerToken(w, r, seg[2])
	case len(seg) == 6 && seg[0] == "" && seg[1] == "ba" && seg[2] != "" && seg[3] == "service" && seg[4] == "token" && seg[5] == "refresh":
		s.serveLegacyServiceRefresh(w, r, seg[2])
	default:
		oauthError(w, http.StatusNotFound, "not_found", "No such endpoint.") // shape inferred
	}
}

// oauthError writes the token endpoint's error shape.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, "application/json", map[string]string{
		"error":             code,
		"error_description": description,
	})
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// isFormContentType reports whether ct is application/x-www-form-urlencoded,
// with or without parameters such as charset.
func isFormContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// normalizeGrantType undoes the extra percent-encoding the official Python
// sample applies to grant_type before form-encoding it.
func normalizeGrantType(g string) string {
	if strings.Contains(g, "%") {
		if u, err := url.QueryUnescape(g); err == nil {
			return u
		}
	}
	return g
}

// readTokenForm enforces what the token and revoke endpoints require of any
// request and returns its form body, or writes an error and returns false.
func readTokenForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "Only POST is allowed.")
		return nil, false
	}
	if !isFormContentType(r.Header.Get("Content-Type")) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Content-Type must be application/x-www-form-urlencoded.")
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Malformed request body.")
		return nil, false
	}
	// RFC 6749 section 3.2: parameters must not be repeated.
	for k, vs := range r.PostForm {
		if len(vs) > 1 {
			oauthError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("Parameter %q is repeated.", k))
			return nil, false
		}
	}
	return r.PostForm, true
}

// authenticateClient checks client_id and client_secret, or writes
// invalid_client and returns false.
func (s *Server) authenticateClient(w http.ResponseWriter, form url.Values) (App, bool) {
	s.mu.Lock()
	app, ok := s.apps[form.Get("client_id")]
	s.mu.Unlock()
	secret := form.Get("client_secret")
	if !ok || secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(app.ClientSecret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return App{}, false
	}
	return app, true
}

// serveToken is POST /oauth2/v2.0/token.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	form, ok := readTokenForm(w, r)
	if !ok {
		return
	}
	grant := normalizeGrantType(form.Get("grant_type"))
	switch grant {
	case grantJWT, grantRefresh:
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required.")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("Unsupported grant_type %q.", grant))
		return
	}
	app, ok := s.authenticateClient(w, form)
	if !ok {
		return
	}
	if grant == grantJWT {
		s.jwtGrant(w, form, app)
	} else {
		s.refreshGrant(w, form, app)
	}
}

func (s *Server) jwtGrant(w http.ResponseWriter, form url.Values, app App) {
	assertion := form.Get("assertion")
	if assertion == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "assertion is required.")
		return
	}
	now := s.now()
	var problem string
	claims, jerr := verifyJWT(assertion, app.PublicKey)
	if jerr != nil {
		problem = jerr.msg
	} else {
		problem = checkAppClaims(claims, app, form.Get("client_id"), now)
	}
	if problem != "" {
		oauthError(w, http.StatusBadRequest, "invalid_grant", problem)
		return
	}
	scopes, ok := requestedScopes(app, form.Get("scope"))
	if !ok {
		oauthError(w, http.StatusBadRequest, "invalid_scope", "Request scope is not valid.")
		return
	}

	s.mu.Lock()
	grant := s.newGrantLocked()
	access := s.issueLocked(token{kind: kindAccess, client: app.ClientID, scopes: scopes, grant: grant, expires: now.Add(app.AccessTokenTTL)})
	refresh := s.issueLocked(token{kind: kindRefresh, client: app.ClientID, scopes: scopes, grant: grant, expires: now.Add(refreshTokenTTL)})
	s.mu.Unlock()
	writeTokenReply(w, app, access, refresh, scopes)
}

func (s *Server) refreshGrant(w http.ResponseWriter, form url.Values, app App) {
	refresh := form.Get("refresh_token")
	if refresh == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "refresh_token is required.")
		return
	}
	now := s.now()
	s.mu.Lock()
	t, st := s.lookupLocked(refresh, now)
	if st != tokenOK || t.kind != kindRefresh || t.client != app.ClientID {
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_grant", "The refresh token is invalid, expired, revoked or was issued to another client.")
		return
	}
	scopes := t.scopes
	access := s.issueLocked(token{kind: kindAccess, client: app.ClientID, scopes: scopes, grant: t.grant, expires: now.Add(app.AccessTokenTTL)})
	if app.RotateRefreshTokens {
		delete(s.tokens, refresh)
		refresh = s.issueLocked(token{kind: kindRefresh, client: app.ClientID, scopes: scopes, grant: t.grant, expires: now.Add(refreshTokenTTL)})
	}
	s.mu.Unlock()
	writeTokenReply(w, app, access, refresh, scopes)
}

func writeTokenReply(w http.ResponseWriter, app App, access, refresh string, scopes []string) {
	secs := int64(app.AccessTokenTTL / time.Second)
	var expiresIn any = strconv.FormatInt(secs, 10)
	if app.ExpiresInAsNumber {
		expiresIn = secs
	}
	// RFC 6749 section 5.1: token responses must not be cached.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"access_token":  access,
		"refresh_token": refresh,
		"scope":         strings.Join(scopes, " "),
		"token_type":    "Bearer",
		"expires_in":    expiresIn,
	})
}

// requestedScopes parses the space-separated scope parameter and checks each
// scope is known and enabled for the app.
func requestedScopes(app App, scope string) ([]string, bool) {
	var out []string
	for _, sc := range strings.Fields(scope) {
		if !app.allows(sc) {
			return nil, false
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out, len(out) > 0
}

// serveRevoke is POST /oauth2/v2.0/revoke (RFC 7009).
func (s *Server) serveRevoke(w http.ResponseWriter, r *http.Request) {
	form, ok := readTokenForm(w, r)
	if !ok {
		return
	}
	app, ok := s.authenticateClient(w, form)
	if !ok {
		return
	}
	v := form.Get("token")
	if v == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "token is required.")
		return
	}
	// token_type_hint is only a hint (RFC 7009 section 2.1): every kind is searched.
	s.mu.Lock()
	t := s.tokens[v]
	switch {
	case t == nil || (t.kind != kindAccess && t.kind != kindRefresh):
		// RFC 7009 section 2.2: an unknown token is not an error.
	case t.client != app.ClientID:
		s.mu.Unlock()
		// Inferred: RFC 7009 says to refuse; this is what most servers answer.
		oauthError(w, http.StatusBadRequest, "unauthorized_client", "The token was issued to another client.")
		return
	case t.kind == kindRefresh:
		// RFC 7009 section 2.1: revoking a refresh token should also revoke
		// the access tokens of the same grant.
		for k, o := range s.tokens {
			if o.grant == t.grant && (o.kind == kindAccess || o.kind == kindRefresh) {
				delete(s.tokens, k)
			}
		}
	default:
		delete(s.tokens, v)
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// jwtError says why an assertion was refused.
type jwtError struct {
	kind jwtErrorKind
	msg  string
}

type jwtErrorKind int

const (
	jwtMalformed jwtErrorKind = iota
	jwtBadAlg
	jwtBadSignature
)

func (e *jwtError) Error() string { return e.msg }

// verifyJWT checks an assertion's form, algorithm and signature and returns
// its claims, with numbers as json.Number. It does not check the claims.
func verifyJWT(assertion string, key *rsa.PublicKey) (jwt.MapClaims, *jwtError) {
	claims, alg, jerr := peekJWT(assertion)
	switch {
	case jerr != nil:
		return nil, jerr
	case alg != "RS256":
		return nil, &jwtError{jwtBadAlg, fmt.Sprintf("JWT alg must be RS256, not %q.", alg)}
	case key == nil:
		return nil, &jwtError{jwtBadSignature, "JWT signature verification failed: no public key is registered."}
	}
	if _, err := jwtParser().Parse(assertion, func(*jwt.Token) (any, error) { return key, nil }); err != nil {
		return nil, &jwtError{jwtBadSignature, "JWT signature verification failed."}
	}
	return claims, nil
}

// peekJWT decodes an assertion without verifying it, to learn its alg and
// issuer before the key is known.
func peekJWT(assertion string) (claims jwt.MapClaims, alg string, _ *jwtError) {
	tok, _, err := jwtParser().ParseUnverified(assertion, jwt.MapClaims{})
	// ErrTokenUnverifiable means an unknown alg, reported as such below.
	if err != nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		return nil, "", &jwtError{jwtMalformed, "Malformed JWT: " + err.Error()}
	}
	alg, _ = tok.Header["alg"].(string)
	return tok.Claims.(jwt.MapClaims), alg, nil
}

// jwtParser checks only the algorithm and signature; the emulator checks the
// claims itself, because LINE WORKS accepts float iat/exp and allows no skew.
func jwtParser() *jwt.Parser {
	return jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithJSONNumber(), jwt.WithoutClaimsValidation())
}

// numericClaim reads a NumericDate claim. Floats are accepted, as the
// official Python sample sends them.
func numericClaim(c jwt.MapClaims, name string) (float64, string) {
	switch v := c[name].(type) {
	case nil:
		return 0, fmt.Sprintf("%s claim is required.", name)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return 0, fmt.Sprintf("%s claim is not a valid number.", name)
		}
		return f, ""
	default:
		return 0, fmt.Sprintf("%s claim must be a number.", name)
	}
}

// checkAppClaims checks an API 2.0 assertion's claims.
func checkAppClaims(c jwt.MapClaims, app App, clientID string, now time.Time) string {
	if iss, _ := c["iss"].(string); iss != clientID {
		return "iss does not match client_id."
	}
	if sub, _ := c["sub"].(string); sub == "" || sub != app.ServiceAccountID {
		return "sub does not match the service account."
	}
	iat, problem := numericClaim(c, "iat")
	if problem != "" {
		return problem
	}
	exp, problem := numericClaim(c, "exp")
	if problem != "" {
		return problem
	}
	// Against this server's own clock, with no tolerance: LINE WORKS allows
	// none (documented for API 1.0, inferred for 2.0). The 60-minute cap is
	// measured from the server's clock: with iat not after now, exp-iat
	// capped (inferred) caps exp-now too.
	nowSec := unixSeconds(now)
	switch {
	case iat > nowSec:
		return fmt.Sprintf("iat is in the future (iat %s, current time %s).", formatUnix(iat), formatUnix(nowSec))
	case exp <= nowSec:
		return fmt.Sprintf("JWT expired at %s (current time %s).", formatUnix(exp), formatUnix(nowSec))
	case exp-iat > maxJWTLifetime:
		return "exp is more than 60 minutes after iat."
	}
	return ""
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func fromUnixSeconds(f float64) time.Time {
	// Clamp so that absurd claims still format instead of overflowing.
	f = max(min(f, 1e11), -1e11)
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC()
}

func formatUnix(f float64) string { return fromUnixSeconds(f).Format(time.RFC3339) }
