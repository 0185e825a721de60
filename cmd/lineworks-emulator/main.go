// Command lineworks-emulator serves an emulated LINE WORKS tenant on
// loopback, for testing Terraform configurations (and any other LINE WORKS
// client) offline and in CI, with no tenant and no credentials:
//
//	go run github.com/lineworks-community/terraform-provider-lineworks/cmd/lineworks-emulator@latest
//
// It prints the `export LINEWORKS_…=` lines that point the provider at it,
// for an app it registers (or one given by flags), and serves until
// interrupted. Its admin door (LINEWORKS_EMULATOR_ADMIN_URL) shows the whole
// state as JSON and changes it behind Terraform's back: seed, change or
// delete bots, turn on faults, rate limits and the service's alternative
// answer forms. With -state, the state is loaded at start and saved on exit.
// See the guide "Testing your configuration offline".
//
// Every listener is plain http on loopback, which the provider accepts for
// loopback endpoints only. The admin door and the state file hold secrets
// (the app's client secret, tokens, Bot Secrets): it is a test tool.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/emulator"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	listen                  lineworkstest.Options
	dir                     string
	clientID, clientSecret  string
	serviceAccount, keyFile string
	scopes                  string
	domains, users          string
	inlineKey               bool
	state                   string
	answerForms             string
	rateLimit               int
	rateLimitWindow         time.Duration
	readLatency             time.Duration
	mutationLatency         time.Duration
	devOverrides, cliConfig string
	envFile                 string
	verbose, version        bool
	set                     map[string]bool // the flags given
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fl := flag.NewFlagSet("lineworks-emulator", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		say(stderr, "Usage: lineworks-emulator [flags]\n\n"+
			"Serves an emulated LINE WORKS tenant on loopback until interrupted, and prints the\n"+
			"export LINEWORKS_...= lines that point the Terraform provider at it.\n\nFlags:\n")
		fl.PrintDefaults()
	}
	fl.StringVar(&c.listen.AuthAddr, "auth-addr", "127.0.0.1:0", "loopback `address` of the auth host (port 0: a free port)")
	fl.StringVar(&c.listen.APIAddr, "api-addr", "127.0.0.1:0", "loopback `address` of the API host")
	fl.StringVar(&c.listen.StorageAddr, "storage-addr", "127.0.0.1:0", "loopback `address` of the storage host (its URL names localhost)")
	fl.StringVar(&c.listen.AdminAddr, "admin-addr", "127.0.0.1:0", "loopback `address` of the admin door")
	fl.StringVar(&c.dir, "dir", "", "`directory` for the private key and the CLI configuration (default: a temporary one, removed on exit)")
	fl.StringVar(&c.clientID, "client-id", "", "the app's Client ID (default "+emulator.DefaultClientID+")")
	fl.StringVar(&c.clientSecret, "client-secret", "", "the app's Client Secret (default: random)")
	fl.StringVar(&c.serviceAccount, "service-account-id", "", "the app's Service Account (default "+emulator.DefaultServiceAccountID+")")
	fl.StringVar(&c.keyFile, "private-key-file", "", "PEM `file` of the app's private key, registered as is (default: a new key, written to -dir)")
	fl.StringVar(&c.scopes, "scopes", "", "space-separated OAuth scopes enabled for the app (default: every scope)")
	fl.StringVar(&c.domains, "domains", "", "comma-separated domain IDs to add to the tenant, besides 10000001, for allow_domains and registrations")
	fl.StringVar(&c.users, "users", "", "comma-separated login e-mails (or user IDs) to add to the tenant, for administrators, besides admin@, dev@ and ops@example.com")
	fl.BoolVar(&c.inlineKey, "inline-key", false, "print the key itself as LINEWORKS_PRIVATE_KEY instead of LINEWORKS_PRIVATE_KEY_PATH")
	fl.StringVar(&c.state, "state", "", "JSON `file` the state is loaded from at start (when it exists) and saved to on exit")
	fl.StringVar(&c.answerForms, "answer-forms", "", "the service's alternative answer forms: \"all\", name=value pairs such as create_answer=id_only,deleted_bot_status=410, or @file: a tenant's contract-report.json (make contract), to answer as that tenant did")
	fl.IntVar(&c.rateLimit, "rate-limit", lineworkstest.RateLimitStandard, "requests per minute (per -rate-limit-window) each API accepts before 429 (60 on the Free plan; 0: no limit)")
	fl.DurationVar(&c.rateLimitWindow, "rate-limit-window", time.Minute, "the `window` -rate-limit counts in: a minute on the service; shorter (3s) to meet the limit in seconds")
	fl.DurationVar(&c.readLatency, "read-latency", 0, "how long each API read (GET) takes, such as 50ms")
	fl.DurationVar(&c.mutationLatency, "mutation-latency", lineworkstest.DefaultMutationHold, "how long each change to a bot takes (and keeps the bot busy, answering 409 to another)")
	fl.StringVar(&c.devOverrides, "dev-overrides", "", "`directory` holding a locally built terraform-provider-lineworks: write a CLI configuration that uses it, and export TF_CLI_CONFIG_FILE")
	fl.StringVar(&c.cliConfig, "cli-config", "", "`file` for the CLI configuration -dev-overrides writes (default: terraformrc in -dir)")
	fl.StringVar(&c.envFile, "env-file", "", "also write the settings as NAME=value lines to `file`, at once when ready (append it to $GITHUB_ENV)")
	fl.BoolVar(&c.verbose, "v", false, "log each request to stderr")
	fl.BoolVar(&c.version, "version", false, "print the version and exit")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	c.set = map[string]bool{}
	fl.Visit(func(f *flag.Flag) { c.set[f.Name] = true })
	if fl.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: lineworks-emulator takes flags only (-h lists them)", fl.Arg(0))
	}
	if c.cliConfig != "" && c.devOverrides == "" {
		return nil, errors.New("-cli-config names where -dev-overrides writes: give -dev-overrides too")
	}
	if c.rateLimitWindow < time.Second {
		return nil, fmt.Errorf("-rate-limit-window is %s: it must be at least 1s, as the service gives rateLimit-reset in whole seconds", c.rateLimitWindow)
	}
	if c.readLatency < 0 || c.mutationLatency < 0 {
		return nil, errors.New("-read-latency and -mutation-latency must not be negative")
	}
	if c.inlineKey && c.envFile != "" {
		return nil, errors.New("-inline-key cannot go with -env-file: an env file holds one line per setting; leave -inline-key out to use the key's path")
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		say(stderr, "lineworks-emulator: %v\n", err)
		return 2
	}
	if c.version {
		say(stdout, "lineworks-emulator %s\n", version())
		return 0
	}
	if err := serve(ctx, c, stdout, stderr); err != nil {
		say(stderr, "lineworks-emulator: %v\n", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, c *config, stdout, stderr io.Writer) error {
	forms, err := answerForms(c.answerForms)
	if err != nil {
		return fmt.Errorf("-answer-forms: %w", err)
	}
	opts := emulator.Options{
		Listen: c.listen, Dir: c.dir, ClientID: c.clientID, ClientSecret: c.clientSecret,
		ServiceAccountID: c.serviceAccount, InlineKey: c.inlineKey,
	}
	if c.scopes != "" {
		opts.Scopes = strings.Fields(c.scopes)
	}
	if c.keyFile != "" {
		if opts.PrivateKey, err = emulator.ReadPrivateKey(c.keyFile); err != nil {
			return fmt.Errorf("-private-key-file: %w", err)
		}
	}
	if opts.Dir == "" {
		if opts.Dir, err = os.MkdirTemp("", "lineworks-emulator-"); err != nil {
			return err
		}
		defer os.RemoveAll(opts.Dir)
	}
	tenant, err := emulator.Start(opts)
	if err != nil {
		return err
	}
	defer tenant.Close()
	if c.keyFile != "" {
		// The key stays where the user keeps it; no copy is needed.
		os.Remove(tenant.KeyPath)
		tenant.KeyPath, _ = filepath.Abs(c.keyFile)
	}
	emu := tenant.Emulator

	if c.state != "" {
		switch err := emu.LoadState(c.state); {
		case errors.Is(err, fs.ErrNotExist):
			say(stderr, "lineworks-emulator: no state at %s yet: starting empty; it is saved there on exit\n", c.state)
		case err != nil:
			return err
		}
		tenant.RegisterApp() // this run's credentials, over the saved app's
	}
	for _, d := range splitList(c.domains) {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("-domains: %q is not a domain ID (a positive number)", d)
		}
		emu.Directory.AddDomains(id)
	}
	emu.Directory.AddUsers(splitList(c.users)...)
	if c.answerForms != "" {
		if err := emu.Forms.Set(forms); err != nil {
			return err
		}
	}
	emu.Faults.SetRateLimitWindow(c.rateLimit, c.rateLimitWindow)
	// A saved state's latencies stay unless a flag says otherwise.
	if c.set["read-latency"] {
		emu.Faults.SetReadLatency(c.readLatency)
	}
	if c.set["mutation-latency"] {
		emu.Bots.SetMutationHold(c.mutationLatency)
	}
	if c.verbose {
		emu.Requests.Watch(func(r lineworkstest.Request) {
			say(stderr, "%-7s %-6s %s → %d\n", r.Host, r.Method, r.Path, r.Status)
		})
	}

	env := tenant.Env()
	if c.devOverrides != "" {
		dir, err := filepath.Abs(c.devOverrides)
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(dir, "terraform-provider-lineworks")); err != nil {
			say(stderr, "lineworks-emulator: warning: no terraform-provider-lineworks in %s yet: build it there (go build -o %s .)\n", dir, dir)
		}
		path := c.cliConfig
		if path == "" {
			path = filepath.Join(opts.Dir, "terraformrc")
		}
		if path, err = filepath.Abs(path); err != nil {
			return err
		}
		if err := emulator.WriteFileAtomic(path, emulator.CLIConfig(emulator.Override{Source: emulator.ProviderSource, Dir: dir}), 0o644); err != nil {
			return err
		}
		env = append(env, emulator.Setting{Name: "TF_CLI_CONFIG_FILE", Value: path})
	}
	if c.envFile != "" {
		data, err := emulator.EnvFile(env)
		if err == nil {
			err = emulator.WriteFileAtomic(c.envFile, data, 0o600)
		}
		if err != nil {
			return fmt.Errorf("-env-file: %w", err)
		}
	}

	ready := emulator.Exports(env) + fmt.Sprintf("# lineworks-emulator %s is ready: admin door %s/_emulator/state; interrupt (Ctrl-C) to stop\n", version(), emu.AdminURL())
	if _, err := io.WriteString(stdout, ready); err != nil {
		return fmt.Errorf("printing the settings: %w", err)
	}

	select {
	case <-ctx.Done():
	case <-emu.Done():
	}
	say(stderr, "lineworks-emulator: stopping\n")
	if c.state != "" {
		if err := emu.SaveState(c.state); err != nil {
			return fmt.Errorf("saving the state: %w", err)
		}
		say(stderr, "lineworks-emulator: state saved to %s\n", c.state)
	}
	return nil
}

// answerForms reads the -answer-forms flag: @file names a JSON file (a
// contract report, whose fields are the forms' names), anything else is
// what lineworkstest.ParseAnswerForms takes.
func answerForms(spec string) (lineworkstest.AnswerForms, error) {
	path, ok := strings.CutPrefix(spec, "@")
	if !ok {
		return lineworkstest.ParseAnswerForms(spec)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return lineworkstest.AnswerForms{}, err
	}
	forms, err := lineworkstest.DecodeAnswerForms(raw)
	if err != nil {
		return lineworkstest.AnswerForms{}, fmt.Errorf("%s: %w", path, err)
	}
	return forms, nil
}

// say prints to the user's terminal; a terminal gone is no reason to stop
// serving.
func say(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// version is the module version the binary was built from, as `go run
// …@latest` and `go install` record it.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
