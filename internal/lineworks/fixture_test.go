package lineworks

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const (
	testClientID     = "client-1"
	testClientSecret = "s3cr3t-client-secret"
	testAccount      = "sa1.serviceaccount@example.com"
	testBotID        = "2000001"
	testFileID       = "jp1.1628695315008671000.1628781715.0.1000001.0.0.0"
)

// fixture is a LINE WORKS emulator with one app registered, and the client
// configuration that reaches it.
type fixture struct {
	emu *lineworkstest.Server
	cfg Config
	log *recordingLogger
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	emu := lineworkstest.NewServer()
	t.Cleanup(emu.Close)
	key := lineworkstest.TestKey(0)
	emu.Auth.RegisterApp(lineworkstest.App{
		ClientID:         testClientID,
		ClientSecret:     testClientSecret,
		ServiceAccountID: testAccount,
		PublicKey:        &key.PublicKey,
	})
	log := &recordingLogger{}
	t.Cleanup(func() {
		secrets := append([]string{testClientSecret, "LQwDde6x8eV4ROOCOdSW"}, emu.Auth.IssuedTokens()...)
		for _, r := range emu.Requests.All() { // every credential the client sent
			secrets = append(secrets, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), r.Form.Get("token"), r.Form.Get("assertion"), r.Form.Get("refresh_token"))
		}
		log.assertNoSecrets(t, secrets...)
	})
	return &fixture{
		emu: emu,
		log: log,
		cfg: Config{
			ClientID:         testClientID,
			ClientSecret:     testClientSecret,
			ServiceAccountID: testAccount,
			PrivateKey:       key,
			AuthEndpoint:     emu.AuthURL(),
			APIEndpoint:      emu.APIURL(),
			StorageEndpoint:  emu.StorageURL(),
			MinRetryWait:     time.Millisecond,
			MaxRetryWait:     10 * time.Millisecond,
			MaxRetries:       DefaultMaxRetries,
			Logger:           log,
			// The fixture's clients are the provider processes of one machine:
			// they share their per-bot lock files, and no other test's.
			LockDir: t.TempDir(),
		},
	}
}

func (f *fixture) client(t testing.TB, edits ...func(*Config)) *Client {
	t.Helper()
	cfg := f.cfg
	for _, edit := range edits {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) tokenRequests() int {
	return f.emu.Requests.Count(lineworkstest.HostAuth, tokenPath)
}

// recordingLogger keeps every message, so tests can check that no secret
// was ever logged.
type recordingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("DEBUG", msg, fields)
}

func (l *recordingLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add("WARN", msg, fields)
}

func (l *recordingLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %s %v", level, msg, fields))
}

func (l *recordingLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func (l *recordingLogger) assertNoSecrets(t testing.TB, secrets ...string) {
	t.Helper()
	text := l.text()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("a secret was logged:\n%s", text)
		}
	}
	if strings.Contains(text, "eyJ") || strings.Contains(text, "Bearer ") {
		t.Errorf("a JWT or bearer credential was logged:\n%s", text)
	}
}

// seedTestBot adds the bot testBotID names, without a request: files are
// uploaded only for a bot that exists.
func seedTestBot(tb testing.TB, f *fixture) {
	tb.Helper()
	id, _ := strconv.ParseInt(testBotID, 10, 64)
	if _, err := f.emu.Bots.Add(lineworkstest.Bot{BotID: id, BotName: "Test Bot", PhotoURL: "https://example.com/bot.png",
		Description: "d", Administrators: []string{lineworkstest.DefaultUsers[0]}}); err != nil {
		tb.Fatal(err)
	}
}
