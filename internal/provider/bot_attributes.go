package provider

// The bot's attributes: descriptions the lineworks_bot resource and data
// source share, and the validators of the resource's arguments.

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// Descriptions shared by the resource and the data source.
const (
	botCallbackEventsDescription = "Message types users may send the bot, and that reach the callback: any of `text`, `location`, `sticker`, `image`, `file`, `audio`, `video`. " +
		"The others are greyed out in the chat."
	botCallbackEventsLeftOut = " Left out when the bot is created, LINE WORKS applies a default of its own, which its documentation does not state: list the types to be sure. " +
		"Removed later, an empty list is sent: no message type is listed then."
	botChannelEventsDescription = "Channel events sent to the callback: any of `message`, `join`, `leave`, `joined`, `left`, `postback`, `begin`, `end`."
	botScopeNote                = "The provider's token needs the `bot` scope (add it to the provider's `scopes` and enable it for the app in the Developer Console)."
)

var (
	botURLValidator = clientValidator{"https URL for LINE WORKS", lineworks.ValidateBotURL}
	botNameLength   = botTextLength("a bot name", lineworks.MaxBotNameLength)
	botDescLength   = botTextLength("a description", lineworks.MaxBotDescriptionLength)
	botLanguageKey  = oneOfWords{values: lineworks.BotLanguages, say: func(attr, v string) string {
		return fmt.Sprintf("%s has the key %q, which is not a language LINE WORKS takes: use %s.", attr, v, quotedWords(lineworks.BotLanguages))
	}}
	botUserIDs = setvalidator.ValueStringsAre(notEmpty{say: func(attr string) string {
		return attr + " holds an empty string: give the user IDs or login e-mail addresses of members of the tenant."
	}})
	botDomainIDs = setvalidator.ValueInt64sAre(domainIDValidator)
	// Empty would be ambiguous: left out, every domain may use the bot.
	botAllowDomainsNotEmpty = setSize{min: 1, max: math.MaxInt, say: func(attr string, _ int) string {
		return attr + " is empty: leave it out to let every domain use the bot, or list the domain IDs."
	}}
	botAdministratorsCount = setSize{min: lineworks.MinBotAdministrators, max: lineworks.MaxBotAdministrators, say: func(attr string, n int) string {
		if n == 0 {
			return fmt.Sprintf("%s is empty: a bot needs %d to %d administrators, user IDs or login e-mail addresses of members of the tenant.", attr, lineworks.MinBotAdministrators, lineworks.MaxBotAdministrators)
		}
		return fmt.Sprintf("%s lists %d users: a bot has %d to %d administrators. Keep %d, and make the others subadministrators (up to %d).",
			attr, n, lineworks.MinBotAdministrators, lineworks.MaxBotAdministrators, lineworks.MaxBotAdministrators, lineworks.MaxBotSubadministrators)
	}}
	botSubadministratorsCount = setSize{max: lineworks.MaxBotSubadministrators, say: func(attr string, n int) string {
		return fmt.Sprintf("%s lists %d users: a bot has at most %d subadministrators.", attr, n, lineworks.MaxBotSubadministrators)
	}}
	botCallbackEvent = oneOfWords{values: lineworks.BotCallbackEvents, say: func(attr, v string) string {
		return fmt.Sprintf("%s holds %q, which is not a message type LINE WORKS sends to a bot: use %s.", attr, v, quotedWords(lineworks.BotCallbackEvents))
	}}
	// Empty would not survive a create: the service's default applies.
	botChannelEventsNotEmpty = setSize{min: 1, max: math.MaxInt, say: func(attr string, _ int) string {
		return attr + " is empty: leave it out for LINE WORKS's default (or to keep what the bot has), or list at least one event."
	}}
	botChannelEvent = oneOfWords{values: lineworks.BotChannelEvents, say: func(attr, v string) string {
		return fmt.Sprintf("%s holds %q, which is not a channel event LINE WORKS sends: use %s.", attr, v, quotedWords(lineworks.BotChannelEvents))
	}}
	botDefaultRichMenuIDNotEmpty = notEmpty{say: func(attr string) string {
		return attr + " is empty: leave it out for no default rich menu, or give the rich menu's ID, such as 40001."
	}}
	noLineBreaks      = stringvalidator.RegexMatches(regexp.MustCompile(`^[^\r\n]*$`), "must not contain line breaks: LINE WORKS replaces them with spaces, so write a space instead")
	botLanguageKeys   = mapvalidator.KeysAre(botLanguageKey)
	botLanguagesMarkd = "`" + strings.Join(lineworks.BotLanguages, "`, `") + "`"
)
