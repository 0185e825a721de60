package lineworkstest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Documented limits of the bot object (bot-create).
const (
	maxTextLength       = 100 // botName, description and their translations
	maxBotURLLength     = 1000
	maxAdministrators   = 3
	maxSubadministrator = 3
)

var (
	callbackEvents = []string{"text", "location", "sticker", "image", "file", "audio", "video"}
	channelEvents  = []string{"message", "join", "leave", "joined", "left", "postback", "begin", "end"}
	botLanguages   = []string{"ko_KR", "ja_JP", "en_US", "zh_CN", "zh_TW"}
)

// DefaultChannelEvents is what a bot created or replaced without
// channelEvents gets while AnswerForms.ChannelEventsDefault is unset: every
// event, as the emulator inferred before the docs were checked again. The
// docs say DocumentedChannelEvents.
var DefaultChannelEvents = slices.Clone(channelEvents)

// decodeBotFields reads the bot fields a POST, PUT or PATCH body sets into b,
// and returns which were present. Types are checked here; values by checkBot.
func decodeBotFields(obj map[string]json.RawMessage, b *Bot) (map[string]bool, *invalid) {
	set := make(map[string]bool, len(obj))
	for _, k := range sortedKeys(obj) {
		raw := obj[k]
		var err *invalid
		switch k {
		case "botName":
			b.BotName, err = jsonString(raw, k)
		case "photoUrl":
			b.PhotoURL, err = jsonString(raw, k)
		case "description":
			b.Description, err = jsonString(raw, k)
		case "administrators":
			b.Administrators, err = jsonStrings(raw, k)
		case "subadministrators":
			b.Subadministrators, err = jsonStrings(raw, k)
		case "allowDomains":
			b.AllowDomains, err = jsonInt64s(raw, k)
		case "enableCallback":
			b.EnableCallback, err = jsonBool(raw, k)
		case "callbackUrl":
			b.CallbackURL, err = jsonString(raw, k)
		case "callbackEvents":
			b.CallbackEvents, err = jsonStrings(raw, k)
		case "channelEvents":
			b.ChannelEvents, err = jsonStrings(raw, k)
		case "enableGroupJoin":
			b.EnableGroupJoin, err = jsonBool(raw, k)
		case "defaultRichmenuId":
			b.DefaultRichmenuID, err = jsonString(raw, k)
		case "i18nBotNames":
			var langs, vals []string
			if langs, vals, err = jsonI18n(raw, k, "botName"); err == nil {
				b.I18nBotNames = make([]I18nBotName, len(langs))
				for i := range langs {
					b.I18nBotNames[i] = I18nBotName{Language: langs[i], BotName: vals[i]}
				}
			}
		case "i18nDescriptions":
			var langs, vals []string
			if langs, vals, err = jsonI18n(raw, k, "description"); err == nil {
				b.I18nDescriptions = make([]I18nDescription, len(langs))
				for i := range langs {
					b.I18nDescriptions[i] = I18nDescription{Language: langs[i], Description: vals[i]}
				}
			}
		case "i18nPhotoUrls":
			var langs, vals []string
			if langs, vals, err = jsonI18n(raw, k, "photoUrl"); err == nil {
				b.I18nPhotoURLs = make([]I18nPhotoURL, len(langs))
				for i := range langs {
					b.I18nPhotoURLs[i] = I18nPhotoURL{Language: langs[i], PhotoURL: vals[i]}
				}
			}
		case "botId", "createdTime", "modifiedTime":
			err = invalidf("%s is read-only and cannot be sent", k) // inferred
		default:
			err = invalidf("%s is not a field of the bot object", k) // inferred: strict, to catch misspelt names
		}
		if err != nil {
			return nil, err
		}
		set[k] = true
	}
	return set, nil
}

