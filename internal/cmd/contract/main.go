// Command contract is `make contract`: with LINEWORKS_CONTRACT=1 and the
// LINEWORKS_* credentials of an app of a tenant, it records how that tenant
// answers the bot API where the LINE WORKS docs leave the answer open
// (internal/contract), writes contract-report.json (CONTRACT_REPORT names
// another path) and prints a summary: what was seen, the emulator's answer
// forms that answer the same way, and where to send the report. It creates
// one bot, named tf-acc-contract-…, with a rich menu of the same name and,
// given a domain, a registration in it, and deletes them however the run
// ends.
//
// Settings besides the provider's own:
//
//	LINEWORKS_CONTRACT=1            the agreement: the run creates and deletes a bot
//	LINEWORKS_CONTRACT_ADMIN        a user's login e-mail, the bot's administrator (for the administrators probe)
//	LINEWORKS_CONTRACT_DOMAIN       a domain ID the bot may be registered in (for the all-users members probe)
//	LINEWORKS_CONTRACT_PHOTO_URL    the bot's photo (default contract.DefaultPhotoURL)
//	CONTRACT_REPORT                 where the report goes (default contract-report.json)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/contract"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/emulator"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

// The settings of this command.
const (
	envAgree    = "LINEWORKS_CONTRACT"
	envAdmin    = "LINEWORKS_CONTRACT_ADMIN"
	envDomain   = "LINEWORKS_CONTRACT_DOMAIN"
	envPhotoURL = "LINEWORKS_CONTRACT_PHOTO_URL"
	envReport   = "CONTRACT_REPORT"

	defaultReport = "contract-report.json"
	newIssueURL   = "https://github.com/lineworks-community/terraform-provider-lineworks/issues/new"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Getenv, os.Stdout, os.Stderr))
}

// run is the command; its exit code is 0 when the run completed and left
// nothing behind, 1 when it did not, 2 when it refused to start, 130 when
// interrupted.
func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
	if getenv(envAgree) != "1" {
		say(stderr, "make contract creates a bot in the LINE WORKS tenant the LINEWORKS_* variables point at, gives it a\n"+
			"rich menu and deletes that, registers it in a domain (when given one), changes it, lists the tenant's bots\n"+
			"and deletes the bot again. Set %s=1 to agree, with the credentials of an app of that tenant that has\n"+
			"the bot scope (LINEWORKS_CLIENT_ID, LINEWORKS_CLIENT_SECRET, LINEWORKS_SERVICE_ACCOUNT_ID,\n"+
			"LINEWORKS_PRIVATE_KEY_PATH); for the administrators probe, a user's login e-mail in %s; for the\n"+
			"all-users members probe, the ID of a domain of the tenant in %s.\n", envAgree, envAdmin, envDomain)
		return 2
	}
	domain, err := domainSetting(getenv(envDomain))
	if err != nil {
		say(stderr, "contract: %s: %v\n", envDomain, err)
		return 2
	}
	settings, err := realtenant.FromEnv(getenv)
	if err != nil {
		say(stderr, "contract: %v\n", err)
		return 2
	}
	client, err := settings.Client("terraform-provider-lineworks-contract")
	if err != nil {
		say(stderr, "contract: %v\n", err)
		return 2
	}
	path := getenv(envReport)
	if path == "" {
		path = defaultReport
	}
	if err := checkWritable(path); err != nil {
		say(stderr, "contract: %s %s cannot be written: %v\n", envReport, path, err)
		return 2
	}

	say(stderr, "contract: against %s\n", settings)
	report, runErr := contract.Run(ctx, contract.Config{
		Client:           client,
		Admin:            getenv(envAdmin),
		Domain:           domain,
		ServiceAccountID: settings.ServiceAccountID,
		PhotoURL:         getenv(envPhotoURL),
		Progress:         func(step string) { say(stderr, "contract: %s\n", step) },
	})
	file, err := report.File()
	if err == nil {
		err = emulator.WriteFileAtomic(path, file, 0o644)
	}
	if err != nil {
		say(stderr, "contract: writing the report: %v\n", err)
		return 1
	}

	say(stdout, "How the tenant answered (%s):\n\n%s\n", path, report.Summary())
	if _, err := lineworkstest.DecodeAnswerForms(file); err != nil {
		say(stdout, "The emulator has no answer form for part of what the tenant did: %v\n\n", err)
	} else if forms := report.EmulatorForms(); forms != "" {
		say(stdout, "The emulator answers the same way with\n  lineworks-emulator -answer-forms '%s'\nor, every observed field included, -answer-forms @%s.\n\n", forms, path)
	}
	say(stdout, "Please send the report to the project: open an issue at\n  %s\nwith %s attached. It holds no secret: statuses, the forms of the answers, an example\ntime, and the ID of any bot left behind.\n", newIssueURL, path)

	switch {
	case runErr == nil:
		return 0
	case ctx.Err() != nil:
		say(stderr, "contract: %v; the report says what was observed before\n", runErr)
		return 130
	}
	say(stderr, "contract: %v\n", runErr)
	return 1
}

// domainSetting reads LINEWORKS_CONTRACT_DOMAIN: empty (no domain), or a
// domain ID.
func domainSetting(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a domain ID: give the number of a domain of the tenant (such as 10000001), the one the Admin console shows", s)
	}
	return id, nil
}

// checkWritable fails when no file can be written where path is, before a
// run creates anything it could not report.
func checkWritable(path string) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return errors.New("it is a directory")
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// say prints to the user's terminal; a terminal gone is no reason to stop
// (the bot must still be deleted).
func say(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
