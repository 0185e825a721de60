package lineworkstest

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Each component's part of State: snapshot reads it under the component's
// lock; prepareRestore checks a State's part and returns what puts it in
// place, so that Server.Restore changes nothing unless every part is good.

var tokenKinds = map[tokenKind]string{
	kindAccess: "access", kindRefresh: "refresh", kindLegacyServer: "legacy_server",
	kindLegacyService: "legacy_service", kindLegacyRefresh: "legacy_refresh",
}

func (a *Auth) snapshot() ([]AppState, []TokenState) {
	a.mu.Lock()
	defer a.mu.Unlock()
	apps := make([]AppState, 0, len(a.apps))
	for _, id := range slices.Sorted(maps.Keys(a.apps)) {
		app := a.apps[id]
		apps = append(apps, AppState{
			ClientID: app.ClientID, ClientSecret: app.ClientSecret, ServiceAccountID: app.ServiceAccountID,
			PublicKeyPEM: publicKeyPEM(app.PublicKey), Scopes: slices.Clone(app.Scopes),
			AccessTokenTTL: int64(app.AccessTokenTTL / time.Second), RotateRefreshTokens: app.RotateRefreshTokens, ExpiresInAsNumber: app.ExpiresInAsNumber,
		})
	}
	tokens := make([]TokenState, 0, len(a.tokens))
	for _, v := range a.issued { // in issue order
		t := a.tokens[v]
		if t == nil {
			continue // revoked or replaced
		}
		tokens = append(tokens, TokenState{Value: v, Kind: tokenKinds[t.kind], Client: t.client, APIID: t.apiID, Scopes: slices.Clone(t.scopes), Grant: t.grant, Expires: t.expires})
	}
	return apps, tokens
}

func (a *Auth) prepareRestore(apps []AppState, tokens []TokenState) (func(), error) {
	newApps := make(map[string]App, len(apps))
	for _, as := range apps {
		key, err := parsePublicKey(as.PublicKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("app %q: %w", as.ClientID, err)
		}
		if as.ClientID == "" || as.ClientSecret == "" {
			return nil, fmt.Errorf("an app needs client_id and client_secret")
		}
		ttl := time.Duration(as.AccessTokenTTL) * time.Second
		if ttl <= 0 {
			ttl = 24 * time.Hour
		}
		newApps[as.ClientID] = App{
			ClientID: as.ClientID, ClientSecret: as.ClientSecret, ServiceAccountID: as.ServiceAccountID, PublicKey: key,
			Scopes: slices.Clone(as.Scopes), AccessTokenTTL: ttl, RotateRefreshTokens: as.RotateRefreshTokens, ExpiresInAsNumber: as.ExpiresInAsNumber,
		}
	}
	kinds := map[string]tokenKind{}
	for k, v := range tokenKinds {
		kinds[v] = k
	}
	newTokens := make(map[string]*token, len(tokens))
	var issued []string
	var grants int64
	for i, ts := range tokens {
		kind, ok := kinds[ts.Kind]
		if !ok || ts.Value == "" {
			return nil, fmt.Errorf("token %d: kind %q is not one of access, refresh, legacy_server, legacy_service, legacy_refresh, or its value is empty", i, ts.Kind)
		}
		newTokens[ts.Value] = &token{kind: kind, client: ts.Client, apiID: ts.APIID, scopes: slices.Clone(ts.Scopes), grant: ts.Grant, seq: int64(i + 1), expires: ts.Expires}
		issued = append(issued, ts.Value)
		grants = max(grants, ts.Grant)
	}
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.apps, a.tokens, a.issued = newApps, newTokens, issued
		a.seq, a.grants, a.staleSeq = int64(len(tokens)), grants, 0
	}, nil
}

func (d *Directory) snapshot() DirectoryState {
	return DirectoryState{Domains: d.Domains(), Users: d.Users()}
}

// directoryFrom builds the directory st describes.
func directoryFrom(st DirectoryState) (*Directory, error) {
	d := &Directory{domains: map[int64]bool{}, users: map[string]User{}, emails: map[string]string{}}
	for _, id := range st.Domains {
		if id <= 0 {
			return nil, fmt.Errorf("directory: domain ID %d is not positive", id)
		}
		d.domains[id] = true
	}
	for _, u := range st.Users {
		if u.UserID == "" {
			return nil, fmt.Errorf("directory: a user needs a userId (e-mail %q)", u.Email)
		}
		d.AddUser(u)
	}
	return d, nil
}

func (d *Directory) prepareRestore(st DirectoryState) (func(), error) {
	next, err := directoryFrom(st)
	if err != nil {
		return nil, err
	}
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.domains, d.users, d.emails = next.domains, next.users, next.emails
	}, nil
}

func (b *Bots) snapshot() (bots []BotState, deleted []int64, nextID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	bots = make([]BotState, 0, len(b.bots))
	for _, id := range slices.Sorted(maps.Keys(b.bots)) {
		st := b.bots[id]
		bots = append(bots, BotState{Bot: st.bot.clone(), Secret: st.secret, Domains: st.sortedDomains()})
	}
	return bots, slices.Sorted(maps.Keys(b.deleted)), b.nextID
}

