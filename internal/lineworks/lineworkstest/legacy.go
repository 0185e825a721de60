package lineworkstest

// API 1.0 (retired April 2023) token endpoints on the auth host, as the 1.0
// auth document describes them.

import (
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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

// LegacyServer is an API 1.0 server of the "ID registration" type.
type LegacyServer struct {
	APIID     string
	ServerID  string // 32 hex characters; the JWT's iss
	PublicKey *rsa.PublicKey
	TokenTTL  time.Duration // default 24h
}

// RegisterLegacyServer registers l, replacing any server with the same API ID
// and server ID.
func (s *Server) RegisterLegacyServer(l LegacyServer) {
	if l.TokenTTL <= 0 {
		l.TokenTTL = 24 * time.Hour
	}
	s.mu.Lock()
	s.legacyServers[l.APIID+"/"+l.ServerID] = l
	s.mu.Unlock()
}

// LegacyConsumer is an API 1.0 service API consumer key.
type LegacyConsumer struct {
	APIID, ConsumerKey string
	TokenTTL           time.Duration // default 7 days, the shortest the console offers
}

// RegisterLegacyConsumer registers c.
func (s *Server) RegisterLegacyConsumer(c LegacyConsumer) {
	if c.TokenTTL <= 0 {
		c.TokenTTL = 7 * 24 * time.Hour
	}
	s.mu.Lock()
	s.legacyConsumers[c.APIID+"/"+c.ConsumerKey] = c
	s.mu.Unlock()
}

// IssueLegacyRefreshToken issues a service API refresh token, as if from the
// 1.0 authorization-code flow.
func (s *Server) IssueLegacyRefreshToken(apiID, consumerKey string) string {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	// The 1.0 refresh token lifetime is not documented; 90 days is inferred.
	return s.issueLocked(token{
		kind: kindLegacyRefresh, client: consumerKey, apiID: apiID,
		grant: s.newGrantLocked(), expires: now.Add(refreshTokenTTL),
	})
}

// SetLegacyServiceErrorCode makes the next service API token refresh answer
// {"errorCode": code}, whatever the request. "" cancels.
func (s *Server) SetLegacyServiceErrorCode(code string) {
	s.mu.Lock()
	s.legacyErrorCode = code
	s.mu.Unlock()
}

// legacyError writes the 1.0 error shape.
func legacyError(w http.ResponseWriter, status int, code, message, detail string) {
	writeJSON(w, status, "application/json", map[string]string{"message": message, "detail": detail, "code": code})
}

// serveLegacyServerToken is POST /b/{apiId}/server/token.
func (s *Server) serveLegacyServerToken(w http.ResponseWriter, r *http.Request, apiID string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		legacyError(w, http.StatusMethodNotAllowed, legacyCodeInvalidRequest, "method not allowed", "Only POST is allowed.")
		return
	}
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
	srv, apiKnown, srvKnown := s.legacyServer(apiID, iss)
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

	now := s.now()
	if status, code, msg, detail := checkLegacyClaims(claims, now); code != "" {
		legacyError(w, status, code, msg, detail)
		return
	}

	key := srv.APIID + "/" + srv.ServerID
	s.mu.Lock()
	// The doc: a reissue invalidates the previous server token, even unexpired.
	delete(s.tokens, s.legacyServerTokens[key])
	v := s.issueLocked(token{
		kind: kindLegacyServer, client: srv.ServerID, apiID: srv.APIID,
		grant: s.newGrantLocked(), expires: now.Add(srv.TokenTTL),
	})
	s.legacyServerTokens[key] = v
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"access_token": v,
		"token_type":   "Bearer",
		"expires_in":   int64(srv.TokenTTL / time.Second), // a number here, as in the doc's example
	})
}

func (s *Server) legacyServer(apiID, serverID string) (srv LegacyServer, apiKnown, srvKnown bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if srv, ok := s.legacyServers[apiID+"/"+serverID]; ok {
		return srv, true, true
	}
	for _, l := range s.legacyServers {
		if l.APIID == apiID {
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

// serveLegacyServiceRefresh is GET or POST /ba/{apiId}/service/token/refresh.
// As documented, it answers HTTP 200 and reports failure in errorCode.
func (s *Server) serveLegacyServiceRefresh(w http.ResponseWriter, r *http.Request, apiID string) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, "application/json", map[string]string{"errorCode": legacyServiceUnknownError}) // inferred
		return
	}
	reply := func(v map[string]string) { writeJSON(w, http.StatusOK, "application/json", v) }
	// Parse before taking the lock: reading the body may block.
	formErr := r.ParseForm()
	now := s.now()
	v, ttl, code := s.legacyServiceRefresh(apiID, r.Form, formErr, now)
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

// legacyServiceRefresh issues a service API access token, or returns the
// errorCode saying why not.
func (s *Server) legacyServiceRefresh(apiID string, form url.Values, formErr error, now time.Time) (string, time.Duration, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code := s.legacyErrorCode; code != "" {
		s.legacyErrorCode = ""
		return "", 0, code
	}
	consumerKey, refresh := form.Get("client_id"), form.Get("refresh_token")
	consumer, ok := s.legacyConsumers[apiID+"/"+consumerKey]
	if formErr != nil || !ok || refresh == "" {
		return "", 0, legacyServiceParamError
	}
	t, st := s.lookupLocked(refresh, now)
	if st != tokenOK || t.kind != kindLegacyRefresh || t.apiID != apiID || t.client != consumerKey {
		return "", 0, legacyServiceIssueError
	}
	v := s.issueLocked(token{
		kind: kindLegacyService, client: consumerKey, apiID: apiID,
		grant: t.grant, expires: now.Add(consumer.TokenTTL),
	})
	return v, consumer.TokenTTL, legacyServiceOK
}
