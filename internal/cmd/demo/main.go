// Command demo is `make demo`: it starts an emulated LINE WORKS tenant on
// loopback, applies examples/demo with the freshly built provider through
// dev_overrides, and prints what Terraform got. No LINE WORKS account needed.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/devenv"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func main() {
	provider := flag.String("provider", "bin/terraform-provider-lineworks", "the built provider binary")
	config := flag.String("config", "examples/demo", "the configuration to apply")
	workdir := flag.String("workdir", "bin/demo", "where the configuration runs; kept afterwards for a look")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *provider, *config, *workdir); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, provider, config, workdir string) error {
	provider, err := filepath.Abs(provider)
	if err != nil {
		return err
	}
	if _, err := os.Stat(provider); err != nil {
		return fmt.Errorf("no provider binary at %s: run `make build` first (`make demo` does)", provider)
	}
	workdir, err = filepath.Abs(workdir)
	if err != nil {
		return err
	}
	tenant, err := devenv.NewTenant(filepath.Join(workdir, "tenant"), filepath.Dir(provider))
	if err != nil {
		return err
	}
	defer tenant.Close()
	emu := tenant.Emulator
	configDir := filepath.Join(workdir, "config")
	if err := devenv.CopyConfig(config, configDir); err != nil {
		return err
	}

	fmt.Printf("Emulated LINE WORKS tenant on loopback:\n  auth    %s\n  api     %s\n  storage %s\n", emu.AuthURL(), emu.APIURL(), emu.StorageURL())
	fmt.Printf("A user sent bot %s the file %q (file ID %s).\n\n", devenv.BotID, devenv.Report.FileName, devenv.FileID)
	fmt.Printf("$ terraform -chdir=%s apply -auto-approve\n", relative(configDir))

	apply := tenant.Terraform(ctx, configDir, nil, "apply", "-auto-approve", "-input=false", "-no-color")
	apply.Stdout, apply.Stderr = os.Stdout, os.Stderr
	if err := apply.Run(); err != nil {
		return fmt.Errorf("terraform apply: %w", err)
	}

	var outputs struct {
		Bot struct {
			Value struct {
				BotID       string `json:"bot_id"`
				BotName     string `json:"bot_name"`
				CallbackURL string `json:"callback_url"`
				DomainID    int64  `json:"domain_id"`
				Visible     bool   `json:"visible"`
				Member      string `json:"member"`
			} `json:"value"`
		} `json:"bot"`
		RichMenu struct {
			Value struct {
				RichMenuID  string `json:"rich_menu_id"`
				Name        string `json:"name"`
				Areas       int    `json:"areas"`
				ImageSHA256 string `json:"image_sha256"`
				Default     string `json:"default"`
			} `json:"value"`
		} `json:"rich_menu"`
		SampleCallback struct {
			Value string `json:"value"`
		} `json:"sample_callback"`
		SampleCallbackSignature struct {
			Value     string `json:"value"`
			Sensitive bool   `json:"sensitive"`
		} `json:"sample_callback_signature"`
		Attachment struct {
			Value struct {
				FileName       string `json:"file_name"`
				ContentType    string `json:"content_type"`
				Size           int64  `json:"size"`
				SHA256         string `json:"sha256"`
				DownloadMethod string `json:"download_method"`
				Path           string `json:"path"`
			} `json:"value"`
		} `json:"attachment"`
	}
	var out bytes.Buffer
	show := tenant.Terraform(ctx, configDir, nil, "output", "-json")
	show.Stdout, show.Stderr = &out, os.Stderr
	if err := show.Run(); err != nil {
		return fmt.Errorf("terraform output: %w", err)
	}
	if err := json.Unmarshal(out.Bytes(), &outputs); err != nil {
		return fmt.Errorf("reading terraform output: %w", err)
	}
	var ephemeral map[string]string
	if b, err := os.ReadFile(filepath.Join(configDir, "ephemeral-values.json")); err != nil {
		return err
	} else if err := json.Unmarshal(b, &ephemeral); err != nil {
		return fmt.Errorf("reading ephemeral-values.json: %w", err)
	}

	a := outputs.Attachment.Value
	written, err := os.ReadFile(filepath.Join(configDir, a.Path))
	if err != nil {
		return err
	}
	fmt.Printf("\nWhat Terraform got:\n")
	fmt.Printf("  access token   %s, scope %q, expires in %ss (at %s); the token itself stayed out of plan and state\n",
		ephemeral["token_type"], ephemeral["scope"], ephemeral["expires_in"], ephemeral["expires_at"])
	fmt.Printf("  JWT assertion  header {\"alg\":\"RS256\",\"typ\":\"JWT\"}\n")
	fmt.Printf("                 claims iss=%s sub=%s\n                        iat=%s exp=%s\n", ephemeral["iss"], ephemeral["sub"], ephemeral["iat"], ephemeral["exp"])
	fmt.Printf("  attachment     %s (%s, %d bytes) via %s\n", a.FileName, a.ContentType, a.Size, a.DownloadMethod)
	fmt.Printf("                 sha256 %s\n", a.SHA256)
	fmt.Printf("                 written to %s: %s\n", relative(filepath.Join(configDir, a.Path)), verdict(written))

	b := outputs.Bot.Value
	botID, err := strconv.ParseInt(b.BotID, 10, 64)
	if err != nil {
		return fmt.Errorf("bot_id %q: %w", b.BotID, err)
	}
	secret := emu.Bots.Secret(botID)
	fmt.Printf("  bot            %s %q, callbacks to %s\n", b.BotID, b.BotName, b.CallbackURL)
	fmt.Printf("                 registered in domain %d (visible: %v)\n", b.DomainID, b.Visible)
	if err := printMenuAndMembers(emu, botID, b.DomainID, b.Member, outputs.RichMenu.Value.RichMenuID, outputs.RichMenu.Value.Name,
		outputs.RichMenu.Value.Areas, outputs.RichMenu.Value.ImageSHA256, outputs.RichMenu.Value.Default); err != nil {
		return err
	}
	fmt.Printf("  bot secret     issued (%d characters); in the state as a sensitive value\n", len(secret))
	fmt.Printf("  callback       sample body %s\n", outputs.SampleCallback.Value)
	fmt.Printf("                 X-WORKS-Signature %s (provider::lineworks::callback_signature)\n", outputs.SampleCallbackSignature.Value)
	if want := emu.Bots.CallbackSignature(botID, []byte(outputs.SampleCallback.Value)); outputs.SampleCallbackSignature.Value == want {
		fmt.Printf("                 identical to the signature the emulated LINE WORKS sends with this body\n")
	} else {
		return fmt.Errorf("the sample callback's signature %q differs from the emulator's %q", outputs.SampleCallbackSignature.Value, want)
	}

	fmt.Printf("\nWhat the emulated LINE WORKS saw:\n")
	fmt.Printf("  token requests %d (one per phase that opened the ephemeral token: plan and apply)\n", emu.Requests.Count(lineworkstest.HostAuth, "/oauth2/v2.0/token"))
	fmt.Printf("  attachment API %d request(s), answered 302 to the storage host\n", emu.Requests.Count(lineworkstest.HostAPI, "/v1.0/bots/"+devenv.BotID+"/attachments/"))
	downloads, uploads := storageCalls(emu.Requests.All())
	fmt.Printf("  storage host   %d download(s) and %d upload(s) (the rich menu's image), each with the bearer token\n", downloads, uploads)
	fmt.Printf("  bot API        %s\n", botCalls(emu.Requests.All()))
	fmt.Printf("                 %d overlapping calls on one bot refused (the provider serializes them)\n", emu.Bots.ConflictCount())

	fmt.Printf("\n$ terraform -chdir=%s destroy -auto-approve\n", relative(configDir))
	emu.Requests.Reset()
	destroy := tenant.Terraform(ctx, configDir, nil, "destroy", "-auto-approve", "-input=false", "-no-color")
	destroy.Stdout, destroy.Stderr = os.Stdout, os.Stderr
	if err := destroy.Run(); err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}
	fmt.Printf("\nWhat the emulated LINE WORKS saw:\n")
	fmt.Printf("  bot API        %s\n", botCalls(emu.Requests.All()))
	fmt.Printf("  left behind    %d bot(s), %d rich menu(s)\n", len(emu.Bots.List()), len(emu.Menus.RichMenus(botID)))
	if n := len(emu.Bots.List()); n != 0 {
		return fmt.Errorf("%d bots left after terraform destroy", n)
	}
	return nil
}

