package lineworks

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// seconds decodes a duration in seconds sent as a JSON number or string:
// LINE WORKS sends expires_in as "86400" in practice, some clients see 86400.
// Fractions are dropped; null, "" and absence mean unknown (0); more than
// maxExpiresIn is capped there. Anything else, negative and non-finite
// numbers included, is an error.
type seconds int64

// secondsError reports an unusable expires_in without quoting it.
type secondsError struct{ what string }

func (e *secondsError) Error() string { return "expires_in " + e.what }

func (s *seconds) UnmarshalJSON(b []byte) error {
	text := string(b)
	if unquoted, err := strconv.Unquote(text); err == nil && strings.HasPrefix(text, `"`) {
		text = strings.TrimSpace(unquoted)
	}
	if text == "" || text == "null" {
		*s = 0
		return nil
	}
	if !numeral.MatchString(text) {
		return &secondsError{"is neither a number nor a numeric string"}
	}
	f, err := strconv.ParseFloat(text, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return &secondsError{"is not a number"}
	case f < 0 || math.IsInf(f, -1):
		return &secondsError{"is negative"}
	case f > maxExpiresIn.Seconds() || math.IsInf(f, 1):
		f = maxExpiresIn.Seconds()
	}
	*s = seconds(f)
	return nil
}

// numeral is a JSON number: no NaN, Inf, hex or leading plus.
var numeral = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
