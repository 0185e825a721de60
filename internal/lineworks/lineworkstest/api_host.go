package lineworkstest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// apiHost serves the API host (www.worksapis.com). Every path goes through
// the same preamble, as on the service: injected faults and the rate limit,
// the read latency, then the bearer token. Beyond it, the routes the components mounted; any
// other path is the same 404 a missing bot gets.
type apiHost struct {
	faults *FaultInjector
	auth   *Auth
	routes *apiRoutes
}

func (h *apiHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.faults.inject(w, r, HostAPI) || h.faults.limitRate(w, r) {
		return
	}
	h.faults.delayRead(r)
	h.auth.expireIfScheduled()
	t, st := h.auth.authenticate(r)
	switch st {
	case tokenInvalid:
		_, hadToken := bearerToken(r)
		unauthorized(w, hadToken, "The access token is invalid or has expired.")
		return
	case tokenStale:
		// The official samples take 403 UNAUTHORIZED as "token expired".
		apiError(w, http.StatusForbidden, "UNAUTHORIZED", "The access token has expired.")
		return
	}
	h.routes.rt.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, t)))
}

// apiHandler serves one API route. t is the request's access token, which
// the host's preamble has checked: valid, not stale, an API 2.0 access token.
// The handler checks its scopes (requireScope).
type apiHandler func(w http.ResponseWriter, r *http.Request, t *token)

// apiRoutes is where components mount their API host routes.
type apiRoutes struct{ rt *router }

// mux is the API host's ServeMux itself, for a component whose routes are
// plain http.HandlerFuncs; they read the token's scopes with requestScopes.
func (a *apiRoutes) mux() *http.ServeMux { return a.rt.mux }

func newAPIRoutes() *apiRoutes {
	return &apiRoutes{rt: newRouter(func(w http.ResponseWriter, _ *http.Request, status int, allow string) {
		if status == http.StatusMethodNotAllowed {
			methodNotAllowed(w, allow)
		} else {
			notFound(w)
		}
	})}
}

// handle registers h for pattern, a method and a path under /v1.0 such as
// "GET /v1.0/bots/{botId}". A path served for some methods answers 405
// METHOD_NOT_ALLOWED with Allow for the others.
func (a *apiRoutes) handle(pattern string, h apiHandler) {
	a.rt.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		t, _ := r.Context().Value(tokenKey{}).(*token)
		h(w, r, t)
	})
}

type tokenKey struct{}

// requestScopes are the scopes of the request's access token, which the
// API host's preamble checked, for a handler registered without the token
// (an http.HandlerFunc on apiRoutes.mux).
func requestScopes(r *http.Request) []string {
	if t, _ := r.Context().Value(tokenKey{}).(*token); t != nil {
		return slices.Clone(t.scopes)
	}
	return nil
}

// requireScope answers 403 FORBIDDEN unless t carries one of scopes.
func requireScope(w http.ResponseWriter, t *token, scopes ...string) bool {
	for _, s := range scopes {
		if slices.Contains(t.scopes, s) {
			return true
		}
	}
	apiError(w, http.StatusForbidden, "FORBIDDEN", "The access token lacks the required scope: "+strings.Join(scopes, " or ")+".")
	return false
}

// pathID parses a positive int64 ID, such as a bot or domain ID, from the
// path wildcard name, or answers 400 (inferred) and reports false.
func pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf("%s must be a positive integer, got %q", name, v)) // inferred
		return 0, false
	}
	return id, true
}
