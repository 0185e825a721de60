package lineworks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckRichMenuImage(t *testing.T) {
	var gifImage bytes.Buffer
	if err := gif.Encode(&gifImage, image.NewPaletted(image.Rect(0, 0, 2500, 843), color.Palette{color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	png843 := lineworkstest.RichMenuPNG(843)
	padded := func(size int) []byte { return append(bytes.Clone(png843), make([]byte, size-len(png843))...) }
	for name, tc := range map[string]struct {
		content []byte
		height  int
		want    string // "" for accepted
	}{
		"png":                 {png843, 843, ""},
		"jpeg tall":           {lineworkstest.RichMenuJPEG(1686), 1686, ""},
		"height not known":    {lineworkstest.RichMenuPNG(1686), 0, ""},
		"exactly 1 MB":        {padded(MaxRichMenuImageSize), 843, ""},
		"wrong height":        {png843, 1686, "is 2500 × 843 pixels; a rich menu 1686 pixels high needs an image of exactly 2500 × 1686"},
		"wrong width":         {lineworkstest.MenuImage("png", 2400, 843), 843, "is 2400 × 843 pixels"},
		"no menu size":        {lineworkstest.MenuImage("jpeg", 2500, 900), 0, "is 2500 × 900 pixels; a rich menu image is exactly 2500 × 843 or 2500 × 1686"},
		"gif":                 {gifImage.Bytes(), 843, "is not a JPEG or PNG image (its content looks like image/gif)"},
		"text":                {[]byte("not an image"), 843, "its content looks like text/plain"},
		"over 1 MB":           {padded(MaxRichMenuImageSize + 1), 843, "is 1000001 bytes; a rich menu image may be at most 1 MB (1000000 bytes)"},
		"truncated png":       {png843[:20], 843, "is not a JPEG or PNG image"},
		"empty":               {nil, 843, "is not a JPEG or PNG image"},
		"menu height invalid": {png843, 900, ""}, // the height's own check reports it
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, "menu.img", tc.content)
			info, err := CheckRichMenuImage(path, tc.height)
			if tc.want == "" {
				if err != nil || info.Width != 2500 || info.Size != int64(len(tc.content)) {
					t.Fatalf("%+v, %v", info, err)
				}
				return
			}
			var ie *RichMenuImageError
			if !errors.As(err, &ie) || ie.Path != path || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		_, err := CheckRichMenuImage(filepath.Join(t.TempDir(), "nope.png"), 843)
		if err == nil || !strings.Contains(err.Error(), "nope.png cannot be read: no such file or directory") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		if _, err := CheckRichMenuImage(t.TempDir(), 843); err == nil || !strings.Contains(err.Error(), "is not a regular file") {
			t.Fatalf("err = %v", err)
		}
	})
}

// The image goes through the documented upload flow, streamed, and is set
// on the menu by file ID, with one image per language.
func TestUploadRichMenuImage(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	ctx := context.Background()
	menu, err := c.CreateRichMenu(ctx, botID, twoAreaMenu("m"))
	if err != nil {
		t.Fatal(err)
	}
	png, jpeg := lineworkstest.RichMenuPNG(843), lineworkstest.RichMenuJPEG(843)
	files := RichMenuImageFiles{Path: writeFile(t, "menu.png", png), I18nPaths: map[string]string{"ja_JP": writeFile(t, "menu-ja.jpg", jpeg)}}
	up, err := c.UploadRichMenuImage(ctx, botID, menu.ID, 843, files)
	if err != nil {
		t.Fatal(err)
	}
	if up.SHA256 != sha256Hex(png) || up.I18nSHA256["ja_JP"] != sha256Hex(jpeg) || len(up.Image.I18nFileIDs) != 1 || up.Image.I18nFileIDs[0].Language != "ja_JP" {
		t.Fatalf("%+v", up)
	}
	stored, ok := f.emu.Menus.RichMenuImage(botID, menu.ID)
	if !ok || stored.FileID != up.Image.FileID || stored.I18nFileIDs[0].FileID != up.Image.I18nFileIDs[0].FileID {
		t.Fatalf("stored %+v", stored)
	}
	got, err := c.GetRichMenuImage(ctx, botID, menu.ID)
	if err != nil || fmt.Sprint(*got) != fmt.Sprint(up.Image) {
		t.Fatalf("GetRichMenuImage = %+v, %v", got, err)
	}

	// What went over the wire, as the file-upload page shows it.
	creates := f.apiRequests(http.MethodPost, fmt.Sprintf("/v1.0/bots/%d/attachments", botID))
	if len(creates) != 2 || string(creates[0].Body) != `{"fileName":"menu.png"}` {
		t.Fatalf("attachment calls %+v", creates)
	}
	var uploads []lineworkstest.Request
	for _, r := range f.emu.Requests.All() {
		if r.Host == lineworkstest.HostStorage {
			uploads = append(uploads, r)
		}
	}
	if len(uploads) != 2 {
		t.Fatalf("%d uploads", len(uploads))
	}
	u := uploads[0]
	mt, params, _ := mime.ParseMediaType(u.Header.Get("Content-Type"))
	if u.Method != http.MethodPost || mt != "multipart/form-data" || !strings.HasPrefix(u.Header.Get("Authorization"), "Bearer ") || u.Status != http.StatusOK ||
		!strings.HasSuffix(u.Path, "/menu.png") || params["boundary"] == "" {
		t.Fatalf("upload %+v", u)
	}
	if cl := u.Header.Get("Content-Length"); cl == "" || cl == "0" {
		t.Errorf("upload sent without a length (Content-Length %q)", cl)
	}
	if !strings.HasSuffix(uploads[1].Path, "/menu-ja.jpg") {
		t.Errorf("second upload %s", uploads[1].Path)
	}
}

// The body is one Filedata part with the file's name and type, and the
// announced length is the body's.
func TestUploadBody(t *testing.T) {
	f, _, botID := newMenuFixture(t)
	var body []byte
	var length int64
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/k/") {
				body, _ = io.ReadAll(r.Body)
				length = r.ContentLength
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	content := []byte("weekly report \"quoted\"")
	up, err := c.UploadFile(context.Background(), botID, writeFile(t, `週報 "1".txt`, content), "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	if length != int64(len(body)) || up.Size != int64(len(content)) || up.SHA256 != sha256Hex(content) {
		t.Fatalf("length %d, body %d bytes, %+v", length, len(body), up)
	}
	_, params, _ := mime.ParseMediaType(f.emu.Requests.All()[len(f.emu.Requests.All())-1].Header.Get("Content-Type"))
	part, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).NextPart()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(part)
	if part.FormName() != "Filedata" || part.FileName() != `週報 "1".txt` || part.Header.Get("Content-Type") != "text/plain" || !bytes.Equal(got, content) {
		t.Fatalf("part %v %q %q", part.Header, part.FileName(), got)
	}
}

