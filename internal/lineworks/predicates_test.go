package lineworks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Each refusal answers exactly one predicate, so a caller can act on it
// without looking at status codes.
func TestPredicatesTellTheRefusalsApart(t *testing.T) {
	f, c := newBotFixture(t)
	ctx := context.Background()
	// answering is a client whose every request gets status and body, once,
	// except the list of bots, which answers as at a right endpoint unless
	// wrongEndpoint.
	answeringAt := func(wrongEndpoint bool, status int, body string) *Client {
		return f.client(t, func(cfg *Config) {
			cfg.AccessToken, cfg.MaxRetries = "configured", 0
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if r.URL.Path == "/v1.0/bots" && !wrongEndpoint {
					return jsonResponse(r, http.StatusOK, `{"bots":[],"responseMetaData":{}}`), nil
				}
				return jsonResponse(r, status, body), nil
			})
		})
	}
	answering := func(status int, body string) *Client { return answeringAt(false, status, body) }
	const otherDomain = 10000002
	f.emu.Directory.AddDomains(otherDomain)
	narrow := basicBot("one domain")
	narrow.AllowDomains = []int64{lineworkstest.DefaultDomainID}
	bot, err := c.CreateBot(ctx, narrow)
	if err != nil {
		t.Fatal(err)
	}
	_, notAllowed := c.RegisterBotDomain(ctx, bot.BotID, otherDomain, BotDomainSettings{})
	everyDomain, err := c.CreateBot(ctx, basicBot("every domain"))
	if err != nil {
		t.Fatal(err)
	}
	_, unknownDomain := c.RegisterBotDomain(ctx, everyDomain.BotID, 30000001, BotDomainSettings{})
	tokenRefused := func() error {
		_, err := f.client(t, func(cfg *Config) {
			cfg.MaxRetries = 0
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return jsonResponse(r, http.StatusTooManyRequests, `{"error":"too_many_requests"}`), nil
			})
		}).Token(ctx, nil)
		return err
	}()

	predicates := map[string]func(error) bool{
		"IsNotFound": IsNotFound, "IsScopeMissing": IsScopeMissing, "IsRateLimited": IsRateLimited,
		"IsConflict": IsConflict, "IsDomainNotAllowed": IsDomainNotAllowed, "IsStaticTokenRejected": IsStaticTokenRejected,
		"IsWrongEndpoint": IsWrongEndpoint,
	}
	for _, tt := range []struct {
		name string
		err  error
		want string // the one predicate that holds; "" for none
	}{
		{"404", second(answering(http.StatusNotFound, `{"code":"NOT_FOUND","description":"No bot."}`).GetBot(ctx, 2000001)), "IsNotFound"},
		{"410", second(answering(http.StatusGone, `{"code":"DELETED","description":"Deleted."}`).GetBot(ctx, 2000001)), "IsNotFound"},
		{"404 at a wrong endpoint", second(answeringAt(true, http.StatusNotFound, `{"code":"NOT_FOUND"}`).GetBot(ctx, 2000001)), "IsWrongEndpoint"},
		{"404 for a bot's domains", second(answering(http.StatusNotFound, `{"code":"NOT_FOUND"}`).ListBotDomains(ctx, 2000001)), "IsNotFound"},
		{"403", second(answering(http.StatusForbidden, `{"code":"FORBIDDEN","description":"No scope."}`).GetBot(ctx, 2000001)), "IsScopeMissing"},
		{"429", second(answering(http.StatusTooManyRequests, `{"code":"TOO_MANY_REQUESTS"}`).GetBot(ctx, 2000001)), "IsRateLimited"},
		{"429 from the token endpoint", tokenRefused, "IsRateLimited"},
		{"409", second(answering(http.StatusConflict, `{"code":"CONFLICT","description":"Busy."}`).UpdateBot(ctx, 2000001, BotPatch{})), "IsConflict"},
		{"401 for a configured token", second(answering(http.StatusUnauthorized, `{"code":"UNAUTHORIZED"}`).GetBot(ctx, 2000001)), "IsStaticTokenRejected"},
		{"a domain allowDomains leaves out", notAllowed, "IsDomainNotAllowed"},
		{"a domain the tenant does not have", unknownDomain, ""},
		{"400", second(answering(http.StatusBadRequest, `{"code":"INVALID_PARAMETER"}`).GetBot(ctx, 2000001)), ""},
		{"not from the service", errors.New("404 429 409 403"), ""},
		{"nil", nil, ""},
	} {
		if tt.want != "" && tt.err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		for name, is := range predicates {
			if got := is(tt.err); got != (name == tt.want) {
				t.Errorf("%s: %s = %v (err: %v)", tt.name, name, got, tt.err)
			}
		}
	}

	var nae *DomainNotAllowedError
	if !errors.As(notAllowed, &nae) || nae.BotID != bot.BotID || nae.DomainID != otherDomain || !slices.Equal(nae.AllowDomains, narrow.AllowDomains) ||
		!strings.Contains(notAllowed.Error(), fmt.Sprintf("allows only the domains %d", lineworkstest.DefaultDomainID)) || !strings.Contains(notAllowed.Error(), "INVALID_PARAMETER") {
		t.Errorf("err = %#v (%v)", notAllowed, notAllowed)
	}
}

// The advice on a missing scope is the message's last sentence, so that a
// caller that knows where its scopes are configured can put its own words
// in its place.
func TestScopeAdviceEndsTheMessage(t *testing.T) {
	f := newFixture(t)
	_, err := f.client(t, func(c *Config) { c.Scopes = []string{"user.read"} }).GetBot(context.Background(), 2000001)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !slices.Equal(apiErr.Scopes, []string{"bot", "bot.read"}) ||
		!strings.HasSuffix(err.Error(), " "+apiErr.ScopeAdvice()) ||
		!strings.HasPrefix(apiErr.ScopeAdvice(), "This call needs the bot or bot.read scope: include one of them in the scopes the token is issued for") {
		t.Fatalf("err = %v; scopes %q", err, apiErr.Scopes)
	}
	if (&APIError{StatusCode: http.StatusNotFound}).ScopeAdvice() != "" {
		t.Error("advice on scopes for a refusal no scope explains")
	}
}

// A missing scope is said once: the advice, not a hint that says the same
// before it ("The token may lack the scope this call needs. This call
// needs the bot scope…"). Bot calls, downloads and menu calls alike.
func TestAMissingScopeIsSaidOnce(t *testing.T) {
	f, _ := newBotFixture(t)
	f.addReport()
	c := f.client(t, func(c *Config) { c.Scopes = []string{"user.read"} })
	ctx := context.Background()
	_, create := c.CreateBot(ctx, basicBot("x"))
	_, read := c.GetBot(ctx, 2000001)
	_, download := c.DownloadAttachment(ctx, testBotID, testFileID, io.Discard, 0)
	_, menu := c.ListRichMenus(ctx, 2000001)
	for name, err := range map[string]error{"create": create, "read": read, "download": download, "menu": menu} {
		if !IsScopeMissing(err) || strings.Count(err.Error(), "This call needs") != 1 || strings.Contains(err.Error(), "may lack") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
