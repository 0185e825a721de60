package lineworks

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrKeyNotPEM, ErrKeyEncrypted, ErrKeyNotRSA and ErrKeyTooSmall classify
// why a private key was refused, so that callers can tell the user which it is.
var (
	ErrKeyNotPEM    = errors.New("the private key is not PEM text: expected the key file downloaded from the LINE WORKS Developer Console, starting with -----BEGIN PRIVATE KEY-----")
	ErrKeyEncrypted = errors.New("the private key is encrypted with a passphrase: LINE WORKS keys are issued unencrypted; use the key file as downloaded from the Developer Console, or decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)")
	ErrKeyNotRSA    = errors.New("the private key is not an RSA key: LINE WORKS signs assertions with RS256, which needs the RSA key downloaded from the Developer Console")
	ErrKeyTooSmall  = errors.New("the RSA private key is too small: LINE WORKS issues 2048-bit keys, and RS256 needs at least 2048 bits; use the key downloaded from the Developer Console")
)

// MinKeyBits is the smallest RSA key accepted.
const MinKeyBits = 2048

// ParsePrivateKey reads an RSA private key from PEM text. It accepts the three
// shapes LINE WORKS keys come in: PKCS#8 under "PRIVATE KEY" (the Developer
// Console download), PKCS#1 under "RSA PRIVATE KEY", and a PKCS#8 body under
// an "RSA PRIVATE KEY" label (the sample key in the API 1.0 documentation);
// with literal "\n" for line breaks, CRLF endings, indented lines, text
// around the block, and other blocks (a certificate) beside it. The key must
// be a valid RSA key of at least MinKeyBits bits.
//
// The returned errors never quote the key.
func ParsePrivateKey(pemText []byte) (*rsa.PrivateKey, error) {
	var (
		key   *pem.Block
		keys  int
		other string
	)
	for rest := normalizePEM(pemText); ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if strings.HasSuffix(block.Type, "PRIVATE KEY") {
			keys++
			if key == nil {
				key = block
			}
		} else if other == "" {
			other = block.Type
		}
	}
	switch {
	case keys > 1:
		return nil, fmt.Errorf("the PEM text holds %d private keys: keep only the one downloaded for this app", keys)
	case key == nil && other != "":
		return nil, fmt.Errorf("the PEM text holds %s but no private key: expected -----BEGIN PRIVATE KEY-----", describeLabel(other))
	case key == nil:
		return nil, ErrKeyNotPEM
	}
	//nolint:staticcheck // IsEncryptedPEMBlock is deprecated for decryption, but is the way to detect legacy encrypted blocks.
	if key.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(key) {
		return nil, ErrKeyEncrypted
	}

	var (
		k   *rsa.PrivateKey
		err error
	)
	switch key.Type {
	case "PRIVATE KEY":
		k, err = parsePKCS8(key.Bytes)
	case "RSA PRIVATE KEY":
		if k, err = x509.ParsePKCS1PrivateKey(key.Bytes); err != nil {
			k, err = parsePKCS8(key.Bytes)
		}
	case "EC PRIVATE KEY":
		return nil, fmt.Errorf("%w (found an EC key)", ErrKeyNotRSA)
	case "OPENSSH PRIVATE KEY":
		return nil, fmt.Errorf("%w (found an OpenSSH key)", ErrKeyNotRSA)
	default:
		return nil, fmt.Errorf("the PEM block is %s, not one LINE WORKS issues: expected -----BEGIN PRIVATE KEY-----", describeLabel(key.Type))
	}
	if err != nil {
		return nil, err
	}
	if bits := k.N.BitLen(); bits < MinKeyBits {
		return nil, fmt.Errorf("%w (this one has %d bits)", ErrKeyTooSmall, bits)
	}
	return k, nil
}

// describeLabel names a PEM block by its label when it is a well-known one:
// a label is not secret, but any other text in its place might be.
func describeLabel(label string) string {
	if slices.Contains(knownPEMLabels, label) {
		return fmt.Sprintf("a %q block", label)
	}
	return "a block with an unexpected label"
}

var knownPEMLabels = []string{
	"CERTIFICATE", "CERTIFICATE REQUEST", "X509 CRL", "PUBLIC KEY", "RSA PUBLIC KEY", "EC PARAMETERS",
	"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY",
	"PGP PRIVATE KEY BLOCK", "PGP PUBLIC KEY BLOCK", "SSH2 ENCRYPTED PRIVATE KEY",
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

// normalizePEM undoes what environment variables, secret stores and
// heredocs commonly do to a key: literal "\n" (and "\r") sequences instead
// of line breaks, CRLF endings, and blanks around each line.
func normalizePEM(text []byte) []byte {
	s := string(text)
	if !strings.Contains(strings.TrimSpace(s), "\n") && strings.Contains(s, `\n`) {
		s = strings.ReplaceAll(strings.ReplaceAll(s, `\r`, ""), `\n`, "\n")
	}
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return []byte(strings.Join(lines, "\n"))
}
