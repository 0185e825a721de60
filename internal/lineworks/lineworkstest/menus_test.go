package lineworkstest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// newMenuServer is a bot server with one bot, whose ID it returns.
func newMenuServer(t *testing.T) (*lineworkstest.Server, string, int64) {
	t.Helper()
	s, tok := newBotServer(t)
	return s, tok, createBot(t, s, tok, validBot())
}

func validMenu() map[string]any {
	return map[string]any{
		"richmenuName": "Main",
		"size":         map[string]any{"width": 2500, "height": 843},
		"areas": []any{
			map[string]any{
				"bounds": map[string]any{"x": 0, "y": 0, "width": 1250, "height": 843},
				"action": map[string]any{"type": "postback", "label": "Help", "data": "help", "displayText": "Help",
					"i18nLabels": []any{map[string]any{"language": "ja_JP", "label": "ヘルプ"}}},
			},
			map[string]any{
				"bounds": map[string]any{"x": 1250, "y": 0, "width": 1250, "height": 843},
				"action": map[string]any{"type": "uri", "uri": "https://example.com"},
			},
		},
	}
}

// withAction is validMenu with the first area's action replaced.
func withAction(action map[string]any) map[string]any {
	m := validMenu()
	m["areas"].([]any)[0].(map[string]any)["action"] = action
	return m
}

// withBounds is validMenu with the first area's bounds replaced.
func withBounds(bounds any) map[string]any {
	m := validMenu()
	m["areas"].([]any)[0].(map[string]any)["bounds"] = bounds
	return m
}

func createMenu(t *testing.T, s *lineworkstest.Server, tok string, bot int64, body map[string]any) string {
	t.Helper()
	r := botCall(t, s, http.MethodPost, botPath(bot, "richmenus"), tok, body)
	wantStatus(t, r, http.StatusCreated)
	return r.body["richmenuId"].(string)
}

func TestRichMenuCreateReadListDelete(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	r := botCall(t, s, http.MethodPost, botPath(bot, "richmenus"), tok, validMenu())
	wantStatus(t, r, http.StatusCreated)
	id := r.body["richmenuId"].(string)
	want := with(validMenu(), "richmenuId", id)
	if got, w := mustJSON(t, r.body), mustJSON(t, want); got != w || id != "40001" {
		t.Fatalf("create answered\n%s\nwant\n%s", got, w)
	}
	g := botCall(t, s, http.MethodGet, botPath(bot, "richmenus", id), tok, nil)
	wantStatus(t, g, http.StatusOK)
	if mustJSON(t, g.body) != mustJSON(t, want) {
		t.Fatalf("get answered %s", g.raw)
	}

	second := createMenu(t, s, tok, bot, validMenu())
	l := botCall(t, s, http.MethodGet, botPath(bot, "richmenus")+"?count=1", tok, nil)
	wantStatus(t, l, http.StatusOK)
	cursor, _ := l.body["responseMetaData"].(map[string]any)["nextCursor"].(string)
	if menus := l.body["richmenus"].([]any); len(menus) != 1 || menus[0].(map[string]any)["richmenuId"] != id || cursor == "" {
		t.Fatalf("first page %s", l.raw)
	}
	l = botCall(t, s, http.MethodGet, botPath(bot, "richmenus")+"?count=1&cursor="+url.QueryEscape(cursor), tok, nil)
	if menus := l.body["richmenus"].([]any); len(menus) != 1 || menus[0].(map[string]any)["richmenuId"] != second || l.body["responseMetaData"].(map[string]any)["nextCursor"] != nil {
		t.Fatalf("second page %s", l.raw)
	}

	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(bot, "richmenus", id), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(bot, "richmenus", id), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodDelete, botPath(bot, "richmenus", id), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(bot, "richmenus", "abc"), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(bot+1, "richmenus", second), tok, nil), http.StatusNotFound, "NOT_FOUND")
	if menus := s.Menus.RichMenus(bot); len(menus) != 1 || menus[0].RichMenuID != second {
		t.Fatalf("stored %+v", menus)
	}

	// A bot that is deleted takes its menus with it.
	s.Bots.Remove(bot)
	if menus := s.Menus.RichMenus(bot); menus != nil {
		t.Fatalf("menus of a deleted bot: %+v", menus)
	}
}

