package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tenant")
	tenant, err := Start(Options{Dir: dir, PrivateKey: lineworkstest.TestKey(0), Scopes: []string{"bot"}, Listen: lineworkstest.Options{AdminAddr: "127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	if fi, err := os.Stat(tenant.KeyPath); err != nil || fi.Mode().Perm() != 0o600 || filepath.Dir(tenant.KeyPath) != dir {
		t.Errorf("key file %v %v", fi, err)
	}
	env := map[string]string{}
	for _, s := range tenant.Env() {
		env[s.Name] = s.Value
	}
	if env["LINEWORKS_CLIENT_ID"] != DefaultClientID || env["LINEWORKS_SERVICE_ACCOUNT_ID"] != DefaultServiceAccountID || len(env["LINEWORKS_CLIENT_SECRET"]) != 40 ||
		env["LINEWORKS_PRIVATE_KEY_PATH"] != tenant.KeyPath || env["LINEWORKS_API_ENDPOINT"] != tenant.Emulator.APIURL() || env["LINEWORKS_EMULATOR_ADMIN_URL"] == "" {
		t.Errorf("env %v", env)
	}
	st := tenant.Emulator.State()
	if len(st.Apps) != 1 || st.Apps[0].ClientSecret != tenant.ClientSecret || strings.Join(st.Apps[0].Scopes, " ") != "bot" {
		t.Errorf("registered apps %+v", st.Apps)
	}
	if _, err := Start(Options{}); err == nil {
		t.Error("no Dir was accepted")
	}
}

// The export lines survive a shell, whatever the value holds.
func TestExportsQuoteForTheShell(t *testing.T) {
	env := []Setting{{"A", "it's"}, {"B", "-----BEGIN\nline $HOME `x`\n-----END"}}
	out, err := exec.Command("sh", "-c", Exports(env)+`printf '%s|%s' "$A" "$B"`).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "it's|-----BEGIN\nline $HOME `x`\n-----END" {
		t.Errorf("the shell read %q", out)
	}
	if _, err := EnvFile(env); err == nil || !strings.Contains(err.Error(), "B") {
		t.Errorf("EnvFile took a value of several lines: %v", err)
	}
	if b, err := EnvFile(env[:1]); err != nil || string(b) != "A=it's\n" {
		t.Errorf("EnvFile %q %v", b, err)
	}
	if got := string(CLIConfig(Override{ProviderSource, "/p"})); !strings.Contains(got, `"lineworks-community/lineworks" = "/p"`) || !strings.Contains(got, "direct {}") {
		t.Errorf("CLIConfig %s", got)
	}
}

func TestReadPrivateKey(t *testing.T) {
	dir := t.TempDir()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	for name, tt := range map[string]struct {
		pem  []byte
		want string // error text; "" for success
	}{
		"pkcs8": {lineworkstest.PKCS8PEM(lineworkstest.TestKey(0)), ""},
		"pkcs1": {lineworkstest.PKCS1PEM(lineworkstest.TestKey(0)), ""},
		"ec":    {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), "RSA"},
		"text":  {[]byte("not a key"), "no PEM"},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, tt.pem, 0o600); err != nil {
			t.Fatal(err)
		}
		k, err := ReadPrivateKey(path)
		switch {
		case tt.want == "" && (err != nil || !k.Equal(lineworkstest.TestKey(0))):
			t.Errorf("%s: %v", name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", name, err, tt.want)
		}
	}
}
