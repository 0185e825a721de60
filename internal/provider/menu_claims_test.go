package provider

import (
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// The second kind of menu planned for a bot is refused on bot_id, whichever
// comes first and however many resources plan at once; other bots are not
// concerned.
func TestMenuClaims(t *testing.T) {
	var c menuClaims
	var mu sync.Mutex
	var all diag.Diagnostics
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d diag.Diagnostics
			kind := richMenus
			if i%2 == 1 {
				kind = persistentMenu
			}
			c.claim(int64(2000001+i%2), kind, &d) // rich menus on one bot, persistent menus on another
			mu.Lock()
			all.Append(d...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if all.HasError() {
		t.Fatalf("one kind per bot: %v", all)
	}
	var d diag.Diagnostics
	c.claim(2000001, persistentMenu, &d)
	if d.ErrorsCount() != 1 || !strings.Contains(d.Errors()[0].Detail(), "gives bot 2000001 both rich menus") {
		t.Fatalf("both kinds: %v", d)
	}
	if p, ok := d.Errors()[0].(diag.DiagnosticWithPath); !ok || p.Path().String() != "bot_id" {
		t.Fatalf("the error is not on bot_id: %v", d.Errors()[0])
	}
}
