package lineworks

// The bot upload flow (bot-attachment-create, file-upload): POST
// /bots/{botId}/attachments {"fileName"} answers a file ID and an upload URL,
// both valid 24 hours; the file then goes to that URL once, as
// multipart/form-data in a part named Filedata, with the bearer token. The
// file ID is what other calls (a rich menu's image, a file message) take.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

// UploadedFile is a file put on LINE WORKS through the upload flow.
type UploadedFile struct {
	// FileID names the file in other calls for 24 hours.
	FileID string
	Size   int64
	SHA256 string // lowercase hex, of the bytes sent
}

// UploadFile uploads the file at path for a bot. contentType goes with the
// file ("" for application/octet-stream). The file is streamed, never held
// in memory whole.
func (c *Client) UploadFile(ctx context.Context, botID int64, path, contentType string) (*UploadedFile, error) {
	f, size, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return c.upload(ctx, botID, filepath.Base(path), contentType, f, size)
}

// openRegular opens a regular file for reading and returns its size.
func openRegular(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is not a regular file", path)
	}
	return f, fi.Size(), nil
}

// upload runs the upload flow for size bytes of r, read afresh from the
// start for each attempt.
func (c *Client) upload(ctx context.Context, botID int64, name, contentType string, r io.ReaderAt, size int64) (*UploadedFile, error) {
	desc := fmt.Sprintf("uploading %s for bot %d", name, botID)
	if err := checkBotID(botID); err != nil {
		return nil, err
	}
	// The attachment call creates a file, not a change to the bot, so it
	// runs outside the bot's lock: holding it while the bytes travel would
	// stall the bot's other changes. A retry only makes an unused upload URL.
	var created struct {
		FileID    string `json:"fileId"`
		UploadURL string `json:"uploadUrl"`
	}
	err := c.callAPI(ctx, apiCall{method: http.MethodPost, segments: append(botPath(botID), "attachments"), body: map[string]string{"fileName": name}, out: &created, write: true, scopes: scopesToWriteMenus})
	if err != nil {
		return nil, fmt.Errorf("%s: asking for an upload URL: %w", desc, err)
	}
	if err := ValidateFileID(created.FileID); err != nil {
		return nil, fmt.Errorf("%s: LINE WORKS answered a file ID that is not one: %w", desc, err)
	}
	target, err := c.uploadTarget(ctx, created.UploadURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}

	tok, static, err := c.apiToken(ctx)
	if err != nil {
		return nil, err
	}
	sum, apiErr, err := c.sendUpload(ctx, target, name, contentType, r, size, tok)
	if err == nil && apiErr != nil && apiErr.IsStaleToken() {
		// The storage host refused the token before taking the file, so the
		// upload URL is still unused.
		if static {
			return nil, fmt.Errorf("%s: %w (%w)", desc, ErrStaticTokenRejected, apiErr)
		}
		c.cfg.Logger.Debug(ctx, "the storage host refused the access token; issuing a new one", map[string]any{"status": apiErr.StatusCode, "host": apiErr.Host})
		if tok, err = c.reissue(ctx, nil, tok); err != nil {
			return nil, err
		}
		sum, apiErr, err = c.sendUpload(ctx, target, name, contentType, r, size, tok)
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", desc, err)
	case apiErr != nil:
		apiErr.Hint = uploadHint(apiErr, c.cfg.MaxRetries)
		return nil, fmt.Errorf("%s: %w", desc, apiErr)
	}
	c.cfg.Logger.Debug(ctx, "uploaded a file to LINE WORKS", map[string]any{"bot_id": botID, "file_id": created.FileID, "size": size})
	return &UploadedFile{FileID: created.FileID, Size: size, SHA256: sum}, nil
}

// uploadTarget checks the upload URL the service answered: the token goes
// only where it may (a LINE WORKS host or a configured endpoint, over https
// or to loopback). Scripts have seen http:// upload URLs on LINE WORKS
// storage hosts; those are upgraded to https rather than sent in clear.
func (c *Client) uploadTarget(ctx context.Context, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("LINE WORKS answered an upload URL that is not an absolute URL (%d characters)", len(raw))
	}
	if c.eps.mayCarryToken(u) {
		return u, nil
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		secure := *u
		secure.Scheme = "https"
		if c.eps.mayCarryToken(&secure) {
			c.cfg.Logger.Warn(ctx, "LINE WORKS answered a plain http upload URL; uploading over https instead, so the token does not travel in clear", map[string]any{"host": u.Host})
			return &secure, nil
		}
	}
	return nil, fmt.Errorf("LINE WORKS answered an upload URL on %s://%s, which is neither a LINE WORKS host nor a configured endpoint: the access token is not sent there, so nothing was uploaded", u.Scheme, u.Host)
}

