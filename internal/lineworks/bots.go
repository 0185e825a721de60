package lineworks

// The bot management part of the client (API 2.0, https://www.worksapis.com/v1.0/bots).
// Every call needs a token with the "bot" scope ("bot.read" is enough for the
// reads). The service forbids mutating calls in parallel on the same bot, so
// every mutating call on one bot ID goes through mutateBot (botlock.go),
// which holds that bot's lock in this Client. Registrations in domains are in
// domains.go, listing in paging.go.
//
// The exported names and signatures below are what the Terraform layer
// builds against.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Documented limits of the bot object (bot-create).
const (
	MaxBotNameLength        = 100
	MaxBotDescriptionLength = 100
	MaxBotURLLength         = 1000 // photoUrl, callbackUrl, i18n photo URLs
	MinBotAdministrators    = 1
	MaxBotAdministrators    = 3
	MaxBotSubadministrators = 3
)

// BotCallbackEvents are the message types a bot may receive callbacks for.
var BotCallbackEvents = []string{"text", "location", "sticker", "image", "file", "audio", "video"}

// BotChannelEvents are the channel events a bot may receive callbacks for.
var BotChannelEvents = []string{"message", "join", "leave", "joined", "left", "postback", "begin", "end"}

// BotLanguages are the languages of the i18n fields.
var BotLanguages = []string{"ko_KR", "ja_JP", "en_US", "zh_CN", "zh_TW"}

