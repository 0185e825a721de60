package realtenant

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// Prefix starts the name of every bot (and every other object whose fields
// allow a name) that the acceptance tests and the contract report create,
// so that Sweep can find what an interrupted run left, and only that.
const Prefix = "tf-acc-"

// Named reports whether name is one the tools give what they create.
func Named(name string) bool { return strings.HasPrefix(name, Prefix) }

// Sweep deletes every bot of the tenant whose name starts with Prefix, and
// nothing else, and returns those it deleted. It goes on past a bot it
// cannot delete, and returns every such failure joined. A bot already gone
// counts as deleted. logf, when not nil, hears of each bot.
func Sweep(ctx context.Context, c *lineworks.Client, logf func(format string, args ...any)) ([]lineworks.BotSummary, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	bots, err := c.ListBots(ctx)
	if err != nil {
		return nil, err
	}
	var deleted []lineworks.BotSummary
	var errs []error
	for _, b := range bots {
		if !Named(b.BotName) {
			continue
		}
		if err := c.DeleteBot(ctx, b.BotID); err != nil && !Gone(err) {
			logf("could not delete bot %d %q: %v", b.BotID, b.BotName, err)
			errs = append(errs, fmt.Errorf("bot %d %q: %w", b.BotID, b.BotName, err))
			continue
		}
		logf("deleted bot %d %q", b.BotID, b.BotName)
		deleted = append(deleted, b)
	}
	return deleted, errors.Join(errs...)
}

// Gone reports whether err says the bot no longer exists: 404, or 410 for
// a bot that was deleted (the Korean error page lists it).
func Gone(err error) bool {
	var apiErr *lineworks.APIError
	return lineworks.IsNotFound(err) || (errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusGone)
}
