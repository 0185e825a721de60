package lineworks

// Making the service's words fit for an error message: no secret, in any
// form the service may echo it, and nothing that could rewrite a terminal.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
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

// maxEscapeDepth is how many encodings inside each other are undone: a
// JSON-escaped URL-encoded secret is two.
const maxEscapeDepth = 2

// escapeStart are the characters an escape begins with, however deep: the
// first character of an escaped escape is itself one of them.
const escapeStart = `%\+`

// escapeReader reads a text one decoded character at a time, in every way
// the text can be read: each escape (percent-encoding, a JSON string
// escape, + for a space) undone or taken as it is, and the characters of an
// escape themselves escaped, up to maxEscapeDepth levels.
type escapeReader struct {
	t []byte
	// raw[p] is the character at p taken as it is.
	raw []piece
	// memo[d][p] are the pieces at p with up to d+1 levels of escaping;
	// nil until computed.
	memo [maxEscapeDepth][][]piece
}

// piece is one way to read the text from a position: the bytes it stands
// for (one character), and where the next piece begins.
type piece struct {
	val  [utf8.UTFMax]byte
	n    uint8
	next int32
}

func (c piece) bytes() []byte { return c.val[:c.n] }

// runePiece is the piece for the character r, read up to next.
func runePiece(r rune, next int) piece {
	c := piece{next: int32(next)}
	c.n = uint8(utf8.EncodeRune(c.val[:], r))
	return c
}

func newEscapeReader(t []byte) *escapeReader {
	r := &escapeReader{t: t, raw: make([]piece, len(t))}
	for p, c := range t {
		r.raw[p] = piece{val: [utf8.UTFMax]byte{c}, n: 1, next: int32(p + 1)}
	}
	if bytes.ContainsAny(t, escapeStart) {
		for d := range r.memo {
			r.memo[d] = make([][]piece, len(t))
		}
	}
	return r
}

// pieces are the ways to read one character at p with up to depth levels
// of escaping.
func (r *escapeReader) pieces(p, depth int) []piece {
	if p >= len(r.t) {
		return nil
	}
	if depth == 0 || strings.IndexByte(escapeStart, r.t[p]) < 0 {
		return r.raw[p : p+1 : p+1]
	}
	if ps := r.memo[depth-1][p]; ps != nil {
		return ps
	}
	ps := []piece{r.raw[p]}
	for _, first := range r.pieces(p, depth-1) {
		switch {
		case first.n != 1:
		case first.val[0] == '%':
			r.addHex(&ps, int(first.next), depth-1, 2, 0, -1, true)
		case first.val[0] == '+':
			ps = addPiece(ps, runePiece(' ', int(first.next)))
		case first.val[0] == '\\':
			for _, e := range r.pieces(int(first.next), depth-1) {
				if e.n != 1 {
					continue
				}
				if v, ok := jsonSimpleEscape(e.val[0]); ok {
					ps = addPiece(ps, runePiece(rune(v), int(e.next)))
				} else if e.val[0] == 'u' {
					r.addHex(&ps, int(e.next), depth-1, 4, 0, -1, false)
				}
			}
		}
	}
	r.memo[depth-1][p] = ps
	return ps
}

// addHex reads left more hex digits at p, each a character read with up to
// depth levels of escaping, after acc, and adds the character they stand
// for to ps: a byte after % (percent), a UTF-16 code unit after \u. hi is
// the high surrogate of the \u escape before this one (-1 when none): a
// character outside the BMP is a pair, \uD83D\uDE00.
func (r *escapeReader) addHex(ps *[]piece, p, depth, left int, acc, hi rune, percent bool) {
	if left > 0 {
		for _, c := range r.pieces(p, depth) {
			if c.n == 1 && isHex(c.val[0]) {
				r.addHex(ps, int(c.next), depth, left-1, acc<<4|rune(unhex(c.val[0])), hi, percent)
			}
		}
		return
	}
	switch {
	case percent:
		*ps = addPiece(*ps, piece{val: [utf8.UTFMax]byte{byte(acc)}, n: 1, next: int32(p)})
	case hi >= 0:
		if pair := utf16.DecodeRune(hi, acc); pair != unicode.ReplacementChar {
			*ps = addPiece(*ps, runePiece(pair, p))
		}
	default:
		*ps = addPiece(*ps, runePiece(acc, p))
		if !utf16.IsSurrogate(acc) {
			return
		}
		for _, bs := range r.pieces(p, depth) { // the low surrogate's \u escape
			if bs.n != 1 || bs.val[0] != '\\' {
				continue
			}
			for _, u := range r.pieces(int(bs.next), depth) {
				if u.n == 1 && u.val[0] == 'u' {
					r.addHex(ps, int(u.next), depth, 4, 0, acc, false)
				}
			}
		}
	}
}

// addPiece adds c to ps unless it is there already.
func addPiece(ps []piece, c piece) []piece {
	if slices.Contains(ps, c) {
		return ps
	}
	return append(ps, c)
}

// find returns the parts of the text that read as one of needles, as
// [start, end) pairs. It runs every match that may be under way side by
// side, as a nondeterministic automaton does, in one pass over the text.
func (r *escapeReader) find(needles [][]byte) [][2]int {
	type match struct{ needle, q, start int } // needle read up to q, begun at start
	pending := make([][]match, len(r.t)+1)
	var free [][]match // lists of positions passed, for reuse
	advance := func(p int, m match) {
		for i, o := range pending[p] {
			if o.needle == m.needle && o.q == m.q {
				pending[p][i].start = max(o.start, m.start) // the shortest will do
				return
			}
		}
		if pending[p] == nil && len(free) > 0 {
			pending[p], free = free[len(free)-1], free[:len(free)-1]
		}
		pending[p] = append(pending[p], m)
	}
	var found [][2]int
	for p := 0; p <= len(r.t); p++ {
		var here []piece
		if p < len(r.t) {
			here = r.pieces(p, maxEscapeDepth)
			for i, n := range needles {
				for _, c := range here {
					if c.val[0] == n[0] {
						advance(p, match{i, 0, p})
						break
					}
				}
			}
		}
		for _, m := range pending[p] {
			n := needles[m.needle]
			if m.q == len(n) {
				found = append(found, [2]int{m.start, p})
				continue
			}
			for _, c := range here {
				if bytes.HasPrefix(n[m.q:], c.bytes()) {
					advance(int(c.next), match{m.needle, m.q + int(c.n), m.start})
				}
			}
		}
		if pending[p] != nil {
			free = append(free, pending[p][:0])
			pending[p] = nil
		}
	}
	return found
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

// jsonSimpleEscape is the byte a two-character JSON string escape (\n,
// \/…) stands for, given its second character.
func jsonSimpleEscape(c byte) (byte, bool) {
	switch c {
	case '"', '\\', '/', '\'':
		return c, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

func hex4(t []byte) (rune, bool) {
	if len(t) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range t[:4] {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	return r, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
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
