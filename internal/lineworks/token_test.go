package lineworks

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestTokenUsesTheServiceAccountJWTGrant(t *testing.T) {
	f := newFixture(t)
	tok, err := f.client(t).Token(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !f.emu.Auth.TokenValid(tok.AccessToken) {
		t.Fatal("the emulator does not know the token")
	}
	if tok.TokenType != "Bearer" || tok.Scope != "bot" || tok.ExpiresIn != 86400 || tok.RefreshToken == "" {
		t.Errorf("token = type %q scope %q expires_in %d refresh %t", tok.TokenType, tok.Scope, tok.ExpiresIn, tok.RefreshToken != "")
	}
	if want := tok.IssuedAt.Add(86400 * time.Second); !tok.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v", tok.Expiry, want)
	}

	reqs := f.emu.Requests.All()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	form := reqs[0].Form
	var keys []string
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, " "); got != "assertion client_id client_secret grant_type scope" {
		t.Errorf("form fields = %s", got)
	}
	if form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || form.Get("scope") != "bot" {
		t.Errorf("grant_type %q scope %q", form.Get("grant_type"), form.Get("scope"))
	}
	if ct := reqs[0].Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestTokenParsesExpiresInSentAsANumber(t *testing.T) {
	f := newFixture(t)
	key := lineworkstest.TestKey(0)
	f.emu.Auth.RegisterApp(lineworkstest.App{ClientID: "numeric", ClientSecret: "x", ServiceAccountID: testAccount, PublicKey: &key.PublicKey, ExpiresInAsNumber: true, AccessTokenTTL: time.Hour})
	tok, err := f.client(t, func(c *Config) { c.ClientID, c.ClientSecret = "numeric", "x" }).Token(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 3600 {
		t.Errorf("ExpiresIn = %d, want 3600", tok.ExpiresIn)
	}
}

func TestConcurrentCallersShareOneTokenRequest(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	var wg sync.WaitGroup
	tokens := make([]string, 32)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := c.Token(context.Background(), []string{"bot"})
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = tok.AccessToken
		}()
	}
	wg.Wait()
	if n := f.tokenRequests(); n != 1 {
		t.Fatalf("%d token requests for 32 concurrent callers, want 1", n)
	}
	for _, tok := range tokens {
		if tok != tokens[0] {
			t.Fatal("callers got different tokens")
		}
	}
}

func TestOneTokenPerScopeSet(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	ctx := context.Background()
	for _, scopes := range [][]string{nil, {"bot"}, {"bot", "bot.message"}, {"bot.message", "bot"}, {"bot bot.message"}, {"bot.message,bot"}} {
		if _, err := c.Token(ctx, scopes); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenRequests(); n != 2 {
		t.Fatalf("%d token requests for two scope sets, want 2", n)
	}
}

func TestTokenIsReplacedBeforeItExpires(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	f.emu.SetClock(func() time.Time { return *clock.Load() })
	c := f.client(t, func(c *Config) { c.Now = func() time.Time { return *clock.Load() } })

	first, err := c.Token(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(24*time.Hour - 30*time.Second) // inside the expiry margin
	clock.Store(&later)
	second, err := c.Token(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.AccessToken == second.AccessToken || f.tokenRequests() != 2 {
		t.Fatalf("a token about to expire was reused (%d requests)", f.tokenRequests())
	}
}

func TestTokenErrorsCarryTheServiceCodeAndAHint(t *testing.T) {
	f := newFixture(t)
	limited := lineworkstest.TestKey(0)
	f.emu.Auth.RegisterApp(lineworkstest.App{ClientID: "limited", ClientSecret: "limited-secret", ServiceAccountID: testAccount, PublicKey: &limited.PublicKey, Scopes: []string{"bot"}})

	for _, tc := range []struct {
		name   string
		edit   func(*Config)
		scopes []string
		code   string
		hint   string
	}{
		{"wrong client secret", func(c *Config) { c.ClientSecret = "wrong-secret-value" }, nil, "invalid_client", "client_secret"},
		{"unknown client", func(c *Config) { c.ClientID = "nobody" }, nil, "invalid_client", "client_id"},
		{"scope not enabled", func(c *Config) { c.ClientID, c.ClientSecret = "limited", "limited-secret" }, []string{"bot", "user.read"}, "invalid_scope", "Developer Console"},
		{"unknown scope", nil, []string{"bot", "no.such.scope"}, "invalid_scope", "bot no.such.scope"},
		{"key of another app", func(c *Config) { c.PrivateKey = lineworkstest.TestKey(1) }, nil, "invalid_grant", "private_key"},
		{"service account of another app", func(c *Config) { c.ServiceAccountID = "other.serviceaccount@example.com" }, nil, "invalid_grant", "service_account_id"},
		{"clock far behind", func(c *Config) { c.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) } }, nil, "invalid_grant", "clock"},
		{"clock ahead", func(c *Config) { c.Now = func() time.Time { return time.Now().Add(10 * time.Minute) } }, nil, "invalid_grant", "clock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edits := []func(*Config){}
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			c := f.client(t, edits...)
			_, err := c.Token(context.Background(), tc.scopes)
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *TokenError", err)
			}
			if te.Code != tc.code || te.Description == "" {
				t.Errorf("code %q description %q, want %s", te.Code, te.Description, tc.code)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.hint) || !strings.Contains(msg, tc.code) {
				t.Errorf("error %q lacks %q", msg, tc.hint)
			}
			for _, secret := range []string{testClientSecret, "wrong-secret-value", "limited-secret", "eyJ"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error quotes a secret: %q", msg)
				}
			}
		})
	}
}

