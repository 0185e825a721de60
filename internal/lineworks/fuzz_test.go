package lineworks

// Fuzz targets for every parser that meets input from outside: private keys,
// file IDs and the URLs derived from them, Content-Disposition file names,
// token responses and the service's error bodies. Each asserts properties,
// not only the absence of a panic. `go test` runs the seed corpora under
// testdata/fuzz; `make fuzz` runs each target for FUZZTIME.

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// base64Run matches text that could be key material: 24 or more characters
// of the base64 alphabet in a row.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/=]{24,}`)

// keyMaterial returns every 24-character window of base64-alphabet text in
// the input's lines, labels (-----BEGIN …) aside.
func keyMaterial(input []byte) []string {
	var windows []string
	for _, line := range strings.FieldsFunc(string(input), func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimSpace(line), "-----") {
			continue
		}
		for _, run := range base64Run.FindAllString(line, -1) {
			for i := 0; i+24 <= len(run); i++ {
				windows = append(windows, run[i:i+24])
			}
		}
	}
	return windows
}

// A parsed key is a usable RSA key of at least 2048 bits; otherwise the
// error names the problem. No error ever quotes the input's key material.
func FuzzParsePrivateKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, input []byte) {
		key, err := ParsePrivateKey(input)
		if err == nil {
			if key.N.BitLen() < MinKeyBits {
				t.Fatalf("accepted a %d-bit key", key.N.BitLen())
			}
			if err := key.Validate(); err != nil {
				t.Fatalf("accepted an invalid key: %v", err)
			}
			digest := sha256.Sum256([]byte("header.claims"))
			sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
			if err != nil {
				t.Fatalf("the parsed key cannot sign: %v", err)
			}
			if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
				t.Fatalf("the parsed key's signature does not verify: %v", err)
			}
			return
		}
		msg := err.Error()
		named := errors.Is(err, ErrKeyNotPEM) || errors.Is(err, ErrKeyEncrypted) || errors.Is(err, ErrKeyNotRSA) || errors.Is(err, ErrKeyTooSmall) ||
			strings.HasPrefix(msg, "the PEM text holds ") || strings.HasPrefix(msg, "the PEM block is ") || strings.HasPrefix(msg, "the private key could not be parsed")
		if !named {
			t.Fatalf("the error does not name the problem: %q", msg)
		}
		for _, w := range keyMaterial(input) {
			if strings.Contains(msg, w) {
				t.Fatalf("the error quotes key material %q: %q", w, msg)
			}
		}
	})
}

// A valid file ID's derived URL is always on the storage host, under
// /k/emsg/r/, with no dot segment, query or fragment, and holds exactly the
// file ID; an invalid one derives nothing.
func FuzzAttachmentURL(f *testing.F) {
	f.Fuzz(func(t *testing.T, fileID, endpoint string) {
		valid := ValidateFileID(fileID) == nil
		for _, ep := range []string{DefaultStorageEndpoint, endpoint} {
			base, err := ParseEndpoint(ep)
			if err != nil {
				if _, err := AttachmentURL(ep, fileID); err == nil {
					t.Fatalf("AttachmentURL accepted the endpoint %q that ParseEndpoint refuses", ep)
				}
				continue
			}
			raw, err := AttachmentURL(ep, fileID)
			if !valid {
				if err == nil {
					t.Fatalf("derived %q from the invalid file ID %q", raw, fileID)
				}
				continue
			}
			if err != nil {
				t.Fatalf("AttachmentURL(%q, %q): %v", ep, fileID, err)
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatalf("%q does not parse: %v", raw, err)
			}
			prefix := base.Path + "/k/emsg/r/"
			if u.Scheme != base.Scheme || u.Host != base.Host || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
				t.Fatalf("%q left the storage host %s", raw, base.Host)
			}
			if !strings.HasPrefix(u.Path, prefix) || !strings.HasPrefix(u.EscapedPath(), base.EscapedPath()+"/k/emsg/r/") {
				t.Fatalf("%q is not under %s", raw, prefix)
			}
			if cleaned := path.Clean(u.Path) + "/"; cleaned != u.Path {
				t.Fatalf("%q has dot segments or empty segments (%q once cleaned)", raw, cleaned)
			}
			if resolved := u.ResolveReference(&url.URL{}); resolved.Path != u.Path {
				t.Fatalf("%q resolves to %q", raw, resolved.Path)
			}
			rest := strings.Split(strings.TrimSuffix(strings.TrimPrefix(u.Path, prefix), "/"), "/")
			if len(rest) != 2 || rest[0]+"."+rest[1] != fileID {
				t.Fatalf("%q does not hold the file ID %q as region/rest", raw, fileID)
			}
		}
	})
}

