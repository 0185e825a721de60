package lineworkstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// notes is a component plugged into the API host the way the package doc
// says, through botRegistry and fileStore only: per registration notes,
// allowed where the registration has allowToSelectedMember, and a file
// uploaded for the bot read back by file ID.
type notes struct {
	mu    sync.Mutex
	bots  botRegistry
	files fileStore
	notes map[[2]int64]string // by bot ID and domain ID
}

func newNotes(bots botRegistry, files fileStore) *notes {
	n := &notes{bots: bots, files: files, notes: map[[2]int64]string{}}
	bots.onRemoval(func(botID, domainID int64) {
		n.mu.Lock()
		defer n.mu.Unlock()
		for k := range n.notes {
			if k[0] == botID && (domainID == 0 || k[1] == domainID) {
				delete(n.notes, k)
			}
		}
	})
	return n
}

func (n *notes) mount(api *apiRoutes) {
	api.handle("PUT /v1.0/bots/{botId}/domains/{domainId}/note", n.put)
	api.handle("GET /v1.0/bots/{botId}/files/{fileId}", n.file)
}

func (n *notes) put(w http.ResponseWriter, r *http.Request, t *token) {
	if !requireScope(w, t, "bot") {
		return
	}
	botID, ok := pathID(w, r, "botId")
	if !ok {
		return
	}
	domainID, ok := pathID(w, r, "domainId")
	if !ok {
		return
	}
	obj, ok := readJSONObject(w, r, false)
	if !ok {
		return
	}
	n.bots.mutate(w, r, botID, func() {
		if !n.bots.botExists(botID) {
			n.bots.missing(w, botID)
			return
		}
		reg, ok := n.bots.registration(botID, domainID)
		if !ok || !reg.AllowToSelectedMember {
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", "not registered with allowToSelectedMember")
			return
		}
		n.mu.Lock()
		n.notes[[2]int64{botID, domainID}] = string(obj["text"])
		n.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
}

func (n *notes) file(w http.ResponseWriter, r *http.Request, t *token) {
	a, ok := n.files.Upload(r.PathValue("botId"), r.PathValue("fileId"))
	if !ok {
		notFound(w)
		return
	}
	b, _ := io.ReadAll(AttachmentContent(a))
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"name": a.FileName, "content": string(b)})
}

func (n *notes) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.notes)
}

// The seam the package doc describes carries a component of its own.
func TestSeamCarriesAComponent(t *testing.T) {
	s := NewServer()
	t.Cleanup(s.Close)
	n := newNotes(s.Bots, s.Storage)
	n.mount(s.apiRoutes)
	s.Bots.SetMutationHold(0)
	tok := s.Auth.IssueAccessToken("c", "bot")
	call := func(method, path string, body any) (int, string) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			raw, _ := json.Marshal(body)
			rd = bytes.NewReader(raw)
		}
		req, _ := http.NewRequest(method, s.APIURL()+path, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	bot, err := s.Bots.Add(Bot{BotName: "b", PhotoURL: "https://example.com/b.png", Description: "d", Administrators: []string{DefaultUsers[0]}})
	if err != nil {
		t.Fatal(err)
	}
	note := fmt.Sprintf("/bots/%d/domains/%d/note", bot.BotID, DefaultDomainID)

	if st, body := call(http.MethodPut, note, map[string]string{"text": "x"}); st != 400 {
		t.Errorf("unregistered: %d %s", st, body)
	}
	s.Bots.SetDomain(bot.BotID, BotDomain{DomainID: DefaultDomainID, AllowToSelectedMember: true})
	if st, body := call(http.MethodPut, note, map[string]string{"text": "x"}); st != 204 || n.count() != 1 {
		t.Errorf("registered: %d %s", st, body)
	}
	if st, body := call(http.MethodGet, note, nil); st != 405 || !strings.Contains(body, "METHOD_NOT_ALLOWED") {
		t.Errorf("GET: %d %s", st, body)
	}
	// The bots' own conflict check covers the component's mutations.
	s.Bots.SetMutationHold(60e9)
	done := make(chan struct{})
	go func() {
		defer close(done)
		call(http.MethodPatch, fmt.Sprintf("/bots/%d", bot.BotID), map[string]string{"description": "e"})
	}()
	for s.Bots.MutationsInFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	if st, body := call(http.MethodPut, note, map[string]string{"text": "y"}); st != 409 {
		t.Errorf("during a PATCH: %d %s", st, body)
	}
	s.Bots.SetMutationHold(0)
	<-done
	// Removals reach the component.
	s.Bots.RemoveDomain(bot.BotID, DefaultDomainID)
	if n.count() != 0 {
		t.Error("the note outlived its registration")
	}
	// A file uploaded for the bot, by file ID.
	fileID, err := s.Storage.UploadAttachment(tok, fmt.Sprint(bot.BotID), "menu.png", "image/png", []byte("PNG bytes"))
	if err != nil {
		t.Fatal(err)
	}
	if st, body := call(http.MethodGet, fmt.Sprintf("/bots/%d/files/%s", bot.BotID, fileID), nil); st != 200 || body != `{"content":"PNG bytes","name":"menu.png"}` {
		t.Errorf("file: %d %s", st, body)
	}
	if _, ok := s.Storage.Upload("1", fileID); ok {
		t.Error("another bot's file was found")
	}
	s.Storage.AddAttachment(fmt.Sprint(bot.BotID), "jp1.sent", Attachment{Content: []byte("x")})
	if st, _ := call(http.MethodGet, fmt.Sprintf("/bots/%d/files/jp1.sent", bot.BotID), nil); st != 404 {
		t.Errorf("a file a user sent is an upload: %d", st)
	}
	s.Bots.SetDomain(bot.BotID, BotDomain{DomainID: DefaultDomainID, AllowToSelectedMember: true})
	if st, body := call(http.MethodPut, note, map[string]string{"text": "x"}); st != 204 || n.count() != 1 {
		t.Errorf("registered again: %d %s", st, body)
	}
	// A plain http.HandlerFunc on the API host's mux reads the token's scopes.
	s.apiRoutes.mux().HandleFunc("GET /v1.0/bots/{botId}/scopes", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, "application/json", requestScopes(r))
	})
	if st, body := call(http.MethodGet, fmt.Sprintf("/bots/%d/scopes", bot.BotID), nil); st != 200 || body != `["bot"]` {
		t.Errorf("scopes: %d %s", st, body)
	}
	// A pattern without a method serves every method, HEAD included: its
	// handler checks the method itself.
	s.apiRoutes.mux().HandleFunc("/v1.0/bots/{botId}/anymethod", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Method", r.Method)
		w.WriteHeader(http.StatusTeapot)
	})
	for _, m := range []string{http.MethodHead, http.MethodDelete} {
		req, _ := http.NewRequest(m, fmt.Sprintf("%s/bots/%d/anymethod", s.APIURL(), bot.BotID), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTeapot || resp.Header.Get("X-Method") != m {
			t.Errorf("%s on a pattern without a method: %d %q", m, resp.StatusCode, resp.Header.Get("X-Method"))
		}
	}
	s.Bots.Remove(bot.BotID)
	if n.count() != 0 {
		t.Error("the note outlived its bot")
	}
	if st, _ := call(http.MethodPut, note, map[string]string{"text": "x"}); st != 404 {
		t.Errorf("deleted bot: %d", st)
	}
}