func TestRichMenuCreateAnswersOnlyTheIDOnRequest(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	if err := s.Forms.Set(lineworkstest.AnswerForms{RichMenuCreateAnswer: lineworkstest.RichMenuCreateIDOnly}); err != nil {
		t.Fatal(err)
	}
	r := botCall(t, s, http.MethodPost, botPath(bot, "richmenus"), tok, validMenu())
	wantStatus(t, r, http.StatusCreated)
	if string(r.raw) != `{"richmenuId":"40001"}` {
		t.Fatalf("answered %s", r.raw)
	}
}

// The emulator refuses every menu the docs say the service refuses, and
// names the field.
func TestRichMenuCreateRefusals(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	areas := make([]any, 21)
	for i := range areas {
		areas[i] = validMenu()["areas"].([]any)[1]
	}
	for name, tc := range map[string]struct {
		body any
		want string
	}{
		"no name":          {with(validMenu(), "richmenuName", nil), "richmenuName is required"},
		"empty name":       {with(validMenu(), "richmenuName", ""), "richmenuName is required"},
		"long name":        {with(validMenu(), "richmenuName", strings.Repeat("名", 301)), "at most 300 characters, got 301"},
		"no size":          {with(validMenu(), "size", nil), "size is required"},
		"width":            {with(validMenu(), "size", map[string]any{"width": 2400, "height": 843}), "size.width must be 2500, got 2400"},
		"height":           {with(validMenu(), "size", map[string]any{"width": 2500, "height": 900}), "size.height must be 843 or 1686, got 900"},
		"size as string":   {with(validMenu(), "size", map[string]any{"width": "2500", "height": 843}), "size.width must be an integer"},
		"size fraction":    {with(validMenu(), "size", map[string]any{"width": 2500.5, "height": 843}), "size.width must be an integer"},
		"size extra":       {with(validMenu(), "size", map[string]any{"width": 2500, "height": 843, "depth": 1}), "size.depth is not a field"},
		"no areas":         {with(validMenu(), "areas", []any{}), "areas must hold 1 to 20 areas, got 0"},
		"21 areas":         {with(validMenu(), "areas", areas), "got 21"},
		"read-only id":     {with(validMenu(), "richmenuId", "1"), "richmenuId is read-only"},
		"unknown field":    {with(validMenu(), "chatBarText", "x"), "chatBarText is not a field of a rich menu"},
		"no bounds":        {withBounds(nil), "areas[0].bounds must be an object"},
		"negative x":       {withBounds(map[string]any{"x": -1, "y": 0, "width": 1, "height": 1}), "x and y must be 0 or more"},
		"zero width":       {withBounds(map[string]any{"x": 0, "y": 0, "width": 0, "height": 1}), "width and height must be 1 or more"},
		"outside":          {withBounds(map[string]any{"x": 2000, "y": 0, "width": 501, "height": 1}), "reach outside the 2500 × 843 menu"},
		"below":            {withBounds(map[string]any{"x": 0, "y": 843, "width": 1, "height": 1}), "reach outside"},
		"bounds missing y": {withBounds(map[string]any{"x": 0, "width": 1, "height": 1}), "areas[0].bounds.y is required"},
		"no type":          {withAction(map[string]any{"data": "x"}), "areas[0].action.type is required"},
		"camera":           {withAction(map[string]any{"type": "camera"}), `"camera" is not an action this menu takes`},
		"postback no data": {withAction(map[string]any{"type": "postback"}), "areas[0].action.data is required for a postback action"},
		"message no text":  {withAction(map[string]any{"type": "message", "label": "x"}), "action.text is required for a message action"},
		"uri with data":    {withAction(map[string]any{"type": "uri", "uri": "https://x.example", "data": "d"}), "action.data is not a field of a uri action"},
		"uri scheme":       {withAction(map[string]any{"type": "uri", "uri": "javascript:alert(1)"}), "must be an absolute http or https URL"},
		"copy no text":     {withAction(map[string]any{"type": "copy", "label": "x"}), "copyText is required"},
		"long label":       {withAction(map[string]any{"type": "postback", "data": "d", "label": strings.Repeat("x", 21)}), "action.label must be at most 20 characters, got 21"},
		"long data":        {withAction(map[string]any{"type": "postback", "data": strings.Repeat("x", 301)}), "action.data must be at most 300 characters"},
		"long copyText":    {withAction(map[string]any{"type": "copy", "copyText": strings.Repeat("x", 1001)}), "at most 1000 characters"},
		"i18n language":    {withAction(map[string]any{"type": "postback", "data": "d", "i18nLabels": []any{map[string]any{"language": "fr_FR", "label": "x"}}}), `"fr_FR" is not one of`},
		"i18n twice":       {withAction(map[string]any{"type": "postback", "data": "d", "i18nLabels": []any{map[string]any{"language": "ja_JP", "label": "x"}, map[string]any{"language": "ja_JP", "label": "y"}}}), `lists "ja_JP" twice`},
		"i18n long":        {withAction(map[string]any{"type": "postback", "data": "d", "i18nLabels": []any{map[string]any{"language": "ja_JP", "label": strings.Repeat("x", 21)}}}), "i18nLabels[0].label must be at most 20"},
		"i18n wrong type":  {withAction(map[string]any{"type": "copy", "copyText": "c", "i18nTexts": []any{}}), "i18nTexts is not a field of a copy action"},
		"not an object":    {`[]`, "must be a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			r := botCall(t, s, http.MethodPost, botPath(bot, "richmenus"), tok, tc.body)
			wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
			if d := r.body["description"].(string); !strings.Contains(d, tc.want) {
				t.Fatalf("description %q, want %q", d, tc.want)
			}
		})
	}
	if n := len(s.Menus.RichMenus(bot)); n != 0 {
		t.Fatalf("%d menus created", n)
	}
	req := botRequest(s, http.MethodPost, botPath(bot, "richmenus"), tok, validMenu())
	req.Header.Set("Content-Type", "text/plain")
	wantAPIError(t, do(t, noRedirect, req), http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(999, "richmenus"), tok, validMenu()), http.StatusNotFound, "NOT_FOUND")
	r := botCall(t, s, http.MethodPut, botPath(bot, "richmenus"), tok, validMenu())
	wantAPIError(t, r, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")
	if r.header.Get("Allow") != "GET, POST" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	wantAPIError(t, botCall(t, s, http.MethodGet, botPath(bot, "richmenus", "40001", "nothing"), tok, nil), http.StatusNotFound, "NOT_FOUND")
}

