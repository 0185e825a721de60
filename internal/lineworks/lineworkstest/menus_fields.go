package lineworkstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// actionRule is what one action type takes in one kind of menu: the fields
// it requires besides type, and the fields it may have.
type actionRule struct {
	required, optional []string
}

// Action fields by type (bot-actionobject). The emulator refuses a field
// another type has (inferred: the docs list each type's own fields), so that
// a client sending, say, data on a uri action fails here and not only on the
// service.
var (
	richMenuActions = map[string]actionRule{
		"postback": {required: []string{"data"}, optional: []string{"label", "displayText", "i18nLabels", "i18nDisplayTexts"}},
		// text is required in rich menus (bot-richmenu-get).
		"message": {required: []string{"text"}, optional: []string{"label", "postback", "i18nLabels", "i18nTexts"}},
		"uri":     {required: []string{"uri"}, optional: []string{"label", "i18nLabels"}},
		"copy":    {required: []string{"copyText"}, optional: []string{"label", "i18nLabels"}},
	}
	// A persistent menu has no postback action, needs a label on every
	// action, and uses the label when a message action has no text.
	persistentMenuActions = map[string]actionRule{
		"message": {required: []string{"label"}, optional: []string{"text", "postback", "i18nLabels", "i18nTexts"}},
		"uri":     {required: []string{"label", "uri"}, optional: []string{"i18nLabels"}},
		"copy":    {required: []string{"label", "copyText"}, optional: []string{"i18nLabels"}},
	}
	// actionFieldMax holds the documented lengths, in characters, other than
	// the label's, which depends on the menu.
	actionFieldMax = map[string]int{"data": 300, "displayText": 300, "text": 300, "postback": 1000, "uri": 1000, "copyText": 1000}
)

// menuKind is what differs between the actions of a rich and a persistent menu.
type menuKind struct {
	rules    map[string]actionRule
	labelMax int
	// newlines: the persistent menu replaces a newline in text with a space
	// (bot-persistentmenu-create).
	flatten bool
}

var (
	richMenuKind       = menuKind{rules: richMenuActions, labelMax: richMenuLabelMax}
	persistentMenuKind = menuKind{rules: persistentMenuActions, labelMax: persistentMenuLabelMax, flatten: true}
)

// decodeAction reads the action object at field.
func decodeAction(raw json.RawMessage, field string, kind menuKind) (MenuAction, *invalid) {
	var a MenuAction
	obj, bad := object(raw, field)
	if bad != nil {
		return a, bad
	}
	if _, ok := obj["type"]; !ok {
		return a, invalidf("%s.type is required: one of %s", field, strings.Join(slices.Sorted(maps.Keys(kind.rules)), ", "))
	}
	typ, bad := jsonString(obj["type"], field+".type")
	if bad != nil {
		return a, bad
	}
	rule, ok := kind.rules[typ]
	if !ok {
		return a, invalidf("%s.type %q is not an action this menu takes: use one of %s", field, typ, strings.Join(slices.Sorted(maps.Keys(kind.rules)), ", "))
	}
	a.Type = typ
	for _, k := range sortedKeys(obj) {
		if k == "type" {
			continue
		}
		if !slices.Contains(rule.required, k) && !slices.Contains(rule.optional, k) {
			return a, invalidf("%s.%s is not a field of a %s action here: it takes %s", field, k, typ, strings.Join(append(slices.Clone(rule.required), rule.optional...), ", "))
		}
		name := field + "." + k
		var bad *invalid
		switch k {
		case "i18nLabels":
			a.I18nLabels, bad = decodeI18n(obj[k], name, "label", kind.labelMax, kind.flatten, func(l, v string) I18nLabel { return I18nLabel{l, v} })
		case "i18nDisplayTexts":
			a.I18nDisplayTexts, bad = decodeI18n(obj[k], name, "displayText", actionFieldMax["displayText"], false, func(l, v string) I18nDisplayText { return I18nDisplayText{l, v} })
		case "i18nTexts":
			a.I18nTexts, bad = decodeI18n(obj[k], name, "text", actionFieldMax["text"], kind.flatten, func(l, v string) I18nText { return I18nText{l, v} })
		default:
			var v string
			if v, bad = actionText(obj[k], name, k, kind); bad == nil {
				*actionField(&a, k) = v
			}
		}
		if bad != nil {
			return a, bad
		}
	}
	for _, k := range rule.required {
		if *actionField(&a, k) == "" {
			return a, invalidf("%s.%s is required for a %s action", field, k, typ)
		}
	}
	if a.URI != "" {
		if u, err := url.Parse(a.URI); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return a, invalidf("%s.uri must be an absolute http or https URL, got %q", field, a.URI)
		}
	}
	return a, nil
}

