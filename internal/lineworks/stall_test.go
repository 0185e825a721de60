package lineworks

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// stallTimeout is the request timeout of the stall tests: short, so that
// they finish soon; returnsWithin only guards against a hang.
const stallTimeout = 200 * time.Millisecond

// stallLimit only tells a hang from an answer: every call here returns long
// before it.
const stallLimit = 20 * time.Second

// returnsWithin runs f and fails the test if it has not returned after
// stallLimit: the stall check must end every read, whatever the server does.
func returnsWithin(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(stallLimit):
		t.Fatalf("still waiting after %v for a server that stalled after its headers (request timeout %v)", stallLimit, stallTimeout)
	}
}

func stallOn(f *fixture, hosts ...string) {
	f.emu.Faults.Inject(lineworkstest.Faults{StallAfterHeaders: hosts})
}

func withStallTimeout(c *Config) { c.RequestTimeout = stallTimeout }

// Every answer the client reads is read under the stall check: a token
// answer, a token error, an API answer, an API 1.0 answer: each stalled
// after its headers fails after the request timeout, saying so.
func TestEveryStalledAnswerFailsAfterTheRequestTimeout(t *testing.T) {
	serverKey := lineworkstest.TestKey(1)
	for _, tc := range []struct {
		name  string
		host  string
		setup func(*fixture, *Client) // before the stall is turned on
		call  func(*fixture, *Client) error
		// wantStalled: the success body stalled (IsStalled); otherwise an
		// error body did, and the status is reported with the stall.
		wantStalled bool
	}{
		{name: "token answer", host: lineworkstest.HostAuth, wantStalled: true,
			call: func(_ *fixture, c *Client) error { _, err := c.Token(context.Background(), nil); return err }},
		{name: "token error", host: lineworkstest.HostAuth,
			call: func(f *fixture, _ *Client) error {
				c, err := New(func() Config {
					cfg := f.cfg
					cfg.ClientSecret = "wrong-secret"
					cfg.RequestTimeout = stallTimeout
					return cfg
				}())
				if err != nil {
					return err
				}
				_, err = c.Token(context.Background(), nil)
				return err
			}},
		{name: "API answer", host: lineworkstest.HostAPI, wantStalled: true,
			setup: func(f *fixture, c *Client) {
				if _, err := c.CreateBot(context.Background(), basicBot("Stalled")); err != nil {
					panic(err)
				}
			},
			call: func(_ *fixture, c *Client) error { _, err := c.ListBots(context.Background()); return err }},
		{name: "API error", host: lineworkstest.HostAPI,
			setup: func(f *fixture, c *Client) {
				if _, err := c.Token(context.Background(), nil); err != nil {
					panic(err)
				}
			},
			call: func(_ *fixture, c *Client) error { _, err := c.GetBot(context.Background(), 9999999); return err }},
		{name: "API 1.0 server token", host: lineworkstest.HostAuth, wantStalled: true,
			setup: func(f *fixture, _ *Client) {
				f.emu.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: testAPIID, ServerID: testServerID, PublicKey: &serverKey.PublicKey})
			},
			call: func(f *fixture, _ *Client) error {
				c, err := New(func() Config {
					cfg := f.cfg
					cfg.PrivateKey, cfg.APIID, cfg.ServerID, cfg.RequestTimeout = serverKey, testAPIID, testServerID, stallTimeout
					return cfg
				}())
				if err != nil {
					return err
				}
				_, err = c.ServerToken(context.Background(), "", "")
				return err
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.emu.Bots.SetMutationHold(0)
			c := f.client(t, withStallTimeout)
			if tc.setup != nil {
				tc.setup(f, c)
			}
			stallOn(f, tc.host)
			var err error
			returnsWithin(t, func() { err = tc.call(f, c) })
			switch {
			case err == nil:
				t.Fatal("a stalled answer gave no error")
			case tc.wantStalled && (!IsStalled(err) || !strings.Contains(err.Error(), "no data arrived within the request timeout (200ms)")):
				t.Fatalf("err = %v, want the stall named", err)
			case !tc.wantStalled && !strings.Contains(err.Error(), "the body broke off after 0 bytes: no data arrived within the request timeout (200ms)"):
				t.Fatalf("err = %v, want the error's status and the stall", err)
			}
		})
	}
}

// The attachment API's 302 whose body stalls still leads to the file: the
// client only drains that body, and stops draining after the timeout.
func TestAStalledRedirectBodyDoesNotHoldTheDownload(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	c := f.client(t, withStallTimeout)
	if _, err := c.Token(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	stallOn(f, lineworkstest.HostAPI)
	var (
		att *Attachment
		err error
		buf bytes.Buffer
	)
	returnsWithin(t, func() { att, err = c.DownloadAttachment(context.Background(), testBotID, testFileID, &buf, 0) })
	if err != nil {
		t.Fatal(err)
	}
	if att.Method != DownloadRedirect || buf.Len() == 0 {
		t.Fatalf("downloaded %d bytes by %s", buf.Len(), att.Method)
	}
}

// A storage host that stalls mid-download fails it as incomplete, naming
// the stall.
func TestAStalledDownloadIsIncomplete(t *testing.T) {
	f := newFixture(t)
	f.addReport()
	c := f.client(t, withStallTimeout)
	stallOn(f, lineworkstest.HostStorage)
	var err error
	returnsWithin(t, func() { _, err = c.DownloadAttachment(context.Background(), testBotID, testFileID, &bytes.Buffer{}, 0) })
	var incomplete *IncompleteDownloadError
	if !errors.As(err, &incomplete) || !IsStalled(err) {
		t.Fatalf("err = %v", err)
	}
}
