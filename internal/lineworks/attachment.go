package lineworks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// DownloadMethod says how an attachment was reached.
type DownloadMethod string

const (
	// DownloadRedirect: the attachment API's redirect, followed with the token.
	DownloadRedirect DownloadMethod = "redirect"
	// DownloadFallback: the storage URL derived from the file ID, after the API
	// answered 401 or redirected somewhere the token may not go.
	DownloadFallback DownloadMethod = "fallback"
	// DownloadDirect: the API answered with the content itself.
	DownloadDirect DownloadMethod = "direct"
)

// copyBufferSize is the unit a download is streamed in: large enough for
// loopback and LAN throughput, small enough that memory stays flat.
const copyBufferSize = 256 << 10

// Attachment describes a downloaded bot attachment.
type Attachment struct {
	Size        int64
	SHA256      string // lowercase hex
	ContentType string
	// FileName comes from Content-Disposition (filename*= preferred), reduced
	// to its last path element; empty when the service sent none.
	FileName string
	Method   DownloadMethod
}

// AttachmentNotFoundError reports a file the service no longer has.
type AttachmentNotFoundError struct {
	BotID, FileID string
}

func (e *AttachmentNotFoundError) Error() string {
	return fmt.Sprintf("attachment %s of bot %s was not found: LINE WORKS keeps files sent to a bot for about 24 hours, so it has probably expired (or the bot ID or file ID is wrong); ask for the file to be sent again", e.FileID, e.BotID)
}

// SizeLimitError reports an attachment larger than the caller allowed.
type SizeLimitError struct {
	Limit int64
}

func (e *SizeLimitError) Error() string {
	return fmt.Sprintf("the attachment is larger than the %d-byte limit", e.Limit)
}

// IncompleteDownloadError reports a body that ended early or stalled.
type IncompleteDownloadError struct {
	Received, Expected int64 // Expected is -1 when the length was not announced
	Err                error
}

func (e *IncompleteDownloadError) Error() string {
	switch {
	case e.Err != nil && e.Expected >= 0:
		return fmt.Sprintf("the download broke off after %d of %d bytes: %v", e.Received, e.Expected, e.Err)
	case e.Err != nil:
		return fmt.Sprintf("the download broke off after %d bytes: %v", e.Received, e.Err)
	}
	return fmt.Sprintf("the download ended after %d of the %d bytes announced", e.Received, e.Expected)
}

func (e *IncompleteDownloadError) Unwrap() error { return e.Err }

var errStalled = errors.New("no data arrived within the request timeout")

// DownloadAttachment streams a file a user sent the bot into w, and returns
// what it learnt on the way. maxSize > 0 bounds the size.
//
// The attachment API answers 302 to a storage host on another domain that
// wants the same bearer token. HTTP clients drop Authorization on such a
// redirect and the storage host answers 401, so the redirect is followed
// here, with the token, when the target is a LINE WORKS host or a configured
// endpoint. When the API itself answers 401, or the target is not trusted,
// the storage URL derived from the file ID is used with the same token. Only
// when that is refused too is the token re-issued, once.
//
// w is written only once a download has started for good: a failure leaves
// it with a partial body, never with two.
func (c *Client) DownloadAttachment(ctx context.Context, botID, fileID string, w io.Writer, maxSize int64) (*Attachment, error) {
	if _, err := ParseBotID(botID); err != nil {
		return nil, err
	}
	if err := ValidateFileID(fileID); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	tok, static, err := c.apiToken(ctx)
	if err != nil {
		return nil, err
	}
	resp, method, err := c.openAttachment(ctx, botID, fileID, tok)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.IsStaleToken() {
		if static {
			return nil, fmt.Errorf("%w (%w)", ErrStaticTokenRejected, apiErr)
		}
		c.cfg.Logger.Debug(ctx, "LINE WORKS refused the access token; issuing a new one", map[string]any{"status": apiErr.StatusCode, "host": apiErr.Host})
		if tok, err = c.reissue(ctx, nil, tok); err != nil {
			return nil, err
		}
		resp, method, err = c.openAttachment(ctx, botID, fileID, tok)
		if errors.As(err, &apiErr) && apiErr.IsStaleToken() {
			apiErr.Hint = "LINE WORKS refused a newly issued access token too. Check that the scopes include bot or bot.message, and that the bot ID belongs to this app's domain."
		}
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	att, err := c.stream(ctx, cancel, resp, w, maxSize)
	if err != nil {
		return nil, err
	}
	att.Method = method
	c.cfg.Logger.Debug(ctx, "downloaded a LINE WORKS bot attachment", map[string]any{
		"file_id": fileID, "size": att.Size, "method": string(method),
	})
	return att, nil
}

// DownloadAttachmentToFile downloads an attachment to name with permission
// perm, creating missing directories. The file appears whole or not at all:
// the body goes to a temporary file beside name, which is synced and then
// renamed into place, so a failed download leaves an existing file untouched
// and nothing behind.
func (c *Client) DownloadAttachmentToFile(ctx context.Context, botID, fileID, name string, perm os.FileMode, maxSize int64) (att *Attachment, err error) {
	if fi, statErr := os.Stat(name); statErr == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory; give the path of the file to write", name)
	}
	dir := filepath.Dir(name)
	created, err := mkdirAll(dir)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.partial")
	if err != nil {
		removeDirs(created)
		return nil, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			removeDirs(created)
		}
	}()
	if err = tmp.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return nil, err
	}
	// Writeback starts while the body streams in, so the Sync below only
	// waits for the tail instead of the whole file.
	if att, err = c.DownloadAttachment(ctx, botID, fileID, newWritebackWriter(tmp), maxSize); err != nil {
		return nil, err
	}
	if err = tmp.Sync(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", name, err)
	}
	if err = tmp.Close(); err != nil {
		return nil, fmt.Errorf("writing %s: %w", name, err)
	}
	if err = os.Rename(tmp.Name(), name); err != nil {
		return nil, err
	}
	syncDir(dir)
	return att, nil
}