// sendUpload sends the file to the upload URL once (retried only where the
// service cannot have taken it: the URL works once) and returns the SHA-256
// of what was sent.
func (c *Client) sendUpload(ctx context.Context, u *url.URL, name, contentType string, r io.ReaderAt, size int64, tok *Token) (string, *APIError, error) {
	head, tail, formType := multipartFrame(name, contentType)
	var h hash.Hash
	var sent int64
	body := func() (io.Reader, error) {
		// One hash per attempt: the last attempt's is the file's.
		h, sent = sha256.New(), 0
		file := io.TeeReader(io.NewSectionReader(r, 0, size), writerFunc(func(p []byte) (int, error) {
			sent += int64(len(p))
			return h.Write(p)
		}))
		return io.MultiReader(bytes.NewReader(head), file, bytes.NewReader(tail)), nil
	}
	req, err := c.newAuthorizedRequest(context.WithValue(ctx, onceKey{}, true), http.MethodPost, u, nil, tok)
	if err != nil {
		return "", nil, err
	}
	if err := req.SetBody(retryablehttp.ReaderFunc(body)); err != nil {
		return "", nil, err
	}
	req.ContentLength = int64(len(head)) + size + int64(len(tail))
	req.Header.Set("Content-Type", formType)
	req.Header.Set("Accept", "application/json")
	resp, err := c.do(req)
	if err != nil {
		return "", nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", parseAPIError(resp, readErrorBody(resp)), nil
	}
	c.checkUploadAnswer(req.Context(), resp)
	if sent != size {
		return "", nil, fmt.Errorf("the upload ended after %d of the file's %d bytes; did the file change while it was uploaded?", sent, size)
	}
	return hex.EncodeToString(h.Sum(nil)), nil, nil
}

// checkUploadAnswer reads the upload's answer, whose form the docs do not
// show. Clients that know the service keep the first call's file ID, and so
// does this one; a different one is logged.
func (c *Client) checkUploadAnswer(ctx context.Context, resp *http.Response) {
	defer resp.Body.Close()
	var out struct {
		FileID string `json:"fileId"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if json.Unmarshal(b, &out) == nil && out.FileID != "" {
		c.cfg.Logger.Debug(ctx, "the upload answered a file ID", map[string]any{"file_id": out.FileID})
	}
}

// multipartFrame returns what goes before and after the file's bytes in a
// multipart/form-data body with one part, Filedata, and the body's
// Content-Type. Framing the file rather than copying it through a
// multipart.Writer keeps the length known and the file streamed.
func multipartFrame(name, contentType string) (head, tail []byte, formType string) {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	var hb bytes.Buffer
	mw := multipart.NewWriter(&hb)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="Filedata"; filename="%s"`, quoteEscaper.Replace(name)))
	h.Set("Content-Type", contentType)
	_, _ = mw.CreatePart(h) // writing to a bytes.Buffer does not fail
	var tb bytes.Buffer
	end := multipart.NewWriter(&tb)
	_ = end.SetBoundary(mw.Boundary()) // a boundary multipart made is valid
	_ = end.Close()                    // writes only the closing delimiter
	return hb.Bytes(), tb.Bytes(), mw.FormDataContentType()
}

// quoteEscaper escapes a file name as mime/multipart does for its own parts.
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// uploadHint explains a refused upload.
func uploadHint(e *APIError, retries int) string {
	switch e.StatusCode {
	case http.StatusForbidden:
		return "An upload URL works once and for 24 hours; this one was refused, so try again for a fresh one."
	case http.StatusRequestEntityTooLarge:
		return "The file is larger than the domain allows (an administrator sets the limit under Service > Message > File Policy)."
	}
	return statusHint(e.StatusCode, retries)
}
