package lineworkstest

// API 1.0 (retired April 2023) token endpoints on the auth host, as the 1.0
// auth document describes them.

import (
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The 1.0 document gives one error example, code "31" ("jwt already
// expired"). Every other code and status here is inferred, chosen so that each
// failure is distinguishable; tests should prefer the message to the code.
const (
	legacyCodeInvalidRequest = "11" // inferred: bad method, content type, missing or repeated parameter
	legacyCodeGrantType      = "12" // inferred: grant_type is not jwt-bearer
	legacyCodeInvalidJWT     = "30" // inferred: malformed JWT, wrong alg, missing claims, too long a lifetime
	legacyCodeExpired        = "31" // documented
	legacyCodeFuture         = "32" // inferred: iat after the current time
	legacyCodeUnknownAPI     = "41" // inferred: no server registered under the API ID
	legacyCodeUnknownServer  = "42" // inferred: iss is not a server ID registered under the API ID
	legacyCodeSignature      = "43" // inferred: the signature does not verify
)

// Service API token refresh answers HTTP 200 with one of these errorCodes.
const (
	legacyServiceOK           = "00"
	legacyServiceParamError   = "107" // missing or invalid parameter
	legacyServiceIssueError   = "502" // could not issue: unknown or revoked refresh token
	legacyServiceUnknownError = "99"
)

// Legacy is API 1.0 on the auth host: its servers and consumer keys, and
// the server token each server holds now. Its tokens are Auth's, so that
// IssuedTokens and TokenValid cover them. Reach it as Server.Legacy.
type Legacy struct {
	mu   sync.Mutex
	auth *Auth

	servers      map[string]LegacyServer   // by API ID + "/" + server ID
	consumers    map[string]LegacyConsumer // by API ID + "/" + consumer key
	serverTokens map[string]string         // by API ID + "/" + server ID: the current server token
	errorCode    string
}

func newLegacy(a *Auth) *Legacy {
	return &Legacy{
		auth:         a,
		servers:      make(map[string]LegacyServer),
		consumers:    make(map[string]LegacyConsumer),
		serverTokens: make(map[string]string),
	}
}

// mount registers the 1.0 token endpoints on the auth host.
func (l *Legacy) mount(rt *router) {
	rt.handle("POST /b/{apiId}/server/token", l.serveServerToken)
	rt.handle("GET /ba/{apiId}/service/token/refresh", l.serveServiceRefresh)
	rt.handle("POST /ba/{apiId}/service/token/refresh", l.serveServiceRefresh)
}

// refuseLegacy answers a wrong method on a 1.0 path in that endpoint's shape, and
// reports whether the path was one.
func refuseLegacy(w http.ResponseWriter, r *http.Request, status int, allow string) bool {
	if status != http.StatusMethodNotAllowed {
		return false
	}
	switch p := r.URL.EscapedPath(); {
	case strings.HasPrefix(p, "/b/"):
		w.Header().Set("Allow", allow)
		legacyError(w, status, legacyCodeInvalidRequest, "method not allowed", "Only "+allow+" is allowed.")
	case strings.HasPrefix(p, "/ba/"):
		w.Header().Set("Allow", allow)
		writeJSON(w, status, "application/json", map[string]string{"errorCode": legacyServiceUnknownError}) // inferred
	default:
		return false
	}
	return true
}

// LegacyServer is an API 1.0 server of the "ID registration" type.
type LegacyServer struct {
	APIID     string
	ServerID  string // 32 hex characters; the JWT's iss
	PublicKey *rsa.PublicKey
	TokenTTL  time.Duration // default 24h
}

// RegisterServer registers srv, replacing any server with the same API ID
// and server ID.
func (l *Legacy) RegisterServer(srv LegacyServer) {
	if srv.TokenTTL <= 0 {
		srv.TokenTTL = 24 * time.Hour
	}
	l.mu.Lock()
	l.servers[srv.APIID+"/"+srv.ServerID] = srv
	l.mu.Unlock()
}

// LegacyConsumer is an API 1.0 service API consumer key.
type LegacyConsumer struct {
	APIID, ConsumerKey string
	TokenTTL           time.Duration // default 7 days, the shortest the console offers
}

// RegisterConsumer registers c.
func (l *Legacy) RegisterConsumer(c LegacyConsumer) {
	if c.TokenTTL <= 0 {
		c.TokenTTL = 7 * 24 * time.Hour
	}
	l.mu.Lock()
	l.consumers[c.APIID+"/"+c.ConsumerKey] = c
	l.mu.Unlock()
}

// IssueRefreshToken issues a service API refresh token, as if from the 1.0
// authorization-code flow.
func (l *Legacy) IssueRefreshToken(apiID, consumerKey string) string {
	// The 1.0 refresh token lifetime is not documented; 90 days is inferred.
	return l.auth.issue(token{
		kind: kindLegacyRefresh, client: consumerKey, apiID: apiID,
		expires: l.auth.clock.now().Add(refreshTokenTTL),
	}, "")
}

// SetServiceErrorCode makes the next service API token refresh answer
// {"errorCode": code}, whatever the request. "" cancels.
func (l *Legacy) SetServiceErrorCode(code string) {
	l.mu.Lock()
	l.errorCode = code
	l.mu.Unlock()
}

// legacyError writes the 1.0 error shape.
func legacyError(w http.ResponseWriter, status int, code, message, detail string) {
	writeJSON(w, status, "application/json", map[string]string{"message": message, "detail": detail, "code": code})
}

// serveServerToken is POST /b/{apiId}/server/token.
func (l *Legacy) serveServerToken(w http.ResponseWriter, r *http.Request) {
	apiID := r.PathValue("apiId")
	if !isFormContentType(r.Header.Get("Content-Type")) {
		legacyError(w, http.StatusBadRequest, legacyCodeInvalidRequest, "invalid request", "Content-Type must be application/x-www-form-urlencoded.")
		return
	}
	if err := r.ParseForm(); err != nil {
		legacyError(w, http.StatusBadRequest, legacyCodeInvalidRequest, "invalid request", "Malformed request body.")
		return
	}
	for k, vs := range r.PostForm {
		if len(vs) > 1 {
			legacyError(w, http.StatusBadRequest, legacyCodeInvalidRequest, "invalid request", fmt.Sprintf("Parameter %q is repeated.", k))
			return
		}
	}
	if g := normalizeGrantType(r.PostForm.Get("grant_type")); g != grantJWT {
		legacyError(w, http.StatusBadRequest, legacyCodeGrantType, "unsupported grant type", fmt.Sprintf("grant_type must be %s, not %q.", grantJWT, g))
		return
	}
	assertion := r.PostForm.Get("assertion")
	if assertion == "" {
		legacyError(w, http.StatusBadRequest, legacyCodeInvalidRequest, "invalid request", "assertion is required.")
		return
	}

	claims, _, jerr := peekJWT(assertion)
	if jerr != nil {
		legacyError(w, http.StatusBadRequest, legacyCodeInvalidJWT, "invalid jwt", jerr.msg)
		return
	}
	iss, _ := claims["iss"].(string)
	srv, apiKnown, srvKnown := l.server(apiID, iss)
	switch {
	case !apiKnown:
		legacyError(w, http.StatusUnauthorized, legacyCodeUnknownAPI, "invalid api id", fmt.Sprintf("API ID %q is not registered.", apiID))
		return
	case !srvKnown:
		legacyError(w, http.StatusUnauthorized, legacyCodeUnknownServer, "invalid server id", fmt.Sprintf("Server ID %q (iss) is not registered for this API ID.", iss))
		return
	}
	if _, jerr := verifyJWT(assertion, srv.PublicKey); jerr != nil {
		if jerr.kind == jwtBadSignature {
			legacyError(w, http.StatusUnauthorized, legacyCodeSignature, "jwt signature does not match", jerr.msg)
		} else {
			legacyError(w, http.StatusBadRequest, legacyCodeInvalidJWT, "invalid jwt", jerr.msg)
		}
		return
	}

	now := l.auth.clock.now()
	if status, code, msg, detail := checkLegacyClaims(claims, now); code != "" {
		legacyError(w, status, code, msg, detail)
		return
	}

	key := srv.APIID + "/" + srv.ServerID
	l.mu.Lock()
	// The doc: a reissue invalidates the previous server token, even unexpired.
	v := l.auth.issue(token{
		kind: kindLegacyServer, client: srv.ServerID, apiID: srv.APIID,
		expires: now.Add(srv.TokenTTL),
	}, l.serverTokens[key])
	l.serverTokens[key] = v
	l.mu.Unlock()

	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"access_token": v,
		"token_type":   "Bearer",
		"expires_in":   int64(srv.TokenTTL / time.Second), // a number here, as in the doc's example
	})
}

