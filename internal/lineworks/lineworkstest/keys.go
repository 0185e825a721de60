package lineworkstest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"sync"
)

// GenerateKey returns a new 2048-bit RSA key, the size the Developer Console
// issues.
func GenerateKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	return k
}

var testKeys struct {
	mu sync.Mutex
	m  map[int]func() *rsa.PrivateKey
}

// TestKey returns a key that is generated once per process for each index i,
// since key generation is slow, especially under the race detector.
func TestKey(i int) *rsa.PrivateKey {
	testKeys.mu.Lock()
	f, ok := testKeys.m[i]
	if !ok {
		if testKeys.m == nil {
			testKeys.m = make(map[int]func() *rsa.PrivateKey)
		}
		f = sync.OnceValue(GenerateKey)
		testKeys.m[i] = f
	}
	testKeys.mu.Unlock()
	return f() // outside the lock, so that different indexes generate in parallel
}

// PKCS8PEM encodes k as the Developer Console's "Private Key" download:
// PKCS#8 under "PRIVATE KEY".
func PKCS8PEM(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(k)})
}

// PKCS1PEM encodes k as PKCS#1 under "RSA PRIVATE KEY".
func PKCS1PEM(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

// PKCS8UnderRSALabelPEM encodes k as PKCS#8 under the "RSA PRIVATE KEY"
// label, as the API 1.0 document shows it. The label is wrong for the
// content, but such files exist.
func PKCS8UnderRSALabelPEM(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: pkcs8(k)})
}

func pkcs8(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	return der
}
