package lineworks

import (
	"mime"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFileNameBytes is the longest file name most file systems accept.
const maxFileNameBytes = 255

// fileNameFrom reads the file name of a Content-Disposition header, which the
// storage host does not document. It takes every form seen in the wild:
// filename* (RFC 5987 percent-encoded UTF-8, preferred), a quoted filename="…" with raw
// UTF-8 bytes, an unquoted filename=…, and a percent-encoded
// filename="%E9%80%B1…" without filename*, decoded when the result is UTF-8.
// The result is safe to use as a file name: never a path (no "/" or "\"),
// never "..", no control characters; "" when there is no usable name.
func fileNameFrom(contentDisposition string) string {
	name, extended := "", false
	if _, params, err := mime.ParseMediaType(contentDisposition); err == nil && params["filename"] != "" {
		// mime prefers filename* and has decoded it already.
		name, extended = params["filename"], hasParam(contentDisposition, "filename*")
	} else {
		params := lenientParams(contentDisposition)
		if v, ok := params["filename*"]; ok {
			name, extended = decodeExtValue(v)
		}
		if name == "" {
			name, extended = params["filename"], false
		}
	}
	if !extended && percentEscape.MatchString(name) {
		if decoded, err := url.PathUnescape(name); err == nil && utf8.ValidString(decoded) {
			name = decoded
		}
	}
	return safeFileName(name)
}

var percentEscape = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)

// safeFileName reduces name to its last path element and takes out what a
// file name must not hold.
func safeFileName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r):
			return '_'
		case unicode.Is(unicode.Bidi_Control, r):
			return -1 // could make "exe.pdf" of "fdp.exe"
		}
		return r
	}, name)
	// "..", alone or inside a name, never survives: runs of dots become one.
	name = dotRuns.ReplaceAllString(name, ".")
	if len(name) > maxFileNameBytes {
		cut := maxFileNameBytes
		for !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut]
	}
	name = strings.TrimSpace(name)
	if name == "." {
		return ""
	}
	return name
}

var dotRuns = regexp.MustCompile(`\.{2,}`)

// hasParam reports whether header has a parameter named name (any case).
func hasParam(header, name string) bool {
	_, ok := lenientParams(header)[name]
	return ok
}

// lenientParams splits a header's parameters as browsers do: name=value
// pairs separated by ";", values quoted (with backslash escapes) or not, raw
// bytes of any kind allowed. Names are lower-cased; the first of a repeated
// name wins.
func lenientParams(header string) map[string]string {
	params := map[string]string{}
	_, rest, _ := strings.Cut(header, ";")
	for rest != "" {
		var name, value string
		name, rest, _ = strings.Cut(rest, "=")
		if i := strings.IndexByte(name, ';'); i >= 0 { // a parameter without "="
			rest = name[i+1:] + "=" + rest
			continue
		}
		name = strings.ToLower(strings.TrimSpace(name))
		rest = strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				b.WriteByte(rest[i])
			}
			value = b.String()
			rest = rest[min(i+1, len(rest)):]
			_, rest, _ = strings.Cut(rest, ";")
		} else {
			value, rest, _ = strings.Cut(rest, ";")
			value = strings.TrimSpace(value)
		}
		if _, seen := params[name]; !seen && name != "" {
			params[name] = value
		}
	}
	return params
}

// decodeExtValue decodes an RFC 5987 value, charset'language'pct-encoded, in
// UTF-8 or ISO-8859-1; ok is false for other charsets or bad encodings.
func decodeExtValue(v string) (string, bool) {
	charset, rest, ok1 := strings.Cut(v, "'")
	_, encoded, ok2 := strings.Cut(rest, "'")
	if !ok1 || !ok2 {
		return "", false
	}
	raw, err := url.PathUnescape(encoded)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(charset) {
	case "utf-8":
		return raw, utf8.ValidString(raw)
	case "iso-8859-1":
		runes := make([]rune, 0, len(raw))
		for i := 0; i < len(raw); i++ {
			runes = append(runes, rune(raw[i]))
		}
		return string(runes), true
	}
	return "", false
}
