package lineworks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// newMenuFixture is a bot fixture with one bot, whose ID it returns.
func newMenuFixture(t *testing.T) (*fixture, *Client, int64) {
	t.Helper()
	f, c := newBotFixture(t)
	bot, err := c.CreateBot(context.Background(), basicBot("Menu Bot"))
	if err != nil {
		t.Fatal(err)
	}
	return f, c, bot.BotID
}

// twoAreaMenu is a menu of two halves, the example of the issue.
func twoAreaMenu(name string) RichMenuSettings {
	return RichMenuSettings{
		Name: name,
		Size: RichMenuSize{Width: RichMenuWidth, Height: RichMenuHeightCompact},
		Areas: []RichMenuArea{
			{
				Bounds: RichMenuBounds{X: 0, Y: 0, Width: 1250, Height: 843},
				Action: MenuAction{
					Type: ActionPostback, Label: "Help", Data: "help", DisplayText: "Help, please",
					I18nLabels:       []I18nLabel{{Language: "ja_JP", Label: "ヘルプ"}},
					I18nDisplayTexts: []I18nDisplayText{{Language: "ja_JP", DisplayText: "助けて"}},
				},
			},
			{
				Bounds: RichMenuBounds{X: 1250, Y: 0, Width: 1250, Height: 843},
				Action: MenuAction{Type: ActionURI, Label: "Docs", URI: "https://example.com/docs"},
			},
		},
	}
}

func TestRichMenuLifecycle(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	ctx := context.Background()
	settings := twoAreaMenu("Main menu")
	settings.Areas = append(settings.Areas,
		RichMenuArea{Bounds: RichMenuBounds{0, 0, 10, 10}, Action: MenuAction{Type: ActionMessage, Text: "hi", Postback: "pb", I18nTexts: []I18nText{{Language: "en_US", Text: "hi"}}}},
		RichMenuArea{Bounds: RichMenuBounds{10, 10, 10, 10}, Action: MenuAction{Type: ActionCopy, Label: "Code", CopyText: "ABC-123"}},
	)
	menu, err := c.CreateRichMenu(ctx, botID, settings)
	if err != nil {
		t.Fatal(err)
	}
	if menu.ID == "" || fmt.Sprint(menu.RichMenuSettings) != fmt.Sprint(settings) {
		t.Fatalf("created %+v", menu)
	}
	got, err := c.GetRichMenu(ctx, botID, menu.ID)
	if err != nil || fmt.Sprint(*got) != fmt.Sprint(*menu) {
		t.Fatalf("GetRichMenu = %+v, %v", got, err)
	}
	list, err := c.ListRichMenus(ctx, botID)
	if err != nil || len(list) != 1 || list[0].ID != menu.ID {
		t.Fatalf("ListRichMenus = %+v, %v", list, err)
	}
	// The body went out with the documented names and nothing empty.
	create := f.apiRequests(http.MethodPost, fmt.Sprintf("/v1.0/bots/%d/richmenus", botID))
	if len(create) != 1 || !strings.Contains(string(create[0].Body), `"richmenuName":"Main menu"`) || strings.Contains(string(create[0].Body), `""`) {
		t.Errorf("create body %s", create[0].Body)
	}

	if err := c.DeleteRichMenu(ctx, botID, menu.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteRichMenu(ctx, botID, menu.ID); err != nil {
		t.Fatalf("deleting a menu already gone: %v", err)
	}
	_, err = c.GetRichMenu(ctx, botID, menu.ID)
	if !errors.Is(err, ErrRichMenuNotFound) || IsNotFound(err) {
		t.Fatalf("reading a deleted menu: %v", err)
	}
	if !strings.Contains(err.Error(), "reading rich menu "+menu.ID) {
		t.Errorf("error %q does not say what was read", err)
	}
}

// The create answer may hold the whole menu or only its ID.
func TestCreateRichMenuAnswerForms(t *testing.T) {
	for _, form := range []lineworkstest.RichMenuCreateAnswer{lineworkstest.RichMenuCreateFull, lineworkstest.RichMenuCreateIDOnly} {
		t.Run(fmt.Sprint(form), func(t *testing.T) {
			f, c, botID := newMenuFixture(t)
			if err := f.emu.Forms.Set(lineworkstest.AnswerForms{RichMenuCreateAnswer: form}); err != nil {
				t.Fatal(err)
			}
			settings := twoAreaMenu("m")
			menu, err := c.CreateRichMenu(context.Background(), botID, settings)
			if err != nil {
				t.Fatal(err)
			}
			if menu.ID == "" || fmt.Sprint(menu.RichMenuSettings) != fmt.Sprint(settings) {
				t.Fatalf("created %+v", menu)
			}
		})
	}
}

// A 404 that cannot be confirmed (the endpoint is wrong: the tenant's bots
// cannot be listed either) is not "no such menu"; a bot that is gone, on an
// endpoint that lists the tenant's bots, took its menus with it.
func TestGetRichMenuConfirms404(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	menu, err := c.CreateRichMenu(context.Background(), botID, twoAreaMenu("m"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := f.client(t, func(cfg *Config) { cfg.APIEndpoint = strings.TrimSuffix(f.emu.APIURL(), "/v1.0") })
	_, err = wrong.GetRichMenu(context.Background(), botID, menu.ID)
	if IsNotFound(err) || !IsWrongEndpoint(err) || errors.Is(err, ErrRichMenuNotFound) {
		t.Fatalf("wrong endpoint: %v", err)
	}

	f.emu.Bots.Remove(botID)
	_, err = c.GetRichMenu(context.Background(), botID, menu.ID)
	if !errors.Is(err, ErrRichMenuNotFound) || !strings.Contains(err.Error(), fmt.Sprintf("bot %d no longer exists", botID)) {
		t.Fatalf("bot gone: %v", err)
	}
	_, err = wrong.GetRichMenu(context.Background(), botID, menu.ID)
	if IsNotFound(err) || !IsWrongEndpoint(err) || errors.Is(err, ErrRichMenuNotFound) {
		t.Fatalf("bot gone, wrong endpoint: %v", err)
	}
}

// A menu that would be refused is refused before anything is sent, with
// every problem named.
func TestCreateRichMenuValidates(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	bad := twoAreaMenu("")
	bad.Size.Height = 900
	bad.Areas[1].Action.Data = "not for uri"
	_, err := c.CreateRichMenu(context.Background(), botID, bad)
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 3 {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"richmenuName: is empty", "size.height: is 900", "areas[1].action.data: is not a field of a uri action"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if n := f.emu.Requests.Count(lineworkstest.HostAPI, fmt.Sprintf("/v1.0/bots/%d/richmenus", botID)); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A 5xx may come after the service created the menu: the create is not
// retried, so no second menu appears.
func TestCreateRichMenuIsNotRetriedAfterA5xx(t *testing.T) {
	f, _, botID := newMenuFixture(t)
	var attempts atomic.Int32
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := http.DefaultTransport.RoundTrip(r)
			if err != nil || r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/richmenus") {
				return resp, err
			}
			attempts.Add(1)
			drain(resp)
			return jsonResponse(r, http.StatusServiceUnavailable, `{"code":"SERVICE_UNAVAILABLE"}`), nil
		})
	})
	if _, err := c.CreateRichMenu(context.Background(), botID, twoAreaMenu("once")); err == nil {
		t.Fatal("no error")
	}
	if attempts.Load() != 1 || len(f.emu.Menus.RichMenus(botID)) != 1 {
		t.Fatalf("%d attempts, %d menus", attempts.Load(), len(f.emu.Menus.RichMenus(botID)))
	}
}