// newlines are what the service turns into spaces in bot names (bot-create:
// "A new line character in the name parameter is substituted with a blank space").
var newlines = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// checkBot checks the whole bot object a request leaves behind, against the
// tenant's directory. It normalizes names as the service does, and the
// answer form's way of saying "every domain" to nil.
func checkBot(b *Bot, dir *Directory, forms AnswerForms) *invalid {
	b.BotName = newlines.Replace(b.BotName)
	if err := checkText("botName", b.BotName); err != nil {
		return err
	}
	if err := checkURL("photoUrl", b.PhotoURL, true); err != nil {
		return err
	}
	if err := checkText("description", b.Description); err != nil {
		return err
	}
	if len(b.Administrators) == 0 || len(b.Administrators) > maxAdministrators {
		return invalidf("administrators must list 1 to %d users, got %d", maxAdministrators, len(b.Administrators))
	}
	if err := checkUsers("administrators", b.Administrators, dir); err != nil {
		return err
	}
	if len(b.Subadministrators) > maxSubadministrator {
		return invalidf("subadministrators must list at most %d users, got %d", maxSubadministrator, len(b.Subadministrators))
	}
	if err := checkUsers("subadministrators", b.Subadministrators, dir); err != nil {
		return err
	}
	if forms.everyDomain(b.AllowDomains) {
		b.AllowDomains = nil
	}
	if b.AllowDomains != nil {
		if len(b.AllowDomains) == 0 {
			// inferred: "all domains" is the absence of the list, which only
			// a create or a replace (PUT) can express.
			return invalidf("allowDomains must list at least one domain; leave it out of a create or replace (PUT) to allow every domain")
		}
		seen := map[int64]bool{}
		for _, d := range b.AllowDomains {
			if seen[d] {
				return invalidf("allowDomains lists domain %d twice", d)
			}
			seen[d] = true
			if !dir.HasDomain(d) {
				return invalidf("allowDomains: %d is not a domain of this tenant", d) // inferred: 400 rather than 404
			}
		}
	}
	if err := checkURL("callbackUrl", b.CallbackURL, false); err != nil {
		return err
	}
	if b.EnableCallback && b.CallbackURL == "" {
		return invalidf("callbackUrl is required when enableCallback is true") // inferred
	}
	if err := checkNames("callbackEvents", b.CallbackEvents, callbackEvents); err != nil {
		return err
	}
	if err := checkNames("channelEvents", b.ChannelEvents, channelEvents); err != nil {
		return err
	}
	langs := make([]string, len(b.I18nBotNames))
	for i := range b.I18nBotNames {
		b.I18nBotNames[i].BotName = newlines.Replace(b.I18nBotNames[i].BotName)
		langs[i] = b.I18nBotNames[i].Language
		if err := checkText(fmt.Sprintf("i18nBotNames[%d].botName", i), b.I18nBotNames[i].BotName); err != nil {
			return err
		}
	}
	if err := checkNames("i18nBotNames language", langs, botLanguages); err != nil {
		return err
	}
	langs = make([]string, len(b.I18nDescriptions))
	for i, d := range b.I18nDescriptions {
		langs[i] = d.Language
		if err := checkText(fmt.Sprintf("i18nDescriptions[%d].description", i), d.Description); err != nil {
			return err
		}
	}
	if err := checkNames("i18nDescriptions language", langs, botLanguages); err != nil {
		return err
	}
	langs = make([]string, len(b.I18nPhotoURLs))
	for i, p := range b.I18nPhotoURLs {
		langs[i] = p.Language
		if err := checkURL(fmt.Sprintf("i18nPhotoUrls[%d].photoUrl", i), p.PhotoURL, true); err != nil {
			return err
		}
	}
	return checkNames("i18nPhotoUrls language", langs, botLanguages)
}

func checkText(field, v string) *invalid {
	const limit = maxTextLength
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		return invalidf("%s is required (1 to %d characters)", field, limit)
	case n > limit:
		return invalidf("%s must be at most %d characters, got %d", field, limit, n)
	}
	return nil
}

// checkURL accepts an absolute https URL of at most maxBotURLLength
// characters; "" only when the URL is optional.
func checkURL(field, v string, required bool) *invalid {
	if v == "" {
		if required {
			return invalidf("%s is required: an https URL of at most %d characters", field, maxBotURLLength)
		}
		return nil
	}
	if n := utf8.RuneCountInString(v); n > maxBotURLLength {
		return invalidf("%s must be at most %d characters, got %d", field, maxBotURLLength, n)
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return invalidf("%s must be an absolute https URL, got %q", field, v)
	}
	return nil
}

// checkUsers checks that users are distinct users of the tenant, each named
// by user ID or login e-mail: a user named both ways is named twice.
func checkUsers(field string, users []string, dir *Directory) *invalid {
	seen := map[string]bool{}
	for _, name := range users {
		u, ok := dir.User(name)
		if !ok {
			return invalidf("%s: %q is not a user of this tenant", field, name)
		}
		if seen[u.UserID] {
			return invalidf("%s lists %q twice", field, name)
		}
		seen[u.UserID] = true
	}
	return nil
}

// checkNames checks that values are unique members of allowed.
func checkNames(field string, values, allowed []string) *invalid {
	seen := map[string]bool{}
	for _, v := range values {
		if !slices.Contains(allowed, v) {
			return invalidf("%s: %q is not one of %s", field, v, strings.Join(allowed, ", "))
		}
		if seen[v] {
			return invalidf("%s lists %q twice", field, v)
		}
		seen[v] = true
	}
	return nil
}

// decodeDomainFields reads a registration body ({"visible","allowToSelectedMember"}).
func decodeDomainFields(obj map[string]json.RawMessage, d *BotDomain) *invalid {
	for _, k := range sortedKeys(obj) {
		var err *invalid
		switch k {
		case "visible":
			d.Visible, err = jsonBool(obj[k], k)
		case "allowToSelectedMember":
			d.AllowToSelectedMember, err = jsonBool(obj[k], k)
		case "domainId":
			err = invalidf("domainId is read-only and cannot be sent: it is part of the path") // inferred
		default:
			err = invalidf("%s is not a field of a bot's domain registration: expected visible and allowToSelectedMember", k)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
