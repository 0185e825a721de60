package lineworks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// botCalls are the calls on one bot whose 404 could mean "gone", each
// returning its error.
func botCalls(ctx context.Context, c *Client, botID int64) map[string]error {
	return map[string]error{
		"GetBot":            second(c.GetBot(ctx, botID)),
		"UpdateBot":         second(c.UpdateBot(ctx, botID, BotPatch{Description: ptr("x")})),
		"ReplaceBot":        second(c.ReplaceBot(ctx, botID, basicBot("x"))),
		"DeleteBot":         c.DeleteBot(ctx, botID),
		"IssueBotSecret":    second(c.IssueBotSecret(ctx, botID)),
		"ListBotDomains":    second(c.ListBotDomains(ctx, botID)),
		"GetBotDomain":      second(c.GetBotDomain(ctx, botID, lineworkstest.DefaultDomainID)),
		"UpdateBotDomain":   second(c.UpdateBotDomain(ctx, botID, lineworkstest.DefaultDomainID, BotDomainSettings{})),
		"DeleteBotDomain":   c.DeleteBotDomain(ctx, botID, lineworkstest.DefaultDomainID),
		"GetPersistentMenu": second(c.GetPersistentMenu(ctx, botID)),
	}
}

// A wrong api_endpoint answers 404 to every call. No call on a bot may then
// say "gone" (deletes included, which would take the bot out of the state):
// each fails with an *EndpointError that names the endpoint and what a right
// one looks like.
func TestA404AtAWrongEndpointIsNotTheBots(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("alive"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterBotDomain(ctx, bot.BotID, lineworkstest.DefaultDomainID, BotDomainSettings{}); err != nil {
		t.Fatal(err)
	}
	for _, wrong := range []string{strings.TrimSuffix(f.emu.APIURL(), "/v1.0"), strings.TrimSuffix(f.emu.APIURL(), "/v1.0") + "/v2.0"} {
		w := f.client(t, func(cfg *Config) { cfg.APIEndpoint = wrong })
		for name, err := range botCalls(ctx, w, bot.BotID) {
			var ee *EndpointError
			if IsNotFound(err) || !IsWrongEndpoint(err) || !errors.As(err, &ee) || ee.APIEndpoint != wrong {
				t.Errorf("%s at %s: %v", name, wrong, err)
				continue
			}
			for _, want := range []string{fmt.Sprintf("api_endpoint (%s) answered HTTP 404 too", wrong), "api_endpoint is wrong, not the bot", "such as https://www.worksapis.com/v1.0", "Nothing was taken for deleted"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %q lacks %q", name, err, want)
				}
			}
		}
	}
	if _, ok := f.emu.Bots.Get(bot.BotID); !ok || len(f.emu.Bots.Domains(bot.BotID)) != 1 {
		t.Fatal("the bot or its registration is gone")
	}

	// A 404 for a call on no bot says where to look.
	_, err = f.client(t, func(cfg *Config) { cfg.APIEndpoint = strings.TrimSuffix(f.emu.APIURL(), "/v1.0") }).CreateBot(ctx, basicBot("x"))
	if err == nil || !strings.Contains(err.Error(), "A wrong api_endpoint answers 404 to every call") {
		t.Errorf("CreateBot at a wrong endpoint: %v", err)
	}
}

// At a right endpoint, a 404 or 410 is the bot's: IsNotFound, and a delete
// of what is gone is done. One listing confirms the endpoint for the
// client's lifetime.
func TestA404AtARightEndpointIsTheBots(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusGone} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f, c := newBotFixture(t)
			ctx := context.Background()
			if err := f.emu.Forms.Set(lineworkstest.AnswerForms{DeletedBotStatus: status}); err != nil {
				t.Fatal(err)
			}
			bot, err := c.CreateBot(ctx, basicBot("doomed"))
			if err != nil {
				t.Fatal(err)
			}
			f.emu.Bots.Remove(bot.BotID)
			for name, err := range botCalls(ctx, c, bot.BotID) {
				switch name {
				case "DeleteBot", "DeleteBotDomain":
					if err != nil {
						t.Errorf("%s of a bot gone: %v", name, err)
					}
				case "GetPersistentMenu": // a bot gone took its menu
					if !errors.Is(err, ErrNotSet) {
						t.Errorf("%s of a bot gone: %v", name, err)
					}
				default:
					var apiErr *APIError
					if !IsNotFound(err) || IsWrongEndpoint(err) || !errors.As(err, &apiErr) || apiErr.StatusCode != status {
						t.Errorf("%s of a bot gone: %v", name, err)
					}
				}
			}
			if n := len(f.apiRequests(http.MethodGet, "/v1.0/bots")); n != 1 {
				t.Errorf("%d listings to confirm the endpoint, want 1 for the client", n)
			}
		})
	}
}

// A listing that fails for another reason (the service busy) confirms
// nothing: the 404 is not taken for the bot's, and the next one is checked
// again.
func TestAnUnconfirmed404IsCheckedAgain(t *testing.T) {
	f, _ := newBotFixture(t)
	ctx := context.Background()
	var failing atomic.Bool
	failing.Store(true)
	probe := f.client(t, func(cfg *Config) {
		cfg.MaxRetries = 0
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Path == "/v1.0/bots" && r.Method == http.MethodGet && failing.Load() {
				return jsonResponse(r, http.StatusServiceUnavailable, `{"code":"SERVICE_UNAVAILABLE"}`), nil
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	_, err := probe.GetBot(ctx, 2999999)
	if IsNotFound(err) || !IsWrongEndpoint(err) || !strings.Contains(err.Error(), "Whether the bot is gone could not be confirmed") || !strings.Contains(err.Error(), "503") {
		t.Fatalf("err = %v", err)
	}
	failing.Store(false)
	if _, err := probe.GetBot(ctx, 2999999); !IsNotFound(err) {
		t.Fatalf("once the listing works: %v", err)
	}
	if n := len(f.apiRequests(http.MethodGet, "/v1.0/bots")); n != 1 {
		t.Errorf("%d listings reached the emulator, want 1", n)
	}
}

// An API endpoint without its version answers 404 to every call: it is
// reported before any call is made.
func TestCheckAPIEndpointVersion(t *testing.T) {
	for raw, versionless := range map[string]bool{
		"":                                       false, // the default
		DefaultAPIEndpoint:                       false,
		"https://www.worksapis.com/v1.0/":        false,
		"https://proxy.example.com/lineworks/v2": false,
		"http://127.0.0.1:8080/v1.0":             false,
		"https://www.worksapis.com":              true,
		"https://www.worksapis.com/":             true,
		"https://proxy.example.com/lineworks":    true,
		"https://www.worksapis.com/v1.0/bots":    true,
		"ftp://www.worksapis.com":                false, // refused by ParseEndpoint instead
	} {
		err := CheckAPIEndpointVersion(raw)
		if (err != nil) != versionless {
			t.Errorf("%q: %v", raw, err)
		}
		if err != nil && !strings.Contains(err.Error(), "does not end in an API version such as /v1.0") {
			t.Errorf("%q: %v", raw, err)
		}
	}
}