// No file is uploaded unless every file passes the check; the error names
// the language of the file at fault.
func TestUploadRichMenuImageChecksEveryFileFirst(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	menu, err := c.CreateRichMenu(context.Background(), botID, twoAreaMenu("m"))
	if err != nil {
		t.Fatal(err)
	}
	files := RichMenuImageFiles{
		Path:      writeFile(t, "menu.png", lineworkstest.RichMenuPNG(843)),
		I18nPaths: map[string]string{"ko_KR": writeFile(t, "tall.png", lineworkstest.RichMenuPNG(1686))},
	}
	_, err = c.UploadRichMenuImage(context.Background(), botID, menu.ID, 843, files)
	var ie *RichMenuImageError
	if !errors.As(err, &ie) || ie.Language != "ko_KR" || !strings.Contains(err.Error(), "the ko_KR image") {
		t.Fatalf("err = %v", err)
	}
	if n := f.emu.Requests.Count(lineworkstest.HostAPI, fmt.Sprintf("/v1.0/bots/%d/attachments", botID)); n != 0 {
		t.Fatalf("%d uploads began", n)
	}
	files.I18nPaths = map[string]string{"fr_FR": files.Path}
	if _, err := c.UploadRichMenuImage(context.Background(), botID, menu.ID, 843, files); err == nil || !strings.Contains(err.Error(), `"fr_FR" is not a language`) {
		t.Fatalf("err = %v", err)
	}
}

