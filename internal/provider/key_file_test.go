package provider

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

var keyPathSource = keySource{attr: "private_key_path", from: "private_key_path"}

// readKeyFileWithin reads name as the provider does, failing the test if
// that has not returned after a generous limit: a read that blocks is the
// bug.
func readKeyFileWithin(t *testing.T, name string) ([]byte, diag.Diagnostics) {
	t.Helper()
	var (
		b     []byte
		diags diag.Diagnostics
	)
	done := make(chan struct{})
	go func() { defer close(done); b, _ = readKeyFile(name, keyPathSource, &diags) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("reading %s has not returned after 20s", name)
	}
	return b, diags
}

func wantKeyFileError(t *testing.T, diags diag.Diagnostics, parts ...string) {
	t.Helper()
	if len(diags.Errors()) != 1 {
		t.Fatalf("diagnostics %v, want one error", diags)
	}
	d := diags.Errors()[0]
	for _, p := range parts {
		if !strings.Contains(d.Detail(), p) {
			t.Errorf("%q lacks %q", d.Detail(), p)
		}
	}
	if with, ok := d.(diag.DiagnosticWithPath); !ok || with.Path().String() != "private_key_path" {
		t.Errorf("the error is not on private_key_path: %v", d)
	}
}

// A directory, or a file larger than any key (a 256 MiB one took 809 MiB
// of memory), is refused without being read, saying what it is.
func TestKeyFileMustBeAKeySizedRegularFile(t *testing.T) {
	dir := t.TempDir()
	_, diags := readKeyFileWithin(t, dir)
	wantKeyFileError(t, diags, dir+" is a directory, not a regular file")

	big := filepath.Join(dir, "disk.img")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(256 << 20); err != nil { // sparse: nothing written
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chmod(big, 0o600); err != nil {
		t.Fatal(err)
	}
	b, diags := readKeyFileWithin(t, big)
	wantKeyFileError(t, diags, big+" is 268435456 bytes, more than any private key file (at most 65536)")
	if b != nil {
		t.Error("the big file was read")
	}
}

// A missing key file is named by its absolute path, with the directory a
// relative one was read from.
func TestAMissingKeyFileIsNamedAbsolutely(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	_, diags := readKeyFileWithin(t, "private_20261122.key")
	wantKeyFileError(t, diags, filepath.Join(wd, "private_20261122.key")+" does not exist", `private_key_path is "private_20261122.key"`, "read from "+wd)
}

// A key file others may read is used, with a warning on private_key_path
// that says how to fix it; one only its owner reads gets none.
func TestAKeyFileReadableByOthersIsWarnedAbout(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits for others")
	}
	name := filepath.Join(t.TempDir(), "private.key")
	if err := os.WriteFile(name, lineworkstest.PKCS8PEM(lineworkstest.TestKey(0)), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, diags := readKeyFileWithin(t, name); b == nil || diags.HasError() || len(diags.Warnings()) != 0 {
		t.Fatalf("a key only its owner reads: %v", diags)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		if err := os.Chmod(name, mode); err != nil {
			t.Fatal(err)
		}
		b, diags := readKeyFileWithin(t, name)
		if b == nil || diags.HasError() || len(diags.Warnings()) != 1 {
			t.Fatalf("mode %04o: %v", mode, diags)
		}
		w := diags.Warnings()[0]
		if !strings.Contains(w.Detail(), name) || !strings.Contains(w.Detail(), "chmod 600 "+name) {
			t.Errorf("mode %04o: %q", mode, w.Detail())
		}
		if with, ok := w.(diag.DiagnosticWithPath); !ok || with.Path().String() != "private_key_path" {
			t.Errorf("the warning is not on private_key_path: %v", w)
		}
	}
}

// A private_key that looks like a path says to use private_key_path.
func TestLooksLikePath(t *testing.T) {
	for text, want := range map[string]bool{
		"/home/kim/private_20261122.key": true,
		"~/keys/private.key":             true,
		"./private.key":                  true,
		"private_20261122.key":           true,
		`C:\keys\private.pem`:            true,
		"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7":         false,
		"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----": false,
		"this is not a key": false,
	} {
		if got := looksLikePath(text); got != want {
			t.Errorf("looksLikePath(%q) = %v", text, got)
		}
	}
}
