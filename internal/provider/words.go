package provider

// Lists written into messages and descriptions: as a sentence says them,
// or as HCL writes them, so that an error can be pasted back into a
// configuration.

import (
	"strconv"
	"strings"
)

// joinWords joins items as a sentence does, with conjunction before the
// last: "a", "a and b", "a, b and c".
func joinWords(items []string, conjunction string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conjunction + " " + items[len(items)-1]
}

// quotedWords lists values quoted, as a sentence offering a choice does:
// "a", "b" or "c".
func quotedWords(values []string) string {
	return joinWords(quoted(values), "or")
}

// hclStrings writes a list of strings as HCL does: ["bot", "bot.message"].
func hclStrings(items []string) string {
	return "[" + strings.Join(quoted(items), ", ") + "]"
}

// joinInt64s lists IDs: "10000001, 10000002".
func joinInt64s(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(s, ", ")
}

func quoted(items []string) []string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return q
}
