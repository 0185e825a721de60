package lineworks

// Making the service's words fit for an error message: no secret, in any
// form the service may echo it, and nothing that could rewrite a terminal.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// serviceTextLimit bounds what of the service's own words an error quotes.
const serviceTextLimit = 300

// jwtShape matches a JWT, whatever produced it.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*`)

// serviceText makes text from the service fit for an error message: secrets
// and anything shaped like a JWT are taken out, control characters (which
// could rewrite a terminal) become spaces, runs of blanks one space, and it
// is cut to serviceTextLimit bytes.
func serviceText(s string, secrets []string) string {
	s = redact(strings.ToValidUTF8(s, "\uFFFD"), secrets)
	s = jwtShape.ReplaceAllString(s, "[redacted JWT]")
	s = flatten(s)
	// Again, in the form the secret takes once blanks are collapsed.
	s = redact(s, secrets)
	if len(s) > serviceTextLimit {
		cut := serviceTextLimit
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// flatten turns control characters into spaces and runs of blanks into one
// space.
func flatten(s string) string {
	return strings.Join(strings.Fields(strings.Map(printable, s)), " ")
}

// minSecretLength is the length under which a secret is not looked for: too
// short to tell from ordinary words.
const minSecretLength = 4

// redact replaces every secret in s with "[redacted]", in whatever form the
// service may have echoed it: as sent; with its control characters and
// blanks collapsed; URL-encoded (%2B, %2F, %3D, + for a space);
// JSON-escaped (\/, \u002b, \n…); one of those inside the other, or mixed
// within the secret; and base64-encoded, alone or inside a longer encoded
// text, escaped or not. Every escape is read both as what it stands for and
// as itself, wherever a match may begin, so neither an escape begun just
// before the secret nor a secret holding "%2F" as such can hide one.
func redact(s string, secrets []string) string {
	needles := secretNeedles(secrets)
	if len(needles) == 0 {
		return s
	}
	hidden := make([]bool, len(s))
	for _, m := range newEscapeReader([]byte(s)).find(needles) {
		for j := m[0]; j < m[1]; j++ {
			hidden[j] = true
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if !hidden[i] {
			b.WriteByte(s[i])
			continue
		}
		b.WriteString("[redacted]")
		for i+1 < len(s) && hidden[i+1] {
			i++
		}
	}
	return b.String()
}

// secretNeedles are what reveals a secret once the text is read with its
// escapes undone: each secret, its collapsed form, and the base64 fragments
// of each.
func secretNeedles(secrets []string) [][]byte {
	var needles [][]byte
	add := func(n string) {
		if len(n) >= minSecretLength && !slices.ContainsFunc(needles, func(m []byte) bool { return string(m) == n }) {
			needles = append(needles, []byte(n))
		}
	}
	for _, secret := range secrets {
		if len(secret) < minSecretLength {
			continue
		}
		for _, form := range []string{secret, flatten(secret)} {
			add(form)
			for _, b64 := range base64Fragments(form) {
				add(b64)
			}
		}
	}
	return needles
}

// minBase64Fragment is the shortest base64 fragment looked for: as short
// as a secret may be.
const minBase64Fragment = minSecretLength

// base64Fragments are the characters the base64 of secret always holds,
// wherever the secret sits in the text that was encoded: for each of the
// three alignments, the characters made of the secret's bits alone, in the
// standard and the URL alphabet.
func base64Fragments(secret string) []string {
	var out []string
	n := len(secret)
	for k := range 3 {
		padded := append(make([]byte, k), secret...)
		first := (8*k + 5) / 6  // the first character with no bit of the padding
		last := 8 * (k + n) / 6 // one past the last character with no bit of what follows
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if s := enc.EncodeToString(padded); last-first >= minBase64Fragment {
				out = append(out, s[first:last])
			}
		}
	}
	return out
}

// SecretForms are the literal forms a secret may take in text: as it is,
// URL-encoded, JSON-escaped, and the base64 fragments it shows wherever it
// sits in an encoded text. A log that masks literal strings masks these.
func SecretForms(secret string) []string {
	if len(secret) < minSecretLength {
		return nil
	}
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(url.QueryEscape(secret), "+", "%20")}
	if j, err := json.Marshal(secret); err == nil {
		escaped := string(j[1 : len(j)-1]) // without the quotes around it
		forms = append(forms, escaped, strings.ReplaceAll(escaped, "/", `\/`))
	}
	forms = append(forms, base64Fragments(secret)...)
	slices.Sort(forms)
	return slices.Compact(forms)
}

func printable(r rune) rune {
	if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
		return ' '
	}
	return r
}

// requestSecrets are what req carried as a credential, which an error body
// may echo: its bearer token, and its query's values, where a signed
// storage URL keeps its signature.
func requestSecrets(req *http.Request) []string {
	var secrets []string
	if _, tok, ok := strings.Cut(req.Header.Get("Authorization"), " "); ok {
		secrets = append(secrets, tok)
	}
	for _, values := range req.URL.Query() {
		secrets = append(secrets, values...)
	}
	return secrets
}

// summarizeBody keeps an unexpected error body short and printable, without
// secrets.
func summarizeBody(body []byte, secrets ...string) string {
	if !utf8.Valid(body) {
		return fmt.Sprintf("(%d bytes of non-text body)", len(body))
	}
	return serviceText(string(body), secrets)
}