func TestRichMenuLimit(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	s.Faults.SetRateLimit(0)
	body := validMenu()
	for range lineworkstest.MaxRichMenusPerBot {
		createMenu(t, s, tok, bot, body)
	}
	r := botCall(t, s, http.MethodPost, botPath(bot, "richmenus"), tok, body)
	wantAPIError(t, r, http.StatusBadRequest, "LIMIT_EXCEEDED")
	if n := len(s.Menus.RichMenus(bot)); n != 1000 {
		t.Fatalf("%d menus", n)
	}
}

// bot.message is enough for menus and bot.read for their reads; members
// need bot, and bot.read for their list.
func TestMenuScopes(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "domains", "10000001"), tok, map[string]any{"allowToSelectedMember": true}), http.StatusCreated)
	message, read, other := s.Auth.IssueAccessToken(clientID, "bot.message"), s.Auth.IssueAccessToken(clientID, "bot.read"), s.Auth.IssueAccessToken(clientID, "user.read")
	id := createMenu(t, s, message, bot, validMenu())
	for _, tc := range []struct {
		method, path, token string
		body                any
		status              int
	}{
		{http.MethodGet, botPath(bot, "richmenus", id), read, nil, http.StatusOK},
		{http.MethodGet, botPath(bot, "richmenus"), message, nil, http.StatusOK},
		{http.MethodGet, botPath(bot, "richmenus", id), other, nil, http.StatusForbidden},
		{http.MethodPost, botPath(bot, "richmenus"), read, validMenu(), http.StatusForbidden},
		{http.MethodPost, botPath(bot, "richmenus", id, "set-default"), message, nil, http.StatusCreated},
		{http.MethodDelete, botPath(bot, "richmenus", "default"), read, nil, http.StatusForbidden},
		{http.MethodGet, botPath(bot, "persistentmenu"), read, nil, http.StatusNotFound},
		{http.MethodPost, botPath(bot, "domains", "10000001", "members"), message, map[string]any{"userId": "admin@example.com"}, http.StatusForbidden},
		{http.MethodPost, botPath(bot, "domains", "10000001", "members"), tok, map[string]any{"userId": "admin@example.com"}, http.StatusCreated},
		{http.MethodGet, botPath(bot, "domains", "10000001", "members"), read, nil, http.StatusOK},
		{http.MethodGet, botPath(bot, "domains", "10000001", "members"), message, nil, http.StatusForbidden},
		{http.MethodDelete, botPath(bot, "domains", "10000001", "members", "admin@example.com"), read, nil, http.StatusForbidden},
	} {
		r := botCall(t, s, tc.method, tc.path, tc.token, tc.body)
		if r.status != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, r.status, r.raw, tc.status)
		}
		if tc.status == http.StatusForbidden && r.body["code"] != "FORBIDDEN" {
			t.Errorf("%s %s: %s", tc.method, tc.path, r.raw)
		}
	}
}

