package lineworks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

var admin = lineworkstest.DefaultUsers[0]

func basicBot(name string) BotSettings {
	return BotSettings{
		BotName:        name,
		PhotoURL:       "https://example.com/bot.png",
		Description:    "Answers questions",
		Administrators: []string{admin},
	}
}

// newBotFixture is a fixture whose emulator does not hold mutating calls,
// so that tests that do not study overlaps run fast.
func newBotFixture(t *testing.T) (*fixture, *Client) {
	t.Helper()
	f := newFixture(t)
	f.emu.Bots.SetMutationHold(0)
	return f, f.client(t)
}

// apiRequests returns the recorded API host requests with method to path.
func (f *fixture) apiRequests(method, path string) []lineworkstest.Request {
	var out []lineworkstest.Request
	for _, r := range f.emu.Requests.All() {
		if r.Host == lineworkstest.HostAPI && r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestBotLifecycle(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	f.emu.Directory.AddDomains(10000002)
	settings := BotSettings{
		BotName:           "Deploy Bot",
		PhotoURL:          "https://example.com/bot.png",
		Description:       "Tells you what shipped",
		Administrators:    []string{admin, "dev@example.com"},
		Subadministrators: []string{"ops@example.com"},
		AllowDomains:      []int64{lineworkstest.DefaultDomainID, 10000002},
		EnableCallback:    true,
		CallbackURL:       "https://hooks.example.com/lineworks",
		CallbackEvents:    []string{"text", "image"},
		ChannelEvents:     []string{"join", "leave"},
		EnableGroupJoin:   true,
		DefaultRichmenuID: "400001",
		I18nBotNames:      []I18nBotName{{Language: "ja_JP", BotName: "デプロイ Bot"}},
		I18nDescriptions:  []I18nDescription{{Language: "en_US", Description: "Tells you what shipped"}},
		I18nPhotoURLs:     []I18nPhotoURL{{Language: "ko_KR", PhotoURL: "https://example.com/ko.png"}},
	}
	bot, err := c.CreateBot(ctx, settings)
	if err != nil {
		t.Fatal(err)
	}
	if bot.BotID == 0 || bot.CreatedTime.IsZero() || !bot.ModifiedTime.Equal(bot.CreatedTime) {
		t.Errorf("created %+v", bot)
	}
	if mustJSON(t, bot.BotSettings) != mustJSON(t, settings) {
		t.Errorf("created\n%s\nwant\n%s", mustJSON(t, bot.BotSettings), mustJSON(t, settings))
	}
	create := f.apiRequests(http.MethodPost, "/v1.0/bots")
	if len(create) != 1 || create[0].Header.Get("Content-Type") != "application/json" || string(create[0].Body) != mustJSON(t, settings) {
		t.Errorf("POST /bots sent %q with Content-Type %q", create[0].Body, create[0].Header.Get("Content-Type"))
	}

	got, err := c.GetBot(ctx, bot.BotID)
	if err != nil || mustJSON(t, got) != mustJSON(t, bot) {
		t.Fatalf("GetBot = %+v, %v", got, err)
	}
	other, err := c.CreateBot(ctx, basicBot("Other"))
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ListBots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].BotID != bot.BotID || list[0].BotName != "Deploy Bot" || list[0].I18nBotNames[0].BotName != "デプロイ Bot" || list[1].BotID != other.BotID {
		t.Errorf("ListBots = %+v", list)
	}

	replaced, err := c.ReplaceBot(ctx, other.BotID, basicBot("Renamed"))
	if err != nil || replaced.BotName != "Renamed" || replaced.BotID != other.BotID || !replaced.ModifiedTime.After(other.ModifiedTime) {
		t.Fatalf("ReplaceBot = %+v, %v", replaced, err)
	}

	d, err := c.RegisterBotDomain(ctx, bot.BotID, 10000002, BotDomainSettings{Visible: true})
	if err != nil || *d != (BotDomain{DomainID: 10000002, BotDomainSettings: BotDomainSettings{Visible: true}}) {
		t.Fatalf("RegisterBotDomain = %+v, %v", d, err)
	}
	if _, err := c.RegisterBotDomain(ctx, bot.BotID, lineworkstest.DefaultDomainID, BotDomainSettings{}); err != nil {
		t.Fatal(err)
	}
	d, err = c.UpdateBotDomain(ctx, bot.BotID, 10000002, BotDomainSettings{AllowToSelectedMember: true})
	if err != nil || *d != (BotDomain{DomainID: 10000002, BotDomainSettings: BotDomainSettings{AllowToSelectedMember: true}}) {
		t.Fatalf("UpdateBotDomain = %+v, %v", d, err)
	}
	domains, err := c.ListBotDomains(ctx, bot.BotID)
	if err != nil || len(domains) != 2 || domains[0].DomainID != lineworkstest.DefaultDomainID || domains[1] != *d {
		t.Fatalf("ListBotDomains = %+v, %v", domains, err)
	}
	if got, err := c.GetBotDomain(ctx, bot.BotID, 10000002); err != nil || *got != *d {
		t.Fatalf("GetBotDomain = %+v, %v", got, err)
	}

	// Narrowing allowDomains makes the service drop a registration.
	updated, err := c.UpdateBot(ctx, bot.BotID, BotPatch{AllowDomains: &[]int64{lineworkstest.DefaultDomainID}, Description: ptr("Narrowed")})
	if err != nil || updated.Description != "Narrowed" || !slices.Equal(updated.AllowDomains, []int64{lineworkstest.DefaultDomainID}) || updated.BotName != "Deploy Bot" {
		t.Fatalf("UpdateBot = %+v, %v", updated, err)
	}
	if _, err := c.GetBotDomain(ctx, bot.BotID, 10000002); !IsNotFound(err) {
		t.Fatalf("GetBotDomain of a dropped registration: %v", err)
	}

	secret, err := c.IssueBotSecret(ctx, bot.BotID)
	if err != nil || secret == "" || secret != f.emu.Bots.Secret(bot.BotID) {
		t.Fatalf("IssueBotSecret = %q, %v", secret, err)
	}
	body := []byte(`{"type":"message","content":{"type":"text","text":"hi"}}`)
	if CallbackSignature(body, secret) != f.emu.Bots.CallbackSignature(bot.BotID, body) {
		t.Error("the signature differs from the service's")
	}

	if err := c.DeleteBotDomain(ctx, bot.BotID, lineworkstest.DefaultDomainID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteBotDomain(ctx, bot.BotID, lineworkstest.DefaultDomainID); err != nil {
		t.Fatalf("deleting a registration already gone: %v", err)
	}
	if len(f.apiRequests(http.MethodDelete, fmt.Sprintf("/v1.0/bots/%d/domains/%d", bot.BotID, lineworkstest.DefaultDomainID))) != 2 {
		t.Error("the second delete was not sent")
	}
	if err := c.DeleteBot(ctx, bot.BotID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteBot(ctx, bot.BotID); err != nil {
		t.Fatalf("deleting a bot already gone: %v", err)
	}
	if err := c.DeleteBotDomain(ctx, bot.BotID, 10000002); err != nil {
		t.Fatalf("deleting a registration of a bot already gone: %v", err)
	}
	for name, err := range map[string]error{
		"GetBot":         second(c.GetBot(ctx, bot.BotID)),
		"UpdateBot":      second(c.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("x")})),
		"ListBotDomains": second(c.ListBotDomains(ctx, bot.BotID)),
		"GetBotDomain":   second(c.GetBotDomain(ctx, bot.BotID, 10000002)),
		"IssueBotSecret": second(c.IssueBotSecret(ctx, bot.BotID)),
	} {
		if !IsNotFound(err) || !strings.Contains(err.Error(), fmt.Sprint(bot.BotID)) {
			t.Errorf("%s of a deleted bot: %v", name, err)
		}
	}
	f.log.assertNoSecrets(t, secret)
}

func second[T any](_ T, err error) error { return err }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestUpdateBotSendsOnlyTheFieldsSet(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	s := basicBot("Patched")
	s.CallbackURL, s.CallbackEvents = "https://hooks.example.com/", []string{"text"}
	bot, err := c.CreateBot(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.UpdateBot(ctx, bot.BotID, BotPatch{CallbackURL: ptr(""), CallbackEvents: &[]string{}, EnableGroupJoin: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.apiRequests(http.MethodPatch, fmt.Sprintf("/v1.0/bots/%d", bot.BotID))
	if len(reqs) != 1 || string(reqs[0].Body) != `{"callbackUrl":"","callbackEvents":[],"enableGroupJoin":false}` || reqs[0].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("PATCH sent %q", reqs[0].Body)
	}
	if got.CallbackURL != "" || len(got.CallbackEvents) != 0 || got.BotName != "Patched" || got.PhotoURL != s.PhotoURL {
		t.Errorf("after the patch: %+v", got)
	}
	if _, err := c.UpdateBot(ctx, bot.BotID, BotPatch{}); err != nil {
		t.Fatal(err)
	}
	if reqs := f.apiRequests(http.MethodPatch, fmt.Sprintf("/v1.0/bots/%d", bot.BotID)); string(reqs[1].Body) != `{}` {
		t.Errorf("an empty patch sent %q", reqs[1].Body)
	}
}

func TestBotRefusalsCarryTheServiceWordsAndAHint(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	_, err := c.CreateBot(ctx, BotSettings{BotName: "No photo", Description: "x", Administrators: []string{admin}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Code != "INVALID_PARAMETER" || !strings.Contains(err.Error(), "photoUrl") {
		t.Fatalf("err = %v", err)
	}
	if IsNotFound(err) || IsNotFound(nil) || IsNotFound(errors.New("404")) {
		t.Error("IsNotFound is true for something else")
	}
	if _, err := c.GetBot(ctx, 0); err == nil || !strings.Contains(err.Error(), "not a LINE WORKS bot ID") {
		t.Errorf("GetBot(0) = %v", err)
	}
	if _, err := c.RegisterBotDomain(ctx, 2000001, -1, BotDomainSettings{}); err == nil || !strings.Contains(err.Error(), "domain ID") {
		t.Errorf("RegisterBotDomain(-1) = %v", err)
	}
	if n := len(f.emu.Requests.All()); n != 2 { // the token and the refused create
		t.Errorf("%d requests; the ID checks must not send any", n)
	}
}

func TestBotCallsWithoutTheScopeNameIt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tt := range []struct {
		scopes []string
		call   func(*Client) error
		want   string
	}{
		{[]string{"bot.read"}, func(c *Client) error { return second(c.CreateBot(ctx, basicBot("x"))) }, "needs the bot scope"},
		{[]string{"bot.read"}, func(c *Client) error { return second(c.IssueBotSecret(ctx, 2000001)) }, "needs the bot scope"},
		{[]string{"bot.message"}, func(c *Client) error { return c.DeleteBotDomain(ctx, 2000001, 10000001) }, "needs the bot scope"},
		{[]string{"bot.message"}, func(c *Client) error { return second(c.ListBots(ctx)) }, "needs the bot or bot.read scope"},
		{[]string{"user.read"}, func(c *Client) error { return second(c.GetBot(ctx, 2000001)) }, "needs the bot or bot.read scope"},
	} {
		c := f.client(t, func(c *Config) { c.Scopes = tt.scopes })
		err := tt.call(c)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), tt.want) ||
			!strings.Contains(err.Error(), "scopes") || !strings.Contains(err.Error(), "Developer Console") {
			t.Errorf("scopes %v: %v", tt.scopes, err)
		}
	}
}

func TestBotCallReissuesAStaleTokenOnce(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("x"))
	if err != nil {
		t.Fatal(err)
	}
	f.emu.Auth.ExpireAccessTokensAtNextAPIRequest()
	if _, err := c.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("after a reissue")}); err != nil {
		t.Fatal(err)
	}
	if f.tokenRequests() != 2 || len(f.apiRequests(http.MethodPatch, fmt.Sprintf("/v1.0/bots/%d", bot.BotID))) != 2 {
		t.Fatalf("%d token requests, requests %+v", f.tokenRequests(), f.emu.Requests.All())
	}
	if b, _ := f.emu.Bots.Get(bot.BotID); b.Description != "after a reissue" {
		t.Error("the update was lost")
	}

	// A service that keeps calling every token stale gets one reissue, not a loop.
	stale := f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.HasPrefix(r.URL.Path, "/v1.0/") {
				return jsonResponse(r, http.StatusForbidden, `{"code":"UNAUTHORIZED","description":"The access token has expired."}`), nil
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	before := f.tokenRequests()
	_, err = stale.GetBot(ctx, bot.BotID)
	if err == nil || !strings.Contains(err.Error(), "newly issued access token too") {
		t.Fatalf("err = %v", err)
	}
	if n := f.tokenRequests() - before; n != 2 {
		t.Errorf("%d token requests, want the first and one reissue", n)
	}
}

