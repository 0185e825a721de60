package provider

// What LINE WORKS made of what lineworks_bot sent it, remembered in the
// resource's private state. The service may give a value back in another
// form than it was sent in: an administrator's login e-mail as the user's
// ID, a photo URL rewritten to its own gateway, a default for a list left
// out. Taking that answer as the state would make every apply inconsistent
// and every plan a diff, and "normalizing" it away would hide real drift.
// So after each write the resource notes, per attribute it sent, the value
// sent and the value the service answered with; on refresh, an answer equal
// to what the service made of the value in the state keeps that value, and
// any other answer is drift and shows. Import has no notes: a value in
// another form then shows as one update, after which the plan is empty.

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// botAnswersKey is the private state key of a lineworks_bot's notes.
const botAnswersKey = "answers"

// botAnswers are the notes, by attribute name.
type botAnswers map[string]botAnswer

// botAnswer is one attribute's note: the value sent and the service's
// answer, each as plain JSON (sets sorted), so that notes compare by bytes.
type botAnswer struct {
	Sent json.RawMessage `json:"sent"`
	Got  json.RawMessage `json:"got"`
}

// readBotAnswers reads the notes; none when there are none (import) or they
// cannot be read (written by another version), which costs at most one
// update.
func readBotAnswers(ctx context.Context, private privateStore) botAnswers {
	answers := botAnswers{}
	if private == nil || reflect.ValueOf(private).IsNil() {
		return answers
	}
	var diags diag.Diagnostics
	if !readPrivate(ctx, private, botAnswersKey, &answers, &diags) || diags.HasError() {
		return botAnswers{}
	}
	return answers
}

// save writes the notes, or removes them when there are none.
func (a botAnswers) save(ctx context.Context, private privateStore, diags *diag.Diagnostics) {
	var raw []byte
	if len(a) > 0 {
		raw, _ = json.Marshal(a) // raw JSON and strings always marshal
	}
	diags.Append(private.SetKey(ctx, botAnswersKey, raw)...)
}

// botSettingsAttributes are the attributes a user sets, by their name in the
// API: what a write may send.
var botSettingsAttributes = map[string]string{
	"bot_name":             "botName",
	"description":          "description",
	"photo_url":            "photoUrl",
	"administrators":       "administrators",
	"subadministrators":    "subadministrators",
	"allow_domains":        "allowDomains",
	"enable_callback":      "enableCallback",
	"callback_url":         "callbackUrl",
	"callback_events":      "callbackEvents",
	"channel_events":       "channelEvents",
	"enable_group_join":    "enableGroupJoin",
	"default_rich_menu_id": "defaultRichmenuId",
	"i18n_bot_names":       "i18nBotNames",
	"i18n_descriptions":    "i18nDescriptions",
	"i18n_photo_urls":      "i18nPhotoUrls",
}

// everyBotSetting is what a create or a replace (the whole bot) sends.
func everyBotSetting() map[string]bool {
	sent := map[string]bool{}
	for name := range botSettingsAttributes {
		sent[name] = true
	}
	return sent
}

// patchedBotSettings are the attributes a PATCH body sends.
func patchedBotSettings(p lineworks.BotPatch) map[string]bool {
	var fields map[string]json.RawMessage
	raw, _ := json.Marshal(p) // a BotPatch always marshals
	_ = json.Unmarshal(raw, &fields)
	sent := map[string]bool{}
	for name, api := range botSettingsAttributes {
		if fields[api] != nil {
			sent[name] = true
		}
	}
	return sent
}

// refreshFrom sets m, the state, from the bot as the service answered: each
// attribute takes the answer, except where the answer is what the service
// made of the value in the state (answers), which the state keeps. bot_id
// stays the one the request was made for.
func (m *botModel) refreshFrom(ctx context.Context, b *lineworks.Bot, answers botAnswers, diags *diag.Diagnostics) {
	prior := *m
	m.setBot(ctx, b, diags)
	m.BotID = prior.BotID
	for name := range botSettingsAttributes {
		note, ok := answers[name]
		if !ok {
			continue
		}
		answered, kept := m.attribute(name), prior.attribute(name)
		if bytes.Equal(plainJSON(answered), note.Got) && bytes.Equal(plainJSON(kept), note.Sent) {
			m.setAttribute(name, kept)
		}
	}
}

// afterWrite sets m, the plan of a create or an update, from the bot as the
// service answered the write that sent the attributes sent, and returns the
// notes to keep. Every attribute the plan knows keeps its planned value, as
// Terraform requires; where the service answered something else for an
// attribute sent, that is what the service made of it, and is noted. An
// attribute not sent that differs is left to the next refresh to show. The
// rest (what the plan does not know: times, a default) is the service's.
func (m *botModel) afterWrite(ctx context.Context, b *lineworks.Bot, sent map[string]bool, answers botAnswers, diags *diag.Diagnostics) botAnswers {
	planned := *m
	m.setBot(ctx, b, diags)
	m.BotID = planned.BotID
	if !planned.CreatedTime.IsUnknown() {
		m.CreatedTime = planned.CreatedTime
	}
	notes := botAnswers{}
	for name := range botSettingsAttributes {
		p, a := planned.attribute(name), m.attribute(name)
		if p.IsUnknown() {
			continue // the service's to choose
		}
		m.setAttribute(name, p)
		sentJSON, gotJSON := plainJSON(p), plainJSON(a)
		switch {
		case bytes.Equal(sentJSON, gotJSON):
		case sent[name]:
			notes[name] = botAnswer{Sent: sentJSON, Got: gotJSON}
		default:
			old, ok := answers[name]
			if ok {
				notes[name] = old
			}
			if !ok || !bytes.Equal(old.Sent, sentJSON) || !bytes.Equal(old.Got, gotJSON) {
				tflog.Debug(ctx, "LINE WORKS holds another value than planned for an attribute not sent; the next refresh shows it", map[string]any{"attribute": name})
			}
		}
	}
	return notes
}

// attribute is the value of a bot attribute, by name.
func (m *botModel) attribute(name string) attr.Value {
	v, _ := m.field(name).Interface().(attr.Value) // every field of botModel is one
	return v
}

// setAttribute sets a bot attribute, by name, to v of its own type.
func (m *botModel) setAttribute(name string, v attr.Value) {
	m.field(name).Set(reflect.ValueOf(v))
}

func (m *botModel) field(name string) reflect.Value {
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		if v.Type().Field(i).Tag.Get("tfsdk") == name {
			return v.Field(i)
		}
	}
	panic("botModel has no attribute " + name)
}

// plainJSON is v as plain JSON, the same for equal values: null, a string,
// a bool, a number, a sorted list for a set, an object for a map.
func plainJSON(v attr.Value) json.RawMessage {
	raw, _ := json.Marshal(plainValue(v)) // plain values always marshal
	return raw
}

func plainValue(v attr.Value) any {
	if v == nil || v.IsNull() || v.IsUnknown() {
		return nil
	}
	switch v := v.(type) {
	case types.String:
		return v.ValueString()
	case types.Bool:
		return v.ValueBool()
	case types.Int64:
		return v.ValueInt64()
	case types.Set:
		elems := make([]string, 0, len(v.Elements()))
		for _, e := range v.Elements() {
			elems = append(elems, string(plainJSON(e)))
		}
		slices.Sort(elems)
		out := make([]json.RawMessage, len(elems))
		for i, e := range elems {
			out[i] = json.RawMessage(e)
		}
		return out
	case types.Map:
		out := map[string]json.RawMessage{}
		for k, e := range v.Elements() {
			out[k] = plainJSON(e)
		}
		return out
	}
	return v.String()
}
