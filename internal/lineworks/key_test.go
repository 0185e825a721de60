package lineworks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// docSampleKey is the sample key printed in the LINE WORKS API 1.0
// authentication guide (seeds/003): a PKCS#8 body under an RSA label.
const docSampleKey = `-----BEGIN RSA PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCePC4qTZPJVBeo
IXTxkJx+Ny2Dg6mUSy5ec53Ennf6omFBctFZynKsG7/aJ4XFbkPBQskP4U9BBvSL
6iBurLgQ7uAbXbRzqbso5+lLJH9Asw0kkkMSJggRY5jaQwfp4l63Ll3LEC0vrbjL
SW4WFgPPBL1FyeHP9g06nkLINTHy++1csYXJXZqjkxNLYnx1Cdwj6+4L4q3HDqIn
IxNzryPaZgOj54I851IZhoy2JgOjMyouRl40pjWBUEh/N4ijoqxCfC3ZXlQmb+a0
A8fYyEhVmlL6mBMdgWdj9RiECXyy0Clmv5ZdTEzt4U7O482/nPmRh5stNyfx9QF9
oEfDmx2xAgMBAAECggEAUJqHSbVK2vujMVoZoBPyI7knzh57e7bwX9y1OTsgEuQ0
dopuajbeQx2/lPkdA30vtnq2wQgcvxsz5zHUY4xIFxgXwNjy2xhS5nt8M3Lb/7E1
uLNoxw3ofjMl4cjTdyiA5v8PeCk9W1Q7FhLJqSZ9ui7H240DIlRMWNfVXPb8ArHR
AjCB6gMIZhYDtQxq76mKxcVZgHnBB9I8dHcjvD+wfbGyX4H0RzTzCMNC4JrTKSIt
y51GMma+jhZ86vcwPQs6bHPBrEbZOw1ZWVMHJOc40lkGj0KzU9jjhguXr6BITLtz
HRrRFgdghpwdYTrUshLpCxJkK/I8UBUnXsAdISl7IQKBgQD155+FlO0Iy3htNS7E
J/uHuC7ExEK01utHgKOoP0pSXmDBmUkAitr0xbvhpnxEEk6bBZdIdhuF/HeXRcJU
T310PIRvIvtRq6bcK31UeelQKMRnp1I0ltj9J/+cutmScN9CbdqY2D9JoXCpk3h/
grhvlmjr68lINtzU8GxSMhffiwKBgQCkuy2TS4eOZnDTxD3nUpqsJugrwBW/IydP
ENhubhhIVUtBDPp/arFPDRJqfqgvjgeoY60L7mpo7uBWa4vwghFJBNDtRj2rKysK
HTI3zaz9QT/7FtYyxCgFY2lijDVv1RVIM91V+aregYfdgeer4HI54Kcv2eNZ2rz0
on6G809fMwKBgFC/DhK/JFaO+aximkivGFkokbLq/zyClh+UjijhH3aMpxjrTJ1w
+xUFGPyvvn5bxJQC8fpJTiBhFqQFtBobQAa7GIGl6wCWbOQ/I5hpr8Myn8uplcTP
A9GdIMJGWMtNZQJbMDygRafX6zbDxf2Y3xdFPI67jgy4dys1B1y2NkChAoGAcTnO
y61gkTpMVuJOAk++zJE5h8jRqb0J6ciUWuMFgcJOpXm8PBQjp0g+3kAMbhNbpBxO
9yJ6tYFrZTsqxrdAFkZfLJfZD2vue1cyCzUtsC1HQtihhedZ8sovx3LD0AhQRn6P
peaj0aiKsG/3wyXUnX+SqstC/6Hfuu5ttWhLqA0CgYBTNRjoRdAJcKzlkdO5Pt/d
Mm/NffywAmsaCrEigGHGs2Kgcz8D2ZrqU8SMUQJODIddAtA7IWHORIvbCIvd2ZHT
k6DEtV+QtGpXZSsIwi6Dl62oive4nZ/9yGxWYRIXugvvVMcJVGQdH+INz5/9X30/
j0+0lyfdNTYtuXlMebHUag==
-----END RSA PRIVATE KEY-----`

