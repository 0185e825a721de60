package provider

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// privateKeySetting reads and parses the private key from private_key,
// private_key_path or their environment variables, in that order.
func privateKeySetting(m providerModel, diags *diag.Diagnostics) *rsa.PrivateKey {
	var (
		pemText []byte
		attr    string
		source  string
	)
	switch {
	case !m.PrivateKey.IsUnknown() && m.PrivateKey.ValueString() != "":
		pemText, attr, source = []byte(m.PrivateKey.ValueString()), "private_key", "private_key"
	case !m.PrivateKeyPath.IsUnknown() && m.PrivateKeyPath.ValueString() != "":
		attr, source = "private_key_path", "private_key_path"
		pemText = readKeyFile(m.PrivateKeyPath.ValueString(), attr, diags)
	case os.Getenv(envPrivateKey) != "" && os.Getenv(envPrivateKeyPath) != "":
		diags.AddAttributeError(path.Root("private_key"), "Conflicting private key settings",
			fmt.Sprintf("Both %s and %s are set; unset one of them.", envPrivateKey, envPrivateKeyPath))
		return nil
	case os.Getenv(envPrivateKey) != "":
		pemText, attr, source = []byte(os.Getenv(envPrivateKey)), "private_key", envPrivateKey
	case os.Getenv(envPrivateKeyPath) != "":
		attr, source = "private_key_path", envPrivateKeyPath
		pemText = readKeyFile(os.Getenv(envPrivateKeyPath), attr, diags)
	default:
		return nil
	}
	if pemText == nil {
		return nil
	}
	key, err := lineworks.ParsePrivateKey(pemText)
	if err != nil {
		diags.AddAttributeError(path.Root(attr), "Invalid LINE WORKS private key", fmt.Sprintf("The key from %s cannot be used: %s.", source, err))
		return nil
	}
	return key
}

// readKeyFile reads the private key file at name (~/ expanded), with the
// error on attr.
func readKeyFile(name, attr string, diags *diag.Diagnostics) []byte {
	if rest, ok := strings.CutPrefix(name, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			name = filepath.Join(home, rest)
		}
	}
	b, err := os.ReadFile(name)
	if err != nil {
		detail := err.Error()
		if errors.Is(err, os.ErrNotExist) {
			detail = fmt.Sprintf("%s does not exist: give the path of the private key file downloaded from the Developer Console", name)
		}
		diags.AddAttributeError(path.Root(attr), "Cannot read the LINE WORKS private key file", detail+".")
		return nil
	}
	return b
}
