package lineworkstest

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig reads JPEG headers
	_ "image/png"  // and PNG headers
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// serveRichMenuImage serves POST (bot-richmenu-image-set: 204) and GET
// (bot-richmenu-image-get) /bots/{botId}/richmenus/{richmenuId}/image.
func (m *Menus) serveRichMenuImage(w http.ResponseWriter, r *http.Request) {
	botID, ok := m.begin(w, r, menuScopes, http.MethodGet, http.MethodPost)
	if !ok {
		return
	}
	if r.Method == http.MethodGet {
		m.getRichMenuImage(w, r, botID)
		return
	}
	img, ok := decodeBody(w, r, decodeRichMenuImage)
	if !ok {
		return
	}
	m.host.mutate(w, r, botID, func() { m.setRichMenuImage(w, r, botID, img) })
}

// setRichMenuImage checks every file against the menu: each must be a file
// uploaded for this bot in the last 24 hours, a JPEG or PNG of exactly the
// menu's size, of at most 1 MB (bot-richmenu-image-set). The docs do not say
// whether the service checks at upload or here; the upload does not know the
// file is a menu image, so here (inferred), with 400 INVALID_PARAMETER.
func (m *Menus) setRichMenuImage(w http.ResponseWriter, r *http.Request, botID int64, img RichMenuImage) {
	id, ok := richMenuID(w, r)
	if !ok {
		return
	}
	st, ok := m.lockBot(w, botID)
	if !ok {
		return
	}
	menu := st.richMenus[id]
	height := 0
	if menu != nil {
		height = menu.Size.Height
	}
	m.mu.Unlock()
	if menu == nil {
		notFoundRichMenu(w, r.PathValue("richmenuId"))
		return
	}

	files := map[string]string{"fileId": img.FileID}
	for i, f := range img.I18nFileIDs {
		files[fmt.Sprintf("i18nFileIds[%d].fileId", i)] = f.FileID
	}
	for _, field := range slices.Sorted(maps.Keys(files)) {
		f, ok := m.host.uploadedFile(botID, files[field])
		if !ok {
			apiError(w, http.StatusBadRequest, "INVALID_PARAMETER", fmt.Sprintf(
				"%s %q is not a file uploaded for bot %d in the last 24 hours: upload it with POST /bots/%d/attachments first.", field, files[field], botID, botID)) // inferred
			return
		}
		if bad := checkRichMenuImage(f, height, field); bad != nil {
			bad.write(w)
			return
		}
	}

	if st, ok = m.lockBot(w, botID); !ok {
		return
	}
	defer m.mu.Unlock()
	if st.richMenus[id] == nil { // deleted out of band meanwhile
		notFoundRichMenu(w, r.PathValue("richmenuId"))
		return
	}
	st.images[id] = img.clone()
	w.WriteHeader(http.StatusNoContent)
}

// checkRichMenuImage reads the image's header only, as the service need not
// decode a whole image to refuse it.
func checkRichMenuImage(f UploadedFile, height int, field string) *invalid {
	if len(f.Content) > MaxRichMenuImageSize {
		return invalidf("%s: the image is %d bytes; a rich menu image may be at most 1 MB (%d bytes)", field, len(f.Content), MaxRichMenuImageSize)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(f.Content))
	if err != nil || (format != "png" && format != "jpeg") {
		return invalidf("%s: the file %q is not a JPEG or PNG image (%s); a rich menu image must be one", field, f.FileName, http.DetectContentType(f.Content))
	}
	if cfg.Width != richMenuWidth || cfg.Height != height {
		return invalidf("%s: the image is %d × %d pixels; this rich menu needs exactly %d × %d", field, cfg.Width, cfg.Height, richMenuWidth, height)
	}
	return nil
}

// getRichMenuImage answers the file IDs set on the menu; a menu without an
// image answers 404 (inferred: the docs do not say).
func (m *Menus) getRichMenuImage(w http.ResponseWriter, r *http.Request, botID int64) {
	id, ok := richMenuID(w, r)
	if !ok {
		return
	}
	st, ok := m.lockBot(w, botID)
	if !ok {
		return
	}
	exists := st.richMenus[id] != nil
	img, hasImage := st.images[id]
	img = img.clone()
	m.mu.Unlock()
	switch {
	case !exists:
		notFoundRichMenu(w, r.PathValue("richmenuId"))
	case !hasImage:
		apiError(w, http.StatusNotFound, "NOT_FOUND", "Rich menu "+strconv.FormatInt(id, 10)+" has no image.")
	default:
		writeJSON(w, http.StatusOK, "application/json", img)
	}
}
