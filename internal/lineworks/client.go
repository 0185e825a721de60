package lineworks

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/sync/singleflight"
)

// Client talks to LINE WORKS with one set of credentials. It is safe for
// concurrent use; Terraform reads data sources in parallel through one Client.
type Client struct {
	cfg  Config
	eps  endpoints
	http *retryablehttp.Client

	// Issued tokens, one per scope set, shared by every caller of this Client.
	tokensMu sync.Mutex
	tokens   map[string]*Token
	issuing  singleflight.Group

	// Mutating bot calls, one at a time per bot: in this client (botLocks),
	// and across the processes of this machine (cfg.LockDir; botlock_file.go).
	botLocks botLocks
	// Reads of a bot and its domains, shared until the bot changes (readshare.go).
	reads readShare
	// Listings of the tenant's bots in flight, shared by the callers that
	// come meanwhile (ListBots).
	listingBots singleflight.Group

	// Whether the API endpoint has answered GET /bots, which makes a 404 for
	// a bot the bot's (confirm.go).
	endpointConfirmed  atomic.Bool
	confirmingEndpoint singleflight.Group

	// issuedFor maps every token this client issued to its cache key, so a
	// request carrying one that is about to expire can be given a fresh one.
	issuedFor map[string]string
}

// New checks cfg and returns a Client. It sends nothing: tokens are issued
// on first use, so that a Terraform phase that needs none requests none.
func New(cfg Config) (*Client, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("max retries must not be negative, got %d", cfg.MaxRetries)
	}
	if cfg.MinRetryWait <= 0 {
		cfg.MinRetryWait = time.Second
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Logger == nil {
		cfg.Logger = discardLogger{}
	}
	cfg.Scopes = NormalizeScopes(cfg.Scopes)
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = slices.Clone(DefaultScopes)
	}
	eps, err := parseEndpoints(&cfg)
	if err != nil {
		return nil, err
	}
	if cfg.LockDir == "" {
		cfg.LockDir = DefaultLockDir()
	}
	if cfg.RecordDir == "" {
		cfg.RecordDir = cfg.LockDir
	}
	c := &Client{cfg: cfg, eps: eps, http: newHTTPClient(&cfg), tokens: map[string]*Token{}, issuedFor: map[string]string{}}
	c.http.PrepareRetry = c.freshen
	// Every attempt to the API endpoint, retries included, waits for the
	// rate limit's budget (pacer.go).
	c.http.HTTPClient.Transport = &pacedTransport{next: c.http.HTTPClient.Transport, pacer: newPacer(cfg.Logger), eps: eps}
	return c, nil
}

// Scopes returns the scopes a token is issued for when none are given.
func (c *Client) Scopes() []string { return slices.Clone(c.cfg.Scopes) }

// NormalizeScopes splits entries on spaces and commas, drops empties and
// duplicates, and sorts, so that equal scope sets share one token.
func NormalizeScopes(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		out = append(out, strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })...)
	}
	sort.Strings(out)
	return slices.Compact(out)
}