func TestBotCallWithARefusedConfiguredToken(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, func(cfg *Config) { cfg.AccessToken = f.emu.Auth.IssueAccessToken(testClientID, "bot") })
	f.emu.Auth.ExpireAccessTokens()
	_, err := c.CreateBot(context.Background(), basicBot("x"))
	if !errors.Is(err, ErrStaticTokenRejected) {
		t.Fatalf("err = %v", err)
	}
	if f.tokenRequests() != 0 || len(f.emu.Bots.List()) != 0 {
		t.Error("a token was issued or a bot created")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func jsonResponse(r *http.Request, status int, body string) *http.Response {
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(body)),
		Request:    r,
	}
}

func isCreate(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/v1.0/bots" }

// A 5xx may come after the service created the bot: a retry could create a
// second one. Other calls are retried.
func TestCreateBotIsNotRetriedAfterA5xx(t *testing.T) {
	f := newFixture(t)
	var attempts atomic.Int32
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := http.DefaultTransport.RoundTrip(r)
			if err != nil || !isCreate(r) {
				return resp, err
			}
			attempts.Add(1)
			drain(resp) // the bot exists now, but the answer is lost on the way
			return jsonResponse(r, http.StatusServiceUnavailable, `{"code":"SERVICE_UNAVAILABLE","description":"try later"}`), nil
		})
	})
	_, err := c.CreateBot(context.Background(), basicBot("once"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("err = %v", err)
	}
	// The advice says what happened: no retries, and what to check.
	if msg := err.Error(); strings.Contains(msg, "retries") || !strings.Contains(msg, "check whether it was created") {
		t.Errorf("the advice of a create sent once: %v", err)
	}
	if attempts.Load() != 1 || len(f.emu.Bots.List()) != 1 {
		t.Fatalf("%d attempts, %d bots: a retry duplicated the bot", attempts.Load(), len(f.emu.Bots.List()))
	}

	// The same failure on a read is retried.
	var failed atomic.Bool
	c = f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1.0/bots") && failed.CompareAndSwap(false, true) {
				return jsonResponse(r, http.StatusServiceUnavailable, `{}`), nil
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	if list, err := c.ListBots(context.Background()); err != nil || len(list) != 1 {
		t.Fatalf("ListBots = %v, %v", list, err)
	}
}

