package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/realtenant"
)

const (
	testClientID     = "contract-client"
	testClientSecret = "contract-client-secret-0123456789"
	testAccount      = "contract.serviceaccount@example.com"
	testAdmin        = "admin@example.com" // a user of the emulated tenant
)

// tenant is the emulator as the tenant a run is pointed at.
type tenant struct {
	emu      *lineworkstest.Server
	settings realtenant.Settings
}

func newTenant(t *testing.T) *tenant {
	t.Helper()
	emu := lineworkstest.NewServer()
	t.Cleanup(emu.Close)
	key := lineworkstest.TestKey(0)
	emu.Auth.RegisterApp(lineworkstest.App{ClientID: testClientID, ClientSecret: testClientSecret, ServiceAccountID: testAccount, PublicKey: &key.PublicKey})
	return &tenant{emu: emu, settings: realtenant.Settings{
		ClientID: testClientID, ClientSecret: testClientSecret, ServiceAccountID: testAccount,
		PrivateKeyPEM: lineworkstest.PKCS8PEM(key),
		AuthEndpoint:  emu.AuthURL(), APIEndpoint: emu.APIURL(), StorageEndpoint: emu.StorageURL(),
	}}
}

// config is a run's Config against the tenant; transport, when given,
// stands between the client and the emulator.
func (tn *tenant) config(t *testing.T, transport http.RoundTripper) Config {
	t.Helper()
	cfg, err := tn.settings.Config()
	if err != nil {
		t.Fatal(err)
	}
	cfg.MinRetryWait, cfg.MaxRetryWait, cfg.Transport = time.Millisecond, 10*time.Millisecond, transport
	c, err := lineworks.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Client: c, Admin: testAdmin, ServiceAccountID: testAccount, Domain: lineworkstest.DefaultDomainID, GoneWithin: 3 * time.Second}
}

// nothingLeft fails unless the emulator holds no bot and the report lists
// none left behind.
func (tn *tenant) nothingLeft(t *testing.T, r *Report) {
	t.Helper()
	if bots := tn.emu.Bots.List(); len(bots) != 0 {
		t.Errorf("the run left %d bots at the emulator: %+v", len(bots), bots)
	}
	if len(r.LeftBehind) != 0 {
		t.Errorf("left_behind %+v", r.LeftBehind)
	}
}

// noSecrets fails if text holds a credential of the app or anything the
// emulator issued.
func (tn *tenant) noSecrets(t *testing.T, name, text string) {
	t.Helper()
	for _, s := range append([]string{testClientSecret, "PRIVATE KEY", "eyJ"}, tn.emu.Auth.IssuedTokens()...) {
		if strings.Contains(text, s) {
			t.Errorf("the %s holds a secret (%d characters)", name, len(s))
		}
	}
}

func reportJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Against the emulator answering in each of its forms (and in all of them
// at once), the report names exactly the forms in effect: loaded as the
// emulator's forms (by its JSON, and by the command-line flag the summary
// gives), it is those forms. Nothing is left behind, and no secret is in it.
func TestReportNamesTheFormsTheTenantAnswersIn(t *testing.T) {
	documented := lineworkstest.DocumentedChannelEvents
	for name, forms := range map[string]lineworkstest.AnswerForms{
		"defaults":                        {},
		"create_status=200":               {CreateStatus: 200},
		"create_answer=id_only":           {CreateAnswer: lineworkstest.CreateAnswerIDOnly},
		"write_answer=no_body":            {WriteAnswer: lineworkstest.WriteAnswerNoBody},
		"administrators=user_ids":         {Administrators: lineworkstest.UsersAsIDs},
		"photo_url=rewritten":             {PhotoURL: lineworkstest.PhotoURLRewritten},
		"all_domains=empty":               {AllDomains: lineworkstest.AllDomainsEmpty},
		"all_domains=zero":                {AllDomains: lineworkstest.AllDomainsZero},
		"deleted_bot_status=410":          {DeletedBotStatus: 410},
		"last_page_cursor=empty":          {LastPageCursor: lineworkstest.CursorEmpty},
		"last_page_cursor=absent":         {LastPageCursor: lineworkstest.CursorAbsent},
		"channel_events_default=6":        {ChannelEventsDefault: documented},
		"budget_headers=ssed":             {BudgetHeaders: lineworkstest.BudgetSsed},
		"budget_headers=refusals":         {BudgetHeaders: lineworkstest.BudgetRefusalsOnly},
		"channel_events_default=2":        {ChannelEventsDefault: []string{"message", "postback"}},
		"rich_menu_create_answer=id_only": {RichMenuCreateAnswer: lineworkstest.RichMenuCreateIDOnly},
		"persistent_menu_none=empty":      {PersistentMenuNone: lineworkstest.PersistentMenuNoneEmpty},
		"all_users_members=string":        {AllUsersMembers: lineworkstest.AllUsersString},
		"all_users_members=body":          {AllUsersMembers: lineworkstest.AllUsersBody},
		"all":                             lineworkstest.AllAnswerForms(),
		"all but the cursor and status": func() lineworkstest.AnswerForms {
			f := lineworkstest.AllAnswerForms()
			f.LastPageCursor, f.CreateStatus = "", 0
			return f
		}(),
		"all, members in the body": func() lineworkstest.AnswerForms {
			f := lineworkstest.AllAnswerForms()
			f.AllUsersMembers = lineworkstest.AllUsersBody
			return f
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			tn := newTenant(t)
			if err := tn.emu.Forms.Set(forms); err != nil {
				t.Fatal(err)
			}
			want := tn.emu.Forms.Get()
			r, err := Run(context.Background(), tn.config(t, nil))
			if err != nil {
				t.Fatalf("Run: %v\n%s", err, r.Summary())
			}
			for _, f := range Fields {
				if _, ok := r.Values[f]; !ok {
					t.Errorf("%s not observed: %s", f, r.Notes[f])
				}
			}
			raw := reportJSON(t, r)
			got, err := lineworkstest.DecodeAnswerForms(raw)
			if err != nil {
				t.Fatalf("the report does not load as the emulator's forms: %v\n%s", err, raw)
			}
			if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
				t.Errorf("the report loads as\n%s\nthe emulator answered in\n%s\nreport:\n%s", g, w, raw)
			}
			if flag := r.EmulatorForms(); name != "channel_events_default=2" {
				parsed, err := lineworkstest.ParseAnswerForms(flag)
				if err != nil || mustJSON(t, parsed) != mustJSON(t, want) {
					t.Errorf("-answer-forms %q gives %s, %v; want %s", flag, mustJSON(t, parsed), err, mustJSON(t, want))
				}
			} else if strings.Contains(flag, FieldChannelEventsDefault) {
				t.Errorf("-answer-forms %q names channel events the flag cannot say", flag)
			}
			if created, _ := r.Values[FieldCreatedTimeExample].(string); !isTime(created) {
				t.Errorf("created_time_example %q", created)
			}
			tn.nothingLeft(t, r)
			tn.noSecrets(t, "report", string(raw)+r.Summary())
		})
	}
}

func isTime(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// The report is the shape: every field present, null where it was
// not observed, a note beside it saying why, and left_behind a list.
func TestReportShape(t *testing.T) {
	tn := newTenant(t)
	cfg := tn.config(t, nil)
	cfg.Admin, cfg.Domain = "", 0
	tn.emu.Directory.AddUsers(testAccount) // a tenant that takes the service account as an administrator
	r, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]json.RawMessage
	raw := reportJSON(t, r)
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	for _, f := range append(Fields, FieldLeftBehind) {
		if _, ok := obj[f]; !ok {
			t.Errorf("the report lacks %s:\n%s", f, raw)
		}
	}
	if string(obj[FieldAdministrators]) != "null" || !strings.Contains(string(obj[FieldAdministrators+"_note"]), "LINEWORKS_CONTRACT_ADMIN") {
		t.Errorf("administrators without an administrator to send: %s, %s", obj[FieldAdministrators], obj[FieldAdministrators+"_note"])
	}
	if string(obj[FieldAllUsersMembers]) != "null" || !strings.Contains(string(obj[FieldAllUsersMembers+"_note"]), "LINEWORKS_CONTRACT_DOMAIN") {
		t.Errorf("all_users_members without a domain: %s, %s", obj[FieldAllUsersMembers], obj[FieldAllUsersMembers+"_note"])
	}
	if string(obj[FieldRichMenuCreateAnswer]) != `"full"` || string(obj[FieldPersistentMenuNone]) != `"not_found"` {
		t.Errorf("the menus' forms: %s, %s", obj[FieldRichMenuCreateAnswer], obj[FieldPersistentMenuNone])
	}
	if string(obj[FieldLeftBehind]) != "[]" || string(obj[FieldCreateStatus]) != "201" || string(obj[FieldCreateAnswer]) != `"full"` {
		t.Errorf("report:\n%s", raw)
	}
	if first, last := strings.Index(string(raw), `"create_status"`), strings.Index(string(raw), `"left_behind"`); first < 0 || last < first {
		t.Errorf("fields out of order:\n%s", raw)
	}
	if _, err := lineworkstest.DecodeAnswerForms(raw); err != nil {
		t.Errorf("a report with a null field does not load as the emulator's forms: %v", err)
	}
	// An administrator given as a user ID cannot tell the forms apart.
	cfg.Admin = lineworkstest.DefaultUsers[3]
	if r, err = Run(context.Background(), cfg); err != nil || r.Values[FieldAdministrators] != nil || !strings.Contains(r.Notes[FieldAdministrators], "login e-mail") {
		t.Errorf("with a user ID: %v, %v, %q", err, r.Values[FieldAdministrators], r.Notes[FieldAdministrators])
	}
	tn.nothingLeft(t, r)
}

