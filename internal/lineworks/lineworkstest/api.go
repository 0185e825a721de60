package lineworkstest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// rateLimitPerMinute is what the rateLimit-limit header reports; 240 is the
// documented per-API limit on paid plans.
const rateLimitPerMinute = 240

// apiError writes the resource API's error shape.
func apiError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, "application/json", map[string]string{"code": code, "description": description})
}

// serveAPI serves the API host (www.worksapis.com): bot management (see
// bots.go) and the attachment download; every other path is 404.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if reset, limited := s.takeRateLimit(); limited {
		// Spelled as in the docs; header names are case-insensitive anyway.
		h := w.Header()
		h["rateLimit-limit"] = []string{strconv.Itoa(rateLimitPerMinute)}
		h["rateLimit-remaining"] = []string{"0"}
		h["rateLimit-reset"] = []string{strconv.Itoa(reset)}
		h.Set("Retry-After", strconv.Itoa(reset))
		apiError(w, http.StatusTooManyRequests, "TOO_MANY_REQUESTS", "Too many requests. Retry after the rate limit resets.")
		return
	}

	s.mu.Lock()
	if s.expireAtNextAPI {
		s.expireAtNextAPI = false
		s.staleSeq = s.seq + 1
	}
	s.mu.Unlock()

	t, st := s.authenticate(r)
	switch st {
	case tokenInvalid:
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Authentication failed.")
		return
	case tokenStale:
		// The official samples take 403 UNAUTHORIZED as "token expired".
		apiError(w, http.StatusForbidden, "UNAUTHORIZED", "The access token has expired.")
		return
	}

	if s.serveBots(w, r, t) {
		return
	}

	botID, fileID, ok := attachmentRoute(r.URL.EscapedPath())
	if !ok {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource was not found.")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		apiError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed.") // inferred
		return
	}

	s.mu.Lock()
	answer401, redirectTo := s.api401, s.redirectTo
	a := s.attachments[botID][fileID]
	s.mu.Unlock()

	if answer401 {
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Authentication failed.")
		return
	}
	if !slices.Contains(t.scopes, "bot") && !slices.Contains(t.scopes, "bot.message") {
		apiError(w, http.StatusForbidden, "FORBIDDEN", "The access token lacks the required scope: bot or bot.message.")
		return
	}
	if a == nil {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "The bot or file does not exist.")
		return
	}

	// The docs say: answer 302 with the download URL, which is on another
	// host and needs the same bearer token.
	loc := redirectTo
	if loc == "" {
		loc = s.DownloadURL(fileID)
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusFound)
}

// attachmentRoute matches /v1.0/bots/{botId}/attachments/{fileId} on the
// escaped path, so that an escaped slash stays inside its segment and dot
// segments are never resolved.
func attachmentRoute(escapedPath string) (botID, fileID string, ok bool) {
	seg := strings.Split(escapedPath, "/")
	if len(seg) != 6 || seg[0] != "" || seg[1] != "v1.0" || seg[2] != "bots" || seg[4] != "attachments" {
		return "", "", false
	}
	botID, ok1 := pathSegment(seg[3])
	fileID, ok2 := pathSegment(seg[5])
	return botID, fileID, ok1 && ok2
}

func pathSegment(escaped string) (string, bool) {
	v, err := url.PathUnescape(escaped)
	if err != nil || v == "" || v == "." || v == ".." {
		return "", false
	}
	return v, true
}

// takeRateLimit consumes one of the requests RateLimitNext asked to refuse.
func (s *Server) takeRateLimit() (reset int, limited bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rateLimitN <= 0 {
		return 0, false
	}
	s.rateLimitN--
	return s.rateLimitReset, true
}

// authenticate checks the request's bearer token, which must be an API 2.0
// access token.
func (s *Server) authenticate(r *http.Request) (*token, tokenState) {
	v, ok := bearerToken(r)
	if !ok {
		return nil, tokenInvalid
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, st := s.lookupLocked(v, now)
	if st == tokenInvalid || t.kind != kindAccess {
		return nil, tokenInvalid
	}
	return t, st
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