func TestParsePrivateKeyAcceptsEveryLINEWORKSShape(t *testing.T) {
	key := lineworkstest.TestKey(0)
	pkcs8 := string(lineworkstest.PKCS8PEM(key))
	for name, text := range map[string]string{
		"PKCS#8 as downloaded":           pkcs8,
		"PKCS#1":                         string(lineworkstest.PKCS1PEM(key)),
		"PKCS#8 body under an RSA label": string(lineworkstest.PKCS8UnderRSALabelPEM(key)),
		"literal \\n from an env var":    strings.ReplaceAll(strings.TrimSpace(pkcs8), "\n", `\n`),
		"CRLF line endings and blanks":   "\n  " + strings.ReplaceAll(pkcs8, "\n", "\r\n") + "  \n",
		"literal \\r\\n":                 strings.ReplaceAll(strings.TrimSpace(pkcs8), "\n", `\r\n`),
		"indented, as in a heredoc":      "    " + strings.ReplaceAll(strings.TrimSpace(pkcs8), "\n", "\n    ") + "\n",
		"text around the block":          "key for the bot, downloaded 2026-11-22:\n" + pkcs8 + "(do not share)\n",
		"a certificate before the key":   string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}})) + pkcs8,
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParsePrivateKey([]byte(text))
			if err != nil {
				t.Fatalf("ParsePrivateKey: %v", err)
			}
			if !got.Equal(key) {
				t.Fatal("parsed key differs from the original")
			}
		})
	}
}

func TestParsePrivateKeyReadsTheAPI10DocumentSample(t *testing.T) {
	key, err := ParsePrivateKey([]byte(docSampleKey))
	if err != nil {
		t.Fatalf("ParsePrivateKey(sample from the API 1.0 guide): %v", err)
	}
	if key.N.BitLen() != 2048 {
		t.Fatalf("modulus is %d bits, want 2048", key.N.BitLen())
	}
}

func TestParsePrivateKeySaysWhatIsWrong(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecPKCS8, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecSEC1, _ := x509.MarshalECPrivateKey(ec)
	rsaDER := x509.MarshalPKCS1PrivateKey(lineworkstest.TestKey(0))
	encryptedLegacy := pem.EncodeToMemory(&pem.Block{
		Type:    "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   rsaDER,
	})

	for _, tc := range []struct {
		name string
		text []byte
		want error
		says string
	}{
		{"EC key in PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecPKCS8}), ErrKeyNotRSA, "EC key"},
		{"EC key in SEC 1", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecSEC1}), ErrKeyNotRSA, "EC key"},
		{"PKCS#8 encrypted", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0x00}}), ErrKeyEncrypted, "passphrase"},
		{"legacy OpenSSL encryption", encryptedLegacy, ErrKeyEncrypted, "passphrase"},
		{"not PEM at all", []byte("MIIEvAIBADANBgkqhkiG9w0BAQEFAASC"), ErrKeyNotPEM, "not PEM"},
		{"a file path by mistake", []byte("/home/me/private_20240101.key"), ErrKeyNotPEM, "BEGIN PRIVATE KEY"},
		{"a certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}), nil, `"CERTIFICATE"`},
		{"garbage under the right label", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not DER")}), nil, "could not be parsed"},
		{"a 1024-bit key", lineworkstest.PKCS8PEM(smallKey(t)), ErrKeyTooSmall, "1024 bits"},
		{"two keys", append(lineworkstest.PKCS8PEM(lineworkstest.TestKey(0)), lineworkstest.PKCS1PEM(lineworkstest.TestKey(1))...), nil, "2 private keys"},
		{"a public key", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}}), nil, `"PUBLIC KEY" block but no private key`},
		{"an odd label", pem.EncodeToMemory(&pem.Block{Type: "MIIEvAIBADANBgkqhkiG9w0BAQEFAASC PRIVATE KEY", Bytes: []byte{1}}), nil, "unexpected label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePrivateKey(tc.text)
			if err == nil {
				t.Fatal("ParsePrivateKey accepted it")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %q is not %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
		})
	}
}

func smallKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestParsePrivateKeyErrorsNeverQuoteTheKey(t *testing.T) {
	body := strings.Split(docSampleKey, "\n")[5]
	broken := strings.Replace(docSampleKey, "MIIEvAIBADAN", "MIIEvAIBADAX", 1)
	_, err := ParsePrivateKey([]byte(broken))
	if err == nil {
		t.Fatal("a corrupted key was accepted")
	}
	if strings.Contains(err.Error(), body[:16]) {
		t.Fatalf("error quotes key material: %v", err)
	}
}