func (l *Legacy) server(apiID, serverID string) (srv LegacyServer, apiKnown, srvKnown bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if srv, ok := l.servers[apiID+"/"+serverID]; ok {
		return srv, true, true
	}
	for _, s := range l.servers {
		if s.APIID == apiID {
			return LegacyServer{}, true, false
		}
	}
	return LegacyServer{}, false, false
}

// checkLegacyClaims checks iat and exp with zero clock skew, reporting
// failures in the words of the 1.0 server (which are those of jjwt).
func checkLegacyClaims(c jwt.MapClaims, now time.Time) (status int, code, message, detail string) {
	iat, problem := numericClaim(c, "iat")
	if problem != "" {
		return http.StatusBadRequest, legacyCodeInvalidJWT, "invalid jwt", problem
	}
	exp, problem := numericClaim(c, "exp")
	if problem != "" {
		return http.StatusBadRequest, legacyCodeInvalidJWT, "invalid jwt", problem
	}
	nowSec := unixSeconds(now)
	switch {
	case exp <= nowSec:
		return http.StatusBadRequest, legacyCodeExpired, "jwt already expired", fmt.Sprintf(
			"JWT expired at %s. Current time: %s, a difference of %d milliseconds. Allowed clock skew: 0 milliseconds.",
			formatUnix(exp), formatUnix(nowSec), millis(nowSec-exp))
	case iat > nowSec:
		return http.StatusBadRequest, legacyCodeFuture, "jwt issued in the future", fmt.Sprintf(
			"JWT issued at %s. Current time: %s, a difference of %d milliseconds. Allowed clock skew: 0 milliseconds.",
			formatUnix(iat), formatUnix(nowSec), millis(iat-nowSec))
	case exp-iat > maxJWTLifetime:
		return http.StatusBadRequest, legacyCodeInvalidJWT, "invalid jwt", "exp is more than 60 minutes after iat."
	}
	return 0, "", "", ""
}

