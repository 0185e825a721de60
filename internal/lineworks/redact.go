package lineworks

// Making the service's words fit for an error message: no secret, in any
// form the service may echo it, and nothing that could rewrite a terminal.

import (
	"fmt"
	"regexp"
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
	s = strings.Join(strings.Fields(strings.Map(printable, s)), " ")
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

func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) < 4 {
			continue // too short to tell from ordinary words
		}
		s = strings.ReplaceAll(s, secret, "[redacted]")
		if flat := strings.Join(strings.Fields(strings.Map(printable, secret)), " "); flat != secret && len(flat) >= 4 {
			s = strings.ReplaceAll(s, flat, "[redacted]")
		}
	}
	return s
}

func printable(r rune) rune {
	if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
		return ' '
	}
	return r
}

// summarizeBody keeps an unexpected error body short and printable, without
// secrets.
func summarizeBody(body []byte, secrets ...string) string {
	if !utf8.Valid(body) {
		return fmt.Sprintf("(%d bytes of non-text body)", len(body))
	}
	return serviceText(string(body), secrets)
}
