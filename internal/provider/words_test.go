package provider

import "testing"

func TestWords(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{joinWords(nil, "and"), ""},
		{joinWords([]string{"a"}, "and"), "a"},
		{joinWords([]string{"a", "b"}, "and"), "a and b"},
		{joinWords([]string{"a", "b", "c"}, "and"), "a, b and c"},
		{quotedWords([]string{"text"}), `"text"`},
		{quotedWords([]string{"text", "image", "file"}), `"text", "image" or "file"`},
		{hclStrings(nil), "[]"},
		{hclStrings([]string{"bot", "bot.message"}), `["bot", "bot.message"]`},
		{joinInt64s([]int64{10000001, 10000002}), "10000001, 10000002"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}