// Menu changes are bot changes: one at a time per bot, as for the bot calls.
func TestMenuChangesConflict(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	s.Bots.SetMutationHold(300 * time.Millisecond)
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Go(func() {
			r, err := fetch(noRedirect, botRequest(s, http.MethodPost, botPath(bot, "richmenus"), tok, validMenu()))
			if err == nil {
				statuses[i] = r.status
			}
		})
		time.Sleep(50 * time.Millisecond) // the second arrives while the first holds the bot
	}
	wg.Wait()
	if statuses[0] != http.StatusCreated || statuses[1] != http.StatusConflict || s.Bots.ConflictCount() != 1 {
		t.Fatalf("statuses %v, %d conflicts", statuses, s.Bots.ConflictCount())
	}
}

// upload puts a file on the emulator through the upload flow.
func upload(t *testing.T, s *lineworkstest.Server, tok string, bot int64, name string, content []byte) string {
	t.Helper()
	id, err := s.Storage.UploadAttachment(tok, fmt.Sprint(bot), name, "", content)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRichMenuImage(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	var mu sync.Mutex
	now := fixedNow
	s.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	id := createMenu(t, s, tok, bot, validMenu())
	imagePath := botPath(bot, "richmenus", id, "image")
	wantAPIError(t, botCall(t, s, http.MethodGet, imagePath, tok, nil), http.StatusNotFound, "NOT_FOUND")

	png := upload(t, s, tok, bot, "menu.png", lineworkstest.RichMenuPNG(843))
	jpeg := upload(t, s, tok, bot, "menu.jpg", lineworkstest.RichMenuJPEG(843))
	body := map[string]any{"fileId": png, "i18nFileIds": []any{map[string]any{"language": "ja_JP", "fileId": jpeg}}}
	wantStatus(t, botCall(t, s, http.MethodPost, imagePath, tok, body), http.StatusNoContent)
	g := botCall(t, s, http.MethodGet, imagePath, tok, nil)
	wantStatus(t, g, http.StatusOK)
	if mustJSON(t, g.body) != mustJSON(t, body) {
		t.Fatalf("image %s", g.raw)
	}
	g = botCall(t, s, http.MethodGet, botPath(bot, "richmenus", createMenu(t, s, tok, bot, validMenu()), "image"), tok, nil)
	wantStatus(t, g, http.StatusNotFound)

	otherBot := createBot(t, s, tok, validBot())
	added := "jp1.1628695315008671000.1628781715.0.1000001.0.0.0"
	s.Storage.AddAttachment(fmt.Sprint(bot), added, lineworkstest.Attachment{Content: lineworkstest.RichMenuPNG(843)})
	big := append(lineworkstest.RichMenuPNG(843), make([]byte, lineworkstest.MaxRichMenuImageSize)...)
	for name, tc := range map[string]struct {
		body any
		want string
	}{
		"tall image":      {map[string]any{"fileId": upload(t, s, tok, bot, "tall.png", lineworkstest.RichMenuPNG(1686))}, "fileId: the image is 2500 × 1686 pixels; this rich menu needs exactly 2500 × 843"},
		"narrow image":    {map[string]any{"fileId": upload(t, s, tok, bot, "n.png", lineworkstest.MenuImage("png", 2499, 843))}, "2499 × 843"},
		"not an image":    {map[string]any{"fileId": upload(t, s, tok, bot, "a.txt", []byte("hello"))}, `the file "a.txt" is not a JPEG or PNG image (text/plain`},
		"over 1 MB":       {map[string]any{"fileId": upload(t, s, tok, bot, "big.png", big)}, "at most 1 MB (1000000 bytes)"},
		"other bot":       {map[string]any{"fileId": upload(t, s, tok, otherBot, "menu.png", lineworkstest.RichMenuPNG(843))}, "is not a file uploaded for bot"},
		"sent by a user":  {map[string]any{"fileId": added}, "is not a file uploaded for bot"},
		"unknown":         {map[string]any{"fileId": "jp1.1.2.0.1000001.0.0.0"}, "is not a file uploaded"},
		"no fileId":       {map[string]any{"i18nFileIds": []any{}}, "fileId is required"},
		"bad i18n":        {map[string]any{"fileId": png, "i18nFileIds": []any{map[string]any{"language": "xx", "fileId": png}}}, `"xx" is not one of`},
		"bad i18n image":  {map[string]any{"fileId": png, "i18nFileIds": []any{map[string]any{"language": "en_US", "fileId": upload(t, s, tok, bot, "t.png", lineworkstest.RichMenuPNG(1686))}}}, "i18nFileIds[0].fileId: the image is 2500 × 1686"},
		"unknown field":   {map[string]any{"fileId": png, "image": "x"}, "image is not a field of a rich menu image"},
		"fileId a number": {map[string]any{"fileId": 1}, "fileId must be a string"},
	} {
		t.Run(name, func(t *testing.T) {
			r := botCall(t, s, http.MethodPost, imagePath, tok, tc.body)
			wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
			if d := r.body["description"].(string); !strings.Contains(d, tc.want) {
				t.Fatalf("description %q, want %q", d, tc.want)
			}
		})
	}
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", "99999", "image"), tok, map[string]any{"fileId": png}), http.StatusNotFound, "NOT_FOUND")

	// An uploaded file lasts 24 hours.
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	r := botCall(t, s, http.MethodPost, imagePath, s.Auth.IssueAccessToken(clientID, "bot"), map[string]any{"fileId": png})
	wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
}

func TestDefaultAndUserRichMenus(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	id := createMenu(t, s, tok, bot, validMenu())
	def := botPath(bot, "richmenus", "default")
	wantAPIError(t, botCall(t, s, http.MethodGet, def, tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodDelete, def, tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", "99999", "set-default"), tok, nil), http.StatusNotFound, "NOT_FOUND")
	r := botCall(t, s, http.MethodPost, botPath(bot, "richmenus", id, "set-default"), tok, nil)
	wantStatus(t, r, http.StatusCreated)
	want := fmt.Sprintf(`{"botId":%d,"defaultRichmenuId":%q}`, bot, id)
	if string(r.raw) != want {
		t.Fatalf("set-default answered %s", r.raw)
	}
	if g := botCall(t, s, http.MethodGet, def, tok, nil); string(g.raw) != want {
		t.Fatalf("default %s", g.raw)
	}
	if b, _ := s.Bots.Get(bot); b.DefaultRichmenuID != id {
		t.Fatalf("bot's defaultRichmenuId %q", b.DefaultRichmenuID)
	}

	user := botPath(bot, "richmenus", "users", "dev%40example.com")
	wantAPIError(t, botCall(t, s, http.MethodGet, user, tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", id, "users", "nobody@example.com"), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", "99999", "users", "dev@example.com"), tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "richmenus", id, "users", "dev%40example.com"), tok, nil), http.StatusNoContent)
	g := botCall(t, s, http.MethodGet, user, tok, nil)
	wantStatus(t, g, http.StatusOK)
	if g.body["richmenuId"] != id || g.body["richmenuName"] != "Main" {
		t.Fatalf("user's menu %s", g.raw)
	}

	// Deleting the menu takes the default and the users' menus with it (inferred).
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(bot, "richmenus", id), tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodGet, def, tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodGet, user, tok, nil), http.StatusNotFound, "NOT_FOUND")
	if b, _ := s.Bots.Get(bot); b.DefaultRichmenuID != "" {
		t.Fatalf("bot's defaultRichmenuId %q", b.DefaultRichmenuID)
	}
	if m := s.Menus.UserRichMenus(bot); len(m) != 0 {
		t.Fatalf("user menus %v", m)
	}

	// A default set through PATCH /bots to a menu that does not exist is none.
	s.Bots.Modify(bot, func(b *lineworkstest.Bot) { b.DefaultRichmenuID = "123" })
	wantAPIError(t, botCall(t, s, http.MethodGet, def, tok, nil), http.StatusNotFound, "NOT_FOUND")
}