// LINE WORKS checks iat and exp against its own clock. The assertion's
// back-dated iat lets a clock up to 10 s ahead through; beyond that, or when
// the service's Date header is more than 30 s away, the error says by how
// much this machine's clock is off and what to do.
func TestClockSkewIsMeasuredAndReported(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset time.Duration // this machine's clock minus the service's
		edit   func(*Config)
		ok     bool
		want   []string
		absent []string
	}{
		{name: "in step", ok: true},
		{name: "8 s ahead", offset: 8 * time.Second, ok: true},
		{name: "59 min behind", offset: -59 * time.Minute, ok: true},
		{name: "15 s ahead", offset: 15 * time.Second, want: []string{"invalid_grant", "iat is in the future", "refused the assertion's iat or exp", "This machine's clock is 15s ahead of LINE WORKS's", "NTP"}},
		{name: "2 h behind", offset: -2 * time.Hour, want: []string{"invalid_grant", "JWT expired", "This machine's clock is 2h0m0s behind LINE WORKS's"}},
		{name: "wrong secret, 45 s behind", offset: -45 * time.Second, edit: func(c *Config) { c.ClientSecret = "wrong-secret-value" },
			want: []string{"invalid_client", "client_secret", "This machine's clock is 45s behind LINE WORKS's"}},
		{name: "wrong secret, 25 s behind", offset: -25 * time.Second, edit: func(c *Config) { c.ClientSecret = "wrong-secret-value" },
			want: []string{"invalid_client"}, absent: []string{"clock"}},
		{name: "wrong key, in step", edit: func(c *Config) { c.PrivateKey = lineworkstest.TestKey(1) },
			want: []string{"invalid_grant", "private_key"}, absent: []string{"behind", "ahead"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.emu.SetClock(func() time.Time { return fixedNow })
			edits := []func(*Config){func(c *Config) { c.Now = func() time.Time { return fixedNow.Add(tc.offset) } }}
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			_, err := f.client(t, edits...).Token(context.Background(), nil)
			if tc.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(err.Error(), a) {
					t.Errorf("error %q mentions %q", err, a)
				}
			}
		})
	}
}

// A token issued while the clocks are far apart works, and the log says the
// clock is off before assertions start failing.
func TestClockSkewOnSuccessIsLogged(t *testing.T) {
	f := newFixture(t)
	f.emu.SetClock(func() time.Time { return fixedNow })
	if _, err := f.client(t, func(c *Config) { c.Now = func() time.Time { return fixedNow.Add(-5 * time.Minute) } }).Token(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.log.text(), "WARN This machine's clock is 5m0s behind LINE WORKS's") {
		t.Fatalf("log:\n%s", f.log.text())
	}
}

func TestTokenNamesAMissingSettingWithoutSendingAnything(t *testing.T) {
	f := newFixture(t)
	for setting, edit := range map[Setting]func(*Config){
		SettingClientID:         func(c *Config) { c.ClientID = "" },
		SettingClientSecret:     func(c *Config) { c.ClientSecret = "" },
		SettingServiceAccountID: func(c *Config) { c.ServiceAccountID = "" },
		SettingPrivateKey:       func(c *Config) { c.PrivateKey = nil },
	} {
		_, err := f.client(t, edit).Token(context.Background(), nil)
		var missing *MissingSettingError
		if !errors.As(err, &missing) || missing.Setting != setting {
			t.Errorf("without %s: err = %v", setting, err)
		}
	}
	if n := len(f.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests sent with incomplete settings", n)
	}
}

func TestTokenEndpointFailuresAreRetriedThenReported(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
	}))
	defer srv.Close()
	f := newFixture(t)
	c := f.client(t, func(c *Config) { c.AuthEndpoint, c.MaxRetries = srv.URL, 2 })
	_, err := c.Token(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "HTTP 502") || !strings.Contains(err.Error(), "after 2 retries") {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d attempts, want 3", calls.Load())
	}
}

