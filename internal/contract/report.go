package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// The fields of a report, in the order it lists them. The names and values
// of the answer forms are those of the emulator's lineworkstest.AnswerForms,
// so that a report loads as the emulator's forms.
const (
	FieldCreateStatus         = "create_status"
	FieldCreateAnswer         = "create_answer"
	FieldWriteAnswer          = "write_answer"
	FieldAdministrators       = "administrators"
	FieldPhotoURL             = "photo_url"
	FieldAllDomains           = "all_domains"
	FieldDeletedBotStatus     = "deleted_bot_status"
	FieldLastPageCursor       = "last_page_cursor"
	FieldBudgetHeaders        = "budget_headers"
	FieldChannelEventsDefault = "channel_events_default"
	FieldRichMenuCreateAnswer = "rich_menu_create_answer"
	FieldPersistentMenuNone   = "persistent_menu_none"
	FieldAllUsersMembers      = "all_users_members"
	FieldCreatedTimeExample   = "created_time_example"
	FieldLeftBehind           = "left_behind"
)

// Fields are the observed fields, in the report's order (left_behind last,
// apart).
var Fields = []string{
	FieldCreateStatus, FieldCreateAnswer, FieldWriteAnswer, FieldAdministrators, FieldPhotoURL,
	FieldAllDomains, FieldDeletedBotStatus, FieldLastPageCursor, FieldBudgetHeaders, FieldChannelEventsDefault,
	FieldRichMenuCreateAnswer, FieldPersistentMenuNone, FieldAllUsersMembers, FieldCreatedTimeExample,
}

// Report is what a run observed. A field it could not observe has no value
// and a note saying why; a note may also come beside a value, saying what
// else was seen.
type Report struct {
	Values map[string]any    // an int, a string or a []string, by field
	Notes  map[string]string // by field, left_behind included
	// LeftBehind lists what the run created and could not delete; empty
	// when it cleaned up after itself.
	LeftBehind []LeftBot
}

// LeftBot is a bot the run created and could not delete.
type LeftBot struct {
	BotID   int64  `json:"bot_id,omitempty"` // 0 when the service never named it
	BotName string `json:"bot_name"`
	Error   string `json:"error"`
}

func newReport() *Report {
	return &Report{Values: map[string]any{}, Notes: map[string]string{}, LeftBehind: []LeftBot{}}
}

func (r *Report) set(field string, v any) { r.Values[field] = v }

// note adds to what is said of field.
func (r *Report) note(field, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if old := r.Notes[field]; old != "" {
		text = old + "; " + text
	}
	r.Notes[field] = text
}

// unobserved leaves field without a value and says why, unless something
// was already said of it.
func (r *Report) unobserved(field, format string, args ...any) {
	delete(r.Values, field)
	if r.Notes[field] == "" {
		r.note(field, format, args...)
	}
}

// finish says of every field still without a value or a note that it was
// not observed, because of why.
func (r *Report) finish(why string) {
	for _, f := range Fields {
		if _, ok := r.Values[f]; !ok && r.Notes[f] == "" {
			r.note(f, "not observed: %s", why)
		}
	}
}

// MarshalJSON writes the fields in order, null where there is no value,
// each note as "<field>_note" right after its field.
func (r *Report) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	write := func(key string, v any) error {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(key) // a string always marshals
		val, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
		return nil
	}
	for _, f := range append(slices.Clone(Fields), FieldLeftBehind) {
		v, ok := r.Values[f]
		if f == FieldLeftBehind {
			v, ok = r.LeftBehind, true
		}
		if !ok {
			v = nil
		}
		if err := write(f, v); err != nil {
			return nil, err
		}
		if n := r.Notes[f]; n != "" {
			if err := write(f+"_note", n); err != nil {
				return nil, err
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// File is the report as contract-report.json holds it: indented, one field
// a line.
func (r *Report) File() ([]byte, error) {
	raw, err := r.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// EmulatorForms is what the emulator command's -answer-forms flag takes to
// answer as the tenant did, field by observed field ("" when nothing was
// observed). A channel_events_default that is neither the documented six
// nor every event only loads from the report file (-answer-forms @file).
func (r *Report) EmulatorForms() string {
	var pairs []string
	for _, f := range Fields {
		v, ok := r.Values[f]
		switch {
		case !ok || f == FieldCreatedTimeExample:
		case f == FieldChannelEventsDefault:
			switch events, _ := v.([]string); {
			case sameSet(events, lineworkstest.DocumentedChannelEvents):
				pairs = append(pairs, f+"=documented")
			case sameSet(events, lineworks.BotChannelEvents):
				pairs = append(pairs, f+"=every")
			}
		default:
			pairs = append(pairs, fmt.Sprintf("%s=%v", f, v))
		}
	}
	return strings.Join(pairs, ",")
}

func sameSet(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(s string) bool { return !slices.Contains(b, s) })
}

// Summary is the report for a person: each field, its value or why it has
// none, and what was left behind.
func (r *Report) Summary() string {
	var b strings.Builder
	for _, f := range Fields {
		v, ok := r.Values[f]
		text := "not observed"
		if ok {
			text = fmt.Sprint(v)
		}
		fmt.Fprintf(&b, "  %-23s %s\n", f, text)
		if n := r.Notes[f]; n != "" {
			fmt.Fprintf(&b, "  %-23s   (%s)\n", "", n)
		}
	}
	if len(r.LeftBehind) == 0 {
		fmt.Fprintf(&b, "  %-23s nothing: every bot the run created was deleted\n", FieldLeftBehind)
	}
	for _, l := range r.LeftBehind {
		fmt.Fprintf(&b, "  %-23s bot %d %q: %s\n", FieldLeftBehind, l.BotID, l.BotName, l.Error)
	}
	if n := r.Notes[FieldLeftBehind]; n != "" {
		fmt.Fprintf(&b, "  %-23s   (%s)\n", "", n)
	}
	return b.String()
}