// ValidateBotURL checks a photo or callback URL as the service does: an
// absolute https URL of at most MaxBotURLLength characters.
func ValidateBotURL(raw string) error {
	if len(raw) > MaxBotURLLength {
		return fmt.Errorf("is %d characters long; LINE WORKS accepts at most %d", len(raw), MaxBotURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return fmt.Errorf("%q is not an absolute https URL such as https://example.com/callback: LINE WORKS accepts https only", raw)
	}
	return nil
}

// BotSettings is everything a user sets on a bot: the body of POST /bots and
// PUT /bots/{botId}. Optional fields left empty are not sent.
type BotSettings struct {
	BotName           string   `json:"botName"`
	PhotoURL          string   `json:"photoUrl"`
	Description       string   `json:"description"`
	Administrators    []string `json:"administrators"`
	Subadministrators []string `json:"subadministrators,omitempty"`
	// AllowDomains lists the domains that may use the bot; nil means all
	// domains (a bot read back never holds [] or [0], the service's other
	// ways of saying so).
	AllowDomains      []int64           `json:"allowDomains,omitempty"`
	EnableCallback    bool              `json:"enableCallback"`
	CallbackURL       string            `json:"callbackUrl,omitempty"`
	CallbackEvents    []string          `json:"callbackEvents,omitempty"`
	ChannelEvents     []string          `json:"channelEvents,omitempty"` // nil: the service's default
	EnableGroupJoin   bool              `json:"enableGroupJoin"`
	DefaultRichmenuID string            `json:"defaultRichmenuId,omitempty"`
	I18nBotNames      []I18nBotName     `json:"i18nBotNames,omitempty"`
	I18nDescriptions  []I18nDescription `json:"i18nDescriptions,omitempty"`
	I18nPhotoURLs     []I18nPhotoURL    `json:"i18nPhotoUrls,omitempty"`
}

// I18nBotName is a bot name in one of BotLanguages.
type I18nBotName struct {
	Language string `json:"language"`
	BotName  string `json:"botName"`
}

// I18nDescription is a description in one of BotLanguages.
type I18nDescription struct {
	Language    string `json:"language"`
	Description string `json:"description"`
}

// I18nPhotoURL is a photo URL for one of BotLanguages.
type I18nPhotoURL struct {
	Language string `json:"language"`
	PhotoURL string `json:"photoUrl"`
}

// Bot is a bot as GET /bots/{botId} returns it. The secret is never part of it.
type Bot struct {
	BotID int64 `json:"botId"`
	BotSettings
	CreatedTime  time.Time `json:"createdTime"`
	ModifiedTime time.Time `json:"modifiedTime"`
}

// BotPatch is the body of PATCH /bots/{botId}: nil fields are not sent and
// stay as they are at the service. A pointer to an empty slice clears a list;
// a pointer to "" clears callbackUrl. AllowDomains cannot go back to "all
// domains" through a patch: use ReplaceBot for that.
type BotPatch struct {
	BotName           *string            `json:"botName,omitempty"`
	PhotoURL          *string            `json:"photoUrl,omitempty"`
	Description       *string            `json:"description,omitempty"`
	Administrators    *[]string          `json:"administrators,omitempty"`
	Subadministrators *[]string          `json:"subadministrators,omitempty"`
	AllowDomains      *[]int64           `json:"allowDomains,omitempty"`
	EnableCallback    *bool              `json:"enableCallback,omitempty"`
	CallbackURL       *string            `json:"callbackUrl,omitempty"`
	CallbackEvents    *[]string          `json:"callbackEvents,omitempty"`
	ChannelEvents     *[]string          `json:"channelEvents,omitempty"`
	EnableGroupJoin   *bool              `json:"enableGroupJoin,omitempty"`
	DefaultRichmenuID *string            `json:"defaultRichmenuId,omitempty"`
	I18nBotNames      *[]I18nBotName     `json:"i18nBotNames,omitempty"`
	I18nDescriptions  *[]I18nDescription `json:"i18nDescriptions,omitempty"`
	I18nPhotoURLs     *[]I18nPhotoURL    `json:"i18nPhotoUrls,omitempty"`
}

// BotSummary is a bot as GET /bots lists it.
type BotSummary struct {
	BotID         int64          `json:"botId"`
	BotName       string         `json:"botName"`
	PhotoURL      string         `json:"photoUrl"`
	I18nBotNames  []I18nBotName  `json:"i18nBotNames,omitempty"`
	I18nPhotoURLs []I18nPhotoURL `json:"i18nPhotoUrls,omitempty"`
}

// CreateBot creates a bot (POST /bots) and returns it with its botId.
//
// A failed creation is retried only when the service cannot have acted on it
// (429, or no connection): a retry after a 5xx could create a second bot.
// Once sent, the call waits for its answer even if ctx ends (inflight.go),
// since the service may create the bot all the same. The answer must carry
// the new bot's ID; an answer with nothing more (the docs never show it) is
// completed by reading the bot, and when even that fails, the bot is
// returned as it was sent.
func (c *Client) CreateBot(ctx context.Context, s BotSettings) (*Bot, error) {
	desc := fmt.Sprintf("creating the bot %q", s.BotName)
	var raw json.RawMessage
	if err := c.callAPI(ctx, apiCall{method: http.MethodPost, segments: []string{"bots"}, body: s, out: &raw, write: true, once: true}); err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}
	var created struct {
		BotID int64 `json:"botId"`
	}
	if json.Unmarshal(raw, &created) != nil || created.BotID <= 0 {
		return nil, fmt.Errorf("%s: LINE WORKS answered without the new bot's botId, so a bot may have been created that this client cannot name: look for %q in the Developer Console", desc, s.BotName)
	}
	c.cfg.Logger.Debug(ctx, "created a LINE WORKS bot", map[string]any{"bot_id": created.BotID})
	bot, err := c.botAnswer(ctx, desc, created.BotID, raw)
	if err != nil { // the bot exists all the same: it must reach the caller
		c.cfg.Logger.Warn(ctx, "the LINE WORKS bot was created, but could not be read back; taking it as sent", map[string]any{"bot_id": created.BotID, "error": err.Error()})
		bot = &Bot{BotID: created.BotID, BotSettings: s}
	}
	return bot, nil
}