// openAttachment finds the attachment's content and returns the response
// whose body carries it.
func (c *Client) openAttachment(ctx context.Context, botID, fileID string, tok *Token) (*http.Response, DownloadMethod, error) {
	resp, err := c.get(ctx, joinEscaped(c.eps.api, "bots", botID, "attachments", fileID), tok)
	if err != nil {
		return nil, "", err
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return resp, DownloadDirect, nil
	case isRedirect(resp.StatusCode):
		loc := resp.Header.Get("Location")
		drain(resp)
		// net/http has already parsed Location; it refuses the response otherwise.
		target, _ := resp.Request.URL.Parse(loc)
		if !c.eps.mayCarryToken(target) {
			c.cfg.Logger.Warn(ctx, "the attachment API redirected to a host that is not LINE WORKS's nor a configured endpoint; the token is not sent there, using the storage URL derived from the file ID instead",
				map[string]any{"host": target.Scheme + "://" + target.Host})
			break
		}
		sresp, err := c.get(ctx, target, tok)
		if err != nil {
			return nil, "", err
		}
		if sresp.StatusCode == http.StatusOK {
			return sresp, DownloadRedirect, nil
		}
		// 401: the storage host refused the token; 403: the signed URL was
		// refused (expired on the way, or altered). The derived URL may work.
		if sresp.StatusCode != http.StatusUnauthorized && sresp.StatusCode != http.StatusForbidden {
			return nil, "", c.attachmentError(sresp, botID, fileID)
		}
		c.cfg.Logger.Debug(ctx, "the storage host refused the redirect; trying the storage URL derived from the file ID", map[string]any{"host": target.Host, "status": sresp.StatusCode})
		drain(sresp)
	case resp.StatusCode == http.StatusUnauthorized:
		// The answer the LINE WORKS forum reports for a valid token: the file is
		// still reachable on the storage host.
		c.cfg.Logger.Debug(ctx, "the attachment API answered 401; trying the storage URL derived from the file ID", nil)
		drain(resp)
	default:
		return nil, "", c.attachmentError(resp, botID, fileID)
	}

	fresp, err := c.get(ctx, attachmentURL(c.eps.storage, fileID), tok)
	if err != nil {
		return nil, "", err
	}
	if fresp.StatusCode == http.StatusOK {
		return fresp, DownloadFallback, nil
	}
	return nil, "", c.attachmentError(fresp, botID, fileID)
}

func (c *Client) attachmentError(resp *http.Response, botID, fileID string) error {
	body := readErrorBody(resp)
	if resp.StatusCode == http.StatusNotFound {
		return &AttachmentNotFoundError{BotID: botID, FileID: fileID}
	}
	apiErr := parseAPIError(resp, body)
	switch {
	case resp.StatusCode == http.StatusForbidden && !apiErr.IsStaleToken():
		apiErr.Hint = "The token may lack the scope this API needs: include bot or bot.message in scopes, and enable it for the app in the Developer Console."
	default:
		apiErr.Hint = statusHint(resp.StatusCode, c.cfg.MaxRetries)
	}
	return apiErr
}

// get sends an authenticated GET, only to a URL the token may go to.
func (c *Client) get(ctx context.Context, u *url.URL, tok *Token) (*http.Response, error) {
	req, err := c.newAuthorizedRequest(ctx, http.MethodGet, u, nil, tok)
	if err != nil {
		return nil, err
	}
	return c.do(req)
}