func validPersistentMenu() map[string]any {
	return map[string]any{"content": map[string]any{"actions": []any{
		map[string]any{"type": "message", "label": "Help\nme", "text": "help", "postback": "p", "i18nTexts": []any{map[string]any{"language": "ja_JP", "text": "助けて\nください"}}},
		map[string]any{"type": "uri", "label": "Docs", "uri": "https://example.com"},
		map[string]any{"type": "copy", "label": "Code", "copyText": "ABC"},
		map[string]any{"type": "message", "label": strings.Repeat("x", 1000)},
	}}}
}

func TestPersistentMenu(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	path := botPath(bot, "persistentmenu")
	wantAPIError(t, botCall(t, s, http.MethodGet, path, tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodDelete, path, tok, nil), http.StatusNotFound, "NOT_FOUND")
	if err := s.Forms.Set(lineworkstest.AnswerForms{PersistentMenuNone: lineworkstest.PersistentMenuNoneEmpty}); err != nil {
		t.Fatal(err)
	}
	if r := botCall(t, s, http.MethodGet, path, tok, nil); r.status != 200 || string(r.raw) != `{"content":{"actions":[]}}` {
		t.Fatalf("none, as an empty menu: %d %s", r.status, r.raw)
	}
	if err := s.Forms.Set(lineworkstest.AnswerForms{}); err != nil {
		t.Fatal(err)
	}

	r := botCall(t, s, http.MethodPost, path, tok, validPersistentMenu())
	wantStatus(t, r, http.StatusCreated)
	g := botCall(t, s, http.MethodGet, path, tok, nil)
	wantStatus(t, g, http.StatusOK)
	// A newline in a label or text becomes a space (bot-persistentmenu-create).
	if !strings.Contains(string(g.raw), `"label":"Help me"`) || !strings.Contains(string(g.raw), `"text":"助けて ください"`) {
		t.Fatalf("menu %s", g.raw)
	}

	five := validPersistentMenu()
	actions := five["content"].(map[string]any)["actions"].([]any)
	five["content"].(map[string]any)["actions"] = append(actions, actions[1])
	for name, tc := range map[string]struct {
		body any
		want string
	}{
		"five":         {five, "content.actions must hold 1 to 4 actions, got 5"},
		"none":         {map[string]any{"content": map[string]any{"actions": []any{}}}, "got 0"},
		"no content":   {map[string]any{}, "content is required"},
		"postback":     {map[string]any{"content": map[string]any{"actions": []any{map[string]any{"type": "postback", "label": "x", "data": "d"}}}}, `"postback" is not an action this menu takes`},
		"no label":     {map[string]any{"content": map[string]any{"actions": []any{map[string]any{"type": "uri", "uri": "https://x.example"}}}}, "content.actions[0].label is required for a uri action"},
		"long label":   {map[string]any{"content": map[string]any{"actions": []any{map[string]any{"type": "message", "label": strings.Repeat("x", 1001)}}}}, "at most 1000 characters"},
		"extra field":  {map[string]any{"content": map[string]any{"actions": []any{map[string]any{"type": "copy", "label": "x", "copyText": "c", "uri": "https://x.example"}}}}, "uri is not a field of a copy action"},
		"content more": {map[string]any{"content": map[string]any{"actions": actions, "type": "x"}}, "content.type is not a field"},
	} {
		t.Run(name, func(t *testing.T) {
			r := botCall(t, s, http.MethodPost, path, tok, tc.body)
			wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
			if d := r.body["description"].(string); !strings.Contains(d, tc.want) {
				t.Fatalf("description %q, want %q", d, tc.want)
			}
		})
	}

	// A rich menu deletes the persistent menu, and while one exists no
	// persistent menu may be added.
	id := createMenu(t, s, tok, bot, validMenu())
	wantAPIError(t, botCall(t, s, http.MethodGet, path, tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodPost, path, tok, validPersistentMenu()), http.StatusBadRequest, "INVALID_PARAMETER")
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(bot, "richmenus", id), tok, nil), http.StatusNoContent)
	wantStatus(t, botCall(t, s, http.MethodPost, path, tok, validPersistentMenu()), http.StatusCreated)
	wantStatus(t, botCall(t, s, http.MethodDelete, path, tok, nil), http.StatusNoContent)
	if _, ok := s.Menus.PersistentMenu(bot); ok {
		t.Fatal("still there")
	}
}

