package lineworks

// Downloading a bot attachment past the 401: the redirect followed by hand,
// the fallback to the storage URL derived from the file ID, and the typed
// errors a caller can act on. The body is copied in attachment_copy.go and
// written to a file in attachment_file.go.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
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

// MaxAttachmentSize is the largest max_size a caller may ask for: 1 TiB,
// more than any file sent in a chat (LINE WORKS documents no limit of its
// own for bot attachments), and far from where size arithmetic overflows.
const MaxAttachmentSize = 1 << 40

// DownloadAttachment streams a file a user sent the bot into w, and returns
// what it learnt on the way. maxSize > 0 bounds the size; any value up to
// math.MaxInt64 works.
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
			apiErr.Hint = "LINE WORKS refused a newly issued access token too. Check that the bot ID belongs to this app's domain."
			apiErr.Scopes = slices.Clone(scopesToDownload)
		}
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	att, err := stream(resp, w, maxSize)
	if err != nil {
		return nil, err
	}
	att.Method = method
	c.cfg.Logger.Debug(ctx, "downloaded a LINE WORKS bot attachment", map[string]any{
		"file_id": fileID, "size": att.Size, "method": string(method),
	})
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
		target, err := resp.Request.URL.Parse(loc)
		if bad := resp.Header[unparsableLocation]; len(bad) > 0 || loc == "" || err != nil {
			fields := map[string]any{}
			if len(bad) > 0 {
				fields["location"] = withoutQuery(bad[0])
			}
			c.cfg.Logger.Warn(ctx, "the attachment API redirected without a Location that is a URL; using the storage URL derived from the file ID instead", fields)
			break
		}
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
		apiErr.Scopes = slices.Clone(scopesToDownload) // its advice is the hint
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

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
