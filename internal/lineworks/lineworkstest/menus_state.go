package lineworkstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// MenusState is the menu component's part of State: each bot's rich menus
// with their images, per-user rich menus, persistent menu and the members
// of its registrations, and the next rich menu ID. The default rich menu is
// the bot's defaultRichmenuId, in BotState.
type MenusState struct {
	Bots           []BotMenusState `json:"bots"`
	NextRichMenuID int64           `json:"next_richmenu_id"`
}

// BotMenusState is one bot's menus. Users maps a user (as stored: as sent,
// or the user's ID, as the answer forms say) to a rich menu ID of the bot.
type BotMenusState struct {
	BotID          int64                `json:"bot_id"`
	RichMenus      []RichMenuState      `json:"richmenus"`
	Users          map[string]string    `json:"users,omitempty"`
	PersistentMenu *PersistentMenu      `json:"persistent_menu,omitempty"`
	Members        []DomainMembersState `json:"members,omitempty"`
}

// RichMenuState is a rich menu with the image set on it, if any.
type RichMenuState struct {
	RichMenu
	Image *RichMenuImage `json:"image,omitempty"`
}

// DomainMembersState is the members of one registration, in the order they
// were added.
type DomainMembersState struct {
	DomainID int64    `json:"domain_id"`
	Members  []string `json:"members"`
}

// snapshot reads the menus of bots, the bots of the same State: what a bot
// or a registration that is gone left behind is not part of it, so that
// the State restores.
func (m *Menus) snapshot(bots []BotState) MenusState {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := MenusState{Bots: []BotMenusState{}, NextRichMenuID: m.nextID}
	for _, bot := range bots {
		bm := m.bots[bot.BotID]
		if bm == nil {
			continue
		}
		out := BotMenusState{BotID: bot.BotID, RichMenus: []RichMenuState{}}
		for _, id := range slices.Sorted(maps.Keys(bm.richMenus)) {
			rs := RichMenuState{RichMenu: bm.richMenus[id].clone()}
			if img, ok := bm.images[id]; ok {
				img = img.clone()
				rs.Image = &img
			}
			out.RichMenus = append(out.RichMenus, rs)
		}
		if len(bm.users) > 0 {
			out.Users = make(map[string]string, len(bm.users))
			for u, id := range bm.users {
				out.Users[u] = strconv.FormatInt(id, 10)
			}
		}
		if bm.persistent != nil {
			p := bm.persistent.clone()
			out.PersistentMenu = &p
		}
		for _, domainID := range slices.Sorted(maps.Keys(bm.members)) {
			if l := bm.members[domainID]; len(l.seq) > 0 && slices.ContainsFunc(bot.Domains, func(d BotDomain) bool { return d.DomainID == domainID }) {
				out.Members = append(out.Members, DomainMembersState{DomainID: domainID, Members: l.sorted()})
			}
		}
		if len(out.RichMenus) > 0 || out.Users != nil || out.PersistentMenu != nil || out.Members != nil {
			st.Bots = append(st.Bots, out)
		}
	}
	return st
}

// prepareRestore checks each menu as the API's create would, against the
// bots and the directory being restored with it.
func (m *Menus) prepareRestore(st MenusState, bots []BotState, dir DirectoryState) (func(), error) {
	users, err := directoryFrom(dir)
	if err != nil {
		return nil, err
	}
	known := make(map[int64]BotState, len(bots))
	for _, b := range bots {
		known[b.BotID] = b
	}
	next := max(st.NextRichMenuID, firstRichMenuID)
	seen := map[int64]bool{}
	restored := make(map[int64]*botMenus, len(st.Bots))
	for _, bs := range st.Bots {
		bot, ok := known[bs.BotID]
		if !ok || restored[bs.BotID] != nil {
			return nil, fmt.Errorf("menus of bot %d: no such bot in the state, or its menus listed twice", bs.BotID)
		}
		bm := &botMenus{richMenus: map[int64]*RichMenu{}, images: map[int64]RichMenuImage{}, users: map[string]int64{}, members: map[int64]*memberList{}}
		for _, rs := range bs.RichMenus {
			id, err := strconv.ParseInt(rs.RichMenuID, 10, 64)
			if err != nil || id <= 0 || seen[id] {
				return nil, fmt.Errorf("rich menu %q of bot %d: richmenuId must be a positive number, unique in the tenant", rs.RichMenuID, bs.BotID)
			}
			seen[id] = true
			next = max(next, id+1)
			body := rs.clone()
			body.RichMenuID = ""
			menu, err := redecode(body, decodeRichMenu, "richmenuId")
			if err != nil {
				return nil, fmt.Errorf("rich menu %d of bot %d: %w", id, bs.BotID, err)
			}
			menu.RichMenuID = rs.RichMenuID
			bm.richMenus[id] = &menu
			if rs.Image != nil {
				img, err := redecode(rs.Image.clone(), decodeRichMenuImage)
				if err != nil {
					return nil, fmt.Errorf("image of rich menu %d of bot %d: %w", id, bs.BotID, err)
				}
				bm.images[id] = img.clone()
			}
		}
		for _, u := range slices.Sorted(maps.Keys(bs.Users)) {
			id, err := strconv.ParseInt(bs.Users[u], 10, 64)
			if err != nil || bm.richMenus[id] == nil {
				return nil, fmt.Errorf("rich menu of user %q on bot %d: %q is not a rich menu of the bot", u, bs.BotID, bs.Users[u])
			}
			if _, ok := users.User(u); !ok {
				return nil, fmt.Errorf("rich menu of user %q on bot %d: not a user of the directory", u, bs.BotID)
			}
			bm.users[u] = id
		}
		if bs.PersistentMenu != nil {
			if len(bm.richMenus) > 0 {
				return nil, fmt.Errorf("bot %d: a persistent menu beside rich menus, which the service does not allow", bs.BotID)
			}
			p, err := redecode(map[string]any{"content": bs.PersistentMenu.clone()}, decodePersistentMenu)
			if err != nil {
				return nil, fmt.Errorf("persistent menu of bot %d: %w", bs.BotID, err)
			}
			bm.persistent = &p
		}
		for _, ds := range bs.Members {
			if !slices.ContainsFunc(bot.Domains, func(d BotDomain) bool { return d.DomainID == ds.DomainID }) || bm.members[ds.DomainID] != nil {
				return nil, fmt.Errorf("members of bot %d in domain %d: the bot is not registered there, or its members are listed twice", bs.BotID, ds.DomainID)
			}
			l := &memberList{seq: map[string]int64{}}
			for _, u := range ds.Members {
				if _, ok := users.User(u); !ok || l.seq[u] != 0 {
					return nil, fmt.Errorf("members of bot %d in domain %d: %q is not a user of the directory, or listed twice", bs.BotID, ds.DomainID, u)
				}
				l.next++
				l.seq[u] = l.next
			}
			bm.members[ds.DomainID] = l
		}
		restored[bs.BotID] = bm
	}
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.bots, m.nextID = restored, next
	}, nil
}

// redecode checks v as the API would take it in a request: v as JSON, read
// by decode, without the read-only fields drop.
func redecode[T any](v any, decode func(map[string]json.RawMessage) (T, *invalid), drop ...string) (T, error) {
	var zero T
	raw, err := json.Marshal(v)
	if err != nil {
		return zero, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return zero, err
	}
	for _, k := range drop {
		delete(obj, k)
	}
	out, bad := decode(obj)
	if bad != nil {
		return zero, fmt.Errorf("%s", bad.description)
	}
	return out, nil
}
