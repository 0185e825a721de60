package lineworks

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// MaxAssertionLifetime is the longest lifetime LINE WORKS accepts for a JWT
// assertion: exp at most 60 minutes after iat, and after its own clock's now.
const MaxAssertionLifetime = time.Hour

// AssertionRequest describes a JWT assertion to sign.
type AssertionRequest struct {
	// Issuer is the iss claim: the Client ID for API 2.0, the server ID for
	// an API 1.0 server token.
	Issuer string
	// Subject is the sub claim: the service account ID for API 2.0. Empty
	// leaves sub out, as an API 1.0 server token requires.
	Subject string
	// Lifetime is how long from now the assertion is valid (exp - now),
	// from one second to MaxAssertionLifetime; exp is capped at
	// MaxAssertionLifetime after the back-dated iat.
	Lifetime time.Duration
}

// Assertion is a signed JWT and the claims it carries.
type Assertion struct {
	JWT       string
	Issuer    string
	Subject   string // empty when there is no sub claim
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// SignAssertion signs a JWT assertion with the configured private key:
// header {"alg":"RS256","typ":"JWT"}, integer iat and exp. iat is the current
// second rounded down, back-dated by AssertionBackdate, so that a machine
// whose clock runs a little ahead of LINE WORKS's (which allows no skew) is
// not refused; exp is Lifetime from now, but at most MaxAssertionLifetime
// after iat, so the 60-minute cap holds against the server's clock as well.
func (c *Client) SignAssertion(req AssertionRequest) (*Assertion, error) {
	if err := c.cfg.need("signing a JWT assertion", SettingPrivateKey); err != nil {
		return nil, err
	}
	if req.Issuer == "" {
		return nil, errors.New("the assertion needs an issuer (iss)")
	}
	if req.Lifetime < time.Second || req.Lifetime > MaxAssertionLifetime {
		return nil, fmt.Errorf("the assertion lifetime must be between 1 and %d seconds, got %v", int(MaxAssertionLifetime.Seconds()), req.Lifetime)
	}
	now := c.cfg.Now().Truncate(time.Second)
	iat := now.Add(-AssertionBackdate)
	exp := now.Add(min(req.Lifetime.Truncate(time.Second), MaxAssertionLifetime-AssertionBackdate))
	claims := jwt.RegisteredClaims{
		Issuer:    req.Issuer,
		Subject:   req.Subject,
		IssuedAt:  jwt.NewNumericDate(iat),
		ExpiresAt: jwt.NewNumericDate(exp),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(c.cfg.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("signing the JWT assertion: %w", err)
	}
	return &Assertion{JWT: signed, Issuer: req.Issuer, Subject: req.Subject, IssuedAt: iat, ExpiresAt: exp}, nil
}

// SignServiceAccountAssertion signs the API 2.0 assertion of the
// service-account JWT grant. An empty issuer defaults to the Client ID and an
// empty subject to the service account ID.
func (c *Client) SignServiceAccountAssertion(issuer, subject string, lifetime time.Duration) (*Assertion, error) {
	if issuer == "" {
		if err := c.cfg.need("signing an API 2.0 JWT assertion", SettingClientID); err != nil {
			return nil, err
		}
		issuer = c.cfg.ClientID
	}
	if subject == "" {
		if err := c.cfg.need("signing an API 2.0 JWT assertion", SettingServiceAccountID); err != nil {
			return nil, err
		}
		subject = c.cfg.ServiceAccountID
	}
	return c.SignAssertion(AssertionRequest{Issuer: issuer, Subject: subject, Lifetime: lifetime})
}

// SignServerAssertion signs the API 1.0 server-token assertion: iss is the
// server ID (the configured one when issuer is empty), and there is no sub.
func (c *Client) SignServerAssertion(issuer string, lifetime time.Duration) (*Assertion, error) {
	if issuer == "" {
		if err := c.cfg.need("signing an API 1.0 JWT assertion", SettingServerID); err != nil {
			return nil, err
		}
		issuer = c.cfg.ServerID
	}
	return c.SignAssertion(AssertionRequest{Issuer: issuer, Lifetime: lifetime})
}
