// Package contract records how a LINE WORKS tenant answers the bot API
// where the documentation leaves the answer open (make contract): it
// creates a bot, reads it, reads its persistent menu, creates and deletes a
// rich menu on it, registers it in a domain open to all users and lists
// the members (when given a domain), changes, lists and deletes it, all
// through internal/lineworks, watching each answer as it came
// (lineworks.WithAnswerObserver), and reports what it saw. Each value in a
// Report is observed, never assumed. The bot and its rich menu are named
// with the tf-acc- prefix and deleted however the run ends, with the
// registration, so that nothing is left behind, and `make sweep` would find
// the bot if something were.
package contract

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

// DefaultPhotoURL is the photo the bot is created with when Config names
// none.
const DefaultPhotoURL = "https://example.com/tf-acc-contract.png"

// Config says how to run.
type Config struct {
	Client *lineworks.Client
	// Admin is the login e-mail of a user of the tenant, made the bot's
	// administrator: the administrators probe sends it and looks at what
	// comes back. Empty: the bot is made with ServiceAccountID as its
	// administrator instead, and administrators is not observed.
	Admin            string
	ServiceAccountID string
	PhotoURL         string // defaults to DefaultPhotoURL
	// Domain is a domain of the tenant the bot may be registered in: the
	// all-users members probe registers the bot there, open to all users,
	// lists its members and removes the registration. 0: all_users_members
	// is not observed.
	Domain int64
	// GoneWithin bounds the wait for a deleted bot to read as gone
	// (default 15 s); the service's removal may take a moment.
	GoneWithin time.Duration
	// Progress hears of each step, for a person watching.
	Progress func(step string)
}

// botFields are the fields of a whole bot: an answer with all of them is
// the bot (as lineworks decides too).
var botFields = []string{"botId", "botName", "photoUrl", "description", "administrators"}

// run is one run: its bot and the answers observed.
type run struct {
	cfg    Config
	c      *lineworks.Client
	report *Report
	name   string
	botID  int64 // 0 until the service named the bot
	gone   bool  // the bot was deleted
	// richMenu: a rich menu named name may be on the bot (its create was
	// sent, and it has not been deleted since).
	richMenu bool
	// registered: the bot may be registered in cfg.Domain (the
	// registration was sent, and not removed since).
	registered bool

	mu      sync.Mutex
	answers []lineworks.Answer
}

// Run records how the tenant answers. It always returns a report; the error
// says why the run did not complete (no bot could be created, it was
// interrupted) or that it left something behind (Report.LeftBehind).
func Run(ctx context.Context, cfg Config) (report *Report, err error) {
	if cfg.PhotoURL == "" {
		cfg.PhotoURL = DefaultPhotoURL
	}
	if cfg.GoneWithin <= 0 {
		cfg.GoneWithin = 15 * time.Second
	}
	if cfg.Progress == nil {
		cfg.Progress = func(string) {}
	}
	ru := &run{cfg: cfg, c: cfg.Client, report: newReport(), name: realtenant.Prefix + "contract-" + randomHex(4)}
	ctx = lineworks.WithAnswerObserver(ctx, ru.observe)
	// Whatever happens (a failure, Ctrl-C, a panic), the bot goes, even
	// when ctx has ended.
	defer func() {
		cleanCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		ru.cleanUp(cleanCtx)
		switch {
		case ctx.Err() != nil:
			err = fmt.Errorf("interrupted: %w", context.Cause(ctx))
			ru.report.finish("the run was interrupted")
		case err != nil:
			ru.report.finish(err.Error())
		case len(ru.report.LeftBehind) > 0:
			err = fmt.Errorf("%d bots could not be deleted: delete them in the Developer Console, or run make sweep", len(ru.report.LeftBehind))
		}
	}()
	return ru.report, ru.probe(ctx)
}

func (ru *run) observe(a lineworks.Answer) {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	ru.answers = append(ru.answers, a)
}

// mark is where the answers to a call will begin.
func (ru *run) mark() int {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	return len(ru.answers)
}

