package lineworkstest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestBotPaging(t *testing.T) {
	s, tok := newBotServer(t)
	var ids []int64
	for i := range 7 {
		ids = append(ids, createBot(t, s, tok, with(validBot(), "botName", fmt.Sprintf("bot %d", i))))
	}
	var got []int64
	cursor := ""
	pages := 0
	for {
		q := url.Values{"count": {"3"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r := botCall(t, s, http.MethodGet, "/bots?"+q.Encode(), tok, nil)
		wantStatus(t, r, http.StatusOK)
		pages++
		for _, b := range r.body["bots"].([]any) {
			m := b.(map[string]any)
			got = append(got, int64(m["botId"].(float64)))
			if len(m) != 5 || m["botName"] == nil || m["photoUrl"] == nil {
				t.Errorf("summary %v", m)
			}
		}
		next, _ := r.body["responseMetaData"].(map[string]any)["nextCursor"].(string)
		if next == "" {
			break
		}
		if !strings.Contains(next, "+") || !strings.Contains(next, "/") {
			t.Errorf("cursor %q would not catch a client that forgets to escape it", next)
		}
		cursor = next
	}
	if pages != 3 || !slices.Equal(got, ids) {
		t.Errorf("%d pages, bots %v, want %v", pages, got, ids)
	}
	// Default page size 50: everything in one page.
	if r := botCall(t, s, http.MethodGet, "/bots", tok, nil); len(r.body["bots"].([]any)) != 7 {
		t.Errorf("default page: %s", r.raw)
	}

	first := botCall(t, s, http.MethodGet, "/bots?count=3", tok, nil)
	next := first.body["responseMetaData"].(map[string]any)["nextCursor"].(string)
	for _, q := range []string{"count=0", "count=101", "count=x", "cursor=nonsense", "cursor=" + next, "count=3&cursor=" + url.QueryEscape(next[:len(next)-4])} {
		t.Run(q, func(t *testing.T) {
			// "cursor=" + next unescaped: its '+' arrives as a space.
			wantAPIError(t, botCall(t, s, http.MethodGet, "/bots?"+q, tok, nil), http.StatusBadRequest, "INVALID_PARAMETER")
		})
	}
	// A bot list cursor is not a domain list cursor.
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(ids[0], "domains")+"?cursor="+url.QueryEscape(next), tok, nil), http.StatusBadRequest, "INVALID_PARAMETER")

	// Domains page the same way.
	var domains []int64
	for d := int64(20000001); d < 20000006; d++ {
		domains = append(domains, d)
	}
	s.Directory.AddDomains(domains...)
	for _, d := range domains {
		wantStatus(t, botCall(t, s, http.MethodPost, botPath(ids[0], "domains", fmt.Sprint(d)), tok, nil), http.StatusCreated)
	}
	got = nil
	cursor = ""
	for pages = 0; pages < 10; pages++ {
		q := url.Values{"count": {"2"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r := botCall(t, s, http.MethodGet, botPath(ids[0], "domains")+"?"+q.Encode(), tok, nil)
		wantStatus(t, r, http.StatusOK)
		for _, d := range r.body["domains"].([]any) {
			got = append(got, int64(d.(map[string]any)["domainId"].(float64)))
		}
		if cursor, _ = r.body["responseMetaData"].(map[string]any)["nextCursor"].(string); cursor == "" {
			break
		}
	}
	if pages != 2 || !slices.Equal(got, domains) {
		t.Errorf("%d pages, domains %v", pages+1, got)
	}
}
