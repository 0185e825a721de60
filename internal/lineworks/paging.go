package lineworks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// pageSize is the count asked for when listing: the most the API allows.
const pageSize = 100

// listAll follows nextCursor through GET segments, collecting the items
// listed under key, pageSize at a time.
func listAll[T any](ctx context.Context, c *Client, key string, segments ...string) ([]T, error) {
	return listPages[T](ctx, c, listing{key: key, segments: segments, count: pageSize})
}

// listing is a list to follow: the items are under key in each page.
type listing struct {
	key      string
	segments []string
	count    int      // items asked for per page
	scopes   []string // see apiCall.scopes
}

// listPages follows nextCursor through a listing. A cursor the service
// repeats is an error rather than an endless loop.
func listPages[T any](ctx context.Context, c *Client, l listing) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	cursor := ""
	for {
		q := url.Values{"count": {strconv.Itoa(l.count)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page map[string]json.RawMessage
		if err := c.callAPI(ctx, apiCall{method: http.MethodGet, segments: l.segments, query: q, out: &page, scopes: l.scopes}); err != nil {
			return nil, err
		}
		var items []T
		if raw := page[l.key]; raw != nil {
			if err := json.Unmarshal(raw, &items); err != nil {
				return nil, fmt.Errorf("reading %s from the answer: %w", l.key, err)
			}
		}
		all = append(all, items...)
		var meta struct {
			NextCursor string `json:"nextCursor"`
		}
		if raw := page["responseMetaData"]; raw != nil {
			if err := json.Unmarshal(raw, &meta); err != nil {
				return nil, fmt.Errorf("reading responseMetaData from the answer: %w", err)
			}
		}
		if meta.NextCursor == "" {
			return all, nil
		}
		if seen[meta.NextCursor] {
			return nil, fmt.Errorf("LINE WORKS answered a nextCursor it had already sent, after %d %s; stopping instead of looping forever", len(all), l.key)
		}
		seen[meta.NextCursor] = true
		cursor = meta.NextCursor
	}
}