// GetBot reads a bot (GET /bots/{botId}). A bot that does not exist is an
// error for which IsNotFound is true. An answer for another bot, or
// without a botId, is an error.
func (c *Client) GetBot(ctx context.Context, botID int64) (*Bot, error) {
	if err := checkBotID(botID); err != nil {
		return nil, err
	}
	// Shared with the other readers of this bot until it changes (readshare.go).
	raw, err := c.reads.read(ctx, botID, sharedBot, func(ctx context.Context) ([]byte, error) { return c.fetchBot(ctx, botID) })
	return decodeBot(botID, raw, err)
}

// readBotAgain reads a bot as GetBot does, with a request of its own: to
// complete the answer of a write (botAnswer), which must see the bot as the
// write left it.
func (c *Client) readBotAgain(ctx context.Context, botID int64) (*Bot, error) {
	raw, err := c.fetchBot(ctx, botID)
	return decodeBot(botID, raw, err)
}

func (c *Client) fetchBot(ctx context.Context, botID int64) ([]byte, error) {
	var raw json.RawMessage
	err := c.callAPI(ctx, apiCall{method: http.MethodGet, segments: botPath(botID), out: &raw})
	return raw, err
}

// decodeBot is the bot that GET /bots/{botID} answered with raw (or err).
func decodeBot(botID int64, raw []byte, err error) (*Bot, error) {
	desc := fmt.Sprintf("reading bot %d", botID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}
	var bot Bot
	if err := json.Unmarshal(raw, &bot); err != nil {
		return nil, fmt.Errorf("%s: reading the answer: %w", desc, err)
	}
	if err := checkAnswerBotID(bot.BotID, botID); err != nil {
		return nil, fmt.Errorf("%s: %w", desc, err)
	}
	bot.normalize()
	return &bot, nil
}

// normalize gives allowDomains one spelling for "every domain": nil. The
// service may answer [] or [0] for it (the docs leave it open; a real
// script sends [0]).
func (b *Bot) normalize() {
	if len(b.AllowDomains) == 0 || (len(b.AllowDomains) == 1 && b.AllowDomains[0] == 0) {
		b.AllowDomains = nil
	}
}

// ListBots returns every bot of the tenant, following nextCursor. Callers
// that come while a listing is in flight share it (each creating bot checks
// that its name is free, and an apply creates ten at a time): never one
// that has ended, since a bot may have been created since.
func (c *Client) ListBots(ctx context.Context) ([]BotSummary, error) {
	v, err, _ := c.listingBots.Do("bots", func() (any, error) {
		return listAll[BotSummary](ctx, c, "bots", "bots")
	})
	if err != nil {
		return nil, fmt.Errorf("listing bots: %w", err)
	}
	bots, _ := v.([]BotSummary) // what listAll returned
	return slices.Clone(bots), nil
}

// UpdateBot changes the fields p sets (PATCH /bots/{botId}) and returns the
// bot. An answer without the whole bot (204, only the ID) is completed by
// reading the bot; an answer for another bot is an error.
func (c *Client) UpdateBot(ctx context.Context, botID int64, p BotPatch) (*Bot, error) {
	return c.writeBot(ctx, botID, fmt.Sprintf("updating bot %d", botID), http.MethodPatch, p)
}

// ReplaceBot replaces the whole bot (PUT /bots/{botId}) and returns it, as
// UpdateBot does.
func (c *Client) ReplaceBot(ctx context.Context, botID int64, s BotSettings) (*Bot, error) {
	return c.writeBot(ctx, botID, fmt.Sprintf("replacing bot %d", botID), http.MethodPut, s)
}

func (c *Client) writeBot(ctx context.Context, botID int64, desc, method string, body any) (*Bot, error) {
	var raw json.RawMessage
	if err := c.mutateBot(ctx, botID, desc, apiCall{method: method, segments: botPath(botID), body: body, out: &raw}); err != nil {
		return nil, err
	}
	return c.botAnswer(ctx, desc, botID, raw)
}