func TestCreateBotIsRetriedWhenTheServiceSurelyDidNothing(t *testing.T) {
	t.Run("429", func(t *testing.T) {
		f, c := newBotFixture(t)
		if _, err := c.Token(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		f.emu.Faults.RateLimitNext(1, 0)
		if _, err := c.CreateBot(context.Background(), basicBot("x")); err != nil {
			t.Fatal(err)
		}
		if n := len(f.apiRequests(http.MethodPost, "/v1.0/bots")); n != 2 || len(f.emu.Bots.List()) != 1 {
			t.Fatalf("%d attempts, %d bots", n, len(f.emu.Bots.List()))
		}
	})
	t.Run("no connection", func(t *testing.T) {
		f := newFixture(t)
		var refused atomic.Bool
		c := f.client(t, func(cfg *Config) {
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if isCreate(r) && refused.CompareAndSwap(false, true) {
					return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
				}
				return http.DefaultTransport.RoundTrip(r)
			})
		})
		if _, err := c.CreateBot(context.Background(), basicBot("x")); err != nil {
			t.Fatal(err)
		}
		if len(f.emu.Bots.List()) != 1 {
			t.Fatalf("%d bots", len(f.emu.Bots.List()))
		}
	})
	t.Run("connection lost after sending", func(t *testing.T) {
		f := newFixture(t)
		var attempts atomic.Int32
		c := f.client(t, func(cfg *Config) {
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := http.DefaultTransport.RoundTrip(r)
				if err != nil || !isCreate(r) {
					return resp, err
				}
				attempts.Add(1)
				drain(resp)
				return nil, &net.OpError{Op: "read", Net: "tcp", Err: io.ErrUnexpectedEOF}
			})
		})
		if _, err := c.CreateBot(context.Background(), basicBot("x")); err == nil {
			t.Fatal("no error")
		}
		if attempts.Load() != 1 || len(f.emu.Bots.List()) != 1 {
			t.Fatalf("%d attempts, %d bots", attempts.Load(), len(f.emu.Bots.List()))
		}
	})
}

