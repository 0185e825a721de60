package lineworkstest

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	grantJWT     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantRefresh = "refresh_token"
)

// mount registers the API 2.0 token and revoke endpoints on the auth host.
func (a *Auth) mount(rt *router) {
	rt.handle("POST /oauth2/v2.0/token", a.serveToken)
	rt.handle("POST /oauth2/v2.0/revoke", a.serveRevoke)
}

// refuseOAuth answers what no auth host route serves in the token
// endpoint's error shape (the 404's code is inferred).
func refuseOAuth(w http.ResponseWriter, status int, allow string) {
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", allow)
		oauthError(w, status, "invalid_request", "Only "+allow+" is allowed.")
		return
	}
	oauthError(w, http.StatusNotFound, "not_found", "No such endpoint.")
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
func (a *Auth) authenticateClient(w http.ResponseWriter, form url.Values) (App, bool) {
	app, ok := a.app(form.Get("client_id"))
	secret := form.Get("client_secret")
	if !ok || secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(app.ClientSecret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return App{}, false
	}
	return app, true
}

// serveToken is POST /oauth2/v2.0/token.
func (a *Auth) serveToken(w http.ResponseWriter, r *http.Request) {
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
	app, ok := a.authenticateClient(w, form)
	if !ok {
		return
	}
	if grant == grantJWT {
		a.jwtGrant(w, form, app)
	} else {
		a.refreshGrant(w, form, app)
	}
}

func (a *Auth) jwtGrant(w http.ResponseWriter, form url.Values, app App) {
	assertion := form.Get("assertion")
	if assertion == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "assertion is required.")
		return
	}
	now := a.clock.now()
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

	a.mu.Lock()
	grant := a.newGrantLocked()
	access := a.issueLocked(token{kind: kindAccess, client: app.ClientID, scopes: scopes, grant: grant, expires: now.Add(app.AccessTokenTTL)})
	refresh := a.issueLocked(token{kind: kindRefresh, client: app.ClientID, scopes: scopes, grant: grant, expires: now.Add(refreshTokenTTL)})
	a.mu.Unlock()
	writeTokenReply(w, app, access, refresh, scopes)
}

func (a *Auth) refreshGrant(w http.ResponseWriter, form url.Values, app App) {
	refresh := form.Get("refresh_token")
	if refresh == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "refresh_token is required.")
		return
	}
	now := a.clock.now()
	a.mu.Lock()
	t, st := a.lookupLocked(refresh, now)
	if st != tokenOK || t.kind != kindRefresh || t.client != app.ClientID {
		a.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_grant", "The refresh token is invalid, expired, revoked or was issued to another client.")
		return
	}
	scopes := t.scopes
	access := a.issueLocked(token{kind: kindAccess, client: app.ClientID, scopes: scopes, grant: t.grant, expires: now.Add(app.AccessTokenTTL)})
	if app.RotateRefreshTokens {
		delete(a.tokens, refresh)
		refresh = a.issueLocked(token{kind: kindRefresh, client: app.ClientID, scopes: scopes, grant: t.grant, expires: now.Add(refreshTokenTTL)})
	}
	a.mu.Unlock()
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
func (a *Auth) serveRevoke(w http.ResponseWriter, r *http.Request) {
	form, ok := readTokenForm(w, r)
	if !ok {
		return
	}
	app, ok := a.authenticateClient(w, form)
	if !ok {
		return
	}
	v := form.Get("token")
	if v == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "token is required.")
		return
	}
	// token_type_hint is only a hint (RFC 7009 section 2.1): every kind is searched.
	a.mu.Lock()
	t := a.tokens[v]
	switch {
	case t == nil || (t.kind != kindAccess && t.kind != kindRefresh):
		// RFC 7009 section 2.2: an unknown token is not an error.
	case t.client != app.ClientID:
		a.mu.Unlock()
		// Inferred: RFC 7009 says to refuse; this is what most servers answer.
		oauthError(w, http.StatusBadRequest, "unauthorized_client", "The token was issued to another client.")
		return
	case t.kind == kindRefresh:
		// RFC 7009 section 2.1: revoking a refresh token should also revoke
		// the access tokens of the same grant.
		for k, o := range a.tokens {
			if o.grant == t.grant && (o.kind == kindAccess || o.kind == kindRefresh) {
				delete(a.tokens, k)
			}
		}
	default:
		delete(a.tokens, v)
	}
	a.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}
