package lineworks

import (
	"fmt"
	"net/http"
	"regexp"
	"time"
)

// AssertionBackdate is how far before the current second an assertion's iat
// is set, as golang.org/x/oauth2's jws does: LINE WORKS checks iat and exp
// against its own clock with no tolerance, so a machine whose clock runs up
// to this much ahead is still accepted.
const AssertionBackdate = 10 * time.Second

// clockTolerance is how far the service's Date header may be from this
// machine's clock before an error (or, on success, a warning) says so.
const clockTolerance = 30 * time.Second

// clockOffset estimates how far this machine's clock is ahead of the
// server's (negative: behind) from a response's Date header, read between
// sent and received by this machine's clock. Date has a resolution of one
// second, so the estimate is good to about a second. ok is false without a
// usable Date.
func clockOffset(resp *http.Response, sent, received time.Time) (offset time.Duration, ok bool) {
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return 0, false
	}
	local := sent.Add(received.Sub(sent) / 2)
	if received.Sub(sent) > 2*time.Second {
		// Retries came first: the answer that carries this Date is the last.
		local = received
	}
	// The server's clock read somewhere in [Date, Date+1s).
	return local.Sub(date.Add(500 * time.Millisecond)), true
}

// clockHint says by how much this machine's clock is off and what to do.
func clockHint(offset time.Duration) string {
	d := offset.Round(time.Second)
	if d == 0 {
		return "This machine's clock agrees with LINE WORKS's to the second (from the Date header of its answer), so the clock is not the cause."
	}
	direction := "ahead of"
	if d < 0 {
		direction, d = "behind", -d
	}
	return fmt.Sprintf("This machine's clock is %s %s LINE WORKS's (from the Date header of its answer). "+
		"LINE WORKS checks an assertion's iat and exp against its own clock, and this client back-dates iat by only %d seconds: "+
		"synchronise this machine's clock with NTP (for example `timedatectl set-ntp true` on Linux, `w32tm /resync` on Windows).",
		d, direction, int(AssertionBackdate.Seconds()))
}

// timeWords marks an invalid_grant whose description blames iat or exp. The
// real service's wording is not documented; these are the words any such
// message uses.
var timeWords = regexp.MustCompile(`(?i)\b(iat|exp|expired|future|clock|skew|not yet valid|nbf)\b`)

// withClock adds what the Date header says about this machine's clock to
// hint: always when the refusal is on time grounds, otherwise only when the
// clocks are more than clockTolerance apart.
func withClock(hint string, offset time.Duration, ok, timeGrounds bool) string {
	switch {
	case !ok:
		return hint
	case timeGrounds:
		return withHint(hint, clockHint(offset))
	case offset > clockTolerance || offset < -clockTolerance:
		return withHint(hint, clockHint(offset))
	}
	return hint
}
