package lineworks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

// Bounds on what is read of a response body. An error body is only quoted
// (and cut short), so little of it is needed. A success body is decoded
// whole, so the bound must admit the largest answer the API sends: a
// GET /bots page of 100 bots, each with up to six photo URLs of up to 1,000
// characters and six names of up to 100. With every character escaped by
// the JSON encoder (\u0026 is six bytes; a name character outside the BMP,
// twelve) that is about 44 KB a bot and 4.4 MB a page. 8 MiB leaves room
// for fields the API may add and still bounds the memory an answer takes.
const (
	maxErrorBody   = 64 << 10
	maxSuccessBody = 8 << 20
)

func newHTTPClient(cfg *Config) *retryablehttp.Client {
	transport := cfg.Transport
	if transport == nil {
		t := &http.Transport{Proxy: http.ProxyFromEnvironment} // if a program replaced the default
		if def, ok := http.DefaultTransport.(*http.Transport); ok {
			t = def.Clone()
		}
		// Bounds the wait for headers; a body that keeps flowing is never cut
		// (http.Client.Timeout would cut long downloads). Stalls while reading
		// a body are bounded by stallTransport.
		t.ResponseHeaderTimeout = cfg.RequestTimeout
		t.MaxIdleConnsPerHost = 16
		transport = t
	}
	logger := cfg.Logger
	return &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: locationTransport{&stallTransport{base: transport, timeout: cfg.RequestTimeout}},
			// Redirects are followed by hand, so that the token goes only where it
			// may (see Client.DownloadAttachment); the token endpoint never redirects.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		RetryWaitMin: cfg.MinRetryWait,
		RetryWaitMax: cfg.MaxRetryWait,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		// Give the caller the last response, so it can report the service's own error.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, retry int) {
			fields := map[string]any{"method": req.Method, "url": redactedURL(req)}
			if retry > 0 {
				fields["retry"] = retry
			}
			logger.Debug(req.Context(), "LINE WORKS request", fields)
		},
		ResponseLogHook: func(_ retryablehttp.Logger, resp *http.Response) {
			logger.Debug(resp.Request.Context(), "LINE WORKS response", map[string]any{
				"method": resp.Request.Method,
				"url":    redactedURL(resp.Request),
				"status": resp.StatusCode,
			})
		},
	}
}

// unparsableLocation is where locationTransport moves a redirect's Location
// that is not a URL. A header name with a space in it never comes from the
// wire, so no server can set it.
const unparsableLocation = "Unparsable Location"

// locationTransport moves a redirect's Location aside when it is not a URL.
// net/http's Client parses Location before it asks CheckRedirect, and
// fails the whole answer when that fails, quoting the Location whole,
// signed query included; retryablehttp then retries it. Set aside, the
// answer reaches the caller, which falls back to the URL it can derive.
type locationTransport struct{ base http.RoundTripper }

func (t locationTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp == nil || resp.StatusCode < 300 || resp.StatusCode > 399 {
		return resp, err
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		if _, perr := req.URL.Parse(loc); perr != nil {
			resp.Header.Del("Location")
			resp.Header[unparsableLocation] = []string{loc}
		}
	}
	return resp, nil
}

// withoutQuery is a URL as text (one Go could not parse), cut before its
// query and fragment, where a signed URL carries its credential, without
// any user:password@ before its host, and made fit for a message.
func withoutQuery(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	if s := strings.Index(raw, "://"); s >= 0 {
		authority, _, _ := strings.Cut(raw[s+3:], "/")
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			raw = raw[:s+3] + raw[s+3+at+1:]
		}
	}
	return serviceText(raw, nil)
}

// redactedURL leaves out the query, the only part of a URL that could carry a
// credential (signed storage URLs do).
func redactedURL(req *http.Request) string {
	u := *req.URL
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// readBody reads a whole success body and closes it. A body longer than
// maxSuccessBody is an error that says so, rather than JSON cut short.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSuccessBody {
		return nil, fmt.Errorf("the answer is longer than %d bytes, more than any LINE WORKS answer; check the endpoint", maxSuccessBody)
	}
	return b, nil
}

// decodeJSON reads a success body (see readBody) and decodes its first JSON
// value into v.
func decodeJSON(resp *http.Response, v any) error {
	b, err := readBody(resp)
	if err != nil {
		return err
	}
	return json.NewDecoder(bytes.NewReader(b)).Decode(v)
}

// drain discards a small body so the connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}

// readErrorBody reads a bounded error body and closes it. A body that
// breaks off (or stalls) is replaced by words that say so: what arrived of
// it is no message.
func readErrorBody(resp *http.Response) []byte {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return []byte(fmt.Sprintf("(the body broke off after %d bytes: %v)", len(b), err))
	}
	return b
}

// do sends req with retries and the client's User-Agent: every request goes
// through here. A nil response comes with an error, which never quotes the
// URL's query: net/http's errors do, and a signed storage URL carries a
// credential there.
func (c *Client) do(req *retryablehttp.Request) (*http.Response, error) {
	if err := c.freshen(req.Request); err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		var uerr *url.Error
		if errors.As(err, &uerr) {
			uerr.URL = redactedURL(req.Request)
		}
		return nil, err
	}
	return resp, nil
}
