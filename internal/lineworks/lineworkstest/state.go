package lineworkstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// StateVersion is the version of the State format this package writes and
// reads.
const StateVersion = 1

// State is the whole state of an emulated tenant, as the admin door shows
// it and as a state file holds it: apps and tokens, the directory, bots with
// their registrations and secrets, their menus and members, attachments,
// API 1.0 registrations, and the settings (answer forms, rate limit, faults, bot limit). It holds
// secrets on purpose (client secrets, access and refresh tokens, Bot
// Secrets): the emulator is a test tool, and a state restored from a file
// must accept the tokens and secrets issued before. Never point a real
// tenant's credentials at it. Pending uploads, the request log and the
// storage host's test switches are not part of it.
type State struct {
	Version     int               `json:"version"`
	Apps        []AppState        `json:"apps"`
	Tokens      []TokenState      `json:"tokens"`
	Directory   DirectoryState    `json:"directory"`
	Bots        []BotState        `json:"bots"`
	DeletedBots []int64           `json:"deleted_bot_ids"`
	NextBotID   int64             `json:"next_bot_id"`
	Menus       MenusState        `json:"menus"`
	Attachments []AttachmentState `json:"attachments"`
	Legacy      LegacyState       `json:"legacy"`
	Settings    Settings          `json:"settings"`
}

// AppState is an App, its public key in PEM.
type AppState struct {
	ClientID            string   `json:"client_id"`
	ClientSecret        string   `json:"client_secret"`
	ServiceAccountID    string   `json:"service_account_id"`
	PublicKeyPEM        string   `json:"public_key_pem,omitempty"`
	Scopes              []string `json:"scopes"` // null: every scope
	AccessTokenTTL      int64    `json:"access_token_ttl_seconds"`
	RotateRefreshTokens bool     `json:"rotate_refresh_tokens,omitempty"`
	ExpiresInAsNumber   bool     `json:"expires_in_as_number,omitempty"`
}

// TokenState is a token the emulator issued and still honours.
type TokenState struct {
	Value   string    `json:"value"`
	Kind    string    `json:"kind"` // access, refresh, legacy_server, legacy_service, legacy_refresh
	Client  string    `json:"client"`
	APIID   string    `json:"api_id,omitempty"`
	Scopes  []string  `json:"scopes,omitempty"`
	Grant   int64     `json:"grant"`
	Expires time.Time `json:"expires"`
}

// DirectoryState is the tenant's domains and users.
type DirectoryState struct {
	Domains []int64 `json:"domains"`
	Users   []User  `json:"users"`
}

// BotState is a bot as stored (the API's field names), with its Bot
// Secret and its domain registrations.
type BotState struct {
	Bot
	Secret  string      `json:"secret,omitempty"`
	Domains []BotDomain `json:"domains"`
}

// AttachmentState is a file sent to or uploaded for a bot. Content is
// base64 in JSON; a file with no content is Size bytes generated as
// AttachmentContent says. Expires is zero for a file kept for good.
type AttachmentState struct {
	BotID       string    `json:"bot_id"`
	FileID      string    `json:"file_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type,omitempty"`
	Content     []byte    `json:"content,omitempty"`
	Size        int64     `json:"size,omitempty"`
	Expires     time.Time `json:"expires,omitzero"`
}

// LegacyState is the API 1.0 registrations.
type LegacyState struct {
	Servers   []LegacyServerState   `json:"servers"`
	Consumers []LegacyConsumerState `json:"consumers"`
}

// LegacyServerState is a LegacyServer, its public key in PEM.
type LegacyServerState struct {
	APIID        string `json:"api_id"`
	ServerID     string `json:"server_id"`
	PublicKeyPEM string `json:"public_key_pem,omitempty"`
	TokenTTL     int64  `json:"token_ttl_seconds"`
}

// LegacyConsumerState is a LegacyConsumer.
type LegacyConsumerState struct {
	APIID       string `json:"api_id"`
	ConsumerKey string `json:"consumer_key"`
	TokenTTL    int64  `json:"token_ttl_seconds"`
}

