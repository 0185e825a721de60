package lineworkstest

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// maxFileNameLength bounds fileName; the bot page states none, other upload
// calls of the API state 200 (inferred for bots).
const maxFileNameLength = 200

// mountAPI registers the bot attachment calls on the API host.
func (s *Storage) mountAPI(api *apiRoutes) {
	api.handle("GET /v1.0/bots/{botId}/attachments/{fileId}", s.redirectDownload)
	api.handle("POST /v1.0/bots/{botId}/attachments", s.createAttachment)
}

// redirectDownload is GET /bots/{botId}/attachments/{fileId}: the docs say
// it answers 302 with the download URL, which is on another host and needs
// the same bearer token.
func (s *Storage) redirectDownload(w http.ResponseWriter, r *http.Request, t *token) {
	botID, fileID := r.PathValue("botId"), r.PathValue("fileId")
	now := s.clock.now()
	s.mu.Lock()
	answer401, redirectTo, style := s.api401, s.redirectTo, s.locationStyle
	a := s.attachments[botID][fileID]
	if a != nil && a.gone(now) {
		a = nil
	}
	s.mu.Unlock()

	if answer401 {
		unauthorized(w, true, "Authentication failed.")
		return
	}
	if !requireScope(w, t, "bot", "bot.message") {
		return
	}
	// A deleted bot's files go with it, answered as every call on it is.
	// Files may be added for a bot the emulator never made (AddAttachment):
	// only a deletion hides them.
	if id, err := strconv.ParseInt(botID, 10, 64); err == nil && s.bots.wasDeleted(id) {
		s.bots.missing(w, id)
		return
	}
	if a == nil {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "The bot or file does not exist.")
		return
	}
	loc := redirectTo
	if loc == "" {
		loc = s.location(r, a, style, now)
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusFound)
}

// createAttachment is POST /bots/{botId}/attachments {"fileName"}: it
// answers a file ID and the URL to upload the file to, both valid 24 hours.
func (s *Storage) createAttachment(w http.ResponseWriter, r *http.Request, t *token) {
	if !requireScope(w, t, "bot", "bot.message") {
		return
	}
	botID := r.PathValue("botId")
	id, err := strconv.ParseInt(botID, 10, 64)
	if err != nil {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "The bot does not exist.") // inferred: bot IDs are int64
		return
	}
	if !s.bots.botExists(id) {
		s.bots.missing(w, id) // as every call on a bot: 404, or 410 under that answer form
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
