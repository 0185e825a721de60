package lineworks

// Reading a text with its escapes both ways: each percent-encoding, JSON
// string escape and + for a space both undone and taken as it is, an
// escape's own characters escaped in turn, so that redact finds a secret
// however the service wrote it.

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

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