// answersSince are the answers after mark to method at a path ending in
// suffix (the API's base path is the endpoint's business), in order.
func (ru *run) answersSince(mark int, method, suffix string) []lineworks.Answer {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	var out []lineworks.Answer
	for _, a := range ru.answers[mark:] {
		if a.Method == method && strings.HasSuffix(a.Path, suffix) {
			out = append(out, a)
		}
	}
	return out
}

// answerSince is the first of answersSince.
func (ru *run) answerSince(mark int, method, suffix string) (lineworks.Answer, bool) {
	if all := ru.answersSince(mark, method, suffix); len(all) > 0 {
		return all[0], true
	}
	return lineworks.Answer{}, false
}

// miss leaves field unobserved and says why, unless the run was
// interrupted: the call failed because of that, and the report says so.
func (ru *run) miss(ctx context.Context, field, format string, args ...any) {
	if ctx.Err() == nil {
		ru.report.unobserved(field, format, args...)
	}
}

func (ru *run) botPath() string { return "/bots/" + strconv.FormatInt(ru.botID, 10) }

// cleanUp deletes the run's bot if it is still there, and any other bot
// with the run's name (a create whose answer never came), and records what
// it could not delete.
func (ru *run) cleanUp(ctx context.Context) {
	left := map[int64]LeftBot{}
	deleteBot := func(id int64) {
		if err := ru.c.DeleteBot(ctx, id); err != nil && !realtenant.Gone(err) {
			left[id] = LeftBot{BotID: id, BotName: ru.name, Error: err.Error()}
			return
		}
		delete(left, id)
	}
	if ru.botID != 0 && !ru.gone {
		held := ru.cleanUpMenus(ctx)
		ru.cfg.Progress(fmt.Sprintf("deleting bot %d", ru.botID))
		deleteBot(ru.botID)
		if _, left := left[ru.botID]; left && len(held) > 0 {
			ru.report.note(FieldLeftBehind, "bot %d still holds %s", ru.botID, strings.Join(held, " and "))
		}
	}
	bots, err := ru.c.ListBots(ctx)
	if err != nil {
		ru.report.note(FieldLeftBehind, "the bots could not be listed to check that none named %s is left: %v; make sweep deletes any", ru.name, err)
	}
	for _, b := range bots {
		if b.BotName == ru.name && (b.BotID != ru.botID || !ru.gone) {
			ru.cfg.Progress(fmt.Sprintf("deleting bot %d, also named %s", b.BotID, ru.name))
			deleteBot(b.BotID)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(left)) {
		ru.report.LeftBehind = append(ru.report.LeftBehind, left[id])
	}
}

// cleanUpMenus deletes the rich menus named as the run's (the one it made,
// whether or not its ID ever came back) and the registration it made, and
// says what could not be: the bot's deletion takes them anyway.
func (ru *run) cleanUpMenus(ctx context.Context) (held []string) {
	if ru.richMenu {
		menus, err := ru.c.ListRichMenus(ctx, ru.botID)
		if err != nil {
			held = append(held, fmt.Sprintf("perhaps the rich menu %s (the menus could not be listed: %v)", ru.name, err))
		}
		for _, m := range menus {
			if m.Name != ru.name {
				continue
			}
			ru.cfg.Progress(fmt.Sprintf("deleting rich menu %s of bot %d", m.ID, ru.botID))
			if err := ru.c.DeleteRichMenu(ctx, ru.botID, m.ID); err != nil {
				held = append(held, fmt.Sprintf("the rich menu %s (%v)", m.ID, err))
			}
		}
		ru.richMenu = len(held) > 0
	}
	if ru.registered {
		ru.cfg.Progress(fmt.Sprintf("removing bot %d from domain %d", ru.botID, ru.cfg.Domain))
		if err := ru.c.DeleteBotDomain(ctx, ru.botID, ru.cfg.Domain); err != nil {
			held = append(held, fmt.Sprintf("its registration in domain %d (%v)", ru.cfg.Domain, err))
		} else {
			ru.registered = false
		}
	}
	return held
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails; see crypto/rand.Read
	return hex.EncodeToString(b)
}