func TestListingFollowsEveryPage(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	var ids []int64
	for i := range 130 {
		bot, err := c.CreateBot(ctx, basicBot(fmt.Sprintf("bot %03d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, bot.BotID)
	}
	list, err := c.ListBots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, b := range list {
		got = append(got, b.BotID)
	}
	if !slices.Equal(got, ids) {
		t.Fatalf("listed %d bots, want %d", len(got), len(ids))
	}
	if n := len(f.apiRequests(http.MethodGet, "/v1.0/bots")); n != 2 {
		t.Errorf("%d pages, want 2 of up to 100", n)
	}

	var domains []int64
	for d := int64(30000001); d <= 30000105; d++ {
		domains = append(domains, d)
	}
	f.emu.Directory.AddDomains(domains...)
	for _, d := range domains {
		if _, err := c.RegisterBotDomain(ctx, ids[0], d, BotDomainSettings{Visible: d%2 == 0}); err != nil {
			t.Fatal(err)
		}
	}
	regs, err := c.ListBotDomains(ctx, ids[0])
	if err != nil || len(regs) != len(domains) || regs[104].DomainID != 30000105 || regs[1].Visible != true {
		t.Fatalf("ListBotDomains: %d, %v", len(regs), err)
	}
	if got, err := c.GetBotDomain(ctx, ids[0], 30000103); err != nil || got.DomainID != 30000103 {
		t.Fatalf("GetBotDomain on the second page: %+v, %v", got, err)
	}
}

func TestListingStopsAtARepeatedCursor(t *testing.T) {
	var pages atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		if r.URL.Query().Get("count") != "100" {
			t.Errorf("count = %q", r.URL.Query().Get("count"))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"bots":[{"botId":%d,"botName":"b","photoUrl":"https://example.com/b.png"}],"responseMetaData":{"nextCursor":"a+b/c=="}}`, pages.Load())
	}))
	defer srv.Close()
	f := newFixture(t)
	c := f.client(t, func(cfg *Config) { cfg.APIEndpoint, cfg.AccessToken = srv.URL+"/v1.0", "configured" })
	_, err := c.ListBots(context.Background())
	if err == nil || !strings.Contains(err.Error(), "nextCursor it had already sent") {
		t.Fatalf("err = %v", err)
	}
	if pages.Load() != 2 {
		t.Errorf("%d pages requested", pages.Load())
	}
}

// The service refuses overlapping changes to one bot (the emulator holds
// each for 30 ms and counts the refusals): parallel callers succeed only
// because the client serializes them.
func TestMutatingCallsOnOneBotAreSerialized(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("busy"))
	if err != nil {
		t.Fatal(err)
	}
	domains := []int64{40000001, 40000002, 40000003, 40000004}
	f.emu.Directory.AddDomains(domains...)

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	secrets := make(chan string, 4)
	for _, d := range domains {
		wg.Go(func() {
			_, err := c.RegisterBotDomain(ctx, bot.BotID, d, BotDomainSettings{Visible: true})
			errs <- err
		})
		wg.Go(func() {
			s, err := c.IssueBotSecret(ctx, bot.BotID)
			errs <- err
			secrets <- s
		})
	}
	wg.Wait()
	close(errs)
	close(secrets)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := f.emu.Bots.ConflictCount(); n != 0 {
		t.Errorf("the service refused %d overlapping calls", n)
	}
	if got := f.emu.Bots.Domains(bot.BotID); len(got) != len(domains) {
		t.Errorf("registrations %+v", got)
	}
	var all []string
	for s := range secrets {
		all = append(all, s)
	}
	if !slices.Contains(all, f.emu.Bots.Secret(bot.BotID)) {
		t.Error("the current secret is none of those issued")
	}
	if n := c.botLocks.size(); n != 0 {
		t.Errorf("%d lock entries left behind", n)
	}
	f.log.assertNoSecrets(t, all...)
}

// Calls on different bots do not wait for each other: the emulator sees both
// in flight at once (it holds each until released).
func TestMutatingCallsOnDifferentBotsRunInParallel(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	a, err := c.CreateBot(ctx, basicBot("a"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.CreateBot(ctx, basicBot("b"))
	if err != nil {
		t.Fatal(err)
	}
	f.emu.Bots.SetMutationHold(time.Minute)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, id := range []int64{a.BotID, b.BotID} {
		wg.Go(func() {
			_, errs[i] = c.UpdateBot(ctx, id, BotPatch{Description: ptr("parallel")})
		})
	}
	waitFor(t, "both updates to be in flight at once", func() bool { return f.emu.Bots.MutationsInFlight() == 2 })
	f.emu.Bots.SetMutationHold(0)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWaitingForABotLockRespectsTheContext(t *testing.T) {
	f, c := newBotFixture(t)
	unlock, err := c.botLocks.lock(context.Background(), 2000001)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err = c.DeleteBot(ctx, 2000001)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for another change") {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.emu.Requests.All()); n != 0 {
		t.Errorf("%d requests sent while the bot was locked", n)
	}
	if c.botLocks.size() != 1 {
		t.Error("the waiter's entry was not released")
	}
	unlock()
	unlock() // harmless
	if c.botLocks.size() != 0 {
		t.Error("the holder's entry was not released")
	}
}

// Another program changing the same bot at the same time (one that does
// not share this machine's lock files) is refused by the service. The
// client tries again with back-off, and succeeds once the other change is
// done; when the other change outlasts every retry, the error says what
// happened.
func TestAnOverlapFromAnotherProgramIsRetried(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("shared"))
	if err != nil {
		t.Fatal(err)
	}
	other := f.client(t, func(cfg *Config) { cfg.LockDir = t.TempDir() })
	retrying := f.client(t, func(cfg *Config) { cfg.MinRetryWait, cfg.MaxRetryWait = 20*time.Millisecond, 20*time.Millisecond })

	f.emu.Bots.SetMutationHold(time.Minute)
	done := make(chan error, 1)
	go func() { done <- second(other.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("first")})) }()
	waitFor(t, "the other program's update to be in flight", func() bool { return f.emu.Bots.MutationsInFlight() == 1 })
	go func() { // the other program finishes once this client has been refused
		for f.emu.Bots.ConflictCount() == 0 {
			time.Sleep(time.Millisecond)
		}
		f.emu.Bots.SetMutationHold(0)
	}()
	updated, err := retrying.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("second")})
	if err != nil || updated.Description != "second" {
		t.Fatalf("UpdateBot = %+v, %v", updated, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	f.emu.Bots.SetMutationHold(time.Minute)
	go func() { done <- second(other.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("third")})) }()
	waitFor(t, "the other program's update to be in flight", func() bool { return f.emu.Bots.MutationsInFlight() == 1 })
	before := f.emu.Bots.ConflictCount()
	_, err = retrying.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("fourth")})
	f.emu.Bots.SetMutationHold(0)
	if !IsConflict(err) || !strings.Contains(err.Error(), fmt.Sprintf("kept refusing this one after %d retries", DefaultMaxRetries)) ||
		!strings.Contains(err.Error(), "a program other than this machine's provider processes") {
		t.Fatalf("err = %v", err)
	}
	if n := f.emu.Bots.ConflictCount() - before; n != DefaultMaxRetries+1 {
		t.Errorf("%d refused attempts, want %d", n, DefaultMaxRetries+1)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestTheBotSecretIsNeverInALogOrAnError(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	bot, err := c.CreateBot(ctx, basicBot("x"))
	if err != nil {
		t.Fatal(err)
	}
	secret, err := c.IssueBotSecret(ctx, bot.BotID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.log.text(), "issued a new LINE WORKS bot secret") {
		t.Error("the issue was not logged at all; the check below proves nothing")
	}
	f.log.assertNoSecrets(t, secret)

	// An answer the client cannot read is reported without quoting it.
	const leaked = "s3cr3t-bot-secret-value"
	for _, body := range []string{`{"secret":"` + leaked + `"`, `{"secret":{"value":"` + leaked + `"}}`, `{"secret":["` + leaked + `"]}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		}))
		c := f.client(t, func(cfg *Config) { cfg.APIEndpoint, cfg.AccessToken = srv.URL+"/v1.0", "configured" })
		_, err := c.IssueBotSecret(ctx, bot.BotID)
		srv.Close()
		if err == nil || strings.Contains(err.Error(), leaked) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("body %s: err = %v", body, err)
		}
	}
	f.log.assertNoSecrets(t, leaked)
}

