package lineworkstest

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwtError says why an assertion was refused.
type jwtError struct {
	kind jwtErrorKind
	msg  string
}

type jwtErrorKind int

const (
	jwtMalformed jwtErrorKind = iota
	jwtBadAlg
	jwtBadSignature
)

func (e *jwtError) Error() string { return e.msg }

// verifyJWT checks an assertion's form, algorithm and signature and returns
// its claims, with numbers as json.Number. It does not check the claims.
func verifyJWT(assertion string, key *rsa.PublicKey) (jwt.MapClaims, *jwtError) {
	claims, alg, jerr := peekJWT(assertion)
	switch {
	case jerr != nil:
		return nil, jerr
	case alg != "RS256":
		return nil, &jwtError{jwtBadAlg, fmt.Sprintf("JWT alg must be RS256, not %q.", alg)}
	case key == nil:
		return nil, &jwtError{jwtBadSignature, "JWT signature verification failed: no public key is registered."}
	}
	if _, err := jwtParser().Parse(assertion, func(*jwt.Token) (any, error) { return key, nil }); err != nil {
		return nil, &jwtError{jwtBadSignature, "JWT signature verification failed."}
	}
	return claims, nil
}

// peekJWT decodes an assertion without verifying it, to learn its alg and
// issuer before the key is known.
func peekJWT(assertion string) (claims jwt.MapClaims, alg string, _ *jwtError) {
	tok, _, err := jwtParser().ParseUnverified(assertion, jwt.MapClaims{})
	// ErrTokenUnverifiable means an unknown alg, reported as such below.
	if err != nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		return nil, "", &jwtError{jwtMalformed, "Malformed JWT: " + err.Error()}
	}
	alg, _ = tok.Header["alg"].(string)
	return tok.Claims.(jwt.MapClaims), alg, nil
}

// jwtParser checks only the algorithm and signature; the emulator checks the
// claims itself, because LINE WORKS accepts float iat/exp and allows no skew.
func jwtParser() *jwt.Parser {
	return jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithJSONNumber(), jwt.WithoutClaimsValidation())
}

// numericClaim reads a NumericDate claim. Floats are accepted, as the
// official Python sample sends them.
func numericClaim(c jwt.MapClaims, name string) (float64, string) {
	switch v := c[name].(type) {
	case nil:
		return 0, fmt.Sprintf("%s claim is required.", name)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return 0, fmt.Sprintf("%s claim is not a valid number.", name)
		}
		return f, ""
	default:
		return 0, fmt.Sprintf("%s claim must be a number.", name)
	}
}

// checkAppClaims checks an API 2.0 assertion's claims.
func checkAppClaims(c jwt.MapClaims, app App, clientID string, now time.Time) string {
	if iss, _ := c["iss"].(string); iss != clientID {
		return "iss does not match client_id."
	}
	if sub, _ := c["sub"].(string); sub == "" || sub != app.ServiceAccountID {
		return "sub does not match the service account."
	}
	iat, problem := numericClaim(c, "iat")
	if problem != "" {
		return problem
	}
	exp, problem := numericClaim(c, "exp")
	if problem != "" {
		return problem
	}
	// Against this server's own clock, with no tolerance: LINE WORKS allows
	// none (documented for API 1.0, inferred for 2.0). The 60-minute cap is
	// measured from the server's clock: with iat not after now, exp-iat
	// capped (inferred) caps exp-now too.
	nowSec := unixSeconds(now)
	switch {
	case iat > nowSec:
		return fmt.Sprintf("iat is in the future (iat %s, current time %s).", formatUnix(iat), formatUnix(nowSec))
	case exp <= nowSec:
		return fmt.Sprintf("JWT expired at %s (current time %s).", formatUnix(exp), formatUnix(nowSec))
	case exp-iat > maxJWTLifetime:
		return "exp is more than 60 minutes after iat."
	}
	return ""
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func fromUnixSeconds(f float64) time.Time {
	// Clamp so that absurd claims still format instead of overflowing.
	f = max(min(f, 1e11), -1e11)
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC()
}

func formatUnix(f float64) string { return fromUnixSeconds(f).Format(time.RFC3339) }
