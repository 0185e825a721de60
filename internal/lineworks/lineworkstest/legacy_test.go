package lineworkstest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const (
	legacyAPIID    = "jp1PrJVEbjpFi"
	legacyServerID = "46c4f281f81148c9b846c59262ae5888"
)

func legacyForm(assertion string) url.Values {
	return url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}
}

func TestLegacyServerToken(t *testing.T) {
	s := newServer(t)
	key := lineworkstest.TestKey(2)
	s.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: legacyAPIID, ServerID: legacyServerID, PublicKey: &key.PublicKey})
	tokenURL := s.AuthURL() + "/b/" + legacyAPIID + "/server/token"

	// The document's example: issued 2017-04-18 17:37:52 (UTC+9), 30 minutes.
	iat := time.Date(2017, 4, 18, 8, 37, 52, 0, time.UTC)
	claims := jwt.MapClaims{"iss": legacyServerID, "iat": iat.Unix(), "exp": iat.Add(30 * time.Minute).Unix()}
	assertion := sign(t, jwt.SigningMethodRS256, key, claims)
	s.SetClock(func() time.Time { return iat.Add(time.Minute) })

	// The document's request: percent-encoded grant_type, charset parameter.
	body := "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion
	req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	r := do(t, noRedirect, req)
	if r.status != 200 || r.body["token_type"] != "Bearer" || r.body["expires_in"] != float64(86400) {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	first := r.body["access_token"].(string)
	if !s.Auth.TokenValid(first) {
		t.Error("server token is not valid")
	}

	// A reissue invalidates the previous server token.
	r = postForm(t, tokenURL, legacyForm(assertion))
	if r.status != 200 {
		t.Fatalf("reissue: %d %s", r.status, r.raw)
	}
	if s.Auth.TokenValid(first) || !s.Auth.TokenValid(r.body["access_token"].(string)) {
		t.Error("reissue did not replace the server token")
	}

	// The document's error example, exactly.
	s.SetClock(func() time.Time { return time.Date(2017, 4, 19, 14, 27, 52, 480e6, time.UTC) })
	expired := sign(t, jwt.SigningMethodRS256, key, jwt.MapClaims{
		"iss": legacyServerID,
		"iat": time.Date(2017, 4, 19, 13, 27, 58, 0, time.UTC).Unix(),
		"exp": time.Date(2017, 4, 19, 13, 57, 58, 0, time.UTC).Unix(),
	})
	r = postForm(t, tokenURL, legacyForm(expired))
	want := `{"code":"31","detail":"JWT expired at 2017-04-19T13:57:58Z. Current time: 2017-04-19T14:27:52Z, a difference of 1794480 milliseconds. Allowed clock skew: 0 milliseconds.","message":"jwt already expired"}`
	if r.status != 400 || string(r.raw) != want {
		t.Errorf("got %d %s\nwant 400 %s", r.status, r.raw, want)
	}
}