// Only the create itself is sent once: the token it needs, issued on the
// way (the first call of an apply's process is often a create), is retried
// after a 5xx as every token request is, and the 404 of a rich menu's
// create is confirmed with a listing retried as every read is.
func TestOnlyTheCreateIsSentOnce(t *testing.T) {
	f := newFixture(t)
	var tokenFailed, probeFailed atomic.Bool
	var tokenAttempts atomic.Int32
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Path == tokenPath && tokenAttempts.Add(1) > 0 && tokenFailed.CompareAndSwap(false, true) {
				return jsonResponse(r, http.StatusBadGateway, `{}`), nil
			}
			if r.Method == http.MethodGet && r.URL.Path == "/v1.0/bots" && probeFailed.CompareAndSwap(false, true) {
				return jsonResponse(r, http.StatusServiceUnavailable, `{}`), nil
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	if _, err := c.CreateBot(context.Background(), basicBot("first call")); err != nil {
		t.Fatalf("a create whose token request failed once: %v", err)
	}
	if n := tokenAttempts.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2: one failed, one retried", n)
	}
	_, err := c.CreateRichMenu(context.Background(), 2999999, twoAreaMenu("menu"))
	if !IsNotFound(err) {
		t.Fatalf("a create for a bot that does not exist, its 404 confirmed by a listing that failed once: %v", err)
	}
}

