package provider

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

const attachmentDS = "data.lineworks_bot_attachment.file"

var japaneseReport = lineworkstest.Attachment{
	FileName:    "議事録_2026年11月22日.pdf",
	ContentType: "application/pdf",
	Content:     []byte("%PDF-1.7 minutes of the meeting"),
}

func sha256Of(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func attachmentConfig(fileID string, args ...string) string {
	extra := ""
	for _, a := range args {
		extra += "\n  " + a
	}
	return fmt.Sprintf(`
data "lineworks_bot_attachment" "file" {
  bot_id  = %q
  file_id = %q%s
}
`, testBotID, fileID, extra)
}

func expectAttachment(size int, sha, name, contentType, method string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("size"), knownvalue.Int64Exact(int64(size))),
		statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("sha256"), knownvalue.StringExact(sha)),
		statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("file_name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("content_type"), knownvalue.StringExact(contentType)),
		statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("download_method"), knownvalue.StringExact(method)),
	}
}

func fileHolds(name string, want []byte, perm os.FileMode) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%s holds %d bytes that differ from the attachment", name, len(got))
		}
		if fi, _ := os.Stat(name); fi.Mode().Perm() != perm {
			return fmt.Errorf("%s has mode %v, want %v", name, fi.Mode().Perm(), perm)
		}
		return nil
	}
}

// storageRequestsWent checks where the storage requests went: only to the
// signed Location (a followed redirect) or only to the derived URL (the
// fallback). The emulator's Location differs from the derived URL, so the
// two cannot be mistaken for each other.
func storageRequestsWent(env *accEnv, redirect bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range env.emu.Requests.All() {
			if r.Host != lineworkstest.HostStorage {
				continue
			}
			n++
			if signed := strings.HasPrefix(r.Path, lineworkstest.SignedPathPrefix); signed != redirect {
				return fmt.Errorf("storage request to %s, want only the %s", r.Path, map[bool]string{true: "signed Location", false: "derived URL"}[redirect])
			}
		}
		if n == 0 {
			return fmt.Errorf("no storage request")
		}
		return nil
	}
}

func TestAccBotAttachment_redirectToOutputPath(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	out := filepath.Join(t.TempDir(), "downloads", "nested", "minutes.pdf")
	env.test(t, resource.TestStep{
		Config: env.provider() + attachmentConfig(testFileID, fmt.Sprintf("output_path = %q", out)),
		ConfigStateChecks: append(expectAttachment(len(japaneseReport.Content), sha256Of(japaneseReport.Content), "議事録_2026年11月22日.pdf", "application/pdf", "redirect"),
			statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("content_base64"), knownvalue.Null()),
			statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("file_permission"), knownvalue.StringExact("0600")),
			statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("max_size"), knownvalue.Null()),
		),
		Check: resource.ComposeTestCheckFunc(fileHolds(out, japaneseReport.Content, 0o600), storageRequestsWent(env, true)),
	})
}

// A file put the way a bot user does, with the upload call, is read back.
func TestAccBotAttachment_uploadedWithTheUploadCall(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.SetContentDisposition(lineworkstest.DispositionPercentEncoded)
	// Files are uploaded only for a bot that exists.
	id, _ := strconv.ParseInt(testBotID, 10, 64)
	if _, err := env.emu.Bots.Add(lineworkstest.Bot{BotID: id, BotName: "Uploader", PhotoURL: "https://example.com/b.png", Description: "d", Administrators: []string{testAdmin}}); err != nil {
		t.Fatal(err)
	}
	fileID, err := env.emu.Storage.UploadAttachment(env.emu.Auth.IssueAccessToken(testClientID, "bot"), testBotID, japaneseReport.FileName, japaneseReport.ContentType, japaneseReport.Content)
	if err != nil {
		t.Fatal(err)
	}
	env.emu.Requests.Reset()
	env.test(t, resource.TestStep{
		Config:            env.provider() + attachmentConfig(fileID),
		ConfigStateChecks: expectAttachment(len(japaneseReport.Content), sha256Of(japaneseReport.Content), "議事録_2026年11月22日.pdf", "application/pdf", "redirect"),
		Check:             storageRequestsWent(env, true),
	})
}

func TestAccBotAttachment_fallbackWhenTheAPIAnswers401(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	env.emu.Storage.SetAPIAnswers401(true) // as in the LINE WORKS forum thread
	out := filepath.Join(t.TempDir(), "minutes.pdf")
	env.test(t, resource.TestStep{
		Config:            env.provider() + attachmentConfig(testFileID, fmt.Sprintf("output_path = %q", out), `file_permission = "0640"`),
		ConfigStateChecks: expectAttachment(len(japaneseReport.Content), sha256Of(japaneseReport.Content), "議事録_2026年11月22日.pdf", "application/pdf", "fallback"),
		Check: resource.ComposeTestCheckFunc(fileHolds(out, japaneseReport.Content, 0o640), storageRequestsWent(env, false), func(*terraform.State) error {
			for _, r := range env.emu.Requests.All() {
				if r.Host == lineworkstest.HostStorage && r.Path != "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/" {
					return fmt.Errorf("storage request to %s", r.Path)
				}
			}
			return nil
		}),
	})
}