func TestDomainMembers(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	s.Directory.AddUsers("a@example.com", "b@example.com", "c@example.com")
	members := botPath(bot, "domains", "10000001", "members")
	wantAPIError(t, botCall(t, s, http.MethodGet, members, tok, nil), http.StatusNotFound, "NOT_FOUND")
	wantAPIError(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "a@example.com"}), http.StatusNotFound, "NOT_FOUND")

	// Open to all users: no member list.
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "domains", "10000001"), tok, map[string]any{"allowToSelectedMember": false}), http.StatusCreated)
	for form, want := range map[lineworkstest.AllUsersAnswer]string{
		lineworkstest.AllUsersList:   `{"members":["All users"],"responseMetaData":{"nextCursor":null}}`,
		lineworkstest.AllUsersString: `{"members":"All users","responseMetaData":{"nextCursor":null}}`,
		lineworkstest.AllUsersBody:   `"All users"`,
	} {
		if err := s.Forms.Set(lineworkstest.AnswerForms{AllUsersMembers: form}); err != nil {
			t.Fatal(err)
		}
		if got := rawGet(t, s, members, tok); got != want {
			t.Errorf("form %s: %s, want %s", form, got, want)
		}
	}
	r := botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "a@example.com"})
	wantAPIError(t, r, http.StatusBadRequest, "INVALID_PARAMETER")
	if !strings.Contains(r.body["description"].(string), "allowToSelectedMember is false") {
		t.Errorf("description %s", r.raw)
	}
	wantAPIError(t, botCall(t, s, http.MethodDelete, members+"/a@example.com", tok, nil), http.StatusBadRequest, "INVALID_PARAMETER")

	// Limited: members come and go, in the order they came.
	wantStatus(t, botCall(t, s, http.MethodPut, botPath(bot, "domains", "10000001"), tok, map[string]any{"allowToSelectedMember": true}), http.StatusOK)
	for _, u := range []string{"c@example.com", "a@example.com", "b@example.com"} {
		r := botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": u})
		if r.status != http.StatusCreated || len(r.raw) != 0 {
			t.Fatalf("add %s: %d %s", u, r.status, r.raw)
		}
	}
	wantAPIError(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "a@example.com"}), http.StatusConflict, "ALREADY_EXIST")
	wantAPIError(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "nobody@example.com"}), http.StatusBadRequest, "INVALID_PARAMETER")
	wantAPIError(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER")
	wantAPIError(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "a@example.com", "role": "x"}), http.StatusBadRequest, "INVALID_PARAMETER")
	page := botCall(t, s, http.MethodGet, members+"?count=2", tok, nil)
	cursor, _ := page.body["responseMetaData"].(map[string]any)["nextCursor"].(string)
	if mustJSON(t, page.body["members"]) != `["c@example.com","a@example.com"]` || cursor == "" {
		t.Fatalf("first page %s", page.raw)
	}
	page = botCall(t, s, http.MethodGet, members+"?count=2&cursor="+url.QueryEscape(cursor), tok, nil)
	if mustJSON(t, page.body["members"]) != `["b@example.com"]` {
		t.Fatalf("second page %s", page.raw)
	}
	wantAPIError(t, botCall(t, s, http.MethodGet, members+"?count=101", tok, nil), http.StatusBadRequest, "INVALID_PARAMETER")
	wantStatus(t, botCall(t, s, http.MethodDelete, members+"/a%40example.com", tok, nil), http.StatusNoContent)
	wantAPIError(t, botCall(t, s, http.MethodDelete, members+"/a@example.com", tok, nil), http.StatusNotFound, "NOT_FOUND")
	if got := s.Menus.DomainMembers(bot, 10000001); strings.Join(got, ",") != "c@example.com,b@example.com" {
		t.Fatalf("members %v", got)
	}

	// A registration deleted takes its members with it.
	wantStatus(t, botCall(t, s, http.MethodDelete, botPath(bot, "domains", "10000001"), tok, nil), http.StatusNoContent)
	if got := s.Menus.DomainMembers(bot, 10000001); got != nil {
		t.Fatalf("members of a deleted registration %v", got)
	}
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "domains", "10000001"), tok, map[string]any{"allowToSelectedMember": true}), http.StatusCreated)
	if got := rawGet(t, s, members, tok); got != `{"members":[],"responseMetaData":{"nextCursor":null}}` {
		t.Fatalf("members after registering again %s", got)
	}
}

