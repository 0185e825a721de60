package lineworks

import "testing"

func TestParseBotID(t *testing.T) {
	for s, want := range map[string]int64{"1": 1, "2000001": 2000001, "9223372036854775807": 9223372036854775807} {
		if got, err := ParseBotID(s); err != nil || got != want {
			t.Errorf("%q: %d, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "0", "-1", "+1", "01", "2000001 ", " 2000001", "9223372036854775808", "bot", "bot-1", "1e6", "../1", "1/2", "2000001?x=1"} {
		if _, err := ParseBotID(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
