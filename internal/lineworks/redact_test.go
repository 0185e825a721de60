package lineworks

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The secrets of the redaction tests: a refresh token and an access token
// in LINE WORKS's alphabet (+, /, =, a .suffix), a client secret, and one
// with a space and control characters, whose collapsed form ("pass
// phrase with bell") is what reaches a message once blanks are folded.
var redactionSecrets = []string{
	"jp1AAAB+refresh/token==",
	"🔑 key outside the BMP",
	"jp1AAABbearer+token/value==.3f2a",
	"s3cr3t-client-secret",
	"pass phrase\twith\x07bell",
}

// Encodings a service may echo a secret in.
var secretEncodings = map[string]func(string) string{
	"as sent":           func(s string) string { return s },
	"query-escaped":     url.QueryEscape,
	"path-escaped":      url.PathEscape,
	"every byte as %xx": func(s string) string { return percentEveryByte(s, "%%%02x") },
	"every byte as %XX": func(s string) string { return percentEveryByte(s, "%%%02X") },
	"JSON-escaped":      jsonEscaped,
	`JSON, / as \/`:     func(s string) string { return strings.ReplaceAll(jsonEscaped(s), "/", `\/`) },
	`JSON, every character as \u00xx`: func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
		return b.String()
	},
	`JSON, + as \u002B`:          func(s string) string { return strings.ReplaceAll(jsonEscaped(s), "+", `\u002B`) },
	"JSON-escaped query-escaped": func(s string) string { return jsonEscaped(url.QueryEscape(s)) },
	"query-escaped JSON-escaped": func(s string) string { return url.QueryEscape(jsonEscaped(s)) },
	"query-escaped twice":        func(s string) string { return url.QueryEscape(url.QueryEscape(s)) },
	"half escaped, half not": func(s string) string {
		half := len(s) / 2
		for half > 0 && !utf8.RuneStart(s[half]) {
			half--
		}
		return url.QueryEscape(s[:half]) + strings.ReplaceAll(jsonEscaped(s[half:]), "/", `\/`)
	},
	`JSON, outside the BMP as surrogate pairs`: func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
				fmt.Fprintf(&b, `\u%04X\u%04X`, r1, r2)
			} else {
				b.WriteString(jsonEscaped(string(r)))
			}
		}
		return b.String()
	},
	"collapsed":          flatten,
	"base64":             func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
	"base64, URL":        func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) },
	"base64 at offset 1": func(s string) string { return base64.StdEncoding.EncodeToString([]byte("c:" + s)) },
	"base64 at offset 2": func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte("id:" + s + ":x")) },
	"base64, URL-escaped": func(s string) string {
		return url.QueryEscape(base64.StdEncoding.EncodeToString([]byte("Basic " + s)))
	},
}

func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1]) // without the quotes around it
}