// botAnswer is the bot that a write to botID answered with raw: the answer
// itself when it is the whole bot, and otherwise (no body, only the ID: the
// docs leave the answer open) the bot read again. A botId other than botID
// is an error. The read runs even when ctx has ended: the write took effect.
func (c *Client) botAnswer(ctx context.Context, desc string, botID int64, raw json.RawMessage) (*Bot, error) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) == nil && fields["botId"] != nil {
		var id int64
		if err := json.Unmarshal(fields["botId"], &id); err != nil || id != botID {
			return nil, fmt.Errorf("%s: LINE WORKS answered with botId %s, not %d; nothing was taken from the answer", desc, fields["botId"], botID)
		}
	}
	if wholeBot(fields) {
		var bot Bot
		if err := json.Unmarshal(raw, &bot); err != nil {
			return nil, fmt.Errorf("%s: reading the answer: %w", desc, err)
		}
		bot.normalize()
		return &bot, nil
	}
	readCtx, cancel := afterAnswer(ctx, c.cfg.RequestTimeout)
	defer cancel()
	return c.readBotAgain(readCtx, botID)
}

// wholeBot reports whether an answer's fields are a whole bot: its ID and
// every required field.
func wholeBot(fields map[string]json.RawMessage) bool {
	for _, k := range []string{"botId", "botName", "photoUrl", "description", "administrators"} {
		if fields[k] == nil {
			return false
		}
	}
	return true
}

// checkAnswerBotID refuses an answer about a bot other than the one asked
// for: its values must never land on another bot's resource.
func checkAnswerBotID(got, want int64) error {
	switch {
	case got == 0:
		return fmt.Errorf("LINE WORKS answered without a botId; nothing was taken from the answer")
	case got != want:
		return fmt.Errorf("LINE WORKS answered with botId %d, not %d; nothing was taken from the answer", got, want)
	}
	return nil
}

// DeleteBot deletes a bot (DELETE /bots/{botId}). A bot already gone is not an error.
func (c *Client) DeleteBot(ctx context.Context, botID int64) error {
	err := c.mutateBot(ctx, botID, fmt.Sprintf("deleting bot %d", botID), apiCall{method: http.MethodDelete, segments: botPath(botID)})
	if IsNotFound(err) {
		c.cfg.Logger.Debug(ctx, "the LINE WORKS bot to delete was already gone", map[string]any{"bot_id": botID})
		return nil
	}
	return err
}

// IssueBotSecret issues a new bot secret (POST /bots/{botId}/secret) and
// returns it. The previous secret stops working; there is no way to read a
// secret back or to revoke one without issuing another.
func (c *Client) IssueBotSecret(ctx context.Context, botID int64) (string, error) {
	if err := checkBotID(botID); err != nil {
		return "", err
	}
	var secret string
	err := c.withBotLock(ctx, botID, issueSecretDesc(botID), func() (err error) {
		secret, err = c.issueBotSecretLocked(ctx, botID)
		return err
	})
	return secret, err
}

// issueBotSecretLocked issues a bot secret, as IssueBotSecret does, with
// the bot's lock held by the caller.
func (c *Client) issueBotSecretLocked(ctx context.Context, botID int64) (string, error) {
	var out struct {
		Secret string `json:"secret"`
	}
	// quiet: the answer is a secret, which no error may quote.
	err := c.sendChange(ctx, botID, apiCall{method: http.MethodPost, segments: append(botPath(botID), "secret"), out: &out, quiet: true})
	if err != nil {
		return "", fmt.Errorf("%s: %w", issueSecretDesc(botID), err)
	}
	if out.Secret == "" {
		return "", fmt.Errorf("%s: LINE WORKS answered without a secret", issueSecretDesc(botID))
	}
	c.cfg.Logger.Debug(ctx, "issued a new LINE WORKS bot secret; the previous one no longer works", map[string]any{"bot_id": botID})
	return out.Secret, nil
}

func issueSecretDesc(botID int64) string { return fmt.Sprintf("issuing a secret for bot %d", botID) }
