package lineworkstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// maxBody bounds a JSON request body of the API host.
const maxBody = 1 << 20

// invalid is a refused request body: 400 INVALID_PARAMETER, whose
// description names the field, unless status says otherwise.
type invalid struct {
	status      int
	code        string
	description string
}

func invalidf(format string, args ...any) *invalid {
	return &invalid{status: http.StatusBadRequest, code: "INVALID_PARAMETER", description: fmt.Sprintf(format, args...)}
}

func (e *invalid) write(w http.ResponseWriter) { apiError(w, e.status, e.code, e.description) }

// jsonObject parses a request body that must be a JSON object. An empty body
// is an empty object when emptyOK.
func jsonObject(r *http.Request, body []byte, emptyOK bool) (map[string]json.RawMessage, *invalid) {
	if len(body) == 0 && emptyOK {
		return map[string]json.RawMessage{}, nil
	}
	if !isJSONContentType(r.Header.Get("Content-Type")) {
		e := invalidf("Content-Type must be application/json, got %q", r.Header.Get("Content-Type"))
		e.status, e.code = http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE" // inferred
		return nil, e
	}
	if !json.Valid(body) {
		return nil, invalidf("the request body is not valid JSON")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, invalidf("the request body must be a JSON object")
	}
	return obj, nil
}

// sortedKeys lets errors name fields in a stable order.
func sortedKeys(obj map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isNull(raw json.RawMessage) bool { return strings.TrimSpace(string(raw)) == "null" }

func jsonString(raw json.RawMessage, field string) (string, *invalid) {
	var v string
	if isNull(raw) || json.Unmarshal(raw, &v) != nil {
		return "", invalidf("%s must be a string", field)
	}
	return v, nil
}

func jsonBool(raw json.RawMessage, field string) (bool, *invalid) {
	var v bool
	if isNull(raw) || json.Unmarshal(raw, &v) != nil {
		return false, invalidf("%s must be true or false", field)
	}
	return v, nil
}

func jsonArray(raw json.RawMessage, field string) ([]json.RawMessage, *invalid) {
	var v []json.RawMessage
	if isNull(raw) || json.Unmarshal(raw, &v) != nil {
		return nil, invalidf("%s must be an array", field)
	}
	return v, nil
}

func jsonStrings(raw json.RawMessage, field string) ([]string, *invalid) {
	items, err := jsonArray(raw, field)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		v, err := jsonString(item, fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func jsonInt64s(raw json.RawMessage, field string) ([]int64, *invalid) {
	items, err := jsonArray(raw, field)
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(items))
	for i, item := range items {
		var v int64
		if isNull(item) || json.Unmarshal(item, &v) != nil {
			return nil, invalidf("%s[%d] must be an integer domain ID", field, i)
		}
		out = append(out, v)
	}
	return out, nil
}

// jsonI18n decodes an array of {"language": …, valueField: …} objects.
func jsonI18n(raw json.RawMessage, field, valueField string) (languages, values []string, _ *invalid) {
	items, err := jsonArray(raw, field)
	if err != nil {
		return nil, nil, err
	}
	for i, item := range items {
		name := fmt.Sprintf("%s[%d]", field, i)
		var obj map[string]json.RawMessage
		if isNull(item) || json.Unmarshal(item, &obj) != nil {
			return nil, nil, invalidf("%s must be an object with language and %s", name, valueField)
		}
		for _, k := range sortedKeys(obj) {
			if k != "language" && k != valueField {
				return nil, nil, invalidf("%s.%s is not a field of %s: expected language and %s", name, k, field, valueField)
			}
		}
		for _, k := range []string{"language", valueField} {
			if _, ok := obj[k]; !ok {
				return nil, nil, invalidf("%s.%s is required", name, k)
			}
		}
		lang, err := jsonString(obj["language"], name+".language")
		if err != nil {
			return nil, nil, err
		}
		v, err := jsonString(obj[valueField], name+"."+valueField)
		if err != nil {
			return nil, nil, err
		}
		languages, values = append(languages, lang), append(values, v)
	}
	return languages, values, nil
}

// readBody reads a bounded request body.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	switch {
	case err != nil:
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", "The request body could not be read.")
		return nil, false
	case len(body) > maxBody:
		apiError(w, http.StatusRequestEntityTooLarge, "INVALID_PARAMETER", "The request body is too large.") // inferred
		return nil, false
	}
	return body, true
}

// readJSONObject reads the request body as a JSON object, or answers the
// error and reports false. emptyOK takes an empty body as {}.
func readJSONObject(w http.ResponseWriter, r *http.Request, emptyOK bool) (map[string]json.RawMessage, bool) {
	body, ok := readBody(w, r)
	if !ok {
		return nil, false
	}
	obj, bad := jsonObject(r, body, emptyOK)
	if bad != nil {
		bad.write(w)
		return nil, false
	}
	return obj, true
}
