package lineworks

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Every request names the provider and Terraform, whatever the host, the API
// generation, and whether it is a first try or a retry: that is how LINE
// WORKS support and the user's proxies tell this client's requests apart.
func TestEveryRequestCarriesTheUserAgent(t *testing.T) {
	const ua = "terraform-provider-lineworks/1.2.3 Terraform/1.11.4"
	f := newFixture(t)
	f.addReport()
	serverKey := lineworkstest.TestKey(1)
	f.emu.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: testAPIID, ServerID: testServerID, PublicKey: &serverKey.PublicKey})
	f.emu.Legacy.RegisterConsumer(lineworkstest.LegacyConsumer{APIID: testAPIID, ConsumerKey: testConsumerKey})
	withUA := func(c *Config) { c.UserAgent = ua }
	c := f.client(t, withUA)
	ctx := context.Background()

	f.emu.Faults.RateLimitNext(1, 0) // the first API request is retried
	if _, err := c.DownloadAttachment(ctx, testBotID, testFileID, &bytes.Buffer{}, 0); err != nil {
		t.Fatal(err)
	}
	f.emu.Storage.SetAPIAnswers401(true) // the derived storage URL is tried
	if _, err := c.DownloadAttachment(ctx, testBotID, testFileID, &bytes.Buffer{}, 0); err != nil {
		t.Fatal(err)
	}
	refreshed, err := c.Refresh(ctx, f.emu.Auth.IssueRefreshToken(testClientID, "bot"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Revoke(ctx, refreshed.AccessToken); err != nil {
		t.Fatal(err)
	}
	legacy := f.client(t, withUA, func(c *Config) {
		c.PrivateKey = serverKey
		c.APIID, c.ServerID, c.ConsumerKey = testAPIID, testServerID, testConsumerKey
	})
	if _, err := legacy.ServerToken(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := legacy.RefreshServiceAPIToken(ctx, "", "", f.emu.Legacy.IssueRefreshToken(testAPIID, testConsumerKey)); err != nil {
		t.Fatal(err)
	}

	for _, r := range f.emu.Requests.All() {
		if got := r.Header.Get("User-Agent"); got != ua {
			t.Errorf("%s %s %s: User-Agent %q, want %q", r.Host, r.Method, r.Path, got, ua)
		}
	}
	// Each kind of request was really sent, the retry included.
	for _, want := range []struct {
		host, prefix string
		atLeast      int
	}{
		{lineworkstest.HostAuth, "/oauth2/v2.0/token", 2}, // JWT and refresh grants
		{lineworkstest.HostAuth, "/oauth2/v2.0/revoke", 1},
		{lineworkstest.HostAuth, "/b/" + testAPIID + "/server/token", 1},
		{lineworkstest.HostAuth, "/ba/" + testAPIID + "/service/token/refresh", 1},
		{lineworkstest.HostAPI, "/v1.0/bots/", 3},                      // 429, its retry, and the 401
		{lineworkstest.HostStorage, lineworkstest.SignedPathPrefix, 1}, // the redirect's signed URL
		{lineworkstest.HostStorage, "/k/emsg/r/", 1},                   // the derived URL, after the 401
	} {
		if n := f.emu.Requests.Count(want.host, want.prefix); n < want.atLeast {
			t.Errorf("%d requests to %s %s, want at least %d", n, want.host, want.prefix, want.atLeast)
		}
	}
}

// A client given no User-Agent still says what it is, rather than
// Go-http-client.
func TestDefaultUserAgent(t *testing.T) {
	f := newFixture(t)
	if _, err := f.client(t).Token(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got := f.emu.Requests.All()[0].Header.Get("User-Agent"); got != DefaultUserAgent {
		t.Fatalf("User-Agent %q, want %q", got, DefaultUserAgent)
	}
}

// A success body longer than any LINE WORKS answer is refused with an error
// that says so, not decoded from a truncated prefix ("unexpected EOF").
func TestAnAnswerLongerThanAnyLINEWORKSAnswerIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"botId":2000001,"botName":"`+strings.Repeat("x", maxSuccessBody)+`"}`)
	}))
	defer srv.Close()
	c := newFixture(t).client(t, func(cfg *Config) { cfg.APIEndpoint, cfg.AccessToken = srv.URL+"/v1.0", "configured" })
	_, err := c.GetBot(context.Background(), 2000001)
	if err == nil || !strings.Contains(err.Error(), "longer than 8388608 bytes") {
		t.Fatalf("err = %v", err)
	}
}

// A URL Go cannot parse is quoted without what may carry a credential: its
// query and fragment, and a user:password@ before its host.
func TestWithoutQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"https://apis-storage.worksmobile.com/k/%zz/?signature=s3cr3t": "https://apis-storage.worksmobile.com/k/%zz/",
		"https://user:s3cr3t@[::1/k/x#s3cr3t":                          "https://[::1/k/x",
		"https://host/a@b/%zz":                                         "https://host/a@b/%zz",
		"not a URL":                                                    "not a URL",
	} {
		if got := withoutQuery(raw); got != want {
			t.Errorf("withoutQuery(%q) = %q, want %q", raw, got, want)
		}
	}
}
