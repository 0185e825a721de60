// Package contract records how a LINE WORKS tenant answers the bot API
// where the documentation leaves the answer open (make contract): it
// creates a bot, reads, changes, lists and deletes it through
// internal/lineworks, watching each answer as it came
// (lineworks.WithAnswerObserver), and reports what it saw. Each value in a
// Report is observed, never assumed. The bot is named with the tf-acc-
// prefix and deleted however the run ends, so that nothing is left behind,
// and `make sweep` would find it if something were.
package contract

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
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

// probe runs the steps in order; each records what it saw. Only a step
// without which the next cannot run is an error.
func (ru *run) probe(ctx context.Context) error {
	if err := ru.create(ctx); err != nil {
		return err
	}
	if err := ru.read(ctx); err != nil {
		return err
	}
	ru.write(ctx)
	ru.list(ctx)
	ru.remove(ctx)
	return ctx.Err()
}

// create makes the bot, with neither allowDomains nor channelEvents, so
// that what the service gives for them shows.
func (ru *run) create(ctx context.Context) error {
	admin := ru.cfg.Admin
	if admin == "" {
		admin = ru.cfg.ServiceAccountID
	}
	ru.cfg.Progress(fmt.Sprintf("creating the bot %s", ru.name))
	mark := ru.mark()
	bot, err := ru.c.CreateBot(ctx, lineworks.BotSettings{
		BotName:        ru.name,
		Description:    "Made by make contract (terraform-provider-lineworks); deleted within a minute",
		PhotoURL:       ru.cfg.PhotoURL,
		Administrators: []string{admin},
	})
	a, answered := ru.answerSince(mark, http.MethodPost, "/bots")
	if !answered || a.Status/100 != 2 {
		why := fmt.Sprintf("no bot could be created: %v", err)
		if ru.cfg.Admin == "" {
			why += " (it was made with the service account as its administrator: give a user's login e-mail instead)"
		}
		ru.miss(ctx, FieldCreateStatus, "%s", why)
		return errors.New(why)
	}
	ru.report.set(FieldCreateStatus, a.Status)
	switch keys := fieldNames(a); {
	case !a.HasBody():
		ru.report.unobserved(FieldCreateAnswer, "HTTP %d with no body", a.Status)
	case slices.Equal(keys, []string{"botId"}):
		ru.report.set(FieldCreateAnswer, "id_only")
	case hasAll(keys, botFields):
		ru.report.set(FieldCreateAnswer, "full")
	default:
		ru.report.unobserved(FieldCreateAnswer, "neither the whole bot nor only its ID: the fields %s", strings.Join(keys, ", "))
	}
	if err == nil {
		ru.botID = bot.BotID
		return nil
	}
	ru.report.note(FieldCreateAnswer, "the client could not take the bot from this answer: %v", err)
	var id int64
	if raw, ok := a.Field("botId"); ok && json.Unmarshal(raw, &id) == nil && id > 0 {
		ru.botID = id
		return nil
	}
	return fmt.Errorf("LINE WORKS answered HTTP %d without naming the bot: %w", a.Status, err)
}

// read reads the bot back: how the service shows what was sent, and what
// it gave for what was not.
func (ru *run) read(ctx context.Context) error {
	ru.cfg.Progress(fmt.Sprintf("reading bot %d", ru.botID))
	mark := ru.mark()
	_, err := ru.c.GetBot(ctx, ru.botID)
	a, answered := ru.answerSince(mark, http.MethodGet, ru.botPath())
	if !answered || a.Status/100 != 2 {
		return fmt.Errorf("the bot could not be read back: %w", err)
	}
	ru.administrators(a)
	ru.photoURL(a)
	ru.allDomains(a)
	if raw, ok := a.Field("channelEvents"); !ok {
		ru.report.unobserved(FieldChannelEventsDefault, "the bot came back without channelEvents")
	} else if events, err := decode[[]string](raw); err != nil {
		ru.report.unobserved(FieldChannelEventsDefault, "channelEvents came back as %s", shape(raw))
	} else {
		ru.report.set(FieldChannelEventsDefault, events)
	}
	if raw, ok := a.Field("createdTime"); !ok {
		ru.report.unobserved(FieldCreatedTimeExample, "the bot came back without createdTime")
	} else if created, err := decode[string](raw); err != nil {
		ru.report.unobserved(FieldCreatedTimeExample, "createdTime came back as %s", shape(raw))
	} else {
		ru.report.set(FieldCreatedTimeExample, created)
	}
	return nil
}