// A registration deleted and made again has no members, even when nothing
// read the members in between; so does one an administrator removed.
func TestDomainMembersGoWithTheirRegistration(t *testing.T) {
	s, tok := newAdminServer(t)
	bot := createBot(t, s, tok, validBot())
	s.Directory.AddUsers("a@example.com")
	registration := botPath(bot, "domains", "10000001")
	members := registration + "/members"
	register := func() {
		t.Helper()
		wantStatus(t, botCall(t, s, http.MethodPost, registration, tok, map[string]any{"allowToSelectedMember": true}), http.StatusCreated)
		wantStatus(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "a@example.com"}), http.StatusCreated)
	}
	register()
	wantStatus(t, botCall(t, s, http.MethodDelete, registration, tok, nil), http.StatusNoContent)
	wantStatus(t, botCall(t, s, http.MethodPost, registration, tok, map[string]any{"allowToSelectedMember": true}), http.StatusCreated)
	if got := rawGet(t, s, members, tok); got != `{"members":[],"responseMetaData":{"nextCursor":null}}` {
		t.Errorf("members after the API deleted the registration and it was made again: %s", got)
	}
	wantStatus(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "a@example.com"}), http.StatusCreated)
	if status := admin(t, s, http.MethodDelete, fmt.Sprintf("/_emulator/bots/%d/domains/10000001", bot), nil, nil); status != http.StatusNoContent {
		t.Fatalf("admin door: %d", status)
	}
	wantStatus(t, botCall(t, s, http.MethodPost, registration, tok, map[string]any{"allowToSelectedMember": true}), http.StatusCreated)
	if got := rawGet(t, s, members, tok); got != `{"members":[],"responseMetaData":{"nextCursor":null}}` {
		t.Errorf("members after an administrator removed the registration and it was made again: %s", got)
	}
}

