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
// listed under key. A cursor the service repeats is an error rather than an
// endless loop.
func listAll[T any](ctx context.Context, c *Client, key string, segments ...string) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	cursor := ""
	for {
		q := url.Values{"count": {strconv.Itoa(pageSize)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page map[string]json.RawMessage
		if err := c.callAPI(ctx, apiCall{method: http.MethodGet, segments: segments, query: q, out: &page}); err != nil {
			return nil, err
		}
		var items []T
		if raw := page[key]; raw != nil {
			if err := json.Unmarshal(raw, &items); err != nil {
				return nil, fmt.Errorf("reading %s from the answer: %w", key, err)
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
			return nil, fmt.Errorf("LINE WORKS answered a nextCursor it had already sent, after %d %s; stopping instead of looping forever", len(all), key)
		}
		seen[meta.NextCursor] = true
		cursor = meta.NextCursor
	}
}