func TestGetRichMenuImageNotSet(t *testing.T) {
	f, c, botID := newMenuFixture(t)
	menu, err := c.CreateRichMenu(context.Background(), botID, twoAreaMenu("m"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRichMenuImage(context.Background(), botID, menu.ID); !errors.Is(err, ErrNotSet) {
		t.Fatalf("no image: %v", err)
	}
	f.emu.Menus.RemoveRichMenu(botID, menu.ID)
	if _, err := c.GetRichMenuImage(context.Background(), botID, menu.ID); !errors.Is(err, ErrRichMenuNotFound) || errors.Is(err, ErrNotSet) {
		t.Fatalf("no menu: %v", err)
	}
}

// The token goes only where it may: an upload URL elsewhere is refused
// before anything is sent to it.
func TestUploadNeverSendsTheTokenToAnUntrustedHost(t *testing.T) {
	for _, target := range []string{"https://evil.example.net/k/emsg/r/jp1/x/menu.png", "http://localhost:1/k/menu.png", "http://evil.example.net/k/menu.png", "ftp://apis-storage.worksmobile.com/x"} {
		t.Run(target, func(t *testing.T) {
			f, _, botID := newMenuFixture(t)
			var elsewhere atomic.Int32
			c := f.client(t, func(cfg *Config) {
				cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
					if !strings.HasPrefix(r.URL.Path, "/v1.0/") && !strings.HasPrefix(r.URL.Path, "/oauth2/") {
						elsewhere.Add(1)
						return nil, errors.New("the test's network reaches nothing else")
					}
					resp, err := http.DefaultTransport.RoundTrip(r)
					if err != nil || !strings.HasSuffix(r.URL.Path, "/attachments") {
						return resp, err
					}
					drain(resp)
					return jsonResponse(r, http.StatusOK, fmt.Sprintf(`{"fileId":%q,"uploadUrl":%q}`, testFileID, target)), nil
				})
			})
			_, err := c.UploadFile(context.Background(), botID, writeFile(t, "menu.png", []byte("x")), "")
			if err == nil || !strings.Contains(err.Error(), "neither a LINE WORKS host nor a configured endpoint: the access token is not sent there") {
				t.Fatalf("err = %v", err)
			}
			if elsewhere.Load() != 0 {
				t.Fatal("a request went to the untrusted upload URL")
			}
		})
	}
}

// An http:// upload URL on a LINE WORKS storage host, as scripts have seen,
// is used over https: the token never travels in clear.
func TestUploadUpgradesAPlainHTTPStorageURL(t *testing.T) {
	f := newFixture(t)
	f.emu.Bots.SetMutationHold(0)
	var schemes []string
	c := f.client(t, func(cfg *Config) {
		cfg.AuthEndpoint, cfg.APIEndpoint, cfg.StorageEndpoint = "", "", ""
		emu := f.emu.Transport()
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.URL.Host, "apis-storage.worksmobile.com") {
				schemes = append(schemes, r.URL.Scheme)
			}
			resp, err := emu.RoundTrip(r)
			if err != nil || !strings.HasSuffix(r.URL.Path, "/attachments") {
				return resp, err
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			b = bytes.Replace(b, []byte(`"https://`), []byte(`"http://`), 1)
			return jsonResponse(r, resp.StatusCode, string(b)), nil
		})
	})
	bot, err := c.CreateBot(context.Background(), basicBot("b"))
	if err != nil {
		t.Fatal(err)
	}
	up, err := c.UploadFile(context.Background(), bot.BotID, writeFile(t, "menu.png", []byte("x")), "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(schemes) != "[https]" || up.FileID == "" {
		t.Fatalf("storage requests over %v", schemes)
	}
	if !strings.Contains(f.log.text(), "plain http upload URL") {
		t.Error("the upgrade was not logged")
	}
}