func TestAccBotAttachment_redirectToAForeignHost(t *testing.T) {
	var foreign atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { foreign.Add(1) }))
	defer thief.Close()
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	env.emu.Storage.SetRedirectLocation(thief.URL + "/k/emsg/r/jp1/x/")
	env.test(t, resource.TestStep{
		Config:            env.provider() + attachmentConfig(testFileID),
		ConfigStateChecks: expectAttachment(len(japaneseReport.Content), sha256Of(japaneseReport.Content), "議事録_2026年11月22日.pdf", "application/pdf", "fallback"),
		Check:             storageRequestsWent(env, false),
	})
	if n := foreign.Load(); n != 0 {
		t.Fatalf("the foreign host received %d requests", n)
	}
}

func TestAccBotAttachment_rateLimitedThenServed(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	env.emu.Faults.RateLimitNext(2, 1) // rateLimit-reset: 1 second, honoured; no Retry-After, as documented
	env.test(t, resource.TestStep{
		Config:            env.provider() + attachmentConfig(testFileID),
		ConfigStateChecks: expectAttachment(len(japaneseReport.Content), sha256Of(japaneseReport.Content), "議事録_2026年11月22日.pdf", "application/pdf", "redirect"),
		Check:             storageRequestsWent(env, true),
	})
}

func TestAccBotAttachment_staleTokenIsReissuedOnce(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	env.emu.Auth.ExpireAccessTokensAtNextAPIRequest() // the API answers 403 UNAUTHORIZED to the first token
	env.test(t, resource.TestStep{
		Config:            env.provider() + attachmentConfig(testFileID),
		ConfigStateChecks: expectAttachment(len(japaneseReport.Content), sha256Of(japaneseReport.Content), "議事録_2026年11月22日.pdf", "application/pdf", "redirect"),
		Check: func(*terraform.State) error {
			stale := 0
			for _, r := range env.emu.Requests.All() {
				if r.Host == lineworkstest.HostAPI && r.Status == http.StatusForbidden {
					stale++
				}
			}
			if stale != 1 {
				return fmt.Errorf("%d stale-token answers, want 1", stale)
			}
			return nil
		},
	})
}

func TestAccBotAttachment_binaryContentInline(t *testing.T) {
	env := newAccEnv(t)
	content := make([]byte, 64*1024)
	for i := range content {
		content[i] = byte(i % 251) // every byte value, NUL and 0xFF included
	}
	content[0], content[1] = 0x00, 0xff
	env.emu.Storage.AddAttachment(testBotID, testFileID, lineworkstest.Attachment{FileName: "photo.jpg", ContentType: "image/jpeg", Content: content})
	env.test(t, resource.TestStep{
		Config: env.provider() + attachmentConfig(testFileID),
		ConfigStateChecks: append(expectAttachment(len(content), sha256Of(content), "photo.jpg", "image/jpeg", "redirect"),
			statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("content_base64"), knownvalue.StringExact(base64.StdEncoding.EncodeToString(content))),
			statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("max_size"), knownvalue.Int64Exact(16<<20)),
			statecheck.ExpectKnownValue(attachmentDS, tfjsonpath.New("file_permission"), knownvalue.Null()),
		),
	})
}

func TestAccBotAttachment_inlineSizeCap(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, lineworkstest.Attachment{FileName: "video.mp4", ContentType: "video/mp4", Size: 16<<20 + 1})
	env.test(t,
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID),
			ExpectError: errorText("LINE WORKS attachment too large to return inline", "larger than the 16777216-byte limit", "Set output_path to stream it to a file instead"),
		},
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID, "max_size = 1024", fmt.Sprintf("output_path = %q", filepath.Join(t.TempDir(), "v.mp4"))),
			ExpectError: errorText("LINE WORKS attachment too large", "Raise max_size to accept it; nothing was written to"),
		},
	)
}

func TestAccBotAttachment_goneFile(t *testing.T) {
	env := newAccEnv(t)
	env.test(t, resource.TestStep{
		Config:      env.provider() + attachmentConfig(testFileID),
		ExpectError: errorText("LINE WORKS attachment not found", "attachment "+testFileID+" of bot "+testBotID+" was not found", "about 24 hours"),
	})
}

func TestAccBotAttachment_truncatedDownloadLeavesTheFileAlone(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, lineworkstest.Attachment{FileName: "big.bin", Size: 4 << 20})
	env.emu.Storage.SetTruncateDownloads(true)
	dir := t.TempDir()
	out := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(out, []byte("yesterday's file"), 0o600); err != nil {
		t.Fatal(err)
	}
	env.test(t, resource.TestStep{
		Config:      env.provider() + attachmentConfig(testFileID, fmt.Sprintf("output_path = %q", out)),
		ExpectError: errorText("Failed to download the LINE WORKS attachment", "of 4194304 bytes", "was left as it was"),
	})
	if got, _ := os.ReadFile(out); string(got) != "yesterday's file" {
		t.Fatalf("the existing file now holds %d bytes", len(got))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d entries in the output directory, want only the original file", len(entries))
	}
}

