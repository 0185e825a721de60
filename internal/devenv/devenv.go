// Package devenv runs a locally built provider the way a user runs the
// released one: the real terraform binary, a CLI configuration with
// dev_overrides, credentials in LINEWORKS_* variables, against an emulated
// LINE WORKS tenant on loopback. `make demo` and the end-to-end tests use it.
package devenv

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/emulator"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// Identities of the emulated tenant.
const (
	ClientID         = "demo-client-id"
	ServiceAccountID = "demo.serviceaccount@example.com"
	BotID            = "2000001"
	FileID           = "jp1.1763779200000000000.1763865600.0.1000001.0.0.0"
	// BotMember is the user the demo bot is limited to in its domain.
	BotMember = "dev@example.com"
	// RichMenuHeight is the height of the demo bot's rich menu and its image.
	RichMenuHeight = 843
)

// Report is the attachment a user "sent" the emulated bot.
var Report = lineworkstest.Attachment{
	FileName:    "週報_2026-11-22.pdf",
	ContentType: "application/pdf",
	Content:     []byte("%PDF-1.7\n% weekly report sent to the bot from a LINE WORKS chat\n"),
}

// Tenant is an emulated LINE WORKS tenant with one app and one attachment,
// plus the environment that points terraform and the provider at it.
type Tenant struct {
	*emulator.Tenant
	env []string
}

// Override is one more dev_overrides entry: a provider source served from a
// directory holding its binary.
type Override = emulator.Override

// NewTenant starts the emulator and writes the private key and a CLI
// configuration into dir. providerDir holds the built
// terraform-provider-lineworks binary; more overrides serve other providers
// a configuration uses, which cannot be installed here.
func NewTenant(dir, providerDir string, more ...Override) (*Tenant, error) {
	et, err := emulator.Start(emulator.Options{
		Dir:              dir,
		ClientID:         ClientID,
		ServiceAccountID: ServiceAccountID,
		Scopes:           []string{"bot", "bot.message", "user.read"},
	})
	if err != nil {
		return nil, err
	}
	t := &Tenant{Tenant: et}
	t.Emulator.Storage.AddAttachment(BotID, FileID, Report)
	// The image of the demo bot's rich menu, generated rather than committed.
	menuImage := filepath.Join(dir, "rich-menu.png")
	if err := lineworkstest.WriteRichMenuPNG(menuImage, RichMenuHeight); err != nil {
		t.Close()
		return nil, err
	}

	cliConfig := filepath.Join(dir, "terraformrc")
	overrides := append([]Override{{Source: emulator.ProviderSource, Dir: providerDir}}, more...)
	if err := emulator.WriteFileAtomic(cliConfig, emulator.CLIConfig(overrides...), 0o600); err != nil {
		t.Close()
		return nil, err
	}

	t.env = append(cleanEnviron(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_VAR_bot_id="+BotID,
		"TF_VAR_file_id="+FileID,
		"TF_VAR_domain_id="+strconv.FormatInt(lineworkstest.DefaultDomainID, 10),
		"TF_VAR_bot_administrator="+lineworkstest.DefaultUsers[0],
		"TF_VAR_bot_member="+BotMember,
		"TF_VAR_rich_menu_image="+menuImage,
	)
	t.env = append(t.env, emulator.Environ(t.Env())...)
	return t, nil
}

// Terraform returns `terraform -chdir=workdir args...` in the tenant's
// environment, plus extra variables. TF_ACC_TERRAFORM_PATH, as for
// terraform-plugin-testing, names another CLI (another version, OpenTofu).
func (t *Tenant) Terraform(ctx context.Context, workdir string, extraEnv []string, args ...string) *exec.Cmd {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli = "terraform"
	}
	return t.CLI(ctx, cli, workdir, extraEnv, args...)
}

// CLI is Terraform but runs the given CLI binary, for what only some
// versions can do (terraform query needs 1.14).
func (t *Tenant) CLI(ctx context.Context, cli, workdir string, extraEnv []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, cli, append([]string{"-chdir=" + workdir}, args...)...)
	cmd.Env = append(append([]string{}, t.env...), extraEnv...)
	return cmd
}

// Secrets are the values that must never appear in a log, a plan, a state or
// terraform's output: the client secret, the private key's body, and every
// token and assertion the emulator issued or received.
func (t *Tenant) Secrets() []string {
	secrets := []string{t.ClientSecret}
	for _, line := range strings.Split(string(t.PrivateKeyPEM), "\n") {
		if len(line) >= 32 && !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	secrets = append(secrets, t.Emulator.Auth.IssuedTokens()...)
	for _, r := range t.Emulator.Requests.All() {
		if a := r.Form.Get("assertion"); a != "" {
			secrets = append(secrets, a)
		}
	}
	return secrets
}

// CopyConfig copies the .tf files of src into dst, which it empties first.
func CopyConfig(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".tf" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, filepath.Base(p)), b, 0o644)
	})
}

// BuildProvider builds the provider from the module at repoRoot into dir
// and returns the binary's path.
func BuildProvider(ctx context.Context, repoRoot, dir string) (string, error) {
	bin := filepath.Join(dir, "terraform-provider-lineworks")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// cleanEnviron is the process environment without LINEWORKS_* and Terraform
// logging settings, so that only the tenant's settings apply.
func cleanEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "LINEWORKS_") || strings.HasPrefix(name, "TF_LOG") || name == "TF_CLI_CONFIG_FILE" || strings.HasPrefix(name, "TF_VAR_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