// A token the storage host calls stale is replaced once, and the upload URL,
// unused, still works.
func TestUploadReissuesAStaleToken(t *testing.T) {
	f, _, botID := newMenuFixture(t)
	before := f.tokenRequests()
	c := f.client(t, func(cfg *Config) {
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := http.DefaultTransport.RoundTrip(r)
			if err == nil && strings.HasSuffix(r.URL.Path, "/attachments") {
				f.emu.Auth.ExpireAccessTokens()
			}
			return resp, err
		})
	})
	up, err := c.UploadFile(context.Background(), botID, writeFile(t, "a.txt", []byte("x")), "")
	if err != nil || up.FileID == "" {
		t.Fatalf("%+v, %v", up, err)
	}
	if n := f.tokenRequests() - before; n != 2 {
		t.Fatalf("%d tokens issued, want the first and one replacement", n)
	}
}

// The upload URL works once, so an upload is retried only when the storage
// host surely did not take it (429, no connection), never after a 5xx.
func TestUploadRetries(t *testing.T) {
	isUpload := func(r *http.Request) bool { return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/k/") }
	t.Run("5xx", func(t *testing.T) {
		f, _, botID := newMenuFixture(t)
		var attempts atomic.Int32
		c := f.client(t, func(cfg *Config) {
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := http.DefaultTransport.RoundTrip(r)
				if err != nil || !isUpload(r) {
					return resp, err
				}
				attempts.Add(1)
				drain(resp)
				return jsonResponse(r, http.StatusBadGateway, `{}`), nil
			})
		})
		_, err := c.UploadFile(context.Background(), botID, writeFile(t, "a.txt", []byte("x")), "")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadGateway || attempts.Load() != 1 {
			t.Fatalf("%d attempts, err = %v", attempts.Load(), err)
		}
	})
	t.Run("429", func(t *testing.T) {
		f, _, botID := newMenuFixture(t)
		var attempts atomic.Int32
		c := f.client(t, func(cfg *Config) {
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if isUpload(r) && attempts.Add(1) == 1 {
					_, _ = io.Copy(io.Discard, r.Body)
					return jsonResponse(r, http.StatusTooManyRequests, `{"code":"TOO_MANY_REQUESTS"}`), nil
				}
				return http.DefaultTransport.RoundTrip(r)
			})
		})
		content := bytes.Repeat([]byte("menu"), 1000)
		up, err := c.UploadFile(context.Background(), botID, writeFile(t, "a.txt", content), "")
		if err != nil || attempts.Load() != 2 || up.SHA256 != sha256Hex(content) {
			t.Fatalf("%d attempts, %+v, %v", attempts.Load(), up, err)
		}
	})
	t.Run("used URL", func(t *testing.T) {
		f, _, botID := newMenuFixture(t)
		c := f.client(t, func(cfg *Config) {
			cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if isUpload(r) { // someone else used the URL first
					if resp, err := http.DefaultTransport.RoundTrip(withBody(t, r)); err == nil {
						drain(resp)
					}
				}
				return http.DefaultTransport.RoundTrip(r)
			})
		})
		_, err := c.UploadFile(context.Background(), botID, writeFile(t, "a.txt", []byte("x")), "")
		if err == nil || !strings.Contains(err.Error(), "An upload URL works once and for 24 hours") {
			t.Fatalf("err = %v", err)
		}
	})
}

// withBody copies r with its body, leaving r's body readable again.
func withBody(t *testing.T, r *http.Request) *http.Request {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(b))
	return c
}
