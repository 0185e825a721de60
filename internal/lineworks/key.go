package lineworks

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// ErrKeyNotPEM, ErrKeyEncrypted and ErrKeyNotRSA classify why a private key
// was refused, so that callers can tell the user which of the three it is.
var (
	ErrKeyNotPEM    = errors.New("the private key is not PEM text: expected the key file downloaded from the LINE WORKS Developer Console, starting with -----BEGIN PRIVATE KEY-----")
	ErrKeyEncrypted = errors.New("the private key is encrypted with a passphrase: LINE WORKS keys are issued unencrypted; use the key file as downloaded from the Developer Console, or decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)")
	ErrKeyNotRSA    = errors.New("the private key is not an RSA key: LINE WORKS signs assertions with RS256, which needs the RSA key downloaded from the Developer Console")
)

// ParsePrivateKey reads an RSA private key from PEM text. It accepts the three
// shapes LINE WORKS keys come in: PKCS#8 under "PRIVATE KEY" (the Developer
// Console download), PKCS#1 under "RSA PRIVATE KEY", and a PKCS#8 body under
// an "RSA PRIVATE KEY" label (the sample key in the API 1.0 documentation).
//
// The returned errors never quote the key.
func ParsePrivateKey(pemText []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(normalizePEM(pemText))
	if block == nil {
		return nil, ErrKeyNotPEM
	}
	//nolint:staticcheck // IsEncryptedPEMBlock is deprecated for decryption, but is the way to detect legacy encrypted blocks.
	if block.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(block) {
		return nil, ErrKeyEncrypted
	}

	switch block.Type {
	case "PRIVATE KEY":
		return parsePKCS8(block.Bytes)
	case "RSA PRIVATE KEY":
		if key, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
			return key, nil
		}
		return parsePKCS8(block.Bytes)
	case "EC PRIVATE KEY":
		return nil, fmt.Errorf("%w (found an EC key)", ErrKeyNotRSA)
	case "OPENSSH PRIVATE KEY":
		return nil, fmt.Errorf("%w (found an OpenSSH key)", ErrKeyNotRSA)
	default:
		return nil, fmt.Errorf("the PEM block is a %q, not a private key: expected -----BEGIN PRIVATE KEY-----", block.Type)
	}
}

func parsePKCS8(der []byte) (*rsa.PrivateKey, error) {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		// The parser's message describes ASN.1 structure, never key bytes.
		return nil, fmt.Errorf("the private key could not be parsed as PKCS#8 or PKCS#1: %w", err)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return nil, fmt.Errorf("%w (found an EC key)", ErrKeyNotRSA)
	case ed25519.PrivateKey:
		return nil, fmt.Errorf("%w (found an Ed25519 key)", ErrKeyNotRSA)
	default:
		return nil, fmt.Errorf("%w (found a %T)", ErrKeyNotRSA, key)
	}
}

// normalizePEM undoes what environment variables and secret stores commonly
// do to a key: literal "\n" sequences instead of line breaks, CRLF endings and
// surrounding blanks.
func normalizePEM(text []byte) []byte {
	s := strings.TrimSpace(string(text))
	if !strings.Contains(s, "\n") && strings.Contains(s, `\n`) {
		s = strings.ReplaceAll(s, `\n`, "\n")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return []byte(s)
}