func (ru *run) administrators(a lineworks.Answer) {
	admin := ru.cfg.Admin
	switch {
	case admin == "":
		ru.report.unobserved(FieldAdministrators, "no user's login e-mail was given (LINEWORKS_CONTRACT_ADMIN): the probe sends one and looks at what comes back")
		return
	case !strings.Contains(admin, "@"):
		ru.report.unobserved(FieldAdministrators, "the administrator given is a user ID, which comes back the same in either form: give a login e-mail")
		return
	}
	raw, ok := a.Field("administrators")
	users, err := decode[[]string](raw)
	switch {
	case !ok:
		ru.report.unobserved(FieldAdministrators, "the bot came back without administrators")
	case err != nil || len(users) != 1:
		ru.report.unobserved(FieldAdministrators, "one administrator was sent; administrators came back as %s", shape(raw))
	case users[0] == admin:
		ru.report.set(FieldAdministrators, "as_sent")
	case strings.Contains(users[0], "@"):
		ru.report.unobserved(FieldAdministrators, "the login e-mail sent came back as another e-mail")
	default:
		ru.report.set(FieldAdministrators, "user_ids")
	}
}

func (ru *run) photoURL(a lineworks.Answer) {
	raw, ok := a.Field("photoUrl")
	got, err := decode[string](raw)
	switch {
	case !ok:
		ru.report.unobserved(FieldPhotoURL, "the bot came back without photoUrl")
	case err != nil:
		ru.report.unobserved(FieldPhotoURL, "photoUrl came back as %s", shape(raw))
	case got == ru.cfg.PhotoURL:
		ru.report.set(FieldPhotoURL, "as_sent")
	default:
		ru.report.set(FieldPhotoURL, "rewritten")
		if u, err := url.Parse(got); err == nil && u.Host != "" {
			ru.report.note(FieldPhotoURL, "the URL sent came back as a URL of %s%s", u.Host, u.Path)
		}
	}
}

func (ru *run) allDomains(a lineworks.Answer) {
	raw, ok := a.Field("allowDomains")
	if !ok {
		ru.report.set(FieldAllDomains, "absent")
		return
	}
	ids, err := decode[[]int64](raw)
	switch {
	case err != nil || raw == nil || string(raw) == "null":
		ru.report.unobserved(FieldAllDomains, "a bot of every domain came back with allowDomains %s", shape(raw))
	case len(ids) == 0:
		ru.report.set(FieldAllDomains, "empty")
	case len(ids) == 1 && ids[0] == 0:
		ru.report.set(FieldAllDomains, "zero")
	default:
		ru.report.unobserved(FieldAllDomains, "a bot of every domain came back listing %d domains in allowDomains", len(ids))
	}
}

// write changes the bot's description: what a write answers.
func (ru *run) write(ctx context.Context) {
	ru.cfg.Progress(fmt.Sprintf("changing bot %d", ru.botID))
	mark := ru.mark()
	description := "Changed by make contract; deleted within a minute"
	_, err := ru.c.UpdateBot(ctx, ru.botID, lineworks.BotPatch{Description: &description})
	a, answered := ru.answerSince(mark, http.MethodPatch, ru.botPath())
	if !answered || a.Status/100 != 2 {
		ru.miss(ctx, FieldWriteAnswer, "the change was refused: %v", err)
		return
	}
	switch keys := fieldNames(a); {
	case !a.HasBody():
		ru.report.set(FieldWriteAnswer, "no_body")
		if a.Status != http.StatusNoContent {
			ru.report.note(FieldWriteAnswer, "HTTP %d with no body", a.Status)
		}
	case hasAll(keys, botFields):
		ru.report.set(FieldWriteAnswer, "full")
		if a.Status != http.StatusOK {
			ru.report.note(FieldWriteAnswer, "HTTP %d with the whole bot", a.Status)
		}
	default:
		ru.report.unobserved(FieldWriteAnswer, "HTTP %d with neither the whole bot nor no body: the fields %s", a.Status, strings.Join(keys, ", "))
	}
	if err != nil {
		ru.report.note(FieldWriteAnswer, "the client could not read this answer: %v", err)
	}
}