func percentEveryByte(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// A secret echoed in any of the encodings a service may use is taken out
// of the service's words, and the words around it stay.
func TestServiceTextRedactsEveryEncodingOfASecret(t *testing.T) {
	for _, secret := range redactionSecrets {
		for name, encode := range secretEncodings {
			echoed := encode(secret)
			for _, text := range []string{
				"the token " + echoed + " is unknown",
				`{"error":"invalid_grant","echo":"` + echoed + `"}`,
				"refresh_token=" + echoed + "&client_id=abc",
			} {
				got := serviceText(text, redactionSecrets)
				for _, leaked := range append(SecretForms(secret), secret, flatten(secret), echoed) {
					if len(leaked) >= minSecretLength && strings.Contains(got, leaked) {
						t.Errorf("%s, %q: %q quotes %q", name, secret, got, leaked)
					}
				}
				if !strings.Contains(got, "[redacted]") {
					t.Errorf("%s, %q: nothing redacted in %q", name, secret, got)
				}
			}
		}
	}
}

// Only the secret goes: the words before and after it stay as they were.
func TestServiceTextKeepsTheWordsAroundASecret(t *testing.T) {
	for text, want := range map[string]string{
		"the token jp1AAAB%2Brefresh%2Ftoken%3D%3D is unknown":                          "the token [redacted] is unknown",
		`token \"jp1AAABbearer+token\/value==.3f2a\" refused`:                           `token \"[redacted]\" refused`,
		"client_secret=s3cr3t-client-secret&grant_type=refresh_token":                   "client_secret=[redacted]&grant_type=refresh_token",
		"Basic " + base64.StdEncoding.EncodeToString([]byte("id:s3cr3t-client-secret")): "Basic aWQ6[redacted]Q=", // Q holds 2 of its bits
		"pass phrase\t\twith  bell, at 100% and \\n a + sign":                           "[redacted], at 100% and \\n a + sign",
		"no secret here: a%2Fb \\u0041 Zm9vYmFy":                                        "no secret here: a%2Fb \\u0041 Zm9vYmFy",
	} {
		if got := serviceText(text, redactionSecrets); got != want {
			t.Errorf("serviceText(%q)\n = %q\nwant %q", text, got, want)
		}
	}
}

// A secret too short to tell from ordinary words is not looked for, so
// that a message stays readable.
func TestShortSecretsAreNotLookedFor(t *testing.T) {
	if got := serviceText("abc is fine", []string{"abc"}); got != "abc is fine" {
		t.Fatalf("got %q", got)
	}
}

// SecretForms gives what a log that masks literal strings must mask: the
// secret, its URL and JSON escapes, and its base64 fragments.
func TestSecretForms(t *testing.T) {
	forms := SecretForms("jp1AAAB+refresh/token==")
	for _, want := range []string{
		"jp1AAAB+refresh/token==",
		"jp1AAAB%2Brefresh%2Ftoken%3D%3D",
		`jp1AAAB+refresh\/token==`,
		base64.RawStdEncoding.EncodeToString([]byte("jp1AAAB+refresh/token==")),
	} {
		found := false
		for _, f := range forms {
			found = found || strings.Contains(want, f) && len(f) >= len(want)*3/4
		}
		if !found {
			t.Errorf("SecretForms lacks %q: %q", want, forms)
		}
	}
	if SecretForms("abc") != nil {
		t.Error("a secret too short to look for has forms")
	}
}

// Through the client: a token endpoint that echoes the refresh token
// URL-encoded (as a proxy echoing the form would), and an API host that
// echoes the bearer token JSON-escaped in a page that is not the expected
// JSON, get neither into the error nor into the log.
func TestEchoedCredentialsStayOutOfErrorsAndLogs(t *testing.T) {
	const refresh = "jp1AAAB+refresh/token=="
	const bearer = "jp1AAABbearer+token/value==.3f2a"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(r.URL.Path, "/oauth2/") {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, "bad request: %s", body) // refresh_token=jp1AAAB%2Brefresh%2Ftoken%3D%3D&…
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		_, _ = fmt.Fprintf(w, `<html><script>var auth = {"token":"%s"};</script></html>`, strings.ReplaceAll(jsonEscaped(tok), "/", `\/`))
	}))
	defer echo.Close()
	f := newFixture(t)
	c := f.client(t, func(cfg *Config) { cfg.AuthEndpoint, cfg.APIEndpoint, cfg.MaxRetries = echo.URL, echo.URL+"/v1.0", 0 })
	_, err := c.Refresh(context.Background(), refresh)
	static := f.client(t, func(cfg *Config) { cfg.APIEndpoint, cfg.AccessToken, cfg.MaxRetries = echo.URL+"/v1.0", bearer, 0 })
	_, apiErr := static.GetBot(context.Background(), 2000001)
	for _, e := range []error{err, apiErr} {
		if e == nil {
			t.Fatal("no error")
		}
		for _, secret := range []string{refresh, bearer, testClientSecret} {
			for _, form := range SecretForms(secret) {
				if strings.Contains(e.Error(), form) {
					t.Errorf("%q quotes %q", e, form)
				}
			}
		}
		if !strings.Contains(e.Error(), "[redacted]") {
			t.Errorf("%q: the echo was not quoted at all, so this test proves nothing", e)
		}
	}
	f.log.assertNoSecrets(t, append(append(SecretForms(refresh), SecretForms(bearer)...), SecretForms(testClientSecret)...)...)
}

// newAuthorizedRequest is the last guard against a token leaving LINE
// WORKS: whatever a caller asks, a request with the token is never built
// for a host that is neither LINE WORKS's nor a configured endpoint, nor
// for plain http beyond loopback, and nothing is sent there.
func TestTheLastGuardNeverSendsTheTokenToAnUntrustedHost(t *testing.T) {
	var sent atomic.Int32 // requests that got as far as the transport
	f := newFixture(t)
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(*http.Request) (*http.Response, error) {
			sent.Add(1)
			return nil, errors.New("this test sends nothing")
		})
	})
	tok := &Token{}
	tok.AccessToken, tok.TokenType = "jp1AAABbearer+token/value==.3f2a", "Bearer"
	for _, raw := range []string{
		"http://127.0.0.1:1/v1.0/bots",            // loopback, but not a configured endpoint
		"https://evil.example.com/v1.0/bots",      // another domain
		"https://worksmobile.com.evil.example/x",  // a look-alike
		"http://www.worksapis.com/v1.0/bots",      // a LINE WORKS host over plain http
		"https://www.worksapis.com:8443.evil.io/", // a port trick
	} {
		u, err := url.Parse(raw)
		if err != nil {
			continue // not even a URL
		}
		resp, err := c.get(context.Background(), u, tok)
		if resp != nil {
			resp.Body.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "refusing to send the access token") {
			t.Errorf("%s: err = %v", raw, err)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Fatalf("%d requests carrying the token were sent to untrusted hosts", n)
	}
	// The same guard lets the configured endpoints and LINE WORKS hosts through.
	for _, raw := range []string{f.emu.APIURL() + "/bots", "https://www.worksapis.com/v1.0/bots", "https://jp1-apis-storage.worksmobile.com/k/emsg/r/x"} {
		u, _ := url.Parse(raw)
		if _, err := c.newAuthorizedRequest(context.Background(), http.MethodGet, u, nil, tok); err != nil {
			t.Errorf("%s was refused: %v", raw, err)
		}
	}
}
