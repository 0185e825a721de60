package lineworkstest_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Bot users put files with the upload call: a file ID and an upload URL,
// then a multipart POST; the file is then served like any attachment.
func TestUploadAttachment(t *testing.T) {
	s := newServer(t)
	now := fixedNow
	var mu sync.Mutex
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	access := s.Auth.IssueAccessToken(clientID, "bot.message")
	addBot(t, s, botID)
	content := []byte("%PDF-1.7 weekly report")

	fileID, err := s.Storage.UploadAttachment(access, botID, "週報.pdf", "application/pdf", content)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^jp1\.\d{19}\.\d{10}\.0\.1000001\.0\.0\.0$`).MatchString(fileID) {
		t.Errorf("file ID %q", fileID)
	}
	if exp := strings.Split(fileID, ".")[2]; exp != fmt.Sprint(fixedNow.Add(24*time.Hour).Unix()) {
		t.Errorf("file ID %q does not expire 24 hours after creation", fileID)
	}
	create, upload := s.Requests.All()[0], s.Requests.All()[1]
	if create.Host != lineworkstest.HostAPI || create.Method != http.MethodPost || create.Path != "/v1.0/bots/"+botID+"/attachments" ||
		upload.Host != lineworkstest.HostStorage || upload.Path != lineworkstest.DerivedPath(fileID)+"%E9%80%B1%E5%A0%B1.pdf" || upload.Status != 200 {
		t.Fatalf("requests %+v\n%+v", create, upload)
	}
	loc := get(t, noRedirect, attachmentURL(s, botID, fileID), access).header.Get("Location")
	for _, u := range []string{s.Storage.DerivedURL(fileID), loc} {
		r := get(t, noRedirect, u, access)
		if r.status != 200 || !bytes.Equal(r.raw, content) || r.header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(r.header.Get("Content-Disposition"), "%E9%80%B1%E5%A0%B1.pdf") {
			t.Errorf("download %s: %d %v %q", u, r.status, r.header, r.raw)
		}
	}

	// The upload URL works once.
	uploadURL := s.StorageURL() + upload.Path
	post := func(u, token, field string) reply {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		w, _ := mw.CreateFormFile(field, "a.txt")
		_, _ = w.Write([]byte("again"))
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, u, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return do(t, noRedirect, req)
	}
	if r := post(uploadURL, access, "Filedata"); r.status != 403 {
		t.Errorf("second upload: %d %s", r.status, r.raw)
	}

	// Refusals of the create call and of the upload.
	createReq := func(body, contentType, token string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, s.APIURL()+"/bots/"+botID+"/attachments", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+token)
		return req
	}
	for name, tc := range map[string]struct {
		req    *http.Request
		status int
		code   string
	}{
		"no fileName":  {createReq(`{}`, "application/json", access), 400, "INVALID_PARAMETER"},
		"not JSON":     {createReq(`fileName=a`, "application/x-www-form-urlencoded", access), 400, "INVALID_PARAMETER"},
		"no bot scope": {createReq(`{"fileName":"a"}`, "application/json", s.Auth.IssueAccessToken(clientID, "user.read")), 403, "FORBIDDEN"},
		"bad token":    {createReq(`{"fileName":"a"}`, "application/json", "nope"), 401, "UNAUTHORIZED"},
	} {
		t.Run(name, func(t *testing.T) { wantAPIError(t, do(t, noRedirect, tc.req), tc.status, tc.code) })
	}
	r := do(t, noRedirect, createReq(`{"fileName":"b.txt"}`, "application/json", access))
	uploadURL, _ = r.body["uploadUrl"].(string)
	if r := post(uploadURL, "", "Filedata"); r.status != 401 {
		t.Errorf("upload without a token: %d", r.status)
	}
	if r := post(uploadURL, access, "file"); r.status != 400 {
		t.Errorf("upload without a Filedata part: %d %s", r.status, r.raw)
	}

	// Uploaded files are gone after 24 hours.
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), s.Auth.IssueAccessToken(clientID)), 404, "NOT_FOUND")
	if r := post(uploadURL, s.Auth.IssueAccessToken(clientID), "Filedata"); r.status != 403 {
		t.Errorf("upload after 24 hours: %d", r.status)
	}
}

// An upload URL is only for a bot that exists: a bot never made answers
// 404, a deleted one 404 or, under that answer form, 410 DELETED, as every
// call on a bot does.
func TestUploadAttachmentNeedsTheBot(t *testing.T) {
	s, tok := newBotServer(t)
	gone := createBot(t, s, tok, validBot())
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(gone), tok, nil), http.StatusNoContent)
	create := func(id int64) reply {
		return botCall(t, s, http.MethodPost, botPath(id, "attachments"), tok, map[string]any{"fileName": "menu.png"})
	}
	wantAPIError(t, create(gone+1000), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, create(gone), http.StatusNotFound, "NOT_FOUND")
	setForms(t, s, lineworkstest.AnswerForms{DeletedBotStatus: http.StatusGone})
	wantAPIError(t, create(gone), http.StatusGone, "DELETED")
	if _, err := s.Storage.UploadAttachment(tok, fmt.Sprint(gone), "menu.png", "", lineworkstest.RichMenuPNG(843)); err == nil {
		t.Error("UploadAttachment for a deleted bot succeeded")
	}
}

// A deleted bot's files go with it: their download answers as every call
// on a deleted bot does, 404 or, under that answer form, 410 DELETED.
func TestDeletedBotsFilesAnswerAsTheBot(t *testing.T) {
	s, tok := newBotServer(t)
	bot := createBot(t, s, tok, validBot())
	fileID := upload(t, s, tok, bot, "menu.png", lineworkstest.RichMenuPNG(843))
	download := botPath(bot, "attachments", fileID)
	wantStatus(t, botCall(t, s, http.MethodGet, download, tok, nil), http.StatusFound)
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(bot), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodGet, download, tok, nil), http.StatusNotFound, "NOT_FOUND")
	setForms(t, s, lineworkstest.AnswerForms{DeletedBotStatus: http.StatusGone})
	wantAPIError(t, botCall(t, s, http.MethodGet, download, tok, nil), http.StatusGone, "DELETED")
}