// printMenuAndMembers prints the bot's rich menu and members as Terraform
// and the emulator see them, and fails when they disagree.
func printMenuAndMembers(emu *lineworkstest.Server, botID, domainID int64, member, menuID, name string, areas int, sum, def string) error {
	img, ok := emu.Menus.RichMenuImage(botID, menuID)
	if !ok {
		return fmt.Errorf("rich menu %s has no image at the emulator", menuID)
	}
	up, ok := emu.Storage.Upload(strconv.FormatInt(botID, 10), img.FileID)
	if !ok {
		return fmt.Errorf("the image %s of rich menu %s was never uploaded", img.FileID, menuID)
	}
	got := sha256.Sum256(up.Content)
	if hex.EncodeToString(got[:]) != sum {
		return fmt.Errorf("rich menu %s shows an image whose sha256 is not image_sha256 %s", menuID, sum)
	}
	bot, _ := emu.Bots.Get(botID)
	fmt.Printf("  rich menu      %s %q, %d areas, the bot's default: %v\n", menuID, name, areas, def == menuID && bot.DefaultRichmenuID == menuID)
	fmt.Printf("                 image %s (%s, %d bytes, generated at demo time), sha256 %s\n", img.FileID, up.ContentType, len(up.Content), sum)
	members := emu.Menus.DomainMembers(botID, domainID)
	fmt.Printf("  members        only %s may use the bot in domain %d (LINE WORKS lists %v)\n", member, domainID, members)
	if len(members) != 1 {
		return fmt.Errorf("the bot has %d members in domain %d, want 1", len(members), domainID)
	}
	return nil
}

