package lineworkstest

import (
	"slices"
	"time"
)

// Bot is a bot as the emulator stores it: what the requests sent, before
// the answer forms (see AnswerForms) shape it. The field names are those of
// lineworks.Bot. AllowDomains nil means every domain.
type Bot struct {
	BotID             int64             `json:"botId"`
	BotName           string            `json:"botName"`
	PhotoURL          string            `json:"photoUrl"`
	Description       string            `json:"description"`
	Administrators    []string          `json:"administrators"`
	Subadministrators []string          `json:"subadministrators"`
	AllowDomains      []int64           `json:"allowDomains,omitempty"`
	EnableCallback    bool              `json:"enableCallback"`
	CallbackURL       string            `json:"callbackUrl"`
	CallbackEvents    []string          `json:"callbackEvents"`
	ChannelEvents     []string          `json:"channelEvents"`
	EnableGroupJoin   bool              `json:"enableGroupJoin"`
	DefaultRichmenuID string            `json:"defaultRichmenuId,omitempty"`
	I18nBotNames      []I18nBotName     `json:"i18nBotNames"`
	I18nDescriptions  []I18nDescription `json:"i18nDescriptions"`
	I18nPhotoURLs     []I18nPhotoURL    `json:"i18nPhotoUrls"`
	CreatedTime       time.Time         `json:"createdTime"`
	ModifiedTime      time.Time         `json:"modifiedTime"`
}

// I18nBotName is a bot name in one language.
type I18nBotName struct {
	Language string `json:"language"`
	BotName  string `json:"botName"`
}

// I18nDescription is a bot description in one language.
type I18nDescription struct {
	Language    string `json:"language"`
	Description string `json:"description"`
}

// I18nPhotoURL is a bot photo URL for one language.
type I18nPhotoURL struct {
	Language string `json:"language"`
	PhotoURL string `json:"photoUrl"`
}

// BotDomain is a bot's registration in a domain.
type BotDomain struct {
	DomainID              int64 `json:"domainId"`
	Visible               bool  `json:"visible"`
	AllowToSelectedMember bool  `json:"allowToSelectedMember"`
}

// clone deep-copies b, with empty lists rather than nil ones (except
// AllowDomains, where nil means every domain), as the service renders them.
func (b Bot) clone() Bot {
	c := b
	c.Administrators = cloneOrEmpty(b.Administrators)
	c.Subadministrators = cloneOrEmpty(b.Subadministrators)
	c.AllowDomains = slices.Clone(b.AllowDomains)
	c.CallbackEvents = cloneOrEmpty(b.CallbackEvents)
	c.ChannelEvents = cloneOrEmpty(b.ChannelEvents)
	c.I18nBotNames = cloneOrEmpty(b.I18nBotNames)
	c.I18nDescriptions = cloneOrEmpty(b.I18nDescriptions)
	c.I18nPhotoURLs = cloneOrEmpty(b.I18nPhotoURLs)
	return c
}

func cloneOrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clone(s)
}

// nextStamp is the service's time for a change made at now: whole seconds,
// and always later than prev, so that modifiedTime changes with every
// update even when the clock is fixed or fast calls share a second.
func nextStamp(prev, now time.Time) time.Time {
	t := now.UTC().Truncate(time.Second)
	if !prev.IsZero() && !t.After(prev) {
		t = prev.Add(time.Second)
	}
	return t
}
