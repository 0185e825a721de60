package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

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
	if last.Status/100 == 2 {
		ru.budget(last)
	}
}

// budget records which answers carry the rate limit's budget, from a
// successful one: the pacer needs it on every answer to wait instead of
// drawing 429s.
func (ru *run) budget(a lineworks.Answer) {
	_, remaining := a.RateLimit["ratelimit-remaining"]
	_, ssed := a.RateLimit["ratelimit-ssed"]
	switch {
	case remaining && ssed:
		ru.report.set(FieldBudgetHeaders, string(lineworkstest.BudgetSsed))
	case remaining:
		ru.report.set(FieldBudgetHeaders, string(lineworkstest.BudgetEveryAnswer))
	default:
		ru.report.set(FieldBudgetHeaders, string(lineworkstest.BudgetRefusalsOnly))
		ru.report.note(FieldBudgetHeaders, "a successful GET /bots came without rateLimit headers: the budget comes with 429s only, or this API is not limited")
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