func TestLegacyServerTokenErrors(t *testing.T) {
	s := newServer(t)
	fixClock(s)
	key := lineworkstest.TestKey(2)
	s.Legacy.RegisterServer(lineworkstest.LegacyServer{APIID: legacyAPIID, ServerID: legacyServerID, PublicKey: &key.PublicKey})
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": legacyServerID, "iat": fixedNow.Unix(), "exp": fixedNow.Add(30 * time.Minute).Unix()}
		edit(c)
		return c
	}
	good := sign(t, jwt.SigningMethodRS256, key, claims(func(jwt.MapClaims) {}))
	tokenURL := s.AuthURL() + "/b/" + legacyAPIID + "/server/token"
	tests := []struct {
		name    string
		url     string
		form    url.Values
		status  int
		code    string
		message string
	}{
		{"future", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iat"] = fixedNow.Unix() + 5 }))), 400, "32", "jwt issued in the future"},
		{"unknown API ID", s.AuthURL() + "/b/other/server/token", legacyForm(good), 401, "41", "invalid api id"},
		{"unknown server ID", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["iss"] = strings.Repeat("0", 32) }))), 401, "42", "invalid server id"},
		{"bad signature", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, lineworkstest.TestKey(0), claims(func(jwt.MapClaims) {}))), 401, "43", "jwt signature does not match"},
		{"HS256", tokenURL, legacyForm(sign(t, jwt.SigningMethodHS256, []byte("k"), claims(func(jwt.MapClaims) {}))), 400, "30", "invalid jwt"},
		{"no exp", tokenURL, legacyForm(sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { delete(c, "exp") }))), 400, "30", "invalid jwt"},
		{"grant type", tokenURL, url.Values{"grant_type": {"client_credentials"}, "assertion": {good}}, 400, "12", "unsupported grant type"},
		{"no assertion", tokenURL, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}}, 400, "11", "invalid request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postForm(t, tt.url, tt.form)
			if r.status != tt.status || r.body["code"] != tt.code || r.body["message"] != tt.message || r.body["detail"] == "" {
				t.Errorf("got %d %s, want %d code %s %q", r.status, r.raw, tt.status, tt.code, tt.message)
			}
		})
	}

	// A sub claim is ignored.
	withSub := sign(t, jwt.SigningMethodRS256, key, claims(func(c jwt.MapClaims) { c["sub"] = "whatever" }))
	if r := postForm(t, tokenURL, legacyForm(withSub)); r.status != 200 {
		t.Errorf("sub: %d %s", r.status, r.raw)
	}
	// Server tokens are not API 2.0 tokens.
	r := postForm(t, tokenURL, legacyForm(good))
	s.Storage.AddAttachment(botID, fileID, lineworkstest.Attachment{Content: []byte("x")})
	wantAPIError(t, get(t, noRedirect, attachmentURL(s, botID, fileID), r.body["access_token"].(string)), 401, "UNAUTHORIZED")
}

func TestLegacyServiceRefresh(t *testing.T) {
	s := newServer(t)
	s.Legacy.RegisterConsumer(lineworkstest.LegacyConsumer{APIID: legacyAPIID, ConsumerKey: "LQwDde6x8eV4ROOCOdSW"})
	refresh := s.Legacy.IssueRefreshToken(legacyAPIID, "LQwDde6x8eV4ROOCOdSW")
	refreshURL := s.AuthURL() + "/ba/" + legacyAPIID + "/service/token/refresh"

	r := postForm(t, refreshURL, url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {refresh}})
	if r.status != 200 || r.body["errorCode"] != "00" || r.body["expire_in"] != "604800" || !s.Auth.TokenValid(r.body["access_token"].(string)) {
		t.Fatalf("POST: %d %s", r.status, r.raw)
	}
	r = get(t, noRedirect, refreshURL+"?"+url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {refresh}}.Encode(), "")
	if r.status != 200 || r.body["errorCode"] != "00" {
		t.Fatalf("GET: %d %s", r.status, r.raw)
	}

	for _, tt := range []struct {
		name string
		form url.Values
		code string
	}{
		{"unknown consumer key", url.Values{"client_id": {"other"}, "refresh_token": {refresh}}, "107"},
		{"no refresh token", url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}}, "107"},
		{"unknown refresh token", url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {"nope"}}, "502"},
		{"2.0 refresh token", url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {s.Auth.IssueRefreshToken(clientID)}}, "502"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := postForm(t, refreshURL, tt.form)
			if r.status != 200 || string(r.raw) != `{"errorCode":"`+tt.code+`"}` {
				t.Errorf("got %d %s, want errorCode %s", r.status, r.raw, tt.code)
			}
		})
	}

	s.Legacy.SetServiceErrorCode("99")
	good := url.Values{"client_id": {"LQwDde6x8eV4ROOCOdSW"}, "refresh_token": {refresh}}
	if r := postForm(t, refreshURL, good); r.body["errorCode"] != "99" {
		t.Errorf("forced: %s", r.raw)
	}
	if r := postForm(t, refreshURL, good); r.body["errorCode"] != "00" {
		t.Errorf("after forced: %s", r.raw)
	}
}
