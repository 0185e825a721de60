package lineworks

// The action object (bot-actionobject) that rich menu areas and persistent
// menu buttons share, and the checks both menus make of it.

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Action types.
const (
	ActionPostback = "postback"
	ActionMessage  = "message"
	ActionURI      = "uri"
	ActionCopy     = "copy"
)

// Documented lengths of action fields, in characters.
const (
	MaxRichMenuLabelLength       = 20   // label and i18n labels in a rich menu
	MaxPersistentMenuLabelLength = 1000 // label and i18n labels in a persistent menu
	MaxActionDataLength          = 300  // data (postback)
	MaxActionDisplayTextLength   = 300  // displayText and its translations (postback)
	MaxActionTextLength          = 300  // text and its translations (message)
	MaxActionPostbackLength      = 1000 // postback (message)
	MaxActionURILength           = 1000 // uri (uri)
	MaxActionCopyTextLength      = 1000 // copyText (copy)
)

// RichMenuActionTypes are the action types a rich menu area takes.
var RichMenuActionTypes = []string{ActionPostback, ActionMessage, ActionURI, ActionCopy}

// PersistentMenuActionTypes are the action types a persistent menu takes:
// no postback.
var PersistentMenuActionTypes = []string{ActionMessage, ActionURI, ActionCopy}

// MenuAction is what happens when a user taps a rich menu area or a
// persistent menu button. Which fields a type takes and needs is in
// RichMenuActionFields and PersistentMenuActionFields; empty fields are not
// sent. The i18n lists hold at most one entry per language of BotLanguages.
type MenuAction struct {
	Type             string            `json:"type"`
	Label            string            `json:"label,omitempty"`
	Data             string            `json:"data,omitempty"`        // postback
	DisplayText      string            `json:"displayText,omitempty"` // postback
	Text             string            `json:"text,omitempty"`        // message
	Postback         string            `json:"postback,omitempty"`    // message
	URI              string            `json:"uri,omitempty"`         // uri
	CopyText         string            `json:"copyText,omitempty"`    // copy
	I18nLabels       []I18nLabel       `json:"i18nLabels,omitempty"`
	I18nDisplayTexts []I18nDisplayText `json:"i18nDisplayTexts,omitempty"` // postback
	I18nTexts        []I18nText        `json:"i18nTexts,omitempty"`        // message
}

// I18nLabel is an action label in one of BotLanguages.
type I18nLabel struct {
	Language string `json:"language"`
	Label    string `json:"label"`
}

// I18nDisplayText is a postback action's display text in one of BotLanguages.
type I18nDisplayText struct {
	Language    string `json:"language"`
	DisplayText string `json:"displayText"`
}

// I18nText is a message action's text in one of BotLanguages.
type I18nText struct {
	Language string `json:"language"`
	Text     string `json:"text"`
}

// ActionFields says which fields (by JSON name) an action type needs and
// which it may have besides type.
type ActionFields struct {
	Required, Optional []string
}

// RichMenuActionFields are the fields of each action type in a rich menu
// (bot-actionobject; text is required in rich menus, bot-richmenu-get).
var RichMenuActionFields = map[string]ActionFields{
	ActionPostback: {Required: []string{"data"}, Optional: []string{"label", "displayText", "i18nLabels", "i18nDisplayTexts"}},
	ActionMessage:  {Required: []string{"text"}, Optional: []string{"label", "postback", "i18nLabels", "i18nTexts"}},
	ActionURI:      {Required: []string{"uri"}, Optional: []string{"label", "i18nLabels"}},
	ActionCopy:     {Required: []string{"copyText"}, Optional: []string{"label", "i18nLabels"}},
}

// PersistentMenuActionFields are the fields of each action type in a
// persistent menu: every button needs a label, and a message action without
// text sends its label (bot-persistentmenu-create).
var PersistentMenuActionFields = map[string]ActionFields{
	ActionMessage: {Required: []string{"label"}, Optional: []string{"text", "postback", "i18nLabels", "i18nTexts"}},
	ActionURI:     {Required: []string{"label", "uri"}, Optional: []string{"i18nLabels"}},
	ActionCopy:    {Required: []string{"label", "copyText"}, Optional: []string{"i18nLabels"}},
}

// FieldError is a value LINE WORKS would refuse, found before sending it,
// with where it is, so that a caller can point at its own field.
type FieldError struct {
	// List is "areas" (a rich menu) or "actions" (a persistent menu) when
	// the fault is in one of its items, "" when in the menu itself.
	List string
	// Index is the item's position in List.
	Index int
	// Field is the JSON path of the field at fault, below the item or the
	// menu: "richmenuName", "size.height", "bounds", "action.data",
	// "action.i18nLabels", "label".
	Field string
	// Language is the i18n entry at fault, if it is one.
	Language string
	// Problem says what is wrong and what LINE WORKS accepts.
	Problem string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.List != "" {
		fmt.Fprintf(&b, "%s[%d].", e.List, e.Index)
	}
	b.WriteString(e.Field)
	if e.Language != "" {
		fmt.Fprintf(&b, "[%s]", e.Language)
	}
	return b.String() + ": " + e.Problem
}

// ValidationError lists everything wrong with a menu, found before sending
// it. Problems is never empty.
type ValidationError struct {
	What     string // "rich menu", "persistent menu"
	Problems []*FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return fmt.Sprintf("the %s is not one LINE WORKS accepts: %s", e.What, strings.Join(msgs, "; "))
}

