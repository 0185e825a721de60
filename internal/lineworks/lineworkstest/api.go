package lineworkstest

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// apiError writes the resource API's error shape.
func apiError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, "application/json", map[string]string{"code": code, "description": description})
}

// unauthorized writes the API's 401, with the RFC 6750 challenge the service
// sends on some errors. Without credentials the challenge carries no error
// code (RFC 6750 section 3.1); the realm's value is inferred.
func unauthorized(w http.ResponseWriter, hadToken bool, why string) {
	challenge := `Bearer realm="worksapis"`
	if hadToken {
		challenge += `, error="invalid_token", error_description="` + why + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Authentication failed.")
}

// serveAPI serves the API host (www.worksapis.com). Every path goes through
// the same preamble, as on the service: injected faults and the rate limit,
// then the bearer token. Beyond it: the bot attachment calls, and bot
// management (bots.go); every other path is 404.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if s.injectFault(w, r, HostAPI) {
		return
	}
	if s.limitRate(w, r) {
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
		_, hadToken := bearerToken(r)
		unauthorized(w, hadToken, "The access token is invalid or has expired.")
		return
	case tokenStale:
		// The official samples take 403 UNAUTHORIZED as "token expired".
		apiError(w, http.StatusForbidden, "UNAUTHORIZED", "The access token has expired.")
		return
	}

	if s.serveAttachmentAPI(w, r, t) {
		return
	}
	if s.serveBots(w, r, t) {
		return
	}
	if s.serveMenus(w, r) {
		return
	}
	apiError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource was not found.")
}

// serveAttachmentAPI serves GET /bots/{botId}/attachments/{fileId} and
// POST /bots/{botId}/attachments, and reports whether the path was one of them.
func (s *Server) serveAttachmentAPI(w http.ResponseWriter, r *http.Request, t *token) bool {
	if botID, ok := attachmentCreateRoute(r.URL.EscapedPath()); ok {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			apiError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed.") // inferred
			return true
		}
		s.createAttachment(w, r, t, botID)
		return true
	}
	botID, fileID, ok := attachmentRoute(r.URL.EscapedPath())
	if !ok {
		return false
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		apiError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed.") // inferred
		return true
	}

	now := s.now()
	s.mu.Lock()
	answer401, redirectTo, style := s.api401, s.redirectTo, s.locationStyle
	a := s.attachments[botID][fileID]
	if a != nil && a.gone(now) {
		a = nil
	}
	s.mu.Unlock()

	if answer401 {
		unauthorized(w, true, "Authentication failed.")
		return true
	}
	if !hasBotScope(t) {
		apiError(w, http.StatusForbidden, "FORBIDDEN", "The access token lacks the required scope: bot or bot.message.")
		return true
	}
	if a == nil {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "The bot or file does not exist.")
		return true
	}

	// The docs say: answer 302 with the download URL, which is on another
	// host and needs the same bearer token.
	loc := redirectTo
	if loc == "" {
		loc = s.location(r, a, style, now)
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusFound)
	return true
}

func hasBotScope(t *token) bool {
	return slices.Contains(t.scopes, "bot") || slices.Contains(t.scopes, "bot.message")
}

// maxFileNameLength bounds fileName; the bot page states none, other upload
// calls of the API state 200 (inferred for bots).
const maxFileNameLength = 200

// createAttachment is POST /bots/{botId}/attachments {"fileName"}: it
// answers a file ID and the URL to upload the file to, both valid 24 hours.
func (s *Server) createAttachment(w http.ResponseWriter, r *http.Request, t *token, botID string) {
	if !hasBotScope(t) {
		apiError(w, http.StatusForbidden, "FORBIDDEN", "The access token lacks the required scope: bot or bot.message.")
		return
	}
	if _, err := strconv.ParseInt(botID, 10, 64); err != nil {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "The bot does not exist.") // inferred: bot IDs are int64
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Content-Type must be application/json.") // inferred
		return
	}
	var body struct {
		FileName *string `json:"fileName"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", "The request body is not valid JSON.") // inferred
		return
	}
	switch name := body.FileName; {
	case name == nil || *name == "":
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", "fileName is required.") // inferred
		return
	case !utf8.ValidString(*name) || utf8.RuneCountInString(*name) > maxFileNameLength:
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", "fileName must be at most 200 characters.") // inferred
		return
	}
	fileID, uploadURL := s.newUpload(r, botID, *body.FileName)
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"fileId": fileID, "uploadUrl": uploadURL})
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

// attachmentCreateRoute matches /v1.0/bots/{botId}/attachments.
func attachmentCreateRoute(escapedPath string) (botID string, ok bool) {
	seg := strings.Split(escapedPath, "/")
	if len(seg) != 5 || seg[0] != "" || seg[1] != "v1.0" || seg[2] != "bots" || seg[4] != "attachments" {
		return "", false
	}
	return pathSegment(seg[3])
}

func pathSegment(escaped string) (string, bool) {
	v, err := url.PathUnescape(escaped)
	if err != nil || v == "" || v == "." || v == ".." {
		return "", false
	}
	return v, true
}

// authenticate checks the request's bearer token, which must be an API 2.0
// access token. A known token past its expiry is counted: a client must
// replace a token before it expires, never send it stale.
func (s *Server) authenticate(r *http.Request) (*token, tokenState) {
	v, ok := bearerToken(r)
	if !ok {
		return nil, tokenInvalid
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tokens[v]; t != nil && t.kind == kindAccess && !now.Before(t.expires) {
		s.expired++
	}
	t, st := s.lookupLocked(v, now)
	if st == tokenInvalid || t.kind != kindAccess {
		return nil, tokenInvalid
	}
	return t, st
}

// ExpiredTokenRequests counts the requests to the API and storage hosts that
// carried an access token this emulator issued, after that token expired by
// the emulator's clock.
func (s *Server) ExpiredTokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expired
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
