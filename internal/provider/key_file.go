package provider

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// maxKeyFileSize bounds what is read of a private key file. A 4096-bit RSA
// key in PEM is about 3.3 KB; with a certificate chain beside it, a few
// times that. No key file reaches 64 KiB, and a bigger file (a disk image,
// a log given by mistake) must not fill memory.
const maxKeyFileSize = 64 << 10

// keySource says where the private key came from, for the advice errors
// give: the argument or variable, and the file's absolute path when it was
// read from one.
type keySource struct {
	attr string // private_key or private_key_path
	from string // the argument, or the environment variable
	file string // the key file's absolute path; "" for PEM text
}

// privateKeySetting reads and parses the private key from private_key,
// private_key_path or their environment variables, in that order.
func privateKeySetting(m providerModel, diags *diag.Diagnostics) (*rsa.PrivateKey, keySource) {
	var (
		pemText []byte
		src     keySource
	)
	switch {
	case !m.PrivateKey.IsUnknown() && m.PrivateKey.ValueString() != "":
		pemText, src = []byte(m.PrivateKey.ValueString()), keySource{attr: "private_key", from: "private_key"}
	case !m.PrivateKeyPath.IsUnknown() && m.PrivateKeyPath.ValueString() != "":
		src = keySource{attr: "private_key_path", from: "private_key_path"}
		pemText, src.file = readKeyFile(m.PrivateKeyPath.ValueString(), src, diags)
	case os.Getenv(envPrivateKey) != "" && os.Getenv(envPrivateKeyPath) != "":
		diags.AddAttributeError(path.Root("private_key"), "Conflicting private key settings",
			fmt.Sprintf("Both %s and %s are set; unset one of them.", envPrivateKey, envPrivateKeyPath))
		return nil, keySource{}
	case os.Getenv(envPrivateKey) != "":
		pemText, src = []byte(os.Getenv(envPrivateKey)), keySource{attr: "private_key", from: envPrivateKey}
	case os.Getenv(envPrivateKeyPath) != "":
		src = keySource{attr: "private_key_path", from: envPrivateKeyPath}
		pemText, src.file = readKeyFile(os.Getenv(envPrivateKeyPath), src, diags)
	default:
		return nil, keySource{}
	}
	if pemText == nil {
		return nil, src
	}
	key, err := lineworks.ParsePrivateKey(pemText)
	switch {
	case err == nil:
		return key, src
	case errors.Is(err, lineworks.ErrKeyNotPEM) && src.file == "" && looksLikePath(string(pemText)):
		diags.AddAttributeError(path.Root(src.attr), "Invalid LINE WORKS private key",
			fmt.Sprintf("%s holds what looks like a file path, not the key's PEM text. Give the path as private_key_path instead "+
				"(or %s), or the key's text itself, such as private_key = file(\"…\").", src.from, envPrivateKeyPath))
	default:
		diags.AddAttributeError(path.Root(src.attr), "Invalid LINE WORKS private key", fmt.Sprintf("The key from %s cannot be used: %s.", src.where(), err))
	}
	return nil, src
}

// where names the key's source in a message: the argument or variable, and
// the file it named.
func (s keySource) where() string {
	if s.file == "" {
		return s.from
	}
	return fmt.Sprintf("%s (%s)", s.from, s.file)
}

// looksLikePath reports whether text, given as a key's PEM text, is rather
// the path of a file: one line, no blanks, and a path's start or a key
// file's extension. A key's base64 body starts with "MII", never with one
// of these.
func looksLikePath(text string) bool {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > 4096 || strings.ContainsAny(text, " \t\r\n") {
		return false
	}
	for _, start := range []string{"/", "~/", "./", "../", `\`, `.\`} {
		if strings.HasPrefix(text, start) {
			return true
		}
	}
	if len(text) > 2 && text[1] == ':' && (text[2] == '\\' || text[2] == '/') { // C:\keys\…
		return true
	}
	switch strings.ToLower(filepath.Ext(text)) {
	case ".key", ".pem", ".p8", ".der":
		return true
	}
	return false
}

// readKeyFile reads the private key file at name (~/ expanded), with
// errors and warnings on src.attr, and returns its content and absolute
// path. It reads only a regular file, and at most maxKeyFileSize bytes: a
// named pipe would block Terraform (and keep the provider running after
// Terraform exits), a device or a huge file would fill memory. A key file
// that others may read gets a warning.
func readKeyFile(name string, src keySource, diags *diag.Diagnostics) ([]byte, string) {
	if rest, ok := strings.CutPrefix(name, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			name = filepath.Join(home, rest)
		}
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	fail := func(format string, args ...any) ([]byte, string) {
		diags.AddAttributeError(path.Root(src.attr), "Cannot read the LINE WORKS private key file", fmt.Sprintf(format, args...))
		return nil, abs
	}
	// Stat follows a symbolic link: a key mounted as a link (a Kubernetes
	// secret) is fine, as long as it leads to a regular file.
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fail("%s does not exist (%s is %q, read from %s, the directory Terraform runs in). Give the path of the private key file downloaded from the Developer Console; \"${path.module}/…\" is relative to the configuration.",
			abs, src.from, name, filepath.Dir(abs))
	case err != nil:
		return fail("%s: %s.", abs, err)
	case !fi.Mode().IsRegular():
		return fail("%s is %s, not a regular file. Give the path of the private key file downloaded from the Developer Console.", abs, lineworks.FileKind(name, fi.Mode()))
	case fi.Size() > maxKeyFileSize:
		return fail("%s is %d bytes, more than any private key file (at most %d): it cannot be the key downloaded from the Developer Console. Check the path.", abs, fi.Size(), maxKeyFileSize)
	}
	// Non-blocking, so that a named pipe put there since the Stat cannot
	// hold the open; the opened file is checked again.
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return fail("%s: %s.", abs, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fail("%s is no longer a regular file. Give the path of the private key file downloaded from the Developer Console.", abs)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	switch {
	case err != nil:
		return fail("%s: %s.", abs, err)
	case len(b) > maxKeyFileSize:
		return fail("%s is more than %d bytes, more than any private key file: it cannot be the key downloaded from the Developer Console. Check the path.", abs, maxKeyFileSize)
	}
	if perm := fi.Mode().Perm(); perm&0o044 != 0 && runtime.GOOS != "windows" {
		diags.AddAttributeWarning(path.Root(src.attr), "LINE WORKS private key file readable by others",
			fmt.Sprintf("%s has mode %04o: users of this machine other than its owner can read it, and with it act as the app's service account. "+
				"Make it readable by its owner only: chmod 600 %s.", abs, perm, abs))
	}
	return b, abs
}
