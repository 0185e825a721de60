package lineworks

import (
	"fmt"
	"strconv"
)

// ParseBotID reads a bot ID as LINE WORKS writes it: the bot's number (an
// int64 in the API) in decimal digits, such as 2000001. Nothing else is
// accepted (no sign, no leading zero, no blank), so one bot has one
// spelling, and no ID can add a level to a request's path. Every caller
// that takes a bot ID as text (the attachment download, the provider's
// bot_id arguments and import IDs) uses this one rule.
func ParseBotID(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != s {
		return 0, fmt.Errorf("%q is not a LINE WORKS bot ID: expected the bot's number in decimal digits, such as 2000001", s)
	}
	return n, nil
}

// checkBotID is ParseBotID's rule for a bot ID already a number.
func checkBotID(botID int64) error {
	if botID <= 0 {
		return fmt.Errorf("%d is not a LINE WORKS bot ID: bot IDs are positive integers such as 2000001", botID)
	}
	return nil
}

func botPath(botID int64) []string { return []string{"bots", strconv.FormatInt(botID, 10)} }
