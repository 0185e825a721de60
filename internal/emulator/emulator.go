// Package emulator starts an emulated LINE WORKS tenant the way users run
// it: the emulator's hosts on loopback, one app with its private key written
// to disk, and the LINEWORKS_* settings that point the provider at it. The
// lineworks-emulator command, internal/devenv (make demo and the end-to-end
// tests) all start their tenant here.
package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Defaults of the app a Tenant registers when Options name none.
const (
	DefaultClientID         = "emulator-client-id"
	DefaultServiceAccountID = "emulator.serviceaccount@example.com"
	KeyFileName             = "private_key.pem"
)

// Options say how to start a Tenant.
type Options struct {
	// Listen says where the hosts listen; the zero value picks free
	// loopback ports.
	Listen lineworkstest.Options
	// Dir is where the private key is written (KeyFileName); it is created
	// if needed.
	Dir string

	// The app. Each one left empty gets a default: DefaultClientID, a
	// random client secret, DefaultServiceAccountID, a new 2048-bit key.
	ClientID, ClientSecret, ServiceAccountID string
	PrivateKey                               *rsa.PrivateKey
	// Scopes enabled for the app; nil enables every scope.
	Scopes []string
	// InlineKey puts the key itself in LINEWORKS_PRIVATE_KEY instead of its
	// path in LINEWORKS_PRIVATE_KEY_PATH.
	InlineKey bool
}

// Tenant is a running emulated tenant and the credentials of its app.
type Tenant struct {
	Emulator         *lineworkstest.Server
	ClientID         string
	ClientSecret     string
	ServiceAccountID string
	PrivateKeyPEM    []byte
	KeyPath          string
	inlineKey        bool
	publicKey        *rsa.PublicKey
	scopes           []string
}

// Start starts the emulator, registers the app and writes its key.
func Start(o Options) (*Tenant, error) {
	if o.Dir == "" {
		return nil, errors.New("emulator: Options.Dir is required: the private key is written there")
	}
	key := o.PrivateKey
	if key == nil {
		key = lineworkstest.GenerateKey()
	}
	t := &Tenant{
		ClientID:         orDefault(o.ClientID, DefaultClientID),
		ClientSecret:     orDefault(o.ClientSecret, randomHex(20)),
		ServiceAccountID: orDefault(o.ServiceAccountID, DefaultServiceAccountID),
		PrivateKeyPEM:    lineworkstest.PKCS8PEM(key),
		KeyPath:          filepath.Join(o.Dir, KeyFileName),
		inlineKey:        o.InlineKey,
		publicKey:        &key.PublicKey,
		scopes:           o.Scopes,
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	if err := WriteFileAtomic(t.KeyPath, t.PrivateKeyPEM, 0o600); err != nil {
		return nil, err
	}
	emu, err := lineworkstest.Start(o.Listen)
	if err != nil {
		return nil, err
	}
	t.Emulator = emu
	t.RegisterApp()
	return t, nil
}

// RegisterApp registers the tenant's app with the emulator, replacing any
// app with its client ID: Start does, and a caller that loads a saved state
// does again, so that this run's credentials are the ones that work.
func (t *Tenant) RegisterApp() {
	t.Emulator.Auth.RegisterApp(lineworkstest.App{
		ClientID:         t.ClientID,
		ClientSecret:     t.ClientSecret,
		ServiceAccountID: t.ServiceAccountID,
		PublicKey:        t.publicKey,
		Scopes:           t.scopes,
	})
}

// Close stops the emulator.
func (t *Tenant) Close() { t.Emulator.Close() }

// Setting is one environment variable.
type Setting struct{ Name, Value string }

// Env is what points the provider at the tenant: the LINEWORKS_* variables
// of the app and the endpoints, plus LINEWORKS_EMULATOR_ADMIN_URL when the
// admin door listens.
func (t *Tenant) Env() []Setting {
	env := []Setting{
		{"LINEWORKS_CLIENT_ID", t.ClientID},
		{"LINEWORKS_CLIENT_SECRET", t.ClientSecret},
		{"LINEWORKS_SERVICE_ACCOUNT_ID", t.ServiceAccountID},
	}
	if t.inlineKey {
		env = append(env, Setting{"LINEWORKS_PRIVATE_KEY", string(t.PrivateKeyPEM)})
	} else {
		env = append(env, Setting{"LINEWORKS_PRIVATE_KEY_PATH", t.KeyPath})
	}
	env = append(env,
		Setting{"LINEWORKS_AUTH_ENDPOINT", t.Emulator.AuthURL()},
		Setting{"LINEWORKS_API_ENDPOINT", t.Emulator.APIURL()},
		Setting{"LINEWORKS_STORAGE_ENDPOINT", t.Emulator.StorageURL()},
	)
	if u := t.Emulator.AdminURL(); u != "" {
		env = append(env, Setting{"LINEWORKS_EMULATOR_ADMIN_URL", u})
	}
	return env
}

// Environ is Env as "NAME=value" strings, for exec.Cmd.Env.
func Environ(env []Setting) []string {
	out := make([]string, len(env))
	for i, s := range env {
		out[i] = s.Name + "=" + s.Value
	}
	return out
}

// Exports is env as shell lines, `export NAME='value'`, for eval.
func Exports(env []Setting) string {
	var b strings.Builder
	for _, s := range env {
		fmt.Fprintf(&b, "export %s=%s\n", s.Name, shellQuote(s.Value))
	}
	return b.String()
}

// EnvFile is env as a dotenv file (NAME=value lines), which GitHub Actions
// reads from $GITHUB_ENV. A value with a newline (an inline key) cannot be
// written that way: use the key's path.
func EnvFile(env []Setting) ([]byte, error) {
	var b strings.Builder
	for _, s := range env {
		if strings.ContainsAny(s.Value, "\r\n") {
			return nil, fmt.Errorf("%s spans several lines, which an env file cannot hold: use the key's path (LINEWORKS_PRIVATE_KEY_PATH)", s.Name)
		}
		fmt.Fprintf(&b, "%s=%s\n", s.Name, s.Value)
	}
	return []byte(b.String()), nil
}

// Override is one dev_overrides entry: a provider source served from the
// directory holding its binary.
type Override struct{ Source, Dir string }

// ProviderSource is this provider's source address.
const ProviderSource = "lineworks-community/lineworks"

// CLIConfig is a Terraform CLI configuration whose dev_overrides serve
// each provider from its directory; every other provider installs as usual.
func CLIConfig(overrides ...Override) []byte {
	var entries strings.Builder
	for _, o := range overrides {
		fmt.Fprintf(&entries, "    %q = %q\n", o.Source, o.Dir)
	}
	return []byte("provider_installation {\n  dev_overrides {\n" + entries.String() + "  }\n  direct {}\n}\n")
}

// WriteFileAtomic writes data to path with perm, replacing the file at once
// so that a reader never sees it half written.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; removes a partial file otherwise
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ReadPrivateKey reads an RSA private key in PEM, as the Developer Console
// downloads it (PKCS#8) or as PKCS#1.
func ReadPrivateKey(path string) (*rsa.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, fmt.Errorf("%s holds no PEM block: want the private key file the Developer Console downloads", path)
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: not a PKCS#8 or PKCS#1 private key: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s holds a %T key: LINE WORKS keys are RSA", path, k)
	}
	return rk, nil
}

// shellQuote quotes v for a POSIX shell.
func shellQuote(v string) string {
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails; see crypto/rand.Read
	return hex.EncodeToString(b)
}