// Settings are the emulator's behaviour switches that belong to a tenant's
// state. In a change (the admin door's PUT /_emulator/settings), a field
// left out stays as it is.
type Settings struct {
	AnswerForms        *AnswerForms `json:"answer_forms,omitempty"`
	RateLimitPerMinute *int         `json:"rate_limit_per_minute,omitempty"` // 0: off
	// RateLimitWindowMillis is the window RateLimitPerMinute counts in: a
	// minute (60000), as on the service, unless a test scales it down
	// ("20 per 3 s").
	RateLimitWindowMillis *int64  `json:"rate_limit_window_ms,omitempty"`
	Faults                *Faults `json:"faults,omitempty"` // the zero Faults: off
	BotLimit              *int    `json:"bot_limit,omitempty"`
	// MutationHoldMillis is how long each mutating call on a bot takes (and
	// keeps the bot busy): the mutation latency.
	MutationHoldMillis *int64 `json:"mutation_hold_ms,omitempty"`
	// ReadLatencyMillis is how long each read (GET) of the API host takes.
	ReadLatencyMillis *int64 `json:"read_latency_ms,omitempty"`
	// CreateHoldMillis is how long each POST /bots waits before the bot is
	// created (Bots.SetCreateHold); 0 is off.
	CreateHoldMillis *int64 `json:"create_hold_ms,omitempty"`
}

// State returns the whole state. Each component is read under its own lock,
// so a state taken while requests run is each component's at some moment.
func (s *Server) State() State {
	st := State{Version: StateVersion}
	st.Apps, st.Tokens = s.Auth.snapshot()
	st.Directory = s.Directory.snapshot()
	st.Bots, st.DeletedBots, st.NextBotID = s.Bots.snapshot()
	st.Menus = s.Menus.snapshot(st.Bots)
	st.Attachments = s.Storage.snapshot()
	st.Legacy = s.Legacy.snapshot()
	st.Settings = s.settings()
	return st
}

// Restore replaces the whole state with st, or changes nothing and says
// what is wrong with it. Settings left out of st keep their value.
func (s *Server) Restore(st State) error {
	if st.Version != StateVersion {
		return fmt.Errorf("state version %d: this emulator reads version %d", st.Version, StateVersion)
	}
	var commits []func()
	for _, prepare := range []func() (func(), error){
		func() (func(), error) { return s.Auth.prepareRestore(st.Apps, st.Tokens) },
		func() (func(), error) { return s.Directory.prepareRestore(st.Directory) },
		func() (func(), error) {
			return s.Bots.prepareRestore(st.Bots, st.DeletedBots, st.NextBotID, st.Directory)
		},
		func() (func(), error) { return s.Menus.prepareRestore(st.Menus, st.Bots, st.Directory) },
		func() (func(), error) { return s.Storage.prepareRestore(st.Attachments) },
		func() (func(), error) { return s.Legacy.prepareRestore(st.Legacy) },
		func() (func(), error) { return s.prepareSettings(st.Settings) },
	} {
		commit, err := prepare()
		if err != nil {
			return err
		}
		commits = append(commits, commit)
	}
	for _, commit := range commits {
		commit()
	}
	return nil
}