// checkFileName fails unless name is safe as a file name.
func checkFileName(t *testing.T, input, name string) {
	t.Helper()
	switch {
	case !utf8.ValidString(name):
		t.Fatalf("%q gave a name that is not UTF-8: %q", input, name)
	case strings.ContainsAny(name, `/\`):
		t.Fatalf("%q gave a name with a path separator: %q", input, name)
	case strings.Contains(name, ".."):
		t.Fatalf("%q gave a name with '..': %q", input, name)
	case name == ".":
		t.Fatalf("%q gave the name '.'", input)
	case len(name) > maxFileNameBytes:
		t.Fatalf("%q gave a name of %d bytes", input, len(name))
	case strings.TrimSpace(name) != name:
		t.Fatalf("%q gave a name with surrounding blanks: %q", input, name)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			t.Fatalf("%q gave a name with the control character %U: %q", input, r, name)
		}
	}
}

// Whatever the header, the file name is safe to use as one.
func FuzzFileNameFromContentDisposition(f *testing.F) {
	f.Fuzz(func(t *testing.T, header string) {
		checkFileName(t, header, fileNameFrom(header))
	})
}

// A name sent in any of the forms the storage host may use comes back the
// same, made safe; a plain (not filename*) name is percent-decoded when
// that gives UTF-8.
func FuzzFileNameForms(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string) {
		if name == "" || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
			return // no header can carry these as such (an empty filename* falls back to filename)
		}
		extended := safeFileName(name)
		plain := name
		if percentEscape.MatchString(name) {
			if decoded, err := url.PathUnescape(name); err == nil && utf8.ValidString(decoded) {
				plain = decoded
			}
		}
		plain = safeFileName(plain)
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)
		forms := map[string]string{
			`attachment; filename="fallback"; filename*=UTF-8''` + percentEncodeAll(name): extended,
			`attachment; filename*=UTF-8''` + percentEncodeAll(name):                      extended,
			`attachment; filename="` + quoted + `"`:                                       plain,
			`attachment; filename="` + percentEncodeAll(name) + `"`:                       extended,
		}
		if !strings.ContainsAny(name, `;"\`) && strings.TrimSpace(name) == name && name != "" {
			forms[`attachment; filename=`+name] = plain
		}
		for header, want := range forms {
			got := fileNameFrom(header)
			checkFileName(t, header, got)
			if got != want {
				t.Fatalf("%q gave %q, want %q", header, got, want)
			}
		}
	})
}

// percentEncodeAll encodes every byte that is not alphanumeric.
func percentEncodeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

// fixedMessages is every fixed text parseTokenResponse and its callers may
// say: a string value that is part of them is not proof of a leak.
const fixedMessages = "the body (bytes) is not JSON; check auth_endpoint " +
	"the body is not the expected JSON object (access_token, token_type, expires_in…); check auth_endpoint " +
	"the answer has no access_token; check auth_endpoint " +
	"expires_in is neither a number nor a numeric string expires_in is not a number expires_in is negative"

// stringValues returns every string in a JSON document, keys included.
func stringValues(body []byte) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				out = append(out, k)
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// A token response gives a token with a sane expiry, or an error that never
// quotes the body: it holds the tokens.
func FuzzTokenResponse(f *testing.F) {
	issuedAt := time.Date(2026, 11, 22, 3, 14, 15, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		tr, err := parseTokenResponse(body, nil)
		if err == nil {
			tok := tr.token(issuedAt)
			switch {
			case tok.AccessToken == "":
				t.Fatal("a token without access_token")
			case tok.ExpiresIn < 0 || time.Duration(tok.ExpiresIn)*time.Second > maxExpiresIn:
				t.Fatalf("expires_in %d", tok.ExpiresIn)
			case !tok.Expiry.IsZero() && (tok.Expiry.Before(issuedAt) || tok.Expiry.After(issuedAt.Add(maxExpiresIn))):
				t.Fatalf("expiry %v for a token issued at %v", tok.Expiry, issuedAt)
			case tok.ExpiresIn > 0 && tok.Expiry.IsZero():
				t.Fatalf("expires_in %d without an expiry", tok.ExpiresIn)
			}
			return
		}
		msg := err.Error()
		for _, v := range stringValues(body) {
			if len(v) >= 4 && strings.Contains(msg, v) && !strings.Contains(fixedMessages, v) {
				t.Fatalf("the error %q quotes %q from the body", msg, v)
			}
		}
	})
}

