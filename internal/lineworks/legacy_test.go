package lineworks

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const (
	testAPIID       = "jp1PrJVEbjpFi"
	testServerID    = "46c4f281f81148c9b846c59262ae5888"
	testConsumerKey = "LQwDde6x8eV4ROOCOdSW"
)

func newLegacyFixture(t *testing.T) *fixture {
	f := newFixture(t)
	serverKey := lineworkstest.TestKey(1)
	f.emu.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: testAPIID, ServerID: testServerID, PublicKey: &serverKey.PublicKey})
	f.emu.Legacy.RegisterConsumer(lineworkstest.LegacyConsumer{APIID: testAPIID, ConsumerKey: testConsumerKey})
	f.cfg.PrivateKey = serverKey
	f.cfg.APIID, f.cfg.ServerID, f.cfg.ConsumerKey = testAPIID, testServerID, testConsumerKey
	return f
}

func TestServerTokenAsTheAPI10GuideDescribes(t *testing.T) {
	f := newLegacyFixture(t)
	tok, err := f.client(t).ServerToken(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !f.emu.Auth.TokenValid(tok.AccessToken) || tok.TokenType != "Bearer" || tok.ExpiresIn != 86400 {
		t.Fatalf("token valid=%t type %q expires_in %d", f.emu.Auth.TokenValid(tok.AccessToken), tok.TokenType, tok.ExpiresIn)
	}
	req := f.emu.Requests.All()[0]
	if req.Path != "/b/"+testAPIID+"/server/token" || req.Header.Get("Content-Type") != "application/x-www-form-urlencoded; charset=UTF-8" {
		t.Errorf("request %s with Content-Type %q", req.Path, req.Header.Get("Content-Type"))
	}
	var keys []string
	for k := range req.Form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, " ") != "assertion grant_type" {
		t.Errorf("form fields %v", keys)
	}
	var claims map[string]any
	if err := json.Unmarshal(decodeSegment(t, req.Form.Get("assertion"), 1), &claims); err != nil {
		t.Fatal(err)
	}
	if _, hasSub := claims["sub"]; hasSub || claims["iss"] != testServerID || claims["exp"].(float64)-claims["iat"].(float64) != 1800+10 {
		t.Errorf("claims = %v", claims)
	}
}

