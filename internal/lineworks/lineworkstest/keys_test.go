package lineworkstest_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestKeys(t *testing.T) {
	k := lineworkstest.TestKey(0)
	if lineworkstest.TestKey(0) != k || k.N.BitLen() != 2048 {
		t.Fatal("TestKey is not stable or not 2048-bit")
	}
	for _, tt := range []struct {
		name  string
		pem   []byte
		label string
		parse func([]byte) (any, error)
	}{
		{"PKCS8", lineworkstest.PKCS8PEM(k), "PRIVATE KEY", x509.ParsePKCS8PrivateKey},
		{"PKCS1", lineworkstest.PKCS1PEM(k), "RSA PRIVATE KEY", func(b []byte) (any, error) { return x509.ParsePKCS1PrivateKey(b) }},
		{"PKCS8 under RSA label", lineworkstest.PKCS8UnderRSALabelPEM(k), "RSA PRIVATE KEY", x509.ParsePKCS8PrivateKey},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := pem.Decode(tt.pem)
			if b == nil || b.Type != tt.label {
				t.Fatalf("PEM %q", tt.pem)
			}
			got, err := tt.parse(b.Bytes)
			if err != nil || !k.Equal(got.(*rsa.PrivateKey)) {
				t.Errorf("parse: %v", err)
			}
		})
	}
}
