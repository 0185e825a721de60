package lineworkstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// AdminPrefix starts every path of the admin door.
const AdminPrefix = "/_emulator/"

// AdminHandler serves the admin door: JSON over HTTP, for what a test does
// behind Terraform's back. The lineworks-emulator command serves it on its
// own loopback listener (Options.AdminAddr); nothing checks who calls, so
// it must never listen where others can reach it. Its answers hold secrets
// (client secrets, tokens, Bot Secrets): the emulator is a test tool.
//
//	GET    /_emulator/state                            the whole State
//	PUT    /_emulator/state                            replace it (a State, such as a saved one)
//	GET    /_emulator/bots                             every bot, with its secret and registrations
//	POST   /_emulator/bots                             seed a bot (a BotState; botId optional) → 201
//	GET    /_emulator/bots/{botId}                     one bot
//	PATCH  /_emulator/bots/{botId}                     change bot fields (API names), as in the console
//	DELETE /_emulator/bots/{botId}                     delete it, as in the console → 204
//	POST   /_emulator/bots/{botId}/secret              issue a new Bot Secret (or {"secret": …} to set one)
//	PUT    /_emulator/bots/{botId}/domains/{domainId}  register it ({"visible", "allowToSelectedMember"})
//	DELETE /_emulator/bots/{botId}/domains/{domainId}  remove the registration → 204
//	POST   /_emulator/directory                        add {"domains": [id…], "users": [{"userId"?, "email"?}…]}
//	POST   /_emulator/attachments                      add a file a user sent (an AttachmentState)
//	GET    /_emulator/settings                         answer forms, rate limit and its window, faults, bot limit, latencies, create hold
//	PUT    /_emulator/settings                         change the settings sent (Settings; "answer_forms": "all" works;
//	                                                   "faults": {"stall_after_headers": ["api"]} stalls a host's answers)
//	POST   /_emulator/faults/too-many-requests         the next {"count"} API requests answer 429 (rateLimit-reset {"reset"})
//	POST   /_emulator/tokens/expire                    every access token issued so far answers 403 UNAUTHORIZED
//	GET    /_emulator/requests                         the requests received: host, method, path, status
//	DELETE /_emulator/requests                         forget them
//
// Errors are {"error": "…"} with 400, 404 or 405.
func (s *Server) AdminHandler() http.Handler {
	rt := newRouter(func(w http.ResponseWriter, r *http.Request, status int, allow string) {
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", allow)
			adminError(w, status, "%s %s: the admin door allows %s", r.Method, r.URL.Path, allow)
			return
		}
		adminError(w, http.StatusNotFound, "%s is not a path of the admin door; see the lineworks-emulator documentation", r.URL.Path)
	})
	p := "/_emulator/"
	rt.handle("GET "+p+"state", func(w http.ResponseWriter, _ *http.Request) { adminJSON(w, http.StatusOK, s.State()) })
	rt.handle("PUT "+p+"state", s.adminRestore)
	rt.handle("GET "+p+"bots", func(w http.ResponseWriter, _ *http.Request) {
		bots, _, _ := s.Bots.snapshot()
		adminJSON(w, http.StatusOK, bots)
	})
	rt.handle("POST "+p+"bots", s.adminSeedBot)
	rt.handle("GET "+p+"bots/{botId}", s.adminBot(func(w http.ResponseWriter, _ *http.Request, id int64) { s.adminShowBot(w, http.StatusOK, id) }))
	rt.handle("PATCH "+p+"bots/{botId}", s.adminBot(s.adminChangeBot))
	rt.handle("DELETE "+p+"bots/{botId}", s.adminBot(func(w http.ResponseWriter, _ *http.Request, id int64) {
		s.Bots.Remove(id)
		w.WriteHeader(http.StatusNoContent)
	}))
	rt.handle("POST "+p+"bots/{botId}/secret", s.adminBot(s.adminSecret))
	rt.handle("PUT "+p+"bots/{botId}/domains/{domainId}", s.adminBot(s.adminRegister))
	rt.handle("DELETE "+p+"bots/{botId}/domains/{domainId}", s.adminBot(func(w http.ResponseWriter, r *http.Request, id int64) {
		domainID, err := strconv.ParseInt(r.PathValue("domainId"), 10, 64)
		if err != nil || !s.Bots.RemoveDomain(id, domainID) {
			adminError(w, http.StatusNotFound, "bot %d is not registered in domain %q", id, r.PathValue("domainId"))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	rt.handle("POST "+p+"directory", s.adminDirectory)
	rt.handle("POST "+p+"attachments", s.adminAttachment)
	rt.handle("GET "+p+"settings", func(w http.ResponseWriter, _ *http.Request) { adminJSON(w, http.StatusOK, s.settings()) })
	rt.handle("PUT "+p+"settings", func(w http.ResponseWriter, r *http.Request) {
		var st Settings
		if !adminRead(w, r, &st) {
			return
		}
		if err := s.ChangeSettings(st); err != nil {
			adminError(w, http.StatusBadRequest, "%v", err)
			return
		}
		adminJSON(w, http.StatusOK, s.settings())
	})
	rt.handle("POST "+p+"faults/too-many-requests", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Count int `json:"count"`
			Reset int `json:"reset"`
		}
		if !adminRead(w, r, &body) {
			return
		}
		if body.Count < 0 || body.Reset < 0 {
			adminError(w, http.StatusBadRequest, "count and reset must not be negative")
			return
		}
		s.Faults.RateLimitNext(body.Count, body.Reset)
		w.WriteHeader(http.StatusNoContent)
	})
	rt.handle("POST "+p+"tokens/expire", func(w http.ResponseWriter, _ *http.Request) {
		s.Auth.ExpireAccessTokens()
		w.WriteHeader(http.StatusNoContent)
	})
	rt.handle("GET "+p+"requests", func(w http.ResponseWriter, _ *http.Request) {
		type seen struct {
			Host   string `json:"host"`
			Method string `json:"method"`
			Path   string `json:"path"`
			Status int    `json:"status"`
		}
		out := []seen{}
		for _, r := range s.Requests.All() {
			out = append(out, seen{r.Host, r.Method, r.Path, r.Status})
		}
		adminJSON(w, http.StatusOK, out)
	})
	rt.handle("DELETE "+p+"requests", func(w http.ResponseWriter, _ *http.Request) {
		s.Requests.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	return rt
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

func adminError(w http.ResponseWriter, status int, format string, args ...any) {
	adminJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// adminRead decodes the request's JSON body into v, strictly, or answers 400.
func adminRead(w http.ResponseWriter, r *http.Request, v any) bool {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 256<<20))
	if err == nil {
		err = decodeStrict(raw, v)
	}
	if err != nil {
		adminError(w, http.StatusBadRequest, "the body is not the JSON this call takes: %v", err)
		return false
	}
	return true
}

// adminBot wraps a handler of /_emulator/bots/{botId}: the bot must exist.
func (s *Server) adminBot(h func(w http.ResponseWriter, r *http.Request, id int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("botId"), 10, 64)
		if err != nil || !s.Bots.botExists(id) {
			adminError(w, http.StatusNotFound, "bot %q does not exist", r.PathValue("botId"))
			return
		}
		h(w, r, id)
	}
}

func (s *Server) adminShowBot(w http.ResponseWriter, status int, id int64) {
	bot, ok := s.Bots.Get(id)
	if !ok {
		adminError(w, http.StatusNotFound, "bot %d does not exist", id)
		return
	}
	adminJSON(w, status, BotState{Bot: bot, Secret: s.Bots.Secret(id), Domains: s.Bots.Domains(id)})
}

func (s *Server) adminRestore(w http.ResponseWriter, r *http.Request) {
	var st State
	if !adminRead(w, r, &st) {
		return
	}
	if err := s.Restore(st); err != nil {
		adminError(w, http.StatusBadRequest, "%v", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminSeedBot(w http.ResponseWriter, r *http.Request) {
	var bs BotState
	if !adminRead(w, r, &bs) {
		return
	}
	bot, err := s.Bots.Add(bs.Bot)
	if err != nil {
		adminError(w, http.StatusBadRequest, "%v", err)
		return
	}
	for _, d := range bs.Domains {
		if !s.Bots.SetDomain(bot.BotID, d) {
			s.Bots.Remove(bot.BotID)
			adminError(w, http.StatusBadRequest, "bot %d cannot be registered in domain %d: not a domain of the tenant, or not in its allowDomains", bot.BotID, d.DomainID)
			return
		}
	}
	if bs.Secret != "" {
		s.Bots.SetSecret(bot.BotID, bs.Secret)
	}
	s.adminShowBot(w, http.StatusCreated, bot.BotID)
}

func (s *Server) adminChangeBot(w http.ResponseWriter, r *http.Request, id int64) {
	var fields map[string]json.RawMessage
	if !adminRead(w, r, &fields) {
		return
	}
	if err := s.Bots.change(id, fields); err != nil {
		adminError(w, http.StatusBadRequest, "%v", err)
		return
	}
	s.adminShowBot(w, http.StatusOK, id)
}

func (s *Server) adminSecret(w http.ResponseWriter, r *http.Request, id int64) {
	var body struct {
		Secret string `json:"secret"`
	}
	if r.ContentLength != 0 && !adminRead(w, r, &body) {
		return
	}
	if body.Secret == "" {
		body.Secret = newBotSecret()
	}
	s.Bots.SetSecret(id, body.Secret)
	s.adminShowBot(w, http.StatusOK, id)
}

func (s *Server) adminRegister(w http.ResponseWriter, r *http.Request, id int64) {
	domainID, err := strconv.ParseInt(r.PathValue("domainId"), 10, 64)
	if err != nil {
		adminError(w, http.StatusBadRequest, "domainId %q is not a number", r.PathValue("domainId"))
		return
	}
	var d BotDomain
	if r.ContentLength != 0 && !adminRead(w, r, &d) {
		return
	}
	d.DomainID = domainID
	if !s.Bots.SetDomain(id, d) {
		adminError(w, http.StatusBadRequest, "bot %d cannot be registered in domain %d: not a domain of the tenant, or not in its allowDomains", id, domainID)
		return
	}
	s.adminShowBot(w, http.StatusOK, id)
}

func (s *Server) adminDirectory(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Domains []int64 `json:"domains"`
		Users   []User  `json:"users"`
	}
	if !adminRead(w, r, &body) {
		return
	}
	for _, u := range body.Users {
		if u.UserID == "" && u.Email == "" {
			adminError(w, http.StatusBadRequest, "a user needs a userId, an email, or both")
			return
		}
	}
	for _, d := range body.Domains {
		if d <= 0 {
			adminError(w, http.StatusBadRequest, "domain ID %d is not positive", d)
			return
		}
	}
	s.Directory.AddDomains(body.Domains...)
	for _, u := range body.Users {
		if u.UserID == "" {
			u.UserID = UserIDFor(u.Email)
		}
		s.Directory.AddUser(u)
	}
	adminJSON(w, http.StatusOK, s.Directory.snapshot())
}

func (s *Server) adminAttachment(w http.ResponseWriter, r *http.Request) {
	var a AttachmentState
	if !adminRead(w, r, &a) {
		return
	}
	if a.BotID == "" || a.FileID == "" || a.Size < 0 || (a.Content != nil && a.Size != 0) {
		adminError(w, http.StatusBadRequest, "an attachment needs bot_id, file_id, and content (base64) or a size")
		return
	}
	s.Storage.mu.Lock()
	s.Storage.addLocked(a.BotID, a.FileID, &attachment{Attachment: Attachment{FileName: a.FileName, ContentType: a.ContentType, Content: a.Content, Size: a.Size}}, a.Expires)
	s.Storage.mu.Unlock()
	adminJSON(w, http.StatusCreated, map[string]string{"derived_url": s.Storage.DerivedURL(a.FileID)})
}
