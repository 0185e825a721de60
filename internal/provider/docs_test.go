package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What users asked the docs and did not find (issue 13): each stays said in
// the generated pages. make test also fails when docs/ is not what the
// schema and templates generate, so these are the schema's words too.
func TestDocsAnswerWhatUsersAsk(t *testing.T) {
	for page, phrases := range map[string][]string{
		"index.md": {
			"`max_retries` (Number) How many times a request answered with 429 or a 5xx is retried, with backoff that honours `rateLimit-reset` and `Retry-After`: from 0 to 10.",
			"`bot.read` is enough for the `lineworks_bot` data source alone",
		},
		"resources/bot.md": {
			"the Developer Console shows a domain's ID at the bottom of its left menu",
			"each by login e-mail address (`kim@example.com`) or user ID",
			"Left out when the bot is created, LINE WORKS applies a default of its own",
			"`id` (String) The bot's ID, the same as `bot_id`",
		},
		"resources/bot_domain.md": {"the Developer Console shows it at the bottom of its left menu"},
		"resources/bot_secret.md": {
			"text as LINE WORKS issues it",
			"## Import\n\n`lineworks_bot_secret` cannot be imported",
			"**Destroying this resource retires the secret.**",
			"create_before_destroy = true",
		},
		"guides/developer-console-credentials.md": {"**not** for `lineworks_bot_attachment`, which needs `bot` or `bot.message`"},
		"guides/deploying-a-bot.md": {
			"**Which provider block.** Everything in this guide uses the default `provider \"lineworks\"` block",
			"**The IDs you need.** A **domain ID**",
		},
		"guides/using-the-access-token.md": {"Which block does what: the **default** `provider \"lineworks\"` block holds the app's credentials"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "docs", page))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, p := range phrases {
			if !strings.Contains(text, p) {
				t.Errorf("docs/%s does not say %q", page, p)
			}
		}
	}
}