func TestAccBotAttachment_invalidIDsAreRefusedAtPlan(t *testing.T) {
	env := newAccEnv(t)
	env.test(t,
		resource.TestStep{
			Config:      env.provider() + attachmentConfig("../../bots/1/attachments/x"),
			ExpectError: errorText("Invalid LINE WORKS file ID", `"../../bots/1/attachments/x" is not a LINE WORKS file ID`, "(no '/', no '..')"),
		},
		resource.TestStep{
			Config:      env.provider() + attachmentConfig("jp1.a/b"),
			ExpectError: errorText("Invalid LINE WORKS file ID"),
		},
		resource.TestStep{
			Config:      env.provider() + fmt.Sprintf("data \"lineworks_bot_attachment\" \"file\" {\n  bot_id  = \"1/../2\"\n  file_id = %q\n}\n", testFileID),
			ExpectError: errorText("Invalid LINE WORKS bot ID"),
		},
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID, `file_permission = "0600"`),
			ExpectError: errorText(`Attribute "output_path" must be specified when "file_permission" is specified`),
		},
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID, `output_path = "x"`, `file_permission = "rw-r--r--"`),
			ExpectError: errorText(`must be an octal permission such as "0600" or "0644"`),
		},
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID, `output_path = "x"`, `max_size = 9223372036854775807`),
			ExpectError: errorText("Invalid max_size", "max_size is 9223372036854775807 bytes, more than the 1099511627776 (1 TiB) it may be", "leave max_size out"),
		},
		resource.TestStep{
			Config:      env.provider() + attachmentConfig(testFileID, `max_size = 0`),
			ExpectError: errorText("Invalid max_size", "max_size is 0: give the largest file to accept, in bytes (at least 1)"),
		},
	)
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests were sent for invalid arguments", n)
	}
}

// Data sources are read during plan: a plan alone writes the file.
func TestAccBotAttachment_planWritesTheFile(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	out := filepath.Join(t.TempDir(), "minutes.pdf")
	env.test(t, resource.TestStep{
		Config:   env.provider() + attachmentConfig(testFileID, fmt.Sprintf("output_path = %q", out)),
		PlanOnly: true,
	})
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, japaneseReport.Content) {
		t.Fatalf("after a plan alone: %v", err)
	}
}

// Terraform reads data sources in parallel; so must the provider.
func TestAccBotAttachment_parallelReadsShareOneToken(t *testing.T) {
	env := newAccEnv(t)
	const n = 4
	for i := range n {
		env.emu.Storage.AddAttachment(testBotID, fmt.Sprintf("jp1.%d.1628781715.0.1000001.0.0.0", i), lineworkstest.Attachment{FileName: fmt.Sprintf("%d.txt", i), Content: []byte{byte(i)}})
	}
	env.emu.Storage.HoldDownloads(n, 30*time.Second)
	env.test(t, resource.TestStep{
		Config: env.provider() + fmt.Sprintf(`
data "lineworks_bot_attachment" "many" {
  count   = %d
  bot_id  = %q
  file_id = "jp1.${count.index}.1628781715.0.1000001.0.0.0"
}
`, n, testBotID),
		Check: func(*terraform.State) error {
			if got := env.emu.Storage.MaxConcurrentDownloads(); got != n {
				return fmt.Errorf("at most %d downloads ran at once, want %d", got, n)
			}
			// Every phase that read the data sources issued one token for all of them.
			if tokens, downloads := env.tokenRequests(), env.emu.Requests.Count(lineworkstest.HostStorage, ""); tokens*n != downloads {
				return fmt.Errorf("%d token requests for %d downloads", tokens, downloads)
			}
			return nil
		},
	})
}

// An access_token Terraform does not know during plan must not be replaced
// by a token the provider issues itself.
func TestAccBotAttachment_unknownAccessToken(t *testing.T) {
	env := newAccEnv(t)
	env.emu.Storage.AddAttachment(testBotID, testFileID, japaneseReport)
	env.test(t, resource.TestStep{
		Config: env.provider() + fmt.Sprintf(`
resource "terraform_data" "token" {
  input = "known only after apply"
}

provider "lineworks" {
  alias        = "late"
  access_token = terraform_data.token.output
%s
}

data "lineworks_bot_attachment" "file" {
  provider = lineworks.late
  bot_id   = %q
  file_id  = %q
}
`, env.endpoints(), testBotID, testFileID),
		ExpectError: errorText("LINE WORKS access token not known yet", "Configure access_token from an ephemeral value"),
	})
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Fatalf("%d requests were sent with an unknown access_token", n)
	}
}
