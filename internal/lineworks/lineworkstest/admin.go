package lineworkstest

import "net/http"

// AdminHandler is a placeholder.
func (s *Server) AdminHandler() http.Handler { return http.NotFoundHandler() }