// A reissue invalidates the previous server token, so callers share one.
func TestServerTokenIsSharedWithinAClient(t *testing.T) {
	f := newLegacyFixture(t)
	c := f.client(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ServerToken(context.Background(), "", ""); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := f.emu.Requests.Count(lineworkstest.HostAuth, "/b/"); n != 1 {
		t.Fatalf("%d server token requests, want 1", n)
	}
}

func TestServerTokenErrors(t *testing.T) {
	f := newLegacyFixture(t)
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want []string
	}{
		{"clock behind: jwt already expired", func(c *Config) { c.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) } }, []string{`31: jwt already expired`, "Allowed clock skew: 0 milliseconds", "check this machine's clock"}},
		{"clock ahead", func(c *Config) { c.Now = func() time.Time { return time.Now().Add(15 * time.Second) } }, []string{"future", "check this machine's clock", "ahead of LINE WORKS's"}},
		{"key of another server", func(c *Config) { c.PrivateKey = lineworkstest.TestKey(0) }, []string{"signature", "private_key is the key downloaded for this server ID"}},
		{"unknown API ID", func(c *Config) { c.APIID = "jp1Unknown" }, []string{"jp1Unknown", "Check api_id"}},
		{"unknown server ID", func(c *Config) { c.ServerID = "ffffffffffffffffffffffffffffffff" }, []string{"ffffffffffffffffffffffffffffffff"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.client(t, tc.edit).ServerToken(context.Background(), "", "")
			var le *LegacyError
			if !errors.As(err, &le) || le.Code == "" {
				t.Fatalf("err = %v, want a *LegacyError with a code", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// API 1.0 allows no skew; the back-dated iat lets a clock a few seconds
// ahead through, and a refusal says by how much the clock is off, measured
// against the server's Date header.
func TestServerTokenClockSkew(t *testing.T) {
	f := newLegacyFixture(t)
	f.emu.SetClock(func() time.Time { return fixedNow })
	ahead := f.client(t, func(c *Config) { c.Now = func() time.Time { return fixedNow.Add(8 * time.Second) } })
	if _, err := ahead.ServerToken(context.Background(), "", ""); err != nil {
		t.Fatalf("a clock 8 s ahead was refused: %v", err)
	}
	behind := f.client(t, func(c *Config) { c.Now = func() time.Time { return fixedNow.Add(-2 * time.Hour) } })
	_, err := behind.ServerToken(context.Background(), "", "")
	if err == nil || !strings.Contains(err.Error(), "31: jwt already expired") || !strings.Contains(err.Error(), "This machine's clock is 2h0m0s behind LINE WORKS's") {
		t.Fatalf("err = %v", err)
	}
}

func TestServerTokenChecksItsSettings(t *testing.T) {
	f := newLegacyFixture(t)
	for setting, edit := range map[Setting]func(*Config){
		SettingAPIID:      func(c *Config) { c.APIID = "" },
		SettingServerID:   func(c *Config) { c.ServerID = "" },
		SettingPrivateKey: func(c *Config) { c.PrivateKey = nil },
	} {
		_, err := f.client(t, edit).ServerToken(context.Background(), "", "")
		var missing *MissingSettingError
		if !errors.As(err, &missing) || missing.Setting != setting {
			t.Errorf("without %s: err = %v", setting, err)
		}
	}
	if _, err := f.client(t).ServerToken(context.Background(), "../oauth2", ""); err == nil || !strings.Contains(err.Error(), "not a LINE WORKS API ID") {
		t.Errorf("a traversing API ID: err = %v", err)
	}
	if n := len(f.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests sent with bad settings", n)
	}
}

func TestRefreshServiceAPIToken(t *testing.T) {
	f := newLegacyFixture(t)
	refresh := f.emu.Legacy.IssueRefreshToken(testAPIID, testConsumerKey)
	tok, err := f.client(t).RefreshServiceAPIToken(context.Background(), "", "", refresh)
	if err != nil {
		t.Fatal(err)
	}
	if !f.emu.Auth.TokenValid(tok.AccessToken) || tok.ExpiresIn != 7*24*3600 || !tok.Expiry.Equal(tok.IssuedAt.Add(7*24*time.Hour)) {
		t.Fatalf("token valid=%t expires_in %d", f.emu.Auth.TokenValid(tok.AccessToken), tok.ExpiresIn)
	}
	req := f.emu.Requests.All()[0]
	if req.Path != "/ba/"+testAPIID+"/service/token/refresh" || req.Form.Get("client_id") != testConsumerKey || req.Form.Get("refresh_token") != refresh {
		t.Errorf("request %s", req.Path)
	}
}

func TestRefreshServiceAPITokenErrorCodes(t *testing.T) {
	f := newLegacyFixture(t)
	refresh := f.emu.Legacy.IssueRefreshToken(testAPIID, testConsumerKey)
	for _, tc := range []struct {
		name        string
		setup       func()
		consumerKey string
		refresh     string
		code, says  string
	}{
		{"parameter error", nil, "not-a-consumer-key", refresh, "107", "check consumer_key"},
		{"issuing error", nil, "", "expired-refresh-token", "502", "expired or revoked"},
		{"unknown error", func() { f.emu.Legacy.SetServiceErrorCode("99") }, "", refresh, "99", "try again later"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
			}
			_, err := f.client(t).RefreshServiceAPIToken(context.Background(), "", tc.consumerKey, tc.refresh)
			var se *ServiceTokenError
			if !errors.As(err, &se) || se.ErrorCode != tc.code || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v, want errorCode %s saying %q", err, tc.code, tc.says)
			}
			if strings.Contains(err.Error(), refresh) || strings.Contains(err.Error(), testConsumerKey) {
				t.Fatalf("error quotes a secret: %v", err)
			}
		})
	}
}
