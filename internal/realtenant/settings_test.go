package realtenant

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const testSecret = "realtenant-client-secret-0123"

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func credentials(t *testing.T) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "private.key")
	if err := os.WriteFile(path, lineworkstest.PKCS8PEM(lineworkstest.TestKey(0)), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		EnvClientID: "client", EnvClientSecret: testSecret, EnvServiceAccountID: "sa.serviceaccount@example.com",
		EnvPrivateKeyPath: path, EnvAPIEndpoint: "http://127.0.0.1:1/v1.0",
	}
}

func TestFromEnvReadsTheProvidersVariables(t *testing.T) {
	vars := credentials(t)
	s, err := FromEnv(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	if s.ClientID != "client" || s.ClientSecret != testSecret || s.PrivateKeyPath != vars[EnvPrivateKeyPath] || s.APIEndpoint != vars[EnvAPIEndpoint] || s.AuthEndpoint != "" {
		t.Errorf("FromEnv read %#v", s)
	}
	cfg, err := s.Config()
	if err != nil || cfg.PrivateKey == nil || !cfg.PrivateKey.Equal(lineworkstest.TestKey(0)) || fmt.Sprint(cfg.Scopes) != "[bot]" {
		t.Errorf("Config: %v", err)
	}

	// The key inline, with literal \n as CI secrets often carry it.
	delete(vars, EnvPrivateKeyPath)
	vars[EnvPrivateKey] = strings.ReplaceAll(string(lineworkstest.PKCS8PEM(lineworkstest.TestKey(0))), "\n", `\n`)
	if s, err = FromEnv(env(vars)); err != nil || s.PrivateKeyPath != "" {
		t.Fatalf("an inline key: %v", err)
	}
	for _, shown := range []string{s.String(), fmt.Sprintf("%v %+v %#v", s, s, s)} {
		if strings.Contains(shown, testSecret) || strings.Contains(shown, "PRIVATE KEY") || !strings.Contains(shown, "client") {
			t.Errorf("Settings print as %q", shown)
		}
	}
}

func TestFromEnvSaysWhatIsMissing(t *testing.T) {
	for name, tt := range map[string]struct {
		edit func(map[string]string)
		want []string
	}{
		"nothing":   {func(v map[string]string) { clear(v) }, []string{EnvClientID, EnvClientSecret, EnvServiceAccountID, EnvPrivateKeyPath, "Developer Console"}},
		"secret":    {func(v map[string]string) { delete(v, EnvClientSecret) }, []string{EnvClientSecret + " not set"}},
		"both keys": {func(v map[string]string) { v[EnvPrivateKey] = "x" }, []string{"both " + EnvPrivateKey + " and " + EnvPrivateKeyPath}},
		"no file":   {func(v map[string]string) { v[EnvPrivateKeyPath] = "/nowhere/key" }, []string{EnvPrivateKeyPath, "/nowhere/key"}},
		"not a key": {func(v map[string]string) { delete(v, EnvPrivateKeyPath); v[EnvPrivateKey] = "not a key" }, []string{"the private key", "PEM"}},
	} {
		t.Run(name, func(t *testing.T) {
			vars := credentials(t)
			tt.edit(vars)
			_, err := FromEnv(env(vars))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("%q quotes the client secret", err)
			}
		})
	}
}
