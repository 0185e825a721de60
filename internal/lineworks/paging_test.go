package lineworks

import (
	"context"
	"encoding/json"
	"fmt"
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
