package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// richMenuConfig is a two-area menu of bot botID, as the issue writes one,
// named name, with image lines (image_path and the like) added.
func richMenuConfig(resourceName string, botID int64, name string, lines ...string) string {
	return fmt.Sprintf(`
resource "lineworks_bot_rich_menu" %q {
  bot_id = "%d"
  name   = %q
  height = 843
  areas = [
    {
      bounds = { x = 0, y = 0, width = 1250, height = 843 }
      action = { type = "postback", label = "Help", data = "help", display_text = "Help, please", i18n_labels = { ja_JP = "ヘルプ" } }
    },
    {
      bounds = { x = 1250, y = 0, width = 1250, height = 843 }
      action = { type = "uri", label = "Docs", uri = "https://example.com/docs" }
    },
  ]
%s
}
`, resourceName, botID, name, strings.Join(lines, "\n"))
}

// captureRichMenuID stores the rich_menu_id of the resource at addr.
func captureRichMenuID(addr string, dst *string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(addr, "rich_menu_id", func(v string) error {
		*dst = v
		return nil
	})
}

// expectRichMenuImage checks the image the emulator holds for the menu *id:
// its own and its i18n file IDs hold want and wantI18n (by language).
func (e *accEnv) expectRichMenuImage(botID int64, id *string, want []byte, wantI18n map[string][]byte) resource.TestCheckFunc {
	return func(*terraform.State) error {
		img, ok := e.emu.Menus.RichMenuImage(botID, *id)
		if !ok {
			return fmt.Errorf("rich menu %s has no image", *id)
		}
		if got := e.uploaded(botID, img.FileID); got != string(want) {
			return fmt.Errorf("rich menu %s shows an image of %d bytes, want %d", *id, len(got), len(want))
		}
		if len(img.I18nFileIDs) != len(wantI18n) {
			return fmt.Errorf("rich menu %s has %d i18n images, want %d", *id, len(img.I18nFileIDs), len(wantI18n))
		}
		for _, i := range img.I18nFileIDs {
			if got := e.uploaded(botID, i.FileID); got != string(wantI18n[i.Language]) {
				return fmt.Errorf("rich menu %s shows a %s image of %d bytes, want %d", *id, i.Language, len(got), len(wantI18n[i.Language]))
			}
		}
		return nil
	}
}

// uploaded is the content of a file uploaded for the bot.
func (e *accEnv) uploaded(botID int64, fileID string) string {
	a, ok := e.emu.Storage.Upload(fmt.Sprint(botID), fileID)
	if !ok {
		return ""
	}
	return string(a.Content)
}