// stream copies the body into w, hashing and counting on the way, and checks
// it against the announced length and maxSize.
func (c *Client) stream(ctx context.Context, cancel context.CancelCauseFunc, resp *http.Response, w io.Writer, maxSize int64) (*Attachment, error) {
	if maxSize > 0 && resp.ContentLength > maxSize {
		return nil, &SizeLimitError{Limit: maxSize}
	}
	h := sha256.New()
	var src io.Reader = &stallReader{r: resp.Body, timeout: c.cfg.RequestTimeout, cancel: cancel}
	if maxSize > 0 {
		src = io.LimitReader(src, maxSize+1)
	}
	n, err := copyHashing(w, h, src, resp.ContentLength)
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, errStalled) {
			err = fmt.Errorf("%w (%v)", errStalled, c.cfg.RequestTimeout)
		}
		return nil, &IncompleteDownloadError{Received: n, Expected: resp.ContentLength, Err: err}
	}
	if maxSize > 0 && n > maxSize {
		return nil, &SizeLimitError{Limit: maxSize}
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return nil, &IncompleteDownloadError{Received: n, Expected: resp.ContentLength}
	}
	return &Attachment{
		Size:        n,
		SHA256:      hex.EncodeToString(h.Sum(nil)),
		ContentType: resp.Header.Get("Content-Type"),
		FileName:    fileNameFrom(resp.Header.Get("Content-Disposition")),
	}, nil
}

// copyHashing copies src, announced as size bytes (-1 if unknown), to w and h.
// Write errors are reported as such, so a full disk is not mistaken for a
// network failure.
func copyHashing(w io.Writer, h hash.Hash, src io.Reader, size int64) (int64, error) {
	if size >= 0 && size <= pipelineThreshold {
		// Small: one buffer no larger than the body, hashed inline.
		return copyHashingInline(w, h, src, make([]byte, max(min(size, copyBufferSize), 512)))
	}
	return copyHashingPipelined(w, h, src)
}

func copyHashingInline(w io.Writer, h hash.Hash, src io.Reader, buf []byte) (int64, error) {
	var n int64
	for {
		m, rerr := src.Read(buf)
		if m > 0 {
			h.Write(buf[:m])
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, fmt.Errorf("writing: %w", werr)
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// pipelineThreshold is the announced size above which a body is hashed in a
// goroutine of its own, overlapping the network reads and the file writes.
const pipelineThreshold = 4 << 20

// pipelineBuffers is how many copyBufferSize buffers a pipelined copy uses:
// the reader may run that far ahead of the hasher.
const pipelineBuffers = 4

// copyHashingPipelined is copyHashingInline with the hashing moved to another
// goroutine: this one reads and writes, the other hashes the same buffers
// behind it. Memory stays bounded at pipelineBuffers × copyBufferSize.
func copyHashingPipelined(w io.Writer, h hash.Hash, src io.Reader) (int64, error) {
	free := make(chan []byte, pipelineBuffers)
	for range pipelineBuffers {
		free <- make([]byte, copyBufferSize)
	}
	toHash := make(chan []byte, pipelineBuffers)
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		for b := range toHash {
			h.Write(b)
			free <- b[:cap(b)]
		}
	}()
	// The hasher is done with h before the caller reads the sum.
	defer func() { close(toHash); <-hashed }()
	var n int64
	for {
		buf := <-free
		m, rerr := src.Read(buf)
		if m > 0 {
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, fmt.Errorf("writing: %w", werr)
			}
			n += int64(m)
			toHash <- buf[:m]
		} else {
			free <- buf
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// stallReader cancels the request when a single Read waits longer than
// timeout. Unlike http.Client.Timeout it never cuts a download that keeps
// making progress, and time spent writing does not count.
type stallReader struct {
	r       io.Reader
	timeout time.Duration
	cancel  context.CancelCauseFunc
	timer   *time.Timer
}

func (s *stallReader) Read(p []byte) (int, error) {
	if s.timer == nil {
		s.timer = time.AfterFunc(s.timeout, func() { s.cancel(errStalled) })
	} else {
		s.timer.Reset(s.timeout)
	}
	n, err := s.r.Read(p)
	s.timer.Stop()
	return n, err
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// mkdirAll creates dir and its missing parents, and returns those it created,
// deepest first, so a failed download can remove them again.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return missing, nil
}

func removeDirs(dirs []string) {
	for _, d := range dirs {
		os.Remove(d) // only succeeds when empty, which is what we want
	}
}

// syncDir makes a rename durable; not every platform can sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