// The token re-issued for a create's retry (the first answer a 429, the
// token expired meanwhile) is retried after a 5xx too: a token request is
// never sent once.
func TestATokenReissuedForACreatesRetryIsRetried(t *testing.T) {
	f := newFixture(t)
	clk := &clock{now: time.Now()}
	f.emu.SetClock(clk.Now)
	var refused, tokenFailed atomic.Bool
	var tokenAttempts atomic.Int32
	c := f.client(t, func(cfg *Config) {
		cfg.Now = clk.Now
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Path == tokenPath && tokenAttempts.Add(1) == 2 && tokenFailed.CompareAndSwap(false, true) {
				return jsonResponse(r, http.StatusBadGateway, `{}`), nil
			}
			if isCreate(r) && refused.CompareAndSwap(false, true) {
				clk.advance(25 * time.Hour) // the token expires while the create waits
				resp := jsonResponse(r, http.StatusTooManyRequests, `{"code":"TOO_MANY_REQUESTS"}`)
				resp.Header.Set("rateLimit-reset", "0")
				return resp, nil
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	if _, err := c.CreateBot(context.Background(), basicBot("after a 429")); err != nil {
		t.Fatalf("a create whose re-issued token failed once: %v", err)
	}
	if n := tokenAttempts.Load(); n != 3 {
		t.Fatalf("%d token requests, want 3: the first token, then one failed and one retried", n)
	}
}

// Bots created at once each check that their name is free: callers that
// come while a listing of the tenant's bots is in flight share it, and one
// that comes after it ended lists again, seeing the bots created since.
func TestConcurrentListingsOfBotsShareOne(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	if _, err := c.CreateBot(ctx, basicBot("First")); err != nil {
		t.Fatal(err)
	}
	f.emu.Faults.SetReadLatency(100 * time.Millisecond)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if list, err := c.ListBots(ctx); err != nil || len(list) != 1 {
				t.Errorf("ListBots = %+v, %v", list, err)
			}
		})
	}
	wg.Wait()
	if n := len(f.apiRequests(http.MethodGet, "/v1.0/bots")); n != 1 {
		t.Errorf("%d listings for 8 callers at once, want 1", n)
	}
	if _, err := c.CreateBot(ctx, basicBot("Second")); err != nil {
		t.Fatal(err)
	}
	if list, err := c.ListBots(ctx); err != nil || len(list) != 2 {
		t.Errorf("a listing after the bot was created: %+v, %v", list, err)
	}
}
