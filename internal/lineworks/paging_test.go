package lineworks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A full page of bots with localized photo URLs is larger than an error
// body may be (issue 13: 114,575 bytes for 100 bots failed with
// "unexpected EOF"); listing reads it whole.
func TestListingReadsAPageLargerThanAnErrorBody(t *testing.T) {
	_, c := newBotFixture(t)
	ctx := context.Background()
	for i := range pageSize {
		s := basicBot(fmt.Sprintf("bot %03d", i))
		for _, lang := range BotLanguages {
			s.I18nPhotoURLs = append(s.I18nPhotoURLs, I18nPhotoURL{
				Language: lang,
				PhotoURL: fmt.Sprintf("https://photos.example.com/%s/bot-%03d/%s.png", lang, i, strings.Repeat("p", 150)),
			})
		}
		if _, err := c.CreateBot(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	bots, err := c.ListBots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bots) != pageSize || len(bots[pageSize-1].I18nPhotoURLs) != len(BotLanguages) {
		t.Fatalf("listed %d bots; the last has %d photo URLs", len(bots), len(bots[len(bots)-1].I18nPhotoURLs))
	}
	page, err := json.Marshal(map[string]any{"bots": bots})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) <= maxErrorBody {
		t.Fatalf("the page is %d bytes, not more than the %d an error body may be: the test proves nothing", len(page), maxErrorBody)
	}
}

// reviewPageSize is the page the review of issue 13 read: 100 bots with
// localized photo URLs, 114,575 bytes on the wire, which failed with
// "unexpected EOF" when success bodies were cut at the error-body limit.
const reviewPageSize = 114_575

// reviewPage is a GET /bots page of 100 bots, each with a name and a photo
// URL in every language, padded to exactly size bytes.
func reviewPage(t *testing.T, size int) []byte {
	t.Helper()
	type bot struct {
		BotID         int64          `json:"botId"`
		BotName       string         `json:"botName"`
		PhotoURL      string         `json:"photoUrl"`
		I18nBotNames  []I18nBotName  `json:"i18nBotNames"`
		I18nPhotoURLs []I18nPhotoURL `json:"i18nPhotoUrls"`
	}
	bots := make([]bot, pageSize)
	for i := range bots {
		b := &bots[i]
		b.BotID, b.BotName = int64(2000001+i), fmt.Sprintf("経費ボット %03d", i)
		b.PhotoURL = fmt.Sprintf("https://static.example.com/bots/%03d.png", i)
		for _, lang := range BotLanguages {
			b.I18nBotNames = append(b.I18nBotNames, I18nBotName{Language: lang, BotName: fmt.Sprintf("bot %03d (%s)", i, lang)})
			b.I18nPhotoURLs = append(b.I18nPhotoURLs, I18nPhotoURL{Language: lang, PhotoURL: fmt.Sprintf("https://static.example.com/%s/bots/%03d/photo.png?v=", lang, i)})
		}
	}
	page := func() []byte {
		b, err := json.Marshal(map[string]any{"bots": bots, "responseMetaData": map[string]any{"nextCursor": nil}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	short := size - len(page())
	if short < 0 {
		t.Fatalf("100 bots already take %d bytes, more than %d", len(page()), size)
	}
	last := &bots[len(bots)-1].I18nPhotoURLs[0]
	last.PhotoURL += strings.Repeat("0", short)
	return page()
}

// The page the review failed on, byte for byte as the service would send
// it: read whole, every bot listed.
func TestListingReadsTheReviewsPage(t *testing.T) {
	page := reviewPage(t, reviewPageSize)
	if len(page) != reviewPageSize || len(page) <= maxErrorBody {
		t.Fatalf("the page is %d bytes", len(page))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1.0/bots" || r.URL.Query().Get("count") != "100" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	}))
	defer srv.Close()
	c := newFixture(t).client(t, func(cfg *Config) { cfg.APIEndpoint, cfg.AccessToken = srv.URL+"/v1.0", "configured" })
	bots, err := c.ListBots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(bots) != pageSize || bots[pageSize-1].BotName != "経費ボット 099" || len(bots[pageSize-1].I18nPhotoURLs) != len(BotLanguages) {
		t.Fatalf("listed %d bots, the last %+v", len(bots), bots[len(bots)-1])
	}
}
