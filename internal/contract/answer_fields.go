package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

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
