package lineworkstest

import "net/http"

// The seam between the components of the API host. A component that serves
// more of the bot API (rich menus, the persistent menu, bot members) owns
// its state and its lock, mounts its routes on apiRoutes, and asks the rest
// of the emulator only what these interfaces offer; the package doc says how
// to plug one in.

// botRegistry is what a component may ask of the bots (Bots implements it).
type botRegistry interface {
	// botExists reports whether the bot exists now.
	botExists(botID int64) bool
	// registration returns the bot's registration in a domain, which tells
	// whether it is registered there and with allowToSelectedMember.
	registration(botID, domainID int64) (BotDomain, bool)
	// wasDeleted reports whether the bot existed and was deleted.
	wasDeleted(botID int64) bool
	// missing answers for a bot that does not exist, as the bot calls do:
	// 404, or 410 DELETED under that answer form.
	missing(w http.ResponseWriter, botID int64)
	// mutate runs f as a mutating call on the bot, refusing it with 409
	// CONFLICT while another mutating call on the same bot (of any
	// component) is in progress: the docs forbid them in parallel.
	mutate(w http.ResponseWriter, r *http.Request, botID int64, f func())
	// onRemoval registers f to run when a bot is deleted (domainID 0) or
	// one of its registrations goes (deleted, or cut by a narrowed
	// allowDomains), after the change and outside every lock, so that a
	// component can drop what it holds for them.
	onRemoval(f func(botID, domainID int64))
}

// fileStore is what a component may ask of the storage (Storage implements
// it): a file uploaded for a bot (POST /bots/{botId}/attachments, then the
// upload URL), by file ID, while its 24 hours last. Read its bytes with
// AttachmentContent.
type fileStore interface {
	Upload(botID, fileID string) (Attachment, bool)
}

var (
	_ botRegistry = (*Bots)(nil)
	_ fileStore   = (*Storage)(nil)
)

func (b *Bots) botExists(botID int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.bots[botID] != nil
}

func (b *Bots) wasDeleted(botID int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.deleted[botID]
}

func (b *Bots) registration(botID, domainID int64) (BotDomain, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.bots[botID].registration(domainID)
}

func (b *Bots) mutate(w http.ResponseWriter, r *http.Request, botID int64, f func()) {
	b.guard.mutate(w, r, botID, f)
}

func (b *Bots) onRemoval(f func(botID, domainID int64)) {
	b.mu.Lock()
	b.removalHooks = append(b.removalHooks, f)
	b.mu.Unlock()
}
