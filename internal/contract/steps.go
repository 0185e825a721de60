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
	// Interrupted, the steps left are not begun.
	for _, step := range []func(context.Context){ru.persistentMenu, ru.richMenuCreate, ru.allUsersMembers, ru.write, ru.list, ru.remove} {
		if ctx.Err() != nil {
			break
		}
		step(ctx)
	}
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

// persistentMenu reads the persistent menu of the bot, which has none yet:
// how the service says "none".
func (ru *run) persistentMenu(ctx context.Context) {
	ru.cfg.Progress(fmt.Sprintf("reading the persistent menu of bot %d, which has none", ru.botID))
	mark := ru.mark()
	_, err := ru.c.GetPersistentMenu(ctx, ru.botID)
	a, answered := ru.answerSince(mark, http.MethodGet, ru.botPath()+"/persistentmenu")
	switch {
	case !answered:
		ru.miss(ctx, FieldPersistentMenuNone, "reading the persistent menu got no answer: %v", err)
		return
	case a.Status == http.StatusNotFound:
		ru.report.set(FieldPersistentMenuNone, string(lineworkstest.PersistentMenuNoneNotFound))
		return
	case a.Status/100 != 2:
		ru.miss(ctx, FieldPersistentMenuNone, "reading the persistent menu was refused: %v", err)
		return
	}
	switch raw, ok := a.Field("content", "actions"); {
	case ok && string(raw) == "[]":
		ru.report.set(FieldPersistentMenuNone, string(lineworkstest.PersistentMenuNoneEmpty))
	case !ok || string(raw) == "null":
		// The client reads this as "none" too.
		ru.report.set(FieldPersistentMenuNone, string(lineworkstest.PersistentMenuNoneEmpty))
		ru.report.note(FieldPersistentMenuNone, "HTTP %d with content.actions %s, not []", a.Status, shapeOrAbsent(raw, ok))
	default:
		ru.report.unobserved(FieldPersistentMenuNone, "a bot without a persistent menu answered HTTP %d with content.actions %s", a.Status, shape(raw))
	}
	if a.Status != http.StatusOK {
		ru.report.note(FieldPersistentMenuNone, "HTTP %d", a.Status)
	}
}

func shapeOrAbsent(raw json.RawMessage, ok bool) string {
	if !ok {
		return "absent"
	}
	return shape(raw)
}

// richMenuFields are the fields of a whole rich menu.
var richMenuFields = []string{"richmenuId", "richmenuName", "size", "areas"}

// richMenuCreate creates a rich menu on the bot (no image: the image is set
// apart) and deletes it: what the create answers.
func (ru *run) richMenuCreate(ctx context.Context) {
	ru.cfg.Progress(fmt.Sprintf("creating the rich menu %s on bot %d", ru.name, ru.botID))
	settings := lineworks.RichMenuSettings{
		Name: ru.name,
		Size: lineworks.RichMenuSize{Width: lineworks.RichMenuWidth, Height: lineworks.RichMenuHeightCompact},
		Areas: []lineworks.RichMenuArea{{
			Bounds: lineworks.RichMenuBounds{Width: lineworks.RichMenuWidth, Height: lineworks.RichMenuHeightCompact},
			Action: lineworks.MenuAction{Type: lineworks.ActionMessage, Label: "contract", Text: "Made by make contract"},
		}},
	}
	mark := ru.mark()
	ru.richMenu = true // from here on, the clean-up looks for it
	menu, err := ru.c.CreateRichMenu(ctx, ru.botID, settings)
	a, answered := ru.answerSince(mark, http.MethodPost, ru.botPath()+"/richmenus")
	if !answered || a.Status/100 != 2 {
		ru.miss(ctx, FieldRichMenuCreateAnswer, "the rich menu could not be created: %v", err)
		return
	}
	switch keys := fieldNames(a); {
	case !a.HasBody():
		ru.report.unobserved(FieldRichMenuCreateAnswer, "HTTP %d with no body", a.Status)
	case slices.Equal(keys, []string{"richmenuId"}):
		ru.report.set(FieldRichMenuCreateAnswer, string(lineworkstest.RichMenuCreateIDOnly))
	case hasAll(keys, richMenuFields):
		ru.report.set(FieldRichMenuCreateAnswer, string(lineworkstest.RichMenuCreateFull))
	default:
		ru.report.unobserved(FieldRichMenuCreateAnswer, "neither the whole rich menu nor only its ID: the fields %s", strings.Join(keys, ", "))
	}
	if a.Status != http.StatusCreated {
		ru.report.note(FieldRichMenuCreateAnswer, "HTTP %d", a.Status)
	}
	if err != nil {
		ru.report.note(FieldRichMenuCreateAnswer, "the client could not take the menu from this answer: %v", err)
		return // the clean-up finds it by name
	}
	ru.cfg.Progress(fmt.Sprintf("deleting rich menu %s of bot %d", menu.ID, ru.botID))
	if err := ru.c.DeleteRichMenu(ctx, ru.botID, menu.ID); err == nil {
		ru.richMenu = false
	}
}

