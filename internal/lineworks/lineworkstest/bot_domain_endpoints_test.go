package lineworkstest_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestBotDomains(t *testing.T) {
	s, tok := newBotServer(t)
	s.Directory.AddDomains(10000002, 10000003)
	id := createBot(t, s, tok, with(validBot(), "allowDomains", []int64{lineworkstest.DefaultDomainID, 10000002}))
	dpath := func(d int64) string { return botPath(id, "domains", fmt.Sprint(d)) }

	r := botCall(t, s, http.MethodPost, dpath(lineworkstest.DefaultDomainID), tok, map[string]any{"visible": true, "allowToSelectedMember": true})
	wantStatus(t, r, http.StatusCreated)
	if mustJSON(t, r.body) != `{"allowToSelectedMember":true,"domainId":10000001,"visible":true}` {
		t.Errorf("register answered %s", r.raw)
	}
	// Both fields default to false; an empty body is an empty object.
	wantStatus(t, botCall(t, s, http.MethodPost, dpath(10000002), tok, nil), http.StatusCreated)
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(10000002), tok, map[string]any{}), http.StatusConflict, "ALREADY_EXISTS")
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(10000003), tok, map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER") // outside allowDomains
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(99), tok, map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER")       // not a tenant domain
	wantAPIError(t, botCall(t, s, http.MethodPost, dpath(10000002)+"x", tok, map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER")
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(999, "domains", "10000001"), tok, map[string]any{}), http.StatusNotFound, "NOT_FOUND")
	for _, body := range []any{map[string]any{"visible": "yes"}, map[string]any{"administrators": []string{}}, map[string]any{"domainId": 1}, "[]"} {
		wantAPIError(t, botCall(t, s, http.MethodPut, dpath(10000002), tok, body), http.StatusBadRequest, "INVALID_PARAMETER")
	}

	if got := s.Bots.Domains(id); !slices.Equal(got, []lineworkstest.BotDomain{{DomainID: 10000001, Visible: true, AllowToSelectedMember: true}, {DomainID: 10000002}}) {
		t.Fatalf("domains %+v", got)
	}

	// PATCH changes what it sends; PUT replaces both fields.
	r = botCall(t, s, http.MethodPatch, dpath(lineworkstest.DefaultDomainID), tok, map[string]any{"visible": false})
	wantStatus(t, r, http.StatusOK)
	if r.body["visible"] != false || r.body["allowToSelectedMember"] != true {
		t.Errorf("PATCH answered %s", r.raw)
	}
	r = botCall(t, s, http.MethodPut, dpath(lineworkstest.DefaultDomainID), tok, map[string]any{"visible": true})
	wantStatus(t, r, http.StatusOK)
	if r.body["visible"] != true || r.body["allowToSelectedMember"] != false {
		t.Errorf("PUT answered %s", r.raw)
	}
	wantAPIError(t, botCall(t, s, http.MethodPut, dpath(10000003), tok, map[string]any{}), http.StatusNotFound, "NOT_FOUND")

	l := botCall(t, s, http.MethodGet, botPath(id, "domains"), tok, nil)
	wantStatus(t, l, http.StatusOK)
	if mustJSON(t, l.body) != `{"domains":[{"allowToSelectedMember":false,"domainId":10000001,"visible":true},{"allowToSelectedMember":false,"domainId":10000002,"visible":false}],"responseMetaData":{"nextCursor":null}}` {
		t.Errorf("list answered %s", l.raw)
	}

	wantStatus(t, botCall(t, s, http.MethodDelete, dpath(10000002), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodDelete, dpath(10000002), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(999, "domains"), tok, nil), http.StatusNotFound, "NOT_FOUND")
	if len(s.Bots.Domains(id)) != 1 {
		t.Errorf("domains %+v", s.Bots.Domains(id))
	}
}

func TestBotAllowDomainsCascade(t *testing.T) {
	s, tok := newBotServer(t)
	s.Directory.AddDomains(10000002, 10000003)
	id := createBot(t, s, tok, validBot()) // every domain
	for _, d := range []int64{10000001, 10000002, 10000003} {
		wantStatus(t, botCall(t, s, http.MethodPost, botPath(id, "domains", fmt.Sprint(d)), tok, map[string]any{}), http.StatusCreated)
	}
	wantStatus(t, botCall(t, s, http.MethodPatch, botPath(id), tok, map[string]any{"allowDomains": []int64{10000001, 10000002}}), http.StatusOK)
	if got := s.Bots.Domains(id); len(got) != 2 || got[0].DomainID != 10000001 || got[1].DomainID != 10000002 {
		t.Errorf("after narrowing to two: %+v", got)
	}
	// A PUT narrows too; a PUT without allowDomains allows every domain again and deletes nothing.
	wantStatus(t, botCall(t, s, http.MethodPut, botPath(id), tok, with(validBot(), "allowDomains", []int64{10000002})), http.StatusOK)
	if got := s.Bots.Domains(id); len(got) != 1 || got[0].DomainID != 10000002 {
		t.Errorf("after a PUT to one: %+v", got)
	}
	wantStatus(t, botCall(t, s, http.MethodPut, botPath(id), tok, validBot()), http.StatusOK)
	if got := s.Bots.Domains(id); len(got) != 1 {
		t.Errorf("after a PUT to all: %+v", got)
	}
	// Out of band, as in the Developer Console.
	s.Bots.Modify(id, func(b *lineworkstest.Bot) { b.AllowDomains = []int64{10000001} })
	if got := s.Bots.Domains(id); len(got) != 0 {
		t.Errorf("after Bots.Modify: %+v", got)
	}
}