// actionText reads one string field of an action, checks its length and
// flattens its newlines where the menu does.
func actionText(raw json.RawMessage, name, key string, kind menuKind) (string, *invalid) {
	v, bad := jsonString(raw, name)
	if bad != nil {
		return "", bad
	}
	limit := actionFieldMax[key]
	if key == "label" {
		limit = kind.labelMax
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return "", invalidf("%s must be at most %d characters, got %d", name, limit, n)
	}
	if kind.flatten && (key == "label" || key == "text") {
		v = newlines.Replace(v)
	}
	return v, nil
}

func actionField(a *MenuAction, key string) *string {
	switch key {
	case "label":
		return &a.Label
	case "data":
		return &a.Data
	case "displayText":
		return &a.DisplayText
	case "text":
		return &a.Text
	case "postback":
		return &a.Postback
	case "uri":
		return &a.URI
	case "copyText":
		return &a.CopyText
	}
	panic("lineworkstest: no action field " + key)
}

// decodeI18n reads an array of {"language", valueField} with each language
// at most once and each value 1 to limit characters.
func decodeI18n[T any](raw json.RawMessage, field, valueField string, limit int, flatten bool, mk func(lang, value string) T) ([]T, *invalid) {
	langs, values, bad := jsonI18n(raw, field, valueField)
	if bad != nil {
		return nil, bad
	}
	if bad := checkNames(field+" language", langs, botLanguages); bad != nil {
		return nil, bad
	}
	out := make([]T, len(langs))
	for i := range langs {
		v := values[i]
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
			return nil, invalidf("%s[%d].%s is required", field, i, valueField)
		case n > limit:
			return nil, invalidf("%s[%d].%s must be at most %d characters, got %d", field, i, valueField, limit, n)
		}
		if flatten {
			v = newlines.Replace(v)
		}
		out[i] = mk(langs[i], v)
	}
	return out, nil
}

// decodeRichMenu reads the body of POST /bots/{botId}/richmenus.
func decodeRichMenu(obj map[string]json.RawMessage) (RichMenu, *invalid) {
	var m RichMenu
	for _, k := range sortedKeys(obj) {
		var bad *invalid
		switch k {
		case "richmenuName":
			if m.RichMenuName, bad = jsonString(obj[k], k); bad == nil {
				switch n := utf8.RuneCountInString(m.RichMenuName); {
				case n == 0:
					bad = invalidf("richmenuName is required (1 to %d characters)", maxRichMenuName)
				case n > maxRichMenuName:
					bad = invalidf("richmenuName must be at most %d characters, got %d", maxRichMenuName, n)
				}
			}
		case "size", "areas":
			// Read below: areas are checked against the size.
		case "richmenuId":
			bad = invalidf("richmenuId is read-only and cannot be sent") // inferred
		default:
			bad = invalidf("%s is not a field of a rich menu: expected richmenuName, size and areas", k) // inferred: strict
		}
		if bad != nil {
			return m, bad
		}
	}
	for _, k := range []string{"richmenuName", "size", "areas"} {
		if _, ok := obj[k]; !ok {
			return m, invalidf("%s is required", k)
		}
	}
	size, bad := object(obj["size"], "size")
	if bad != nil {
		return m, bad
	}
	ints, bad := intFields(size, "size", "width", "height")
	if bad != nil {
		return m, bad
	}
	m.Size = RichMenuSize{Width: ints[0], Height: ints[1]}
	if m.Size.Width != richMenuWidth {
		return m, invalidf("size.width must be %d, got %d", richMenuWidth, m.Size.Width)
	}
	if !slices.Contains(richMenuHeights, m.Size.Height) {
		return m, invalidf("size.height must be 843 or 1686, got %d", m.Size.Height)
	}
	areas, bad := jsonArray(obj["areas"], "areas")
	if bad != nil {
		return m, bad
	}
	if len(areas) == 0 || len(areas) > maxRichMenuAreas {
		return m, invalidf("areas must hold 1 to %d areas, got %d", maxRichMenuAreas, len(areas))
	}
	for i, raw := range areas {
		area, bad := decodeArea(raw, fmt.Sprintf("areas[%d]", i), m.Size)
		if bad != nil {
			return m, bad
		}
		m.Areas = append(m.Areas, area)
	}
	return m, nil
}