// allUsersMembers registers the bot in the configured domain, open to all
// users, lists the registration's members and removes it: how "All users"
// comes.
func (ru *run) allUsersMembers(ctx context.Context) {
	domain := ru.cfg.Domain
	if domain == 0 {
		ru.report.unobserved(FieldAllUsersMembers, "no domain was given (LINEWORKS_CONTRACT_DOMAIN): the probe registers the bot in one, open to all users, and lists its members")
		return
	}
	ru.cfg.Progress(fmt.Sprintf("registering bot %d in domain %d, open to all users", ru.botID, domain))
	path := fmt.Sprintf("%s/domains/%d", ru.botPath(), domain)
	mark := ru.mark()
	ru.registered = true // from here on, the clean-up removes it
	_, err := ru.c.RegisterBotDomain(ctx, ru.botID, domain, lineworks.BotDomainSettings{})
	if a, answered := ru.answerSince(mark, http.MethodPost, path); !answered || a.Status/100 != 2 {
		ru.miss(ctx, FieldAllUsersMembers, "the bot could not be registered in domain %d (LINEWORKS_CONTRACT_DOMAIN): %v", domain, err)
		return
	}
	ru.cfg.Progress(fmt.Sprintf("listing the members of bot %d in domain %d", ru.botID, domain))
	mark = ru.mark()
	_, err = ru.c.ListBotDomainMembers(ctx, ru.botID, domain)
	a, answered := ru.answerSince(mark, http.MethodGet, path+"/members")
	if !answered || a.Status/100 != 2 {
		ru.miss(ctx, FieldAllUsersMembers, "the members could not be listed: %v", err)
	} else {
		ru.allUsersForm(a)
		if err != nil && !errors.Is(err, lineworks.ErrAllUsers) {
			ru.report.note(FieldAllUsersMembers, "the client could not read this answer: %v", err)
		}
	}
	ru.cfg.Progress(fmt.Sprintf("removing bot %d from domain %d", ru.botID, domain))
	if err := ru.c.DeleteBotDomain(ctx, ru.botID, domain); err == nil {
		ru.registered = false
	}
}

// allUsersForm records the form of the members of a registration open to
// all users.
func (ru *run) allUsersForm(a lineworks.Answer) {
	isAllUsers := func(raw json.RawMessage) bool {
		s, err := decode[string](raw)
		return err == nil && strings.EqualFold(s, lineworkstest.AllUsers)
	}
	members, hasMembers := a.Field("members")
	list, listErr := decode[[]string](members)
	switch {
	case isAllUsers(a.Body):
		ru.report.set(FieldAllUsersMembers, string(lineworkstest.AllUsersBody))
	case hasMembers && isAllUsers(members):
		ru.report.set(FieldAllUsersMembers, string(lineworkstest.AllUsersString))
	case hasMembers && listErr == nil && len(list) == 1 && strings.EqualFold(list[0], lineworkstest.AllUsers):
		ru.report.set(FieldAllUsersMembers, string(lineworkstest.AllUsersList))
	case hasMembers:
		ru.report.unobserved(FieldAllUsersMembers, "a registration open to all users listed members as %s", shape(members))
	default:
		ru.report.unobserved(FieldAllUsersMembers, "a registration open to all users answered HTTP %d with %s", a.Status, shape(a.Body))
	}
}
