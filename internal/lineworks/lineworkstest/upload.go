package lineworkstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// pendingUpload is a file ID whose upload URL was handed out.
type pendingUpload struct {
	botID, fileID, fileName string
	expires                 time.Time
	used                    bool
}

// maxUploadSize bounds an upload held in memory. The real limit is an
// Admin setting (inferred default).
const maxUploadSize = 64 << 20

// newUpload creates a file ID and its upload URL. A file ID embeds its
// creation time in nanoseconds and its expiry 86 400 s later (inferred from
// the published examples); the upload URL is the derived URL plus the name.
func (s *Storage) newUpload(r *http.Request, botID, fileName string) (fileID, uploadURL string) {
	now := s.clock.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	fileID = fmt.Sprintf("jp1.%d.%d.0.1000001.0.0.0", now.UnixNano()+s.seq, now.Add(uploadLifetime).Unix())
	path := DerivedPath(fileID) + url.PathEscape(fileName)
	s.uploads[path] = &pendingUpload{botID: botID, fileID: fileID, fileName: fileName, expires: now.Add(uploadLifetime)}
	base := s.url
	if production(r) {
		base = "https://" + ProductionStorageHost
	}
	return fileID, base + path
}

// receiveUpload is POST {uploadUrl}: multipart/form-data with the file in a
// part named Filedata, as the file-upload page shows. An upload URL works once.
func (s *Storage) receiveUpload(w http.ResponseWriter, r *http.Request, up *pendingUpload, now time.Time) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Content-Type must be multipart/form-data.") // inferred
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Malformed multipart body.") // inferred
		return
	}
	var content []byte
	var contentType string
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Malformed multipart body.") // inferred
			return
		}
		if part.FormName() != "Filedata" {
			continue
		}
		content, err = io.ReadAll(io.LimitReader(part, maxUploadSize+1))
		if err != nil {
			storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "Malformed multipart body.") // inferred
			return
		}
		contentType, found = part.Header.Get("Content-Type"), true
		break
	}
	switch {
	case !found:
		storageError(w, http.StatusBadRequest, "INVALID_PARAMETER", "The file must be in a part named Filedata.") // inferred
		return
	case len(content) > maxUploadSize:
		storageError(w, http.StatusRequestEntityTooLarge, "FILE_SIZE_EXCEEDED", "The file is too large.") // inferred
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case up.used:
		storageError(w, http.StatusForbidden, "FORBIDDEN", "The upload URL has already been used.") // documented rule, inferred answer
		return
	case !now.Before(up.expires):
		storageError(w, http.StatusForbidden, "FORBIDDEN", "The upload URL has expired.") // documented rule, inferred answer
		return
	}
	up.used = true
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	s.addLocked(up.botID, up.fileID, &attachment{Attachment: Attachment{FileName: up.fileName, ContentType: contentType, Content: content}}, up.expires)
	writeJSON(w, http.StatusOK, "application/json;charset=UTF-8", map[string]string{"fileId": up.fileID}) // inferred
}

// UploadAttachment puts a file on the emulator the way a bot's own code
// does, over HTTP: POST /bots/{botId}/attachments {"fileName"} with the
// access token, then the file to the answered upload URL as
// multipart/form-data (a part named Filedata) with the same token. It
// returns the file ID, which the attachment API then serves for 24 hours by
// the emulator's clock.
func (s *Storage) UploadAttachment(accessToken, botID, fileName, contentType string, content []byte) (string, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body, _ := json.Marshal(map[string]string{"fileName": fileName}) // a map of strings always marshals
	req, err := http.NewRequest(http.MethodPost, s.apiURL+"/bots/"+url.PathEscape(botID)+"/attachments", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Content-Type", "application/json")
	var created struct {
		FileID    string `json:"fileId"`
		UploadURL string `json:"uploadUrl"`
	}
	if err := roundTripJSON(c, req, &created); err != nil {
		return "", fmt.Errorf("creating the upload URL: %w", err)
	}

	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="Filedata"; filename="%s"`, strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(fileName)))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", err
	}
	if _, err := part.Write(content); err != nil {
		return "", err
	}
	if err := mw.Close(); err != nil {
		return "", err
	}
	req, err = http.NewRequest(http.MethodPost, created.UploadURL, &form)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if err := roundTripJSON(c, req, nil); err != nil {
		return "", fmt.Errorf("uploading the file: %w", err)
	}
	return created.FileID, nil
}

func roundTripJSON(c *http.Client, req *http.Request, out any) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}