// Create with an image per language, plan empty; a changed image file is
// uploaded and set on the same menu; an image changed outside Terraform is
// set again; a new name replaces the menu; import both ways (an image upload
// planned only where image_path is set); a menu deleted outside is created
// again; destroy leaves nothing.
func TestAccBotRichMenu_lifecycle(t *testing.T) {
	forEachMenuForm(t, func(t *testing.T, env *accEnv) {
		botID := env.seedBot(t, "tf-acc-menu-bot")
		dir := t.TempDir()
		png, jpeg := lineworkstest.RichMenuPNG(843), lineworkstest.RichMenuJPEG(843)
		image := writeFile(t, dir, "menu.png", png)
		jaImage := writeFile(t, dir, "menu_ja.png", png)
		const addr = "lineworks_bot_rich_menu.main"
		images := fmt.Sprintf("  image_path = %q\n  i18n_image_paths = { ja_JP = %q }", image, jaImage)
		config := env.provider() + richMenuConfig("main", botID, "tf-acc-main", images)
		var id, first string
		sameMenu := func(v string) error {
			if v != first {
				return fmt.Errorf("rich_menu_id %s, want the same menu %s", v, first)
			}
			return nil
		}
		env.menuTest(t, []*int64{&botID},
			resource.TestStep{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("image_sha256"), knownvalue.StringExact(sha256Hex(png))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("i18n_image_sha256"), knownvalue.MapExact(map[string]knownvalue.Check{"ja_JP": knownvalue.StringExact(sha256Hex(png))})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("areas").AtSliceIndex(0).AtMapKey("action").AtMapKey("i18n_labels"), knownvalue.MapExact(map[string]knownvalue.Check{"ja_JP": knownvalue.StringExact("ヘルプ")})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("areas").AtSliceIndex(1).AtMapKey("action").AtMapKey("data"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					captureRichMenuID(addr, &id), captureRichMenuID(addr, &first),
					resource.TestCheckResourceAttrWith(addr, "id", func(v string) error {
						if v != fmt.Sprintf("%d/%s", botID, id) {
							return fmt.Errorf("id %s", v)
						}
						return nil
					}),
					env.expectRichMenuImage(botID, &id, png, map[string][]byte{"ja_JP": png}),
					func(*terraform.State) error {
						menus := env.emu.Menus.RichMenus(botID)
						if len(menus) != 1 || menus[0].RichMenuName != "tf-acc-main" || len(menus[0].Areas) != 2 || menus[0].Areas[0].Action.DisplayText != "Help, please" {
							return fmt.Errorf("the emulator holds %+v", menus)
						}
						return nil
					},
				),
			},
			resource.TestStep{
				// The file changes on disk: uploaded again, same menu.
				PreConfig: func() { writeFile(t, dir, "menu.png", jpeg) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("image_sha256"), knownvalue.StringExact(sha256Hex(jpeg))),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrWith(addr, "rich_menu_id", sameMenu),
					resource.TestCheckResourceAttr(addr, "image_sha256", sha256Hex(jpeg)),
					env.expectRichMenuImage(botID, &id, jpeg, map[string][]byte{"ja_JP": png}),
				),
			},
			resource.TestStep{
				// Another image set outside Terraform shows, and is replaced.
				PreConfig: func() {
					other := writeFile(t, t.TempDir(), "other.png", png)
					if _, err := env.client(t).UploadRichMenuImage(context.Background(), botID, id, 843, lineworks.RichMenuImageFiles{Path: other}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrWith(addr, "rich_menu_id", sameMenu),
					env.expectRichMenuImage(botID, &id, jpeg, map[string][]byte{"ja_JP": png}),
				),
			},
			resource.TestStep{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateVerify:                    true,
				ImportStateVerifyIgnore:              []string{"image_path", "i18n_image_paths", "image_sha256", "i18n_image_sha256"},
				ImportStateIdFunc:                    func(*terraform.State) (string, error) { return fmt.Sprintf("%d/%s", botID, id), nil },
				ImportStateVerifyIdentifierAttribute: "id",
			},
			resource.TestStep{
				// Imported with image_path set: the image is uploaded, the
				// menu kept.
				Config:             config,
				ResourceName:       addr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ImportStateIdFunc:  func(*terraform.State) (string, error) { return fmt.Sprintf("%d/%s", botID, id), nil },
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("image_sha256"), knownvalue.StringExact(sha256Hex(jpeg))),
				}},
			},
			resource.TestStep{
				// Imported without image_path: nothing to do.
				Config:            env.provider() + richMenuConfig("main", botID, "tf-acc-main"),
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return fmt.Sprintf("%d/%s", botID, id), nil },
			},
			resource.TestStep{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: fmt.Sprint(botID),
				ExpectError:   errorText(fmt.Sprintf(`"%d" is not {bot_id}/{rich_menu_id}`, botID), "such as 2000001/40001"),
			},
			resource.TestStep{
				// A new name is a new menu: the old one is deleted.
				Config: env.provider() + richMenuConfig("main", botID, "tf-acc-main-v2", images),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					captureRichMenuID(addr, &id),
					func(*terraform.State) error {
						menus := env.emu.Menus.RichMenus(botID)
						if len(menus) != 1 || menus[0].RichMenuID == first || menus[0].RichMenuID != id || menus[0].RichMenuName != "tf-acc-main-v2" {
							return fmt.Errorf("the emulator holds %+v, want only the new menu %s", menus, id)
						}
						return nil
					},
					env.expectRichMenuImage(botID, &id, jpeg, map[string][]byte{"ja_JP": png}),
				),
			},
			resource.TestStep{
				// Deleted outside Terraform: created again.
				PreConfig: func() {
					if !env.emu.Menus.RemoveRichMenu(botID, id) {
						t.Fatalf("no rich menu %s to remove", id)
					}
				},
				Config: env.provider() + richMenuConfig("main", botID, "tf-acc-main-v2", images),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					captureRichMenuID(addr, &id),
					env.expectRichMenuImage(botID, &id, jpeg, map[string][]byte{"ja_JP": png}),
				),
			},
			resource.TestStep{
				// image_path removed: the image stays, no longer managed.
				Config: env.provider() + richMenuConfig("main", botID, "tf-acc-main-v2"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("image_sha256"), knownvalue.Null()),
				},
				Check: env.expectRichMenuImage(botID, &id, jpeg, map[string][]byte{"ja_JP": png}),
			},
		)
	})
}
