package lineworkstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// UploadAttachment puts a file on the emulator the way a bot's own code
// does, over HTTP: POST /bots/{botId}/attachments {"fileName"} with the
// access token, then the file to the answered upload URL as
// multipart/form-data (a part named Filedata) with the same token. It
// returns the file ID, which the attachment API then serves for 24 hours by
// the emulator's clock.
func (s *Server) UploadAttachment(accessToken, botID, fileName, contentType string, content []byte) (string, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body, _ := json.Marshal(map[string]string{"fileName": fileName}) // a map of strings always marshals
	req, err := http.NewRequest(http.MethodPost, s.APIURL()+"/bots/"+url.PathEscape(botID)+"/attachments", bytes.NewReader(body))
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
