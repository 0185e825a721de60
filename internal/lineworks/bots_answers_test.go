package lineworks

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// answerForms are the forms the service may answer in, one at a time and
// all together (lineworkstest.AnswerForms).
var answerForms = map[string]lineworkstest.AnswerForms{
	"default":             {},
	"create 200":          {CreateStatus: 200},
	"create id only":      {CreateAnswer: lineworkstest.CreateAnswerIDOnly},
	"write no body":       {WriteAnswer: lineworkstest.WriteAnswerNoBody},
	"users as ids":        {Administrators: lineworkstest.UsersAsIDs},
	"photo rewritten":     {PhotoURL: lineworkstest.PhotoURLRewritten},
	"all domains empty":   {AllDomains: lineworkstest.AllDomainsEmpty},
	"all domains zero":    {AllDomains: lineworkstest.AllDomainsZero},
	"deleted 410":         {DeletedBotStatus: 410},
	"cursor absent":       {LastPageCursor: lineworkstest.CursorAbsent},
	"channel events docs": {ChannelEventsDefault: lineworkstest.DocumentedChannelEvents},
	"all":                 lineworkstest.AllAnswerForms(),
}

// Whatever form the service answers a write in (the whole bot, only its ID,
// no body), the client returns the whole bot, as a read shows it, and
// "every domain" is always nil.
func TestWritesReturnTheWholeBotInEveryAnswerForm(t *testing.T) {
	for name, forms := range answerForms {
		t.Run(name, func(t *testing.T) {
			f, c := newBotFixture(t)
			ctx := context.Background()
			if err := f.emu.Forms.Set(forms); err != nil {
				t.Fatal(err)
			}
			s := basicBot("forms")
			s.Subadministrators = []string{"dev@example.com"}
			s.I18nPhotoURLs = []I18nPhotoURL{{Language: "ja_JP", PhotoURL: "https://example.com/ja.png"}}
			created, err := c.CreateBot(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			same := func(what string, got *Bot) {
				t.Helper()
				read, err := c.GetBot(ctx, created.BotID)
				if err != nil {
					t.Fatal(err)
				}
				if got.BotID != created.BotID || mustJSON(t, got) != mustJSON(t, read) {
					t.Errorf("%s returned\n%s\nand a read gives\n%s", what, mustJSON(t, got), mustJSON(t, read))
				}
				if got.AllowDomains != nil || got.CreatedTime.IsZero() || len(got.ChannelEvents) == 0 {
					t.Errorf("%s returned allowDomains %v, createdTime %v, channelEvents %v", what, got.AllowDomains, got.CreatedTime, got.ChannelEvents)
				}
			}
			same("CreateBot", created)
			updated, err := c.UpdateBot(ctx, created.BotID, BotPatch{Description: ptr("patched")})
			if err != nil || updated.Description != "patched" {
				t.Fatalf("UpdateBot = %+v, %v", updated, err)
			}
			same("UpdateBot", updated)
			replaced, err := c.ReplaceBot(ctx, created.BotID, basicBot("replaced"))
			if err != nil || replaced.BotName != "replaced" {
				t.Fatalf("ReplaceBot = %+v, %v", replaced, err)
			}
			same("ReplaceBot", replaced)
		})
	}
}

// The bot an answer is about is the one asked for, or the answer is refused
// whole: its values must never land on another bot's resource, nor a bot
// ID of 0.
func TestAnAnswerAboutAnotherBotIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const asked = 2000001
	answering := func(get, write string) *Client {
		return f.client(t, func(cfg *Config) {
			cfg.AccessToken = "configured"
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if r.Method == http.MethodGet {
					return jsonResponse(r, http.StatusOK, get), nil
				}
				return jsonResponse(r, http.StatusOK, write), nil
			})
		})
	}
	whole := func(id string) string {
		return `{` + id + `"botName":"b","photoUrl":"https://example.com/b.png","description":"d","administrators":["admin@example.com"]}`
	}
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"read for another bot", second(answering(whole(`"botId":2000002,`), "").GetBot(ctx, asked)), "answered with botId 2000002, not 2000001"},
		{"read without a botId", second(answering(whole(""), "").GetBot(ctx, asked)), "answered without a botId"},
		{"update answered for another bot", second(answering(whole(`"botId":2000001,`), whole(`"botId":2000002,`)).UpdateBot(ctx, asked, BotPatch{})), "answered with botId 2000002, not 2000001"},
		{"update answered with only another ID", second(answering(whole(`"botId":2000001,`), `{"botId":7}`).ReplaceBot(ctx, asked, basicBot("b"))), "answered with botId 7, not 2000001"},
		{"update answered in part, read for another bot", second(answering(whole(`"botId":2000002,`), `{}`).UpdateBot(ctx, asked, BotPatch{})), "answered with botId 2000002, not 2000001"},
		{"create without a botId", second(answering("", `{"botName":"b"}`).CreateBot(ctx, basicBot("b"))), "answered without the new bot's botId"},
		{"create with botId 0", second(answering("", `{"botId":0}`).CreateBot(ctx, basicBot("b"))), "answered without the new bot's botId"},
	} {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, tt.err, tt.want)
		}
	}

	// An update answered in part is completed by a read of the bot asked for.
	bot, err := answering(whole(`"botId":2000001,`), `{"botId":2000001}`).UpdateBot(ctx, asked, BotPatch{})
	if err != nil || bot.BotID != asked || bot.BotName != "b" {
		t.Errorf("UpdateBot = %+v, %v", bot, err)
	}
}

// A registration written without an answer to show it (no body) is listed
// again; one answered for another domain is refused.
func TestRegistrationWritesReturnTheRegistration(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	answering := func(write string) *Client {
		return f.client(t, func(cfg *Config) {
			cfg.AccessToken = "configured"
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if r.Method == http.MethodGet {
					return jsonResponse(r, http.StatusOK, `{"domains":[{"domainId":10000001,"visible":true,"allowToSelectedMember":true}],"responseMetaData":{}}`), nil
				}
				if write == "" {
					return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
				}
				return jsonResponse(r, http.StatusOK, write), nil
			})
		})
	}
	want := BotDomain{DomainID: 10000001, BotDomainSettings: BotDomainSettings{Visible: true, AllowToSelectedMember: true}}
	for name, write := range map[string]string{"no body": "", "empty object": `{}`, "only the ID": `{"domainId":10000001}`} {
		d, err := answering(write).UpdateBotDomain(ctx, 2000001, 10000001, want.BotDomainSettings)
		if err != nil || *d != want {
			t.Errorf("%s: %+v, %v", name, d, err)
		}
	}
	d, err := answering(`{"domainId":10000001,"visible":false,"allowToSelectedMember":false}`).RegisterBotDomain(ctx, 2000001, 10000001, BotDomainSettings{})
	if err != nil || *d != (BotDomain{DomainID: 10000001}) {
		t.Errorf("the whole registration: %+v, %v", d, err)
	}
	if _, err := answering(`{"domainId":10000002,"visible":true,"allowToSelectedMember":true}`).UpdateBotDomain(ctx, 2000001, 10000001, want.BotDomainSettings); err == nil ||
		!strings.Contains(err.Error(), "answered with domainId 10000002, not 10000001") {
		t.Errorf("another domain: %v", err)
	}
}