// decodeArea reads one area. Its bounds must lie inside the menu (inferred:
// the v2 docs' bounds schema was not seen; third-party code bounds them by
// the menu's size).
func decodeArea(raw json.RawMessage, field string, size RichMenuSize) (RichMenuArea, *invalid) {
	var area RichMenuArea
	obj, bad := object(raw, field)
	if bad != nil {
		return area, bad
	}
	for _, k := range sortedKeys(obj) {
		if k != "bounds" && k != "action" {
			return area, invalidf("%s.%s is not a field of an area: expected bounds and action", field, k)
		}
	}
	for _, k := range []string{"bounds", "action"} {
		if _, ok := obj[k]; !ok {
			return area, invalidf("%s.%s is required", field, k)
		}
	}
	bounds, bad := object(obj["bounds"], field+".bounds")
	if bad != nil {
		return area, bad
	}
	v, bad := intFields(bounds, field+".bounds", "x", "y", "width", "height")
	if bad != nil {
		return area, bad
	}
	b := RichMenuBounds{X: v[0], Y: v[1], Width: v[2], Height: v[3]}
	switch {
	case b.X < 0 || b.Y < 0:
		return area, invalidf("%s.bounds x and y must be 0 or more, got %d and %d", field, b.X, b.Y)
	case b.Width < 1 || b.Height < 1:
		return area, invalidf("%s.bounds width and height must be 1 or more, got %d and %d", field, b.Width, b.Height)
	case b.X+b.Width > size.Width || b.Y+b.Height > size.Height:
		return area, invalidf("%s.bounds (x %d, y %d, width %d, height %d) reach outside the %d × %d menu", field, b.X, b.Y, b.Width, b.Height, size.Width, size.Height)
	}
	area.Bounds = b
	area.Action, bad = decodeAction(obj["action"], field+".action", richMenuKind)
	return area, bad
}

// decodePersistentMenu reads the body of POST /bots/{botId}/persistentmenu:
// {"content":{"actions":[…]}}.
func decodePersistentMenu(obj map[string]json.RawMessage) (PersistentMenu, *invalid) {
	var p PersistentMenu
	for _, k := range sortedKeys(obj) {
		if k != "content" {
			return p, invalidf("%s is not a field of a persistent menu: expected content", k)
		}
	}
	if _, ok := obj["content"]; !ok {
		return p, invalidf("content is required")
	}
	content, bad := object(obj["content"], "content")
	if bad != nil {
		return p, bad
	}
	for _, k := range sortedKeys(content) {
		if k != "actions" {
			return p, invalidf("content.%s is not a field of a persistent menu's content: expected actions", k)
		}
	}
	if _, ok := content["actions"]; !ok {
		return p, invalidf("content.actions is required")
	}
	actions, bad := jsonArray(content["actions"], "content.actions")
	if bad != nil {
		return p, bad
	}
	// maxItems 4 is documented; an empty menu is refused (inferred: DELETE
	// removes a menu).
	if len(actions) == 0 || len(actions) > maxPersistentActions {
		return p, invalidf("content.actions must hold 1 to %d actions, got %d", maxPersistentActions, len(actions))
	}
	for i, raw := range actions {
		a, bad := decodeAction(raw, fmt.Sprintf("content.actions[%d]", i), persistentMenuKind)
		if bad != nil {
			return p, bad
		}
		p.Actions = append(p.Actions, a)
	}
	return p, nil
}

// decodeRichMenuImage reads the body of POST …/richmenus/{id}/image.
func decodeRichMenuImage(obj map[string]json.RawMessage) (RichMenuImage, *invalid) {
	var img RichMenuImage
	for _, k := range sortedKeys(obj) {
		var bad *invalid
		switch k {
		case "fileId":
			img.FileID, bad = jsonString(obj[k], k)
		case "i18nFileIds":
			var langs, ids []string
			if langs, ids, bad = jsonI18n(obj[k], k, "fileId"); bad == nil {
				bad = checkNames("i18nFileIds language", langs, botLanguages)
			}
			for i := range langs {
				img.I18nFileIDs = append(img.I18nFileIDs, I18nFileID{Language: langs[i], FileID: ids[i]})
			}
		default:
			bad = invalidf("%s is not a field of a rich menu image: expected fileId and i18nFileIds", k)
		}
		if bad != nil {
			return img, bad
		}
	}
	if img.FileID == "" {
		return img, invalidf("fileId is required: the file ID POST /bots/{botId}/attachments answered")
	}
	return img, nil
}

// object reads a JSON object.
func object(raw json.RawMessage, field string) (map[string]json.RawMessage, *invalid) {
	var obj map[string]json.RawMessage
	if isNull(raw) || json.Unmarshal(raw, &obj) != nil || obj == nil {
		return nil, invalidf("%s must be an object", field)
	}
	return obj, nil
}

// intFields reads the required integer fields of obj, in order, and refuses
// any other field.
func intFields(obj map[string]json.RawMessage, field string, names ...string) ([]int, *invalid) {
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(names, k) {
			return nil, invalidf("%s.%s is not a field of %s: expected %s", field, k, field, strings.Join(names, ", "))
		}
	}
	out := make([]int, len(names))
	for i, k := range names {
		raw, ok := obj[k]
		if !ok {
			return nil, invalidf("%s.%s is required", field, k)
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var decoded any
		n, isNumber := json.Number(""), false
		if d.Decode(&decoded) == nil {
			n, isNumber = decoded.(json.Number)
		}
		if !isNumber {
			return nil, invalidf("%s.%s must be an integer", field, k)
		}
		v, err := n.Int64()
		if err != nil || v != int64(int(v)) {
			return nil, invalidf("%s.%s must be an integer, got %s", field, k, n)
		}
		out[i] = int(v)
	}
	return out, nil
}
