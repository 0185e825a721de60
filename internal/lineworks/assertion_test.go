package lineworks

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

var fixedNow = time.Date(2026, 11, 22, 3, 14, 15, 900_000_000, time.UTC)

func newOfflineClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return fixedNow }
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func decodeSegment(t *testing.T, jwtText string, i int) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(jwtText, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignServiceAccountAssertionHasTheDocumentedShape(t *testing.T) {
	key := lineworkstest.TestKey(0)
	c := newOfflineClient(t, Config{ClientID: "client-1", ServiceAccountID: "abc.serviceaccount@example.com", PrivateKey: key})

	a, err := c.SignServiceAccountAssertion("", "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(decodeSegment(t, a.JWT, 0)); got != `{"alg":"RS256","typ":"JWT"}` {
		t.Errorf("header = %s", got)
	}
	// iat is the current second rounded down, then back-dated 10 s as
	// x/oauth2's jws does: a clock up to 10 s ahead of the server's is not
	// refused. exp stays within 60 minutes of iat, so it is within 60
	// minutes of the server's clock too.
	wantIAT := fixedNow.Truncate(time.Second).Unix() - 10
	want := `{"iss":"client-1","sub":"abc.serviceaccount@example.com","exp":` + strconv.FormatInt(wantIAT+3600, 10) + `,"iat":` + strconv.FormatInt(wantIAT, 10) + `}`
	if got := string(decodeSegment(t, a.JWT, 1)); got != want {
		t.Errorf("claims = %s\nwant     %s", got, want)
	}
	if !a.IssuedAt.Equal(time.Unix(wantIAT, 0)) || !a.ExpiresAt.Equal(time.Unix(wantIAT+3600, 0)) {
		t.Errorf("IssuedAt, ExpiresAt = %v, %v", a.IssuedAt, a.ExpiresAt)
	}
	if a.Issuer != "client-1" || a.Subject != "abc.serviceaccount@example.com" {
		t.Errorf("Issuer, Subject = %q, %q", a.Issuer, a.Subject)
	}
	_, err = jwt.Parse(a.JWT, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return fixedNow }))
	if err != nil {
		t.Errorf("signature does not verify with the public key: %v", err)
	}
}

// exp is the lifetime from now, capped at 60 minutes after the back-dated iat.
func TestAssertionLifetimeCountsFromNow(t *testing.T) {
	c := newOfflineClient(t, Config{ClientID: "c", ServiceAccountID: "s", PrivateKey: lineworkstest.TestKey(0)})
	now := fixedNow.Truncate(time.Second)
	for lifetime, wantExp := range map[time.Duration]time.Time{
		time.Second:      now.Add(time.Second),
		10 * time.Minute: now.Add(10 * time.Minute),
		59 * time.Minute: now.Add(59 * time.Minute),
		time.Hour:        now.Add(time.Hour - 10*time.Second),
	} {
		a, err := c.SignServiceAccountAssertion("", "", lifetime)
		if err != nil {
			t.Fatal(err)
		}
		if !a.IssuedAt.Equal(now.Add(-10*time.Second)) || !a.ExpiresAt.Equal(wantExp) || a.ExpiresAt.Sub(a.IssuedAt) > MaxAssertionLifetime {
			t.Errorf("lifetime %v: iat %v exp %v, want exp %v", lifetime, a.IssuedAt, a.ExpiresAt, wantExp)
		}
	}
}

func TestSignServerAssertionHasNoSubject(t *testing.T) {
	c := newOfflineClient(t, Config{ServerID: "46c4f281f81148c9b846c59262ae5888", PrivateKey: lineworkstest.TestKey(0)})
	a, err := c.SignServerAssertion("", 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(decodeSegment(t, a.JWT, 1), &claims); err != nil {
		t.Fatal(err)
	}
	if _, ok := claims["sub"]; ok || claims["iss"] != "46c4f281f81148c9b846c59262ae5888" || len(claims) != 3 {
		t.Fatalf("claims = %v, want iss, iat and exp only", claims)
	}
}

func TestSignAssertionRefusesWhatLINEWORKSWouldRefuse(t *testing.T) {
	c := newOfflineClient(t, Config{ClientID: "c", ServiceAccountID: "s", PrivateKey: lineworkstest.TestKey(0)})
	for _, lifetime := range []time.Duration{0, time.Hour + time.Second, 2 * time.Hour} {
		if _, err := c.SignServiceAccountAssertion("", "", lifetime); err == nil || !strings.Contains(err.Error(), "between 1 and 3600 seconds") {
			t.Errorf("lifetime %v: err = %v", lifetime, err)
		}
	}
}

func TestSignAssertionNamesTheMissingSetting(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want Setting
	}{
		{Config{ClientID: "c", ServiceAccountID: "s"}, SettingPrivateKey},
		{Config{ServiceAccountID: "s", PrivateKey: lineworkstest.TestKey(0)}, SettingClientID},
		{Config{ClientID: "c", PrivateKey: lineworkstest.TestKey(0)}, SettingServiceAccountID},
	} {
		_, err := newOfflineClient(t, tc.cfg).SignServiceAccountAssertion("", "", time.Hour)
		var missing *MissingSettingError
		if !errors.As(err, &missing) || missing.Setting != tc.want {
			t.Errorf("err = %v, want missing %s", err, tc.want)
		}
	}
	_, err := newOfflineClient(t, Config{PrivateKey: lineworkstest.TestKey(0)}).SignServerAssertion("", time.Minute)
	var missing *MissingSettingError
	if !errors.As(err, &missing) || missing.Setting != SettingServerID {
		t.Errorf("server assertion without server ID: err = %v", err)
	}
}
