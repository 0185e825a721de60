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
	return listPages(ctx, c, listing[T]{key: key, segments: segments, count: pageSize})
}

// listing is a list to follow: the items are under key in each page.
type listing[T any] struct {
	key      string
	segments []string
	count    int      // items asked for per page
	scopes   []string // see apiCall.scopes
	// parse, when set, reads a page in place of itemsUnder: for a list
	// whose answer may not be an object of items.
	parse func(page json.RawMessage) (items []T, next string, err error)
}

// listPages follows nextCursor through a listing. A cursor the service
// repeats is an error rather than an endless loop.
func listPages[T any](ctx context.Context, c *Client, l listing[T]) ([]T, error) {
	parse := l.parse
	if parse == nil {
		parse = func(page json.RawMessage) ([]T, string, error) { return itemsUnder[T](page, l.key) }
	}
	var all []T
	seen := map[string]bool{}
	cursor := ""
	for {
		q := url.Values{"count": {strconv.Itoa(l.count)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page json.RawMessage
		if err := c.callAPI(ctx, apiCall{method: http.MethodGet, segments: l.segments, query: q, out: &page, scopes: l.scopes}); err != nil {
			return nil, err
		}
		items, next, err := parse(page)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		if seen[next] {
			return nil, fmt.Errorf("LINE WORKS answered a nextCursor it had already sent, after %d %s; stopping instead of looping forever", len(all), l.key)
		}
		seen[next] = true
		cursor = next
	}
}

// itemsUnder reads a page that lists its items under key, and its
// responseMetaData's nextCursor. A page without a body lists none.
func itemsUnder[T any](raw json.RawMessage, key string) (items []T, next string, err error) {
	var page map[string]json.RawMessage
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, "", fmt.Errorf("reading %s from the answer: %w", key, err)
		}
	}
	if raw := page[key]; raw != nil {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, "", fmt.Errorf("reading %s from the answer: %w", key, err)
		}
	}
	var meta struct {
		NextCursor string `json:"nextCursor"`
	}
	if raw := page["responseMetaData"]; raw != nil {
		if err := json.Unmarshal(raw, &meta); err != nil {
			return nil, "", fmt.Errorf("reading responseMetaData from the answer: %w", err)
		}
	}
	return items, meta.NextCursor, nil
}