// Where the answer forms give users back as IDs, a member added by login
// e-mail is listed by ID, and is the same member by either name.
func TestDomainMembersAsUserIDs(t *testing.T) {
	s, tok, bot := newMenuServer(t)
	if err := s.Forms.Set(lineworkstest.AnswerForms{Administrators: lineworkstest.UsersAsIDs}); err != nil {
		t.Fatal(err)
	}
	s.Directory.AddUsers("a@example.com")
	id := lineworkstest.UserIDFor("a@example.com")
	members := botPath(bot, "domains", "10000001", "members")
	wantStatus(t, botCall(t, s, http.MethodPost, botPath(bot, "domains", "10000001"), tok, map[string]any{"allowToSelectedMember": true}), http.StatusCreated)
	wantStatus(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": "a@example.com"}), http.StatusCreated)
	if got := rawGet(t, s, members, tok); got != `{"members":["`+id+`"],"responseMetaData":{"nextCursor":null}}` {
		t.Fatalf("members %s", got)
	}
	wantAPIError(t, botCall(t, s, http.MethodPost, members, tok, map[string]any{"userId": id}), http.StatusConflict, "ALREADY_EXIST")
	wantStatus(t, botCall(t, s, http.MethodDelete, members+"/a@example.com", tok, nil), http.StatusNoContent)
	if got := s.Menus.DomainMembers(bot, 10000001); len(got) != 0 {
		t.Fatalf("members %v", got)
	}
}

// rawGet returns the body of a GET that must answer 200.
func rawGet(t *testing.T, s *lineworkstest.Server, path, tok string) string {
	t.Helper()
	resp, err := noRedirect.Do(botRequest(s, http.MethodGet, path, tok, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}
