// Package lineworkstest provides a LINE WORKS emulator for tests, in the
// spirit of net/http/httptest, and for the lineworks-emulator command that
// users run to test their own configurations offline.
//
// The emulator is deliberately as strict as the real service: a request LINE
// WORKS would reject is rejected here too, with the real error shapes and
// status codes, so that code which passes against the emulator has a fair
// chance of working against production. Where the real behaviour is not
// documented, the choice made is marked "inferred", and where the service
// might answer in more than one form, each form can be turned on (Forms).
//
// # Components
//
// A Server listens as three hosts on loopback (auth, API, storage) and only
// composes components, each owning its state and its lock and reached as a
// field of the Server:
//
//   - Auth: apps registered in the Developer Console, and every token issued
//     (token and revoke endpoints on the auth host).
//   - Legacy: API 1.0 servers and consumer keys (auth host).
//   - Directory: the tenant's domains and users (login e-mail and user ID).
//   - Bots: bots, domain registrations, Bot Secrets, paging, and the per-bot
//     check that refuses overlapping mutations (API host).
//   - Storage: attachments, the signed URLs the attachment API redirects to,
//     and uploads (API and storage hosts).
//   - Menus: rich menus and their images, default and per-user rich menus,
//     the persistent menu, and bot domain members (API host; menus_plug.go
//     plugs it in).
//   - Faults: the per-minute rate limit, forced 429s and injected faults.
//   - Forms: the answer forms in effect, for answers the docs leave open.
//   - Requests: every request received, for tests to count and search.
//
// Each host routes with an http.ServeMux of method-and-path patterns. The
// API host's preamble (faults, rate limit, bearer token) runs before every
// route; a path no route serves gets the same 404 NOT_FOUND body a missing
// bot gets, so a client cannot tell a wrong api_endpoint from a deleted bot
// by the body. The admin door (AdminHandler) serves the whole state as JSON
// and changes it, for the emulator command; state.go saves and loads it.
//
// # Adding a component to the API host
//
// A component that serves more of the bot API, such as rich menus, the
// persistent menu or bot members, lives in files of its own: its own struct
// and mutex, a constructor that takes what it needs from the rest, and a
// mount method that registers its routes:
//
//	type Notices struct {
//		mu      sync.Mutex
//		bots    botRegistry
//		files   fileStore
//		notices map[int64][]notice // by bot ID
//	}
//
//	func (n *Notices) mount(api *apiRoutes) {
//		api.handle("POST /v1.0/bots/{botId}/notices", n.create)
//	}
//
//	func (n *Notices) create(w http.ResponseWriter, r *http.Request, t *token) {
//		if !requireScope(w, t, "bot", "bot.message") {
//			return
//		}
//		id, ok := pathID(w, r, "botId")
//		...
//		n.bots.mutate(w, r, id, func() { ... })
//	}
//
// Plugging it in takes two lines in Start: construct it (with s.Bots as its
// botRegistry and s.Storage as its fileStore) and call its mount beside the
// others, and one exported field on Server to reach it. The handlers receive
// the request's access token, already checked by the API host's preamble;
// they check its scopes with requireScope, parse IDs with pathID, read
// bodies with readJSONObject, answer errors with apiError and lists'
// responseMetaData with AnswerForms.pageMeta (so the cursor answer form
// applies). Through botRegistry (seam.go) a component asks whether a bot
// exists (or was deleted), answers for a missing bot as the bot calls do (404, or 410 under
// that answer form), reads the bot's registration in a domain (registered?
// allowToSelectedMember?), runs its mutations under the same per-bot
// conflict check as the bot calls, and hears when a bot or a registration
// goes. Through fileStore it reads the bytes and name of a file uploaded for
// a bot, by file ID. A component whose handlers are plain http.HandlerFuncs
// mounts them on apiRoutes.mux() and reads the token's scopes with
// requestScopes. New answer forms go into AnswerForms, so that
// AllAnswerForms and the admin door cover them. A component never holds its
// lock while it calls another.
package lineworkstest