// list lists the tenant's bots: how the last page ends.
func (ru *run) list(ctx context.Context) {
	ru.cfg.Progress("listing the tenant's bots")
	mark := ru.mark()
	_, err := ru.c.ListBots(ctx)
	var last lineworks.Answer // the last page
	if pages := ru.answersSince(mark, http.MethodGet, "/bots"); len(pages) > 0 {
		last = pages[len(pages)-1]
	}
	switch raw, ok := last.Field("responseMetaData", "nextCursor"); {
	case last.Status/100 != 2:
		ru.miss(ctx, FieldLastPageCursor, "the bots could not be listed: %v", err)
	case err != nil:
		ru.miss(ctx, FieldLastPageCursor, "the client could not follow the pages: %v", err)
	case !ok:
		ru.report.set(FieldLastPageCursor, "absent")
		if _, meta := last.Field("responseMetaData"); !meta {
			ru.report.note(FieldLastPageCursor, "the last page had no responseMetaData at all")
		}
	case string(raw) == "null":
		ru.report.set(FieldLastPageCursor, "null")
	case string(raw) == `""`:
		ru.report.set(FieldLastPageCursor, "empty")
	default:
		ru.report.unobserved(FieldLastPageCursor, "the last page's nextCursor is %s", shape(raw))
	}
}

// remove deletes the bot, then reads it until it reads as gone: what a
// deleted bot answers.
func (ru *run) remove(ctx context.Context) {
	ru.cfg.Progress(fmt.Sprintf("deleting bot %d", ru.botID))
	mark := ru.mark()
	err := ru.c.DeleteBot(ctx, ru.botID)
	if a, ok := ru.answerSince(mark, http.MethodDelete, ru.botPath()); !ok || a.Status/100 != 2 {
		ru.miss(ctx, FieldDeletedBotStatus, "the bot could not be deleted: %v", err)
		return
	}
	ru.gone = true
	deadline := time.Now().Add(ru.cfg.GoneWithin)
	for {
		mark := ru.mark()
		_, err := ru.c.GetBot(ctx, ru.botID)
		a, ok := ru.answerSince(mark, http.MethodGet, ru.botPath())
		switch {
		case ok && a.Status/100 != 2:
			ru.report.set(FieldDeletedBotStatus, a.Status)
			return
		case !ok:
			ru.miss(ctx, FieldDeletedBotStatus, "reading the deleted bot got no answer: %v", err)
			return
		case time.Now().After(deadline):
			ru.report.unobserved(FieldDeletedBotStatus, "the deleted bot still read as HTTP %d after %s", a.Status, ru.cfg.GoneWithin)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

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
		ru.cfg.Progress(fmt.Sprintf("deleting bot %d", ru.botID))
		deleteBot(ru.botID)
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

// fieldNames are the keys of the answer's body object, sorted.
func fieldNames(a lineworks.Answer) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(a.Body, &obj) != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(obj))
}

func hasAll(keys, want []string) bool {
	return !slices.ContainsFunc(want, func(k string) bool { return !slices.Contains(keys, k) })
}

func decode[T any](raw json.RawMessage) (T, error) {
	var v T
	if raw == nil {
		return v, errors.New("absent")
	}
	err := json.Unmarshal(raw, &v)
	return v, err
}

// shape describes a JSON value without quoting it whole: a report goes to
// the project, so it carries no value of the tenant's beyond what it must.
func shape(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "":
		return "nothing"
	case s == "null", s == "[]", s == "{}", s == `""`:
		return s
	case strings.HasPrefix(s, "["):
		var items []json.RawMessage
		_ = json.Unmarshal(raw, &items)
		return fmt.Sprintf("a list of %d", len(items))
	case strings.HasPrefix(s, "{"):
		return "an object"
	case strings.HasPrefix(s, `"`):
		return "a string"
	case s == "true", s == "false":
		return "a boolean"
	}
	return "a number"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails; see crypto/rand.Read
	return hex.EncodeToString(b)
}
