package lineworkstest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const (
	defaultPageSize = 50
	maxPageSize     = 100
)

// page reads count and cursor. The cursor is opaque to clients: here the
// standard base64 of a marker, the list it belongs to, the last ID listed
// and a checksum, so that a cursor altered or cut short is refused. It
// carries '+' and '/', as real cursors may, so a client that does not escape
// it fails here as it would in production.
func page(w http.ResponseWriter, r *http.Request, list string) (count int, after int64, ok bool) {
	q := r.URL.Query()
	count = defaultPageSize
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("count must be an integer from 1 to %d, got %q", maxPageSize, v))
			return 0, 0, false
		}
		count = n
	}
	if v := q.Get("cursor"); v != "" {
		a, valid := decodeCursor(v, list)
		if !valid {
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("cursor %q is not a cursor this list returned", v))
			return 0, 0, false
		}
		after = a
	}
	return count, after, true
}

var cursorMarker = []byte{0xfb, 0xef, 0xff} // "++//" in base64

const cursorSumLen = 4

func encodeCursor(list string, after int64) string {
	raw := append(slices.Clone(cursorMarker), fmt.Sprintf("%s:%d", list, after)...)
	sum := sha256.Sum256(raw)
	return base64.StdEncoding.EncodeToString(append(raw, sum[:cursorSumLen]...))
}

func decodeCursor(v, list string) (int64, bool) {
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(raw) < len(cursorMarker)+cursorSumLen {
		return 0, false
	}
	raw, sum := raw[:len(raw)-cursorSumLen], raw[len(raw)-cursorSumLen:]
	if want := sha256.Sum256(raw); !hmac.Equal(sum, want[:cursorSumLen]) || !bytes.HasPrefix(raw, cursorMarker) {
		return 0, false
	}
	l, id, ok := strings.Cut(string(raw[len(cursorMarker):]), ":")
	after, err := strconv.ParseInt(id, 10, 64)
	return after, ok && err == nil && l == list
}

// pageOf returns up to count of ids (sorted) after after, and the cursor of
// the next page or nil. A list's answer puts the cursor in
// AnswerForms.pageMeta.
func pageOf(ids []int64, count int, after int64, list string) ([]int64, *string) {
	i, _ := slices.BinarySearch(ids, after+1)
	ids = ids[i:]
	if len(ids) <= count {
		return ids, nil
	}
	next := encodeCursor(list, ids[count-1])
	return ids[:count], &next
}
