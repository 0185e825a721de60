package lineworks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// answerLog collects the answers an observer is handed.
type answerLog struct {
	mu      sync.Mutex
	answers []Answer
}

func (l *answerLog) observe(a Answer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.answers = append(l.answers, a)
}

// last is the last answer to method path, or fails the test.
func (l *answerLog) last(t *testing.T, method, path string) Answer {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.answers) - 1; i >= 0; i-- {
		if a := l.answers[i]; a.Method == method && a.Path == path {
			return a
		}
	}
	t.Fatalf("no answer to %s %s was observed among %d", method, path, len(l.answers))
	return Answer{}
}

// An observer sees each API answer as it came (status, body, fields, null
// included), while the client still reads it as always; an answer holding
// a secret is withheld.
func TestAnswerObserverSeesAnswersAsTheyCame(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	var log answerLog
	ctx := WithAnswerObserver(context.Background(), log.observe)

	bot, err := c.CreateBot(ctx, BotSettings{BotName: "Observed", Description: "d", PhotoURL: "https://example.com/p.png", Administrators: []string{lineworkstest.DefaultUsers[0]}})
	if err != nil || bot.BotID <= 0 || bot.BotName != "Observed" {
		t.Fatalf("CreateBot with an observer: %+v, %v", bot, err)
	}
	created := log.last(t, http.MethodPost, "/v1.0/bots")
	if created.Status != http.StatusCreated || !created.HasBody() || created.Withheld {
		t.Errorf("the create answer was observed as %+v", created)
	}
	if raw, ok := created.Field("botName"); !ok || string(raw) != `"Observed"` {
		t.Errorf("Field(botName) = %s, %v", raw, ok)
	}
	if raw, ok := created.Field("allowDomains"); ok {
		t.Errorf("Field(allowDomains) = %s, want absent", raw)
	}

	if _, err := c.ListBots(ctx); err != nil {
		t.Fatal(err)
	}
	if raw, ok := log.last(t, http.MethodGet, "/v1.0/bots").Field("responseMetaData", "nextCursor"); !ok || string(raw) != "null" {
		t.Errorf("Field(responseMetaData, nextCursor) = %q, %v; want null, present", raw, ok)
	}

	if err := f.emu.Forms.Set(lineworkstest.AnswerForms{WriteAnswer: lineworkstest.WriteAnswerNoBody}); err != nil {
		t.Fatal(err)
	}
	botPath := "/v1.0/bots/" + strconv.FormatInt(bot.BotID, 10)
	_, _ = c.UpdateBot(ctx, bot.BotID, BotPatch{Description: ptr("changed")}) // what the client makes of a 204 is not this test's business
	if w := log.last(t, http.MethodPatch, botPath); w.Status != http.StatusNoContent || w.HasBody() {
		t.Errorf("the 204 was observed as %+v", w)
	}

	secret, err := c.IssueBotSecret(ctx, bot.BotID)
	if err != nil || secret == "" {
		t.Fatalf("IssueBotSecret with an observer: %v", err)
	}
	if s := log.last(t, http.MethodPost, botPath+"/secret"); !s.Withheld || s.Body != nil || s.Status != http.StatusOK {
		t.Errorf("the secret's answer was observed with HTTP %d, withheld %v, %d bytes of body", s.Status, s.Withheld, len(s.Body))
	}

	if _, err := c.GetBot(ctx, 99999); !IsNotFound(err) {
		t.Fatalf("GetBot of no bot: %v", err)
	}
	if missing := log.last(t, http.MethodGet, "/v1.0/bots/99999"); missing.Status != http.StatusNotFound || !missing.HasBody() {
		t.Errorf("the 404 was observed as %+v", missing)
	}

	log.mu.Lock()
	defer log.mu.Unlock()
	for _, a := range log.answers {
		if strings.Contains(string(a.Body), secret) {
			t.Errorf("an observer saw the bot secret in %s %s", a.Method, a.Path)
		}
		if a.Path == "/oauth2/v2.0/token" {
			t.Error("an observer saw a token request")
		}
	}
}

// An observed answer longer than any answer of the API is refused as an
// unobserved one is.
func TestAnswerObserverKeepsTheBoundOnAnswers(t *testing.T) {
	long := strings.Repeat(" ", maxSuccessBody) + `{"botId": 1}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(long))
	}))
	defer srv.Close()
	c, err := New(Config{AccessToken: "static-token", APIEndpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	var log answerLog
	for name, ctx := range map[string]context.Context{"unobserved": context.Background(), "observed": WithAnswerObserver(context.Background(), log.observe)} {
		if _, err := c.GetBot(ctx, 1); err == nil || !strings.Contains(err.Error(), "longer than") {
			t.Errorf("%s: GetBot of a %d-byte answer: %v", name, len(long), err)
		}
	}
	if a := log.last(t, http.MethodGet, "/bots/1"); len(a.Body) != maxSuccessBody+1 {
		t.Errorf("the observer got %d bytes of the answer, want the bound and one", len(a.Body))
	}
}
