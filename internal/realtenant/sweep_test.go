package realtenant

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// emulated is a tenant in the emulator, with the app of credentials, and
// the Settings that reach it.
func emulated(t *testing.T) (*lineworkstest.Server, Settings) {
	t.Helper()
	emu := lineworkstest.NewServer()
	t.Cleanup(emu.Close)
	vars := credentials(t)
	key := lineworkstest.TestKey(0)
	emu.Auth.RegisterApp(lineworkstest.App{ClientID: vars[EnvClientID], ClientSecret: vars[EnvClientSecret], ServiceAccountID: vars[EnvServiceAccountID], PublicKey: &key.PublicKey})
	vars[EnvAuthEndpoint], vars[EnvAPIEndpoint], vars[EnvStorageEndpoint] = emu.AuthURL(), emu.APIURL(), emu.StorageURL()
	s, err := FromEnv(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	return emu, s
}

func seed(t *testing.T, emu *lineworkstest.Server, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := emu.Bots.Add(lineworkstest.Bot{BotName: name, Description: "d", PhotoURL: "https://example.com/p.png", Administrators: []string{lineworkstest.DefaultUsers[0]}}); err != nil {
			t.Fatal(err)
		}
	}
}

func names(emu *lineworkstest.Server) []string {
	var out []string
	for _, b := range emu.Bots.List() {
		out = append(out, b.BotName)
	}
	slices.Sort(out)
	return out
}

// Sweep deletes the bots named with the prefix, and nothing else: not a
// name that only resembles it.
func TestSweepDeletesOnlyPrefixedBots(t *testing.T) {
	emu, s := emulated(t)
	keep := []string{"Helpdesk", "TF-ACC-upper", "tf-acc", "my tf-acc-bot", "tf_acc-x"}
	seed(t, emu, append([]string{"tf-acc-one", "tf-acc-contract-1a2b", "tf-acc-"}, keep...)...)
	c, err := s.Client("realtenant-test")
	if err != nil {
		t.Fatal(err)
	}
	var heard []string
	deleted, err := Sweep(context.Background(), c, func(format string, args ...any) { heard = append(heard, format) })
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 3 || len(heard) != 3 {
		t.Errorf("deleted %+v, logged %d lines", deleted, len(heard))
	}
	slices.Sort(keep)
	if got := names(emu); !slices.Equal(got, keep) {
		t.Errorf("left %q, want %q", got, keep)
	}
}

// A bot that cannot be deleted does not stop the others; the error names it.
func TestSweepGoesOnPastAFailure(t *testing.T) {
	emu, s := emulated(t)
	seed(t, emu, "tf-acc-a", "tf-acc-b", "tf-acc-c", "Helpdesk")
	stuck := emu.Bots.List()[1]
	cfg, err := s.Config()
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxRetries = 0
	cfg.Transport = refuseDelete{fmt.Sprintf("/v1.0/bots/%d", stuck.BotID)}
	c, err := lineworks.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := Sweep(context.Background(), c, nil)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("bot %d %q", stuck.BotID, stuck.BotName)) || !strings.Contains(err.Error(), "503") {
		t.Errorf("the error is %v", err)
	}
	if len(deleted) != 2 {
		t.Errorf("deleted %+v", deleted)
	}
	if got := names(emu); !slices.Equal(got, []string{"Helpdesk", stuck.BotName}) {
		t.Errorf("left %q", got)
	}
}

// refuseDelete answers 503 to a DELETE of path, and sends everything else.
type refuseDelete struct{ path string }

func (r refuseDelete) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodDelete && req.URL.Path == r.path {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
	}
	return http.DefaultTransport.RoundTrip(req)
}