// bot.message is enough for menus, and a 403 says so rather than asking for bot.
func TestRichMenuScopes(t *testing.T) {
	f, _, botID := newMenuFixture(t)
	c := f.client(t, func(cfg *Config) { cfg.Scopes = []string{"bot.message"} })
	menu, err := c.CreateRichMenu(context.Background(), botID, twoAreaMenu("m"))
	if err != nil {
		t.Fatalf("with bot.message: %v", err)
	}
	ro := f.client(t, func(cfg *Config) { cfg.Scopes = []string{"bot.read"} })
	if _, err := ro.GetRichMenu(context.Background(), botID, menu.ID); err != nil {
		t.Fatalf("reading with bot.read: %v", err)
	}
	err = ro.DeleteRichMenu(context.Background(), botID, menu.ID)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), "needs the bot or bot.message scope") ||
		!strings.HasPrefix(err.Error(), "deleting rich menu") || !IsScopeMissing(err) ||
		strings.Count(err.Error(), "This call needs") != 1 || strings.Contains(err.Error(), "may lack") { // the advice once
		t.Fatalf("deleting with bot.read: %v", err)
	}
}

// Listing follows the cursor past the first page.
func TestListRichMenusPages(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	f.emu.Faults.SetRateLimit(0)
	small := RichMenuSettings{Size: RichMenuSize{RichMenuWidth, RichMenuHeightCompact}, Areas: []RichMenuArea{{Bounds: RichMenuBounds{0, 0, 1, 1}, Action: MenuAction{Type: ActionMessage, Text: "x"}}}}
	for i := range 105 {
		small.Name = fmt.Sprint("menu ", i)
		if _, err := c.CreateRichMenu(context.Background(), botID, small); err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.ListRichMenus(context.Background(), botID)
	if err != nil || len(list) != 105 || list[104].Name != "menu 104" {
		t.Fatalf("%d menus, %v", len(list), err)
	}
}

// largestRichMenu is a rich menu with every field at its longest, in a
// character outside the BMP (four bytes in UTF-8, twelve escaped as a
// surrogate pair): the largest answer a menu can be.
func largestRichMenu(name string) RichMenuSettings {
	long := func(n int) string { return strings.Repeat("𝄞", n) }
	langs := BotLanguages
	action := MenuAction{Type: ActionMessage, Label: long(MaxRichMenuLabelLength), Text: long(MaxActionTextLength), Postback: long(MaxActionPostbackLength)}
	for _, l := range langs {
		action.I18nLabels = append(action.I18nLabels, I18nLabel{Language: l, Label: long(MaxRichMenuLabelLength)})
		action.I18nTexts = append(action.I18nTexts, I18nText{Language: l, Text: long(MaxActionTextLength)})
	}
	s := RichMenuSettings{Name: name + long(MaxRichMenuNameLength-len([]rune(name))), Size: RichMenuSize{RichMenuWidth, RichMenuHeightFull}}
	for i := range MaxRichMenuAreas {
		s.Areas = append(s.Areas, RichMenuArea{Bounds: RichMenuBounds{X: i, Y: i, Width: 100, Height: 100}, Action: action})
	}
	return s
}

// A page of the largest menus, every character escaped, fits the bound on
// what is read of an answer; a page of pageSize would not.
func TestRichMenuPageFitsTheBodyBound(t *testing.T) {
	menu := RichMenu{ID: "4000000001", RichMenuSettings: largestRichMenu("")}
	if err := ValidateRichMenu(menu.RichMenuSettings); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(menu)
	if err != nil {
		t.Fatal(err)
	}
	escaped := len(b) + 8*strings.Count(string(b), "𝄞") // 4 bytes each become 12
	page := richMenuPageSize*(escaped+1) + len(`{"richmenus":[],"responseMetaData":{"nextCursor":""}}`) + 1000
	if page > maxSuccessBody {
		t.Fatalf("a page of %d menus of %d bytes is %d bytes, beyond the %d read of an answer", richMenuPageSize, escaped, page, maxSuccessBody)
	}
	if pageSize*escaped <= maxSuccessBody {
		t.Fatalf("a page of %d menus fits too: richMenuPageSize is not needed", pageSize)
	}
	t.Logf("largest menu %d bytes escaped; a page of %d: %d bytes of %d", escaped, richMenuPageSize, page, maxSuccessBody)
}

// Listing many of the largest menus works, a page at a time.
func TestListLargestRichMenus(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	f.emu.Faults.SetRateLimit(0)
	const n = 40 // 40 × 235 KB unescaped: more than maxSuccessBody in one page
	for i := range n {
		if _, err := c.CreateRichMenu(context.Background(), botID, largestRichMenu(fmt.Sprint(i, " "))); err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.ListRichMenus(context.Background(), botID)
	if err != nil || len(list) != n {
		t.Fatalf("%d menus, %v", len(list), err)
	}
}

// Changes to one bot's menus from many goroutines never overlap at the
// service, which refuses that with 409.
func TestRichMenuChangesAreSerializedPerBot(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	f.emu.Bots.SetMutationHold(5 * time.Millisecond) // overlaps would be seen
	errs := make(chan error, 8)
	for i := range cap(errs) {
		go func() {
			_, err := c.CreateRichMenu(context.Background(), botID, twoAreaMenu(fmt.Sprint("m", i)))
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := f.emu.Bots.ConflictCount(); n != 0 {
		t.Fatalf("%d conflicts", n)
	}
}

func TestValidateRichMenu(t *testing.T) {
	area := func(b RichMenuBounds, a MenuAction) RichMenuSettings {
		return RichMenuSettings{Name: "m", Size: RichMenuSize{RichMenuWidth, RichMenuHeightCompact}, Areas: []RichMenuArea{{Bounds: b, Action: a}}}
	}
	full := RichMenuBounds{0, 0, 2500, 843}
	postback := MenuAction{Type: ActionPostback, Data: "d"}
	many := area(full, postback)
	for range 20 {
		many.Areas = append(many.Areas, many.Areas[0])
	}
	for name, tc := range map[string]struct {
		menu RichMenuSettings
		want string // "" for valid
	}{
		"valid":           {area(full, postback), ""},
		"tall":            {RichMenuSettings{Name: "m", Size: RichMenuSize{2500, 1686}, Areas: []RichMenuArea{{Bounds: RichMenuBounds{0, 843, 2500, 843}, Action: postback}}}, ""},
		"name too long":   {func() RichMenuSettings { m := area(full, postback); m.Name = strings.Repeat("名", 301); return m }(), "richmenuName: is 301 characters long"},
		"width":           {func() RichMenuSettings { m := area(full, postback); m.Size.Width = 2400; return m }(), "size.width: is 2400"},
		"no areas":        {RichMenuSettings{Name: "m", Size: RichMenuSize{2500, 843}}, "areas: has 0 areas"},
		"21 areas":        {many, "areas: has 21 areas"},
		"negative x":      {area(RichMenuBounds{-1, 0, 10, 10}, postback), "areas[0].bounds: x and y are -1 and 0"},
		"empty area":      {area(RichMenuBounds{0, 0, 0, 10}, postback), "width and height are 0 and 10"},
		"beyond right":    {area(RichMenuBounds{2000, 0, 501, 10}, postback), "x + width is 2501"},
		"beyond bottom":   {area(RichMenuBounds{0, 800, 10, 44}, postback), "y + height is 844"},
		"unknown type":    {area(full, MenuAction{Type: "camera"}), `areas[0].action.type: "camera" is not an action type`},
		"no data":         {area(full, MenuAction{Type: ActionPostback}), "areas[0].action.data: is required for a postback action"},
		"no text":         {area(full, MenuAction{Type: ActionMessage}), "action.text: is required for a message action"},
		"no uri":          {area(full, MenuAction{Type: ActionURI}), "action.uri: is required"},
		"no copyText":     {area(full, MenuAction{Type: ActionCopy}), "action.copyText: is required"},
		"label too long":  {area(full, MenuAction{Type: ActionPostback, Data: "d", Label: strings.Repeat("x", 21)}), "action.label: is 21 characters long; LINE WORKS accepts at most 20"},
		"data too long":   {area(full, MenuAction{Type: ActionPostback, Data: strings.Repeat("x", 301)}), "action.data: is 301 characters"},
		"uri scheme":      {area(full, MenuAction{Type: ActionURI, URI: "tel:123"}), "is not an absolute http or https URL"},
		"uri too long":    {area(full, MenuAction{Type: ActionURI, URI: "https://example.com/" + strings.Repeat("x", 1000)}), "action.uri: is 1020 characters"},
		"copy too long":   {area(full, MenuAction{Type: ActionCopy, CopyText: strings.Repeat("x", 1001)}), "action.copyText: is 1001 characters"},
		"postback field":  {area(full, MenuAction{Type: ActionURI, URI: "https://x.example", Postback: "p"}), "action.postback: is not a field of a uri action"},
		"bad language":    {area(full, MenuAction{Type: ActionPostback, Data: "d", I18nLabels: []I18nLabel{{"fr_FR", "x"}}}), "action.i18nLabels[fr_FR]: is not a language"},
		"language twice":  {area(full, MenuAction{Type: ActionPostback, Data: "d", I18nLabels: []I18nLabel{{"ja_JP", "x"}, {"ja_JP", "y"}}}), "action.i18nLabels[ja_JP]: is given twice"},
		"i18n label long": {area(full, MenuAction{Type: ActionPostback, Data: "d", I18nLabels: []I18nLabel{{"ja_JP", strings.Repeat("x", 21)}}}), "i18nLabels[ja_JP]: is 21 characters"},
		"i18n empty":      {area(full, MenuAction{Type: ActionMessage, Text: "t", I18nTexts: []I18nText{{"en_US", ""}}}), "i18nTexts[en_US]: is empty"},
		"i18n wrong type": {area(full, MenuAction{Type: ActionURI, URI: "https://x.example", I18nDisplayTexts: []I18nDisplayText{{"en_US", "x"}}}), "action.i18nDisplayTexts: is not a field of a uri action"},
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidateRichMenu(tc.menu)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRichMenuFieldErrorsLocateTheirField(t *testing.T) {
	m := twoAreaMenu("m")
	m.Areas[1].Action.I18nLabels = []I18nLabel{{"xx_XX", "x"}}
	var verr *ValidationError
	if !errors.As(ValidateRichMenu(m), &verr) || len(verr.Problems) != 1 {
		t.Fatalf("%v", verr)
	}
	if p := verr.Problems[0]; p.List != "areas" || p.Index != 1 || p.Field != "action.i18nLabels" || p.Language != "xx_XX" {
		t.Fatalf("%+v", p)
	}
}

func TestValidateRichMenuID(t *testing.T) {
	for _, id := range []string{"", ".", "..", "a/b", "40001?x", strings.Repeat("1", 65)} {
		if ValidateRichMenuID(id) == nil {
			t.Errorf("%q accepted", id)
		}
	}
	if err := ValidateRichMenuID("40001"); err != nil {
		t.Error(err)
	}
}