// A tenant that refuses the bot: nothing observed, each field saying why,
// nothing left behind.
func TestRunThatCannotCreateTheBot(t *testing.T) {
	tn := newTenant(t)
	cfg := tn.config(t, nil)
	cfg.Admin = "" // the service account, which is not a user of this tenant
	r, err := Run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "no bot could be created") || !strings.Contains(err.Error(), "400") {
		t.Fatalf("Run: %v", err)
	}
	if len(r.Values) != 0 {
		t.Errorf("values observed without a bot: %v", r.Values)
	}
	for _, f := range Fields {
		if r.Notes[f] == "" {
			t.Errorf("%s has no note", f)
		}
	}
	if !strings.Contains(r.Notes[FieldCreateStatus], "service account") {
		t.Errorf("create_status_note %q does not say the service account was the administrator", r.Notes[FieldCreateStatus])
	}
	tn.nothingLeft(t, r)
}

// interceptor stands between the client and the emulator: before each
// request, it may act, or answer with a status of its own (0: it does not);
// after the emulator answered, it may act, or lose the answer (an error).
type interceptor struct {
	mu     sync.Mutex
	before func(*http.Request) (status int)
	after  func(*http.Request, *http.Response) error
}

func (i *interceptor) RoundTrip(req *http.Request) (*http.Response, error) {
	i.mu.Lock()
	before, after := i.before, i.after
	i.mu.Unlock()
	if before != nil {
		if status := before(req); status != 0 {
			return &http.Response{StatusCode: status, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil && after != nil {
		if err := after(req, resp); err != nil {
			resp.Body.Close()
			return nil, err
		}
	}
	return resp, err
}

// Interrupted while changing the bot (Ctrl-C): the run stops, deletes the
// bot all the same, and says what it did not observe.
func TestRunCleansUpWhenInterrupted(t *testing.T) {
	tn := newTenant(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	interrupt := errors.New("interrupt")
	tr := &interceptor{before: func(req *http.Request) int {
		if req.Method == http.MethodPatch {
			cancel(interrupt)
		}
		return 0
	}}
	r, err := Run(ctx, tn.config(t, tr))
	if !errors.Is(err, interrupt) || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("Run: %v", err)
	}
	for _, f := range []string{FieldLastPageCursor, FieldDeletedBotStatus} {
		if _, ok := r.Values[f]; ok || r.Notes[f] == "" {
			t.Errorf("%s after the interrupt: %v, note %q", f, r.Values[f], r.Notes[f])
		}
	}
	if _, ok := r.Values[FieldCreateAnswer]; !ok {
		t.Error("what was observed before the interrupt is lost")
	}
	tn.nothingLeft(t, r)
}

// A delete refused once is made again by the clean-up; a bot that cannot
// be deleted at all is listed as left behind, by its prefixed name, which
// the sweeper then removes.
func TestRunCleansUpAfterAFailure(t *testing.T) {
	tn := newTenant(t)
	refused := 0
	refuseDeletes := func(n int) func(*http.Request) int {
		return func(req *http.Request) int {
			if req.Method == http.MethodDelete && isBotPath(req.URL.Path) && refused < n {
				refused++
				return http.StatusServiceUnavailable
			}
			return 0
		}
	}
	tr := &interceptor{before: refuseDeletes(5)} // every retry of the run's own delete
	cfg := tn.config(t, tr)
	r, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if _, ok := r.Values[FieldDeletedBotStatus]; ok || !strings.Contains(r.Notes[FieldDeletedBotStatus], "503") {
		t.Errorf("deleted_bot_status %v, note %q", r.Values[FieldDeletedBotStatus], r.Notes[FieldDeletedBotStatus])
	}
	tn.nothingLeft(t, r)

	refused = 0
	tr.before = refuseDeletes(1000)
	r, err = Run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "make sweep") {
		t.Fatalf("Run leaving a bot behind: %v", err)
	}
	left := tn.emu.Bots.List()
	if len(r.LeftBehind) != 1 || len(left) != 1 || r.LeftBehind[0].BotID != left[0].BotID || !realtenant.Named(r.LeftBehind[0].BotName) || !strings.Contains(r.LeftBehind[0].Error, "503") {
		t.Fatalf("left_behind %+v; the emulator holds %+v", r.LeftBehind, left)
	}
	if raw := reportJSON(t, r); !strings.Contains(string(raw), fmt.Sprintf(`"bot_id":%d`, left[0].BotID)) {
		t.Errorf("the report does not name the bot left behind:\n%s", raw)
	}
	tr.before = nil
	if _, err := realtenant.Sweep(context.Background(), cfg.Client, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(tn.emu.Bots.List()); n != 0 {
		t.Errorf("%d bots after the sweep", n)
	}
}

// Interrupted (Ctrl-C) with the rich menu made, its answer lost or not, or
// with the registration made: the clean-up deletes the menu (found by its
// name when its ID never came) and the registration before the bot. The
// bot's own deletion, which would take them with it, is refused here, so
// that what the clean-up deleted itself shows.
func TestRunCleansUpTheMenusWhenInterrupted(t *testing.T) {
	for name, tt := range map[string]struct {
		method, suffix string
		lose           bool // the answer never reaches the client
		field          string
	}{
		"rich menu made":               {http.MethodPost, "/richmenus", false, FieldAllUsersMembers},
		"rich menu made, answer lost":  {http.MethodPost, "/richmenus", true, FieldRichMenuCreateAnswer},
		"registration made":            {http.MethodPost, "/domains/10000001", false, FieldAllUsersMembers},
		"registration made, no answer": {http.MethodPost, "/domains/10000001", true, FieldAllUsersMembers},
	} {
		t.Run(name, func(t *testing.T) {
			tn := newTenant(t)
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			interrupt := errors.New("interrupt")
			tr := &interceptor{
				before: func(req *http.Request) int {
					if req.Method == http.MethodDelete && isBotPath(req.URL.Path) {
						return http.StatusServiceUnavailable
					}
					return 0
				},
				after: func(req *http.Request, _ *http.Response) error {
					if req.Method == tt.method && strings.HasSuffix(req.URL.Path, tt.suffix) {
						cancel(interrupt)
						if tt.lose {
							return errors.New("connection reset")
						}
					}
					return nil
				},
			}
			r, err := Run(ctx, tn.config(t, tr))
			if !errors.Is(err, interrupt) {
				t.Fatalf("Run: %v", err)
			}
			if _, ok := r.Values[tt.field]; ok || r.Notes[tt.field] == "" {
				t.Errorf("%s after the interrupt: %v, note %q", tt.field, r.Values[tt.field], r.Notes[tt.field])
			}
			bots := tn.emu.Bots.List()
			if len(bots) != 1 || len(r.LeftBehind) != 1 {
				t.Fatalf("the bot, whose deletion was refused: %+v, left_behind %+v", bots, r.LeftBehind)
			}
			if menus := tn.emu.Menus.RichMenus(bots[0].BotID); len(menus) != 0 {
				t.Errorf("the clean-up left the rich menus %+v", menus)
			}
			if domains := tn.emu.Bots.Domains(bots[0].BotID); len(domains) != 0 {
				t.Errorf("the clean-up left the registrations %+v", domains)
			}
			if strings.Contains(r.Notes[FieldLeftBehind], "still holds") {
				t.Errorf("left_behind_note %q", r.Notes[FieldLeftBehind])
			}
			tr.before = nil
			if _, err := realtenant.Sweep(context.Background(), tn.config(t, nil).Client, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// isBotPath reports whether path is a bot's own (not one of its menus or
// registrations).
func isBotPath(path string) bool { return botPathPattern.MatchString(path) }

var botPathPattern = regexp.MustCompile(`/bots/[0-9]+$`)