func millis(sec float64) int64 { return int64(sec*1000 + 0.5) }

// serveServiceRefresh is GET or POST /ba/{apiId}/service/token/refresh.
// As documented, it answers HTTP 200 and reports failure in errorCode.
func (l *Legacy) serveServiceRefresh(w http.ResponseWriter, r *http.Request) {
	apiID := r.PathValue("apiId")
	reply := func(v map[string]string) { writeJSON(w, http.StatusOK, "application/json", v) }
	// Parse before taking the lock: reading the body may block.
	formErr := r.ParseForm()
	v, ttl, code := l.serviceRefresh(apiID, r.Form, formErr)
	if code != legacyServiceOK {
		reply(map[string]string{"errorCode": code})
		return
	}
	reply(map[string]string{
		"errorCode":    legacyServiceOK,
		"access_token": v,
		"expire_in":    strconv.FormatInt(int64(ttl/time.Second), 10), // a string, as the doc says
	})
}

// serviceRefresh issues a service API access token, or returns the
// errorCode saying why not.
func (l *Legacy) serviceRefresh(apiID string, form url.Values, formErr error) (string, time.Duration, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if code := l.errorCode; code != "" {
		l.errorCode = ""
		return "", 0, code
	}
	consumerKey, refresh := form.Get("client_id"), form.Get("refresh_token")
	consumer, ok := l.consumers[apiID+"/"+consumerKey]
	if formErr != nil || !ok || refresh == "" {
		return "", 0, legacyServiceParamError
	}
	t, st := l.auth.lookup(refresh)
	if st != tokenOK || t.kind != kindLegacyRefresh || t.apiID != apiID || t.client != consumerKey {
		return "", 0, legacyServiceIssueError
	}
	v := l.auth.issue(token{
		kind: kindLegacyService, client: consumerKey, apiID: apiID,
		grant: t.grant, expires: l.auth.clock.now().Add(consumer.TokenTTL),
	}, "")
	return v, consumer.TokenTTL, legacyServiceOK
}