func TestRefreshGrant(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	refresh := f.emu.Auth.IssueRefreshToken(testClientID, "bot", "user.read")

	tok, err := c.Refresh(context.Background(), refresh)
	if err != nil {
		t.Fatal(err)
	}
	if !f.emu.Auth.TokenValid(tok.AccessToken) || tok.RefreshToken != refresh {
		t.Fatalf("refreshed token valid=%t, refresh token kept=%t", f.emu.Auth.TokenValid(tok.AccessToken), tok.RefreshToken == refresh)
	}
	form := f.emu.Requests.All()[0].Form
	if form.Get("grant_type") != "refresh_token" || form.Get("refresh_token") != refresh || form.Get("client_id") != testClientID || form.Has("assertion") {
		t.Errorf("refresh form has grant_type %q, client_id %q, right refresh_token %t, assertion %t", form.Get("grant_type"), form.Get("client_id"), form.Get("refresh_token") == refresh, form.Has("assertion"))
	}

	_, err = c.Refresh(context.Background(), "not-a-refresh-token")
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" || !strings.Contains(err.Error(), "90 days") {
		t.Fatalf("err = %v", err)
	}
}

func TestRefreshWithRotationReturnsTheNewRefreshToken(t *testing.T) {
	f := newFixture(t)
	key := lineworkstest.TestKey(0)
	f.emu.Auth.RegisterApp(lineworkstest.App{ClientID: "rotating", ClientSecret: "rs", ServiceAccountID: testAccount, PublicKey: &key.PublicKey, RotateRefreshTokens: true})
	c := f.client(t, func(c *Config) { c.ClientID, c.ClientSecret = "rotating", "rs" })
	old := f.emu.Auth.IssueRefreshToken("rotating", "bot")
	tok, err := c.Refresh(context.Background(), old)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.RefreshToken == old {
		t.Fatal("no new refresh token came back")
	}
	// A new client, as in Terraform's next phase: this one would share its result.
	next := f.client(t, func(c *Config) { c.ClientID, c.ClientSecret = "rotating", "rs" })
	if _, err := next.Refresh(context.Background(), old); err == nil {
		t.Fatal("the rotated-out refresh token still works")
	}
}

func TestRevokeInvalidatesAndForgetsTheToken(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	ctx := context.Background()
	tok, err := c.Token(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Revoke(ctx, tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	if f.emu.Auth.TokenValid(tok.AccessToken) {
		t.Fatal("the token still works after Revoke")
	}
	next, err := c.Token(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if next.AccessToken == tok.AccessToken {
		t.Fatal("the revoked token is still cached")
	}
	form := f.emu.Requests.All()[1].Form
	if form.Get("token") != tok.AccessToken || form.Get("client_secret") != testClientSecret {
		t.Error("revoke request lacks the token or client credentials")
	}
}

func TestRevokeReportsARefusal(t *testing.T) {
	f := newFixture(t)
	err := f.client(t, func(c *Config) { c.ClientSecret = "wrong" }).Revoke(context.Background(), "whatever")
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_client" {
		t.Fatalf("err = %v", err)
	}
}

func TestSecondsAcceptsStringsAndNumbers(t *testing.T) {
	for in, want := range map[string]seconds{`"86400"`: 86400, `86400`: 86400, `3600.0`: 3600, `"3600"`: 3600, `null`: 0, `""`: 0} {
		var s seconds
		if err := s.UnmarshalJSON([]byte(in)); err != nil || s != want {
			t.Errorf("%s: got %d, %v", in, s, err)
		}
	}
	var s seconds
	if err := s.UnmarshalJSON([]byte(`"soon"`)); err == nil {
		t.Error(`"soon" was accepted`)
	}
}

// With rotation on, a second refresh with the same token would be refused:
// callers in one process share the first one's result.
func TestRefreshIsSharedByCallersWithTheSameToken(t *testing.T) {
	f := newFixture(t)
	key := lineworkstest.TestKey(0)
	f.emu.Auth.RegisterApp(lineworkstest.App{ClientID: "rotating", ClientSecret: "rs", ServiceAccountID: testAccount, PublicKey: &key.PublicKey, RotateRefreshTokens: true})
	c := f.client(t, func(c *Config) { c.ClientID, c.ClientSecret = "rotating", "rs" })
	refresh := f.emu.Auth.IssueRefreshToken("rotating", "bot")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Refresh(context.Background(), refresh); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := f.tokenRequests(); n != 1 {
		t.Fatalf("%d refresh requests for one refresh token, want 1", n)
	}
}