// validationError returns nil when problems is empty.
func validationError(what string, problems []*FieldError) error {
	if len(problems) == 0 {
		return nil
	}
	return &ValidationError{What: what, Problems: problems}
}

// ValidateRichMenuAction checks an action of a rich menu area. Each
// problem's Field names the action's field ("data", "i18nLabels").
func ValidateRichMenuAction(a MenuAction) []*FieldError {
	return validateAction(a, RichMenuActionFields, MaxRichMenuLabelLength, false)
}

// ValidatePersistentMenuAction checks a persistent menu button. It also
// refuses a newline in a label or text: the service replaces it with a
// space, so the menu would never read back as written.
func ValidatePersistentMenuAction(a MenuAction) []*FieldError {
	return validateAction(a, PersistentMenuActionFields, MaxPersistentMenuLabelLength, true)
}

func validateAction(a MenuAction, fields map[string]ActionFields, labelMax int, noNewlines bool) []*FieldError {
	var problems []*FieldError
	add := func(field, lang, format string, args ...any) {
		problems = append(problems, &FieldError{Field: field, Language: lang, Problem: fmt.Sprintf(format, args...)})
	}
	rule, ok := fields[a.Type]
	if !ok {
		types := slices.Sorted(maps.Keys(fields))
		add("type", "", "%q is not an action type this menu takes: use one of %s", a.Type, strings.Join(types, ", "))
		return problems
	}
	present := actionFieldsSet(a)
	for _, f := range rule.Required {
		if !slices.Contains(present, f) {
			add(f, "", "is required for a %s action", a.Type)
		}
	}
	for _, f := range present {
		if !slices.Contains(rule.Required, f) && !slices.Contains(rule.Optional, f) {
			add(f, "", "is not a field of a %s action: a %s action takes %s", a.Type, a.Type, strings.Join(append(slices.Clone(rule.Required), rule.Optional...), ", "))
		}
	}
	text := func(field, v string, limit int, flat bool) {
		if n := utf8.RuneCountInString(v); n > limit {
			add(field, "", "is %d characters long; LINE WORKS accepts at most %d", n, limit)
		}
		if flat && strings.ContainsAny(v, "\r\n") {
			add(field, "", "contains a newline, which LINE WORKS replaces with a space in a persistent menu: write a space instead")
		}
	}
	text("label", a.Label, labelMax, noNewlines)
	text("data", a.Data, MaxActionDataLength, false)
	text("displayText", a.DisplayText, MaxActionDisplayTextLength, false)
	text("text", a.Text, MaxActionTextLength, noNewlines)
	text("postback", a.Postback, MaxActionPostbackLength, false)
	text("uri", a.URI, MaxActionURILength, false)
	text("copyText", a.CopyText, MaxActionCopyTextLength, false)
	if a.URI != "" {
		if u, err := url.Parse(a.URI); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("uri", "", "%q is not an absolute http or https URL; LINE WORKS opens only those", a.URI)
		}
	}
	i18n := func(field string, langs, values []string, limit int, flat bool) {
		seen := map[string]bool{}
		for i, lang := range langs {
			switch {
			case !slices.Contains(BotLanguages, lang):
				add(field, lang, "is not a language LINE WORKS supports: use one of %s", strings.Join(BotLanguages, ", "))
			case seen[lang]:
				add(field, lang, "is given twice")
			}
			seen[lang] = true
			switch n := utf8.RuneCountInString(values[i]); {
			case n == 0:
				add(field, lang, "is empty; give a text or leave the language out")
			case n > limit:
				add(field, lang, "is %d characters long; LINE WORKS accepts at most %d", n, limit)
			}
			if flat && strings.ContainsAny(values[i], "\r\n") {
				add(field, lang, "contains a newline, which LINE WORKS replaces with a space in a persistent menu: write a space instead")
			}
		}
	}
	langs, values := i18nPairs(a.I18nLabels, func(l I18nLabel) (string, string) { return l.Language, l.Label })
	i18n("i18nLabels", langs, values, labelMax, noNewlines)
	langs, values = i18nPairs(a.I18nDisplayTexts, func(d I18nDisplayText) (string, string) { return d.Language, d.DisplayText })
	i18n("i18nDisplayTexts", langs, values, MaxActionDisplayTextLength, false)
	langs, values = i18nPairs(a.I18nTexts, func(t I18nText) (string, string) { return t.Language, t.Text })
	i18n("i18nTexts", langs, values, MaxActionTextLength, noNewlines)
	return problems
}

// actionFieldsSet lists the JSON names of the fields a sets, besides type.
func actionFieldsSet(a MenuAction) []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"label", a.Label != ""}, {"data", a.Data != ""}, {"displayText", a.DisplayText != ""},
		{"text", a.Text != ""}, {"postback", a.Postback != ""}, {"uri", a.URI != ""},
		{"copyText", a.CopyText != ""}, {"i18nLabels", len(a.I18nLabels) > 0},
		{"i18nDisplayTexts", len(a.I18nDisplayTexts) > 0}, {"i18nTexts", len(a.I18nTexts) > 0},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

func i18nPairs[T any](items []T, pair func(T) (string, string)) (langs, values []string) {
	for _, it := range items {
		l, v := pair(it)
		langs, values = append(langs, l), append(values, v)
	}
	return langs, values
}

// ValidateLanguage checks an i18n language key.
func ValidateLanguage(lang string) error {
	if !slices.Contains(BotLanguages, lang) {
		return fmt.Errorf("%q is not a language LINE WORKS supports: use one of %s", lang, strings.Join(BotLanguages, ", "))
	}
	return nil
}