// prepareRestore checks each bot as a create would, against the directory
// being restored with it.
func (b *Bots) prepareRestore(bots []BotState, deleted []int64, nextID int64, dir DirectoryState) (func(), error) {
	check, err := directoryFrom(dir)
	if err != nil {
		return nil, err
	}
	newBots := make(map[int64]*botState, len(bots))
	for _, bs := range bots {
		bot := bs.clone()
		if bot.BotID <= 0 || newBots[bot.BotID] != nil {
			return nil, fmt.Errorf("bot %d: botId must be positive and unique", bot.BotID)
		}
		if bad := checkBot(&bot, check, AnswerForms{}); bad != nil {
			return nil, fmt.Errorf("bot %d: %s", bot.BotID, bad.description)
		}
		st := &botState{bot: bot, secret: bs.Secret, domains: map[int64]BotDomain{}}
		for _, d := range bs.Domains {
			if !check.HasDomain(d.DomainID) || (bot.AllowDomains != nil && !slices.Contains(bot.AllowDomains, d.DomainID)) {
				return nil, fmt.Errorf("bot %d: registered in domain %d, which is not a domain of the tenant in its allowDomains", bot.BotID, d.DomainID)
			}
			st.domains[d.DomainID] = d
		}
		newBots[bot.BotID] = st
		nextID = max(nextID, bot.BotID+1)
	}
	newDeleted := map[int64]bool{}
	for _, id := range deleted {
		if newBots[id] == nil {
			newDeleted[id] = true
		}
		nextID = max(nextID, id+1)
	}
	nextID = max(nextID, firstBotID)
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.bots, b.deleted, b.nextID = newBots, newDeleted, nextID
	}, nil
}

func (s *Storage) snapshot() []AttachmentState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []AttachmentState
	for _, botID := range slices.Sorted(maps.Keys(s.attachments)) {
		files := s.attachments[botID]
		for _, fileID := range slices.Sorted(maps.Keys(files)) {
			a := files[fileID]
			out = append(out, AttachmentState{
				BotID: botID, FileID: fileID, FileName: a.FileName, ContentType: a.ContentType,
				Content: bytes.Clone(a.Content), Size: a.Size, Expires: a.expires,
			})
		}
	}
	return out
}

func (s *Storage) prepareRestore(files []AttachmentState) (func(), error) {
	for _, f := range files {
		if f.BotID == "" || f.FileID == "" || f.Size < 0 {
			return nil, fmt.Errorf("attachment %q of bot %q: bot_id and file_id are required, size is not negative", f.FileID, f.BotID)
		}
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.attachments = make(map[string]map[string]*attachment)
		s.byPath = make(map[string]*attachment)
		s.redirects = make(map[string]*attachment)
		s.uploads = make(map[string]*pendingUpload)
		for _, f := range files {
			a := Attachment{FileName: f.FileName, ContentType: f.ContentType, Content: bytes.Clone(f.Content), Size: f.Size}
			s.addLocked(f.BotID, f.FileID, &attachment{Attachment: a}, f.Expires)
		}
	}, nil
}

func (l *Legacy) snapshot() LegacyState {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := LegacyState{Servers: []LegacyServerState{}, Consumers: []LegacyConsumerState{}}
	for _, k := range slices.Sorted(maps.Keys(l.servers)) {
		srv := l.servers[k]
		st.Servers = append(st.Servers, LegacyServerState{APIID: srv.APIID, ServerID: srv.ServerID, PublicKeyPEM: publicKeyPEM(srv.PublicKey), TokenTTL: int64(srv.TokenTTL / time.Second)})
	}
	for _, k := range slices.Sorted(maps.Keys(l.consumers)) {
		c := l.consumers[k]
		st.Consumers = append(st.Consumers, LegacyConsumerState{APIID: c.APIID, ConsumerKey: c.ConsumerKey, TokenTTL: int64(c.TokenTTL / time.Second)})
	}
	return st
}

func (l *Legacy) prepareRestore(st LegacyState) (func(), error) {
	servers := map[string]LegacyServer{}
	for _, ss := range st.Servers {
		key, err := parsePublicKey(ss.PublicKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("API 1.0 server %q: %w", ss.ServerID, err)
		}
		srv := LegacyServer{APIID: ss.APIID, ServerID: ss.ServerID, PublicKey: key, TokenTTL: time.Duration(ss.TokenTTL) * time.Second}
		if srv.TokenTTL <= 0 {
			srv.TokenTTL = 24 * time.Hour
		}
		servers[srv.APIID+"/"+srv.ServerID] = srv
	}
	consumers := map[string]LegacyConsumer{}
	for _, cs := range st.Consumers {
		c := LegacyConsumer{APIID: cs.APIID, ConsumerKey: cs.ConsumerKey, TokenTTL: time.Duration(cs.TokenTTL) * time.Second}
		if c.TokenTTL <= 0 {
			c.TokenTTL = 7 * 24 * time.Hour
		}
		consumers[c.APIID+"/"+c.ConsumerKey] = c
	}
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.servers, l.consumers, l.serverTokens = servers, consumers, map[string]string{}
	}, nil
}

// publicKeyPEM encodes k as PKIX "PUBLIC KEY"; "" for none.
func publicKeyPEM(k *rsa.PublicKey) string {
	if k == nil {
		return ""
	}
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// parsePublicKey reads an RSA public key in PEM ("PUBLIC KEY" or "RSA PUBLIC
// KEY"); "" is none.
func parsePublicKey(s string) (*rsa.PublicKey, error) {
	if s == "" {
		return nil, nil
	}
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, fmt.Errorf("public_key_pem is not PEM")
	}
	if block.Type == "RSA PUBLIC KEY" {
		return x509.ParsePKCS1PublicKey(block.Bytes)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public_key_pem: %w", err)
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public_key_pem holds a %T, not an RSA key", k)
	}
	return rk, nil
}