// storageCalls counts the downloads (GET) and uploads (POST) the storage
// host received.
func storageCalls(reqs []lineworkstest.Request) (downloads, uploads int) {
	for _, r := range reqs {
		switch {
		case r.Host != lineworkstest.HostStorage:
		case r.Method == http.MethodGet:
			downloads++
		case r.Method == http.MethodPost:
			uploads++
		}
	}
	return downloads, uploads
}

// botCalls summarizes the requests to the bot management API, such as
// "POST /bots ×1, GET /bots/{botId} ×2", in the order first seen.
func botCalls(reqs []lineworkstest.Request) string {
	var order []string
	count := map[string]int{}
	for _, r := range reqs {
		rest, ok := strings.CutPrefix(r.Path, "/v1.0/bots")
		if r.Host != lineworkstest.HostAPI || !ok || strings.Contains(rest, "/attachments/") {
			continue
		}
		seg := strings.Split(rest, "/")
		for i := range seg {
			switch {
			case i == 1:
				seg[i] = "{botId}"
			case i == 3 && seg[2] == "domains":
				seg[i] = "{domainId}"
			case i == 3 && seg[2] == "richmenus" && seg[i] != "default" && seg[i] != "users":
				seg[i] = "{richmenuId}"
			case i == 5 && seg[4] == "members":
				seg[i] = "{userId}"
			}
		}
		k := r.Method + " /bots" + strings.Join(seg, "/")
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	if len(order) == 0 {
		return "no requests"
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%s ×%d", k, count[k])
	}
	return strings.Join(parts, ", ")
}

func verdict(written []byte) string {
	sum := sha256.Sum256(written)
	want := sha256.Sum256(mustRead(lineworkstest.AttachmentContent(devenv.Report)))
	if sum == want {
		return "identical to what the user sent"
	}
	return "DIFFERS from what the user sent (" + hex.EncodeToString(sum[:]) + ")"
}

func mustRead(r io.Reader) []byte {
	b, _ := io.ReadAll(r)
	return b
}

func relative(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}
