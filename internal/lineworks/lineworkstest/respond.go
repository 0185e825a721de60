package lineworkstest

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
)

// writeJSON writes v as the whole answer, with its length.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic("lineworkstest: " + err.Error())
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// apiError writes the resource API's error shape.
func apiError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, "application/json", map[string]string{"code": code, "description": description})
}

// notFoundDescription is the description of every 404 NOT_FOUND the API host
// gives for a path it serves no resource at, whether the route is unknown (a
// wrong api_endpoint: no /v1.0, another version, a proxy path) or the bot or
// registration does not exist. The bodies are the same on purpose: the
// service's may be too, so a client must not tell a wrong endpoint from a
// deleted bot by the body, and must confirm before it drops anything.
const notFoundDescription = "The requested resource does not exist."

// notFound writes the API host's 404.
func notFound(w http.ResponseWriter) {
	apiError(w, http.StatusNotFound, "NOT_FOUND", notFoundDescription)
}

// methodNotAllowed writes the API host's 405 (inferred: the docs show none).
func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	apiError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed.")
}

// unauthorized writes the API's 401, with the RFC 6750 challenge the service
// sends on some errors. Without credentials the challenge carries no error
// code (RFC 6750 section 3.1); the realm's value is inferred.
func unauthorized(w http.ResponseWriter, hadToken bool, why string) {
	challenge := `Bearer realm="worksapis"`
	if hadToken {
		challenge += `, error="invalid_token", error_description="` + why + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Authentication failed.")
}

// oauthError writes the token endpoint's error shape.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, "application/json", map[string]string{
		"error":             code,
		"error_description": description,
	})
}

// storageError writes an error as the storage host (server: FileCloud) does.
func storageError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, "application/json;charset=UTF-8", map[string]string{"code": code, "description": description})
}

// isFormContentType reports whether ct is application/x-www-form-urlencoded,
// with or without parameters such as charset.
func isFormContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// isJSONContentType reports whether ct is application/json, with or without
// parameters such as charset.
func isJSONContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}
