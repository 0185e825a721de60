package lineworks

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
)

// A call may name the scopes that allow it, in place of what a read or a
// write implies; the refusal's advice names them.
func TestACallNamesTheScopesThatAllowIt(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, func(c *Config) { c.Scopes = []string{"user.read"} })
	for _, tt := range []struct {
		call apiCall
		want []string
	}{
		{apiCall{method: http.MethodGet, segments: []string{"bots"}}, []string{"bot", "bot.read"}},
		{apiCall{method: http.MethodPost, segments: []string{"bots"}, body: map[string]any{}, write: true}, []string{"bot"}},
		{apiCall{method: http.MethodGet, segments: []string{"bots"}, scopes: []string{"bot", "bot.message"}}, []string{"bot", "bot.message"}},
	} {
		err := c.callAPI(context.Background(), tt.call)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || !IsScopeMissing(err) || !slices.Equal(apiErr.Scopes, tt.want) {
			t.Errorf("%s write=%v scopes=%v: %v", tt.call.method, tt.call.write, tt.call.scopes, err)
		}
	}
}