// The secrets a request carried, which an error body may echo. The client
// secret holds a space and control characters, so that its collapsed form
// ("s3cr3t client secret") is what a message would show.
const (
	fuzzAssertion    = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJjbGllbnQtMSJ9.c2lnbmF0dXJl"
	fuzzClientSecret = "s3cr3t client\t\x07secret"
	fuzzRefresh      = "jp1AAAB+refresh/token=="
	fuzzBearer       = "jp1AAABbearer+token/value==.3f2a"
)

// completeJWT is a JWT with its three parts.
var completeJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// checkErrorText fails unless msg is fit for a diagnostic: UTF-8, no
// control characters, bounded, and none of the request's secrets, in any
// of the forms SecretForms lists nor collapsed.
func checkErrorText(t *testing.T, kind, msg string, secrets ...string) {
	t.Helper()
	if !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) {
		t.Fatalf("%s error is not printable text: %q", kind, msg)
	}
	if len(msg) > 2000 {
		t.Fatalf("%s error of %d bytes", kind, len(msg))
	}
	for _, s := range secrets {
		for _, form := range append(SecretForms(s), flatten(s)) {
			if len(form) >= minSecretLength && strings.Contains(msg, form) {
				t.Fatalf("%s error quotes the secret %q as %q: %q", kind, s, form, msg)
			}
		}
	}
	if completeJWT.MatchString(msg) {
		t.Fatalf("%s error holds a JWT: %q", kind, msg)
	}
}

// The service's error bodies, token endpoint, API and API 1.0 alike, become
// bounded, printable messages that never echo a secret of the request.
func FuzzErrorBodies(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		te := parseTokenError(status, body, fuzzAssertion, fuzzClientSecret, fuzzRefresh)
		te.Hint = tokenErrorHint(te.Code, grantTypeJWTBearer, []string{"bot"})
		checkErrorText(t, "token", te.Error(), fuzzAssertion, fuzzClientSecret, fuzzRefresh)

		req, _ := http.NewRequest(http.MethodGet, "https://www.worksapis.com/v1.0/bots/1/attachments/jp1.2", nil)
		req.Header.Set("Authorization", "Bearer "+fuzzBearer)
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Request: req}
		checkErrorText(t, "API", parseAPIError(resp, body).Error(), fuzzBearer)

		checkErrorText(t, "API 1.0", parseLegacyError(status, body, fuzzAssertion).Error(), fuzzAssertion)

		var reply struct {
			ErrorCode string `json:"errorCode"`
		}
		if json.Unmarshal(body, &reply) == nil {
			checkErrorText(t, "service token", newServiceTokenError(reply.ErrorCode, fuzzRefresh, fuzzClientSecret).Error(), fuzzRefresh, fuzzClientSecret)
		}
	})
}

// redactionMarks are what redaction writes: a secret found only inside
// them is not a leak.
const redactionMarks = "[redacted JWT][redacted]…"

// A secret the service echoes, in any encoding it may use and wherever it
// sits in its words, never reaches the message: not as sent, not
// collapsed, not URL-encoded, JSON-escaped, both, or in base64.
func FuzzRedact(f *testing.F) {
	f.Fuzz(func(t *testing.T, before, secret, after string) {
		if len(secret) < minSecretLength || len(flatten(secret)) < minSecretLength || !utf8.ValidString(secret) ||
			strings.ContainsAny(secret, "[]…") || strings.Contains(redactionMarks, secret) {
			return // not looked for, or indistinguishable from the marks
		}
		for name, encode := range secretEncodings {
			echoed := encode(secret)
			msg := serviceText(before+echoed+after, []string{secret})
			if !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) {
				t.Fatalf("%s: not printable text: %q", name, msg)
			}
			for _, form := range append(SecretForms(secret), flatten(secret), echoed) {
				if len(form) >= minSecretLength && strings.Contains(msg, form) && !strings.Contains(redactionMarks, form) {
					t.Fatalf("%s: %q echoed as %q gives %q, which quotes %q", name, secret, echoed, msg, form)
				}
			}
		}
	})
}
