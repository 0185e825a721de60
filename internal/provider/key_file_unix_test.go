//go:build unix

package provider

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"golang.org/x/sys/unix"
)

// A named pipe as the key file is refused at once: reading it would block
// until something writes to it, holding terraform plan, and the provider
// process after Terraform gave up.
func TestAKeyFileThatIsANamedPipeIsRefusedAtOnce(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "private.key")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	_, diags := readKeyFileWithin(t, fifo)
	wantKeyFileError(t, diags, fifo+" is a named pipe (FIFO), not a regular file")
}

func TestAccProvider_aKeyFileThatIsANamedPipeFailsPlan(t *testing.T) {
	env := newAccEnv(t)
	fifo := filepath.Join(t.TempDir(), "private.key")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	env.test(t, resource.TestStep{
		Config:      strings.Replace(env.provider(), fmt.Sprintf("%q", env.keyPath), fmt.Sprintf("%q", fifo), 1) + echoAccessToken,
		ExpectError: errorText("Cannot read the LINE WORKS private key file", fifo+" is a named pipe (FIFO), not a regular file"),
	})
}