// SaveState writes the whole state to path as JSON, readable by its owner
// only (it holds secrets), replacing the file at once: a reader never sees
// half a state.
func (s *Server) SaveState(path string) error {
	raw, err := json.MarshalIndent(s.State(), "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; removes a partial file otherwise
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadState restores the state SaveState wrote to path.
func (s *Server) LoadState(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var st State
	if err := decodeStrict(raw, &st); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if err := s.Restore(st); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	return nil
}

// settings returns the settings in effect, every field set.
func (s *Server) settings() Settings {
	forms := s.Forms.Get()
	limit := s.Faults.RateLimit()
	window := s.Faults.RateLimitWindow().Milliseconds()
	readLatency := s.Faults.ReadLatency().Milliseconds()
	faults := s.Faults.Injecting()
	s.Bots.mu.Lock()
	botLimit := s.Bots.limit
	createHold := s.Bots.createHold.Milliseconds()
	s.Bots.mu.Unlock()
	s.Bots.guard.mu.Lock()
	hold := s.Bots.guard.hold.Milliseconds()
	s.Bots.guard.mu.Unlock()
	return Settings{AnswerForms: &forms, RateLimitPerMinute: &limit, RateLimitWindowMillis: &window, Faults: &faults,
		BotLimit: &botLimit, MutationHoldMillis: &hold, ReadLatencyMillis: &readLatency, CreateHoldMillis: &createHold}
}

// ChangeSettings changes the settings st sets, or none when one is wrong.
func (s *Server) ChangeSettings(st Settings) error {
	commit, err := s.prepareSettings(st)
	if err != nil {
		return err
	}
	commit()
	return nil
}

func (s *Server) prepareSettings(st Settings) (func(), error) {
	var forms AnswerForms
	if st.AnswerForms != nil {
		var err error
		if forms, err = st.AnswerForms.normalized(); err != nil {
			return nil, err
		}
	}
	if st.Faults != nil {
		f := st.Faults
		if f.TooManyRequests < 0 || f.Unavailable < 0 || f.TooManyRequests+f.Unavailable > 1 || f.Reset < 0 || f.MaxInARow < 0 {
			return nil, fmt.Errorf("faults: too_many_requests and unavailable are shares from 0 to 1 that add up to at most 1; reset and max_in_a_row are not negative")
		}
		if err := checkStallHosts(f.StallAfterHeaders); err != nil {
			return nil, err
		}
	}
	if st.MutationHoldMillis != nil && *st.MutationHoldMillis < 0 {
		return nil, fmt.Errorf("mutation_hold_ms must not be negative")
	}
	if st.CreateHoldMillis != nil && *st.CreateHoldMillis < 0 {
		return nil, fmt.Errorf("create_hold_ms must not be negative")
	}
	if st.ReadLatencyMillis != nil && *st.ReadLatencyMillis < 0 {
		return nil, fmt.Errorf("read_latency_ms must not be negative")
	}
	if st.RateLimitWindowMillis != nil && *st.RateLimitWindowMillis < 1000 {
		return nil, fmt.Errorf("rate_limit_window_ms must be at least 1000: the service gives rateLimit-reset in whole seconds")
	}
	return func() {
		if st.AnswerForms != nil {
			_ = s.Forms.Set(forms) // checked above
		}
		if st.RateLimitPerMinute != nil || st.RateLimitWindowMillis != nil {
			limit, window := s.Faults.RateLimit(), s.Faults.RateLimitWindow()
			if st.RateLimitPerMinute != nil {
				limit = *st.RateLimitPerMinute
			}
			if st.RateLimitWindowMillis != nil {
				window = time.Duration(*st.RateLimitWindowMillis) * time.Millisecond
			}
			s.Faults.SetRateLimitWindow(limit, window)
		}
		if st.Faults != nil {
			s.Faults.Inject(*st.Faults)
		}
		if st.BotLimit != nil {
			s.Bots.SetLimit(*st.BotLimit)
		}
		if st.CreateHoldMillis != nil {
			s.Bots.SetCreateHold(time.Duration(*st.CreateHoldMillis) * time.Millisecond)
		}
		if st.MutationHoldMillis != nil {
			s.Bots.SetMutationHold(time.Duration(*st.MutationHoldMillis) * time.Millisecond)
		}
		if st.ReadLatencyMillis != nil {
			s.Faults.SetReadLatency(time.Duration(*st.ReadLatencyMillis) * time.Millisecond)
		}
	}, nil
}

// decodeStrict decodes JSON, refusing unknown fields: a misspelt name in a
// state file or an admin request must not pass unnoticed.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}
