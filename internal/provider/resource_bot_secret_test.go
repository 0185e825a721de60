package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// secretConfig is a bot with a secret for it, the first secret kept aside
// by a terraform_data that ignores later changes, and the signature of
// vectorBody with both: the current secret and the first one.
func secretConfig(trigger string, extra ...string) string {
	return botConfig("x") + `
resource "lineworks_bot_secret" "x" {
  bot_id = lineworks_bot.x.bot_id
  rotation_triggers = {
    version = "` + trigger + `"
  }
}

resource "terraform_data" "first_secret" {
  input = lineworks_bot_secret.x.secret
  lifecycle {
    ignore_changes = [input]
  }
}

locals {
  body = ` + fmt.Sprintf("%q", vectorBody) + `
}

output "signature" {
  value     = provider::lineworks::callback_signature(local.body, lineworks_bot_secret.x.secret)
  sensitive = true
}

output "first_signature" {
  value     = provider::lineworks::callback_signature(local.body, terraform_data.first_secret.output)
  sensitive = true
}
` + strings.Join(extra, "\n")
}

// outputValue reads a root output from the state.
func outputValue(s *terraform.State, name string) (string, error) {
	o, ok := s.RootModule().Outputs[name]
	if !ok {
		return "", fmt.Errorf("no output %s", name)
	}
	v, ok := o.Value.(string)
	if !ok {
		return "", fmt.Errorf("output %s is %T", name, o.Value)
	}
	return v, nil
}

// Issue, keep across refreshes, rotate by a trigger (the old secret is then
// refused by the service), move to another bot, refuse import.
func TestAccBotSecret_lifecycle(t *testing.T) {
	env := newBotEnv(t)
	issued := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	env.now = func() time.Time { return issued }
	env.emu.SetClock(env.now) // the provider's JWTs are checked against the emulator's clock
	const addr = "lineworks_bot_secret.x"
	var id int64
	var first string

	// signedByService compares the config's signatures with the one the
	// emulator would send now, with the bot's current secret.
	signedByService := func(s *terraform.State) (current, firstSig, service string, err error) {
		if current, err = outputValue(s, "signature"); err != nil {
			return
		}
		if firstSig, err = outputValue(s, "first_signature"); err != nil {
			return
		}
		return current, firstSig, env.emu.Bots.CallbackSignature(id, []byte(vectorBody)), nil
	}
	stateHoldsCurrentSecret := acc.TestCheckResourceAttrWith(addr, "secret", func(v string) error {
		if v == "" || v != env.emu.Bots.Secret(id) {
			return fmt.Errorf("the state's secret is not the bot's current secret")
		}
		return nil
	})

	env.botTest(t,
		acc.TestStep{
			Config: env.provider() + secretConfig("1"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectSensitiveValue(addr, tfjsonpath.New("secret")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("issued_time"), knownvalue.StringExact("2026-11-22T09:00:00Z")),
			},
			Check: acc.ComposeTestCheckFunc(
				captureBotID("lineworks_bot.x", &id),
				stateHoldsCurrentSecret,
				acc.TestCheckResourceAttrWith(addr, "id", func(v string) error {
					if want := fmt.Sprintf("%d/2026-11-22T09:00:00Z", id); v != want {
						return fmt.Errorf("id %q, want %q", v, want)
					}
					return nil
				}),
				acc.TestCheckResourceAttrWith(addr, "secret", func(v string) error { first = v; return nil }),
				func(s *terraform.State) error {
					current, _, service, err := signedByService(s)
					if err != nil {
						return err
					}
					if current != service {
						return fmt.Errorf("callback_signature with the issued secret gives %q, the service signs %q", current, service)
					}
					return nil
				},
			),
		},
		acc.TestStep{
			// Read cannot see the secret; it keeps the one in the state.
			RefreshState: true,
			Check:        stateHoldsCurrentSecret,
		},
		acc.TestStep{
			Config: env.provider() + secretConfig("2"),
			ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				plancheck.ExpectResourceAction("lineworks_bot.x", plancheck.ResourceActionNoop),
			}},
			Check: acc.ComposeTestCheckFunc(
				stateHoldsCurrentSecret,
				acc.TestCheckResourceAttrWith(addr, "secret", func(v string) error {
					if v == first {
						return fmt.Errorf("rotation kept the first secret")
					}
					return nil
				}),
				func(s *terraform.State) error {
					current, firstSig, service, err := signedByService(s)
					if err != nil {
						return err
					}
					if current != service {
						return fmt.Errorf("callback_signature with the new secret gives %q, the service signs %q", current, service)
					}
					if firstSig == service {
						return fmt.Errorf("the first secret still signs as the service does: it was not rotated")
					}
					return nil
				},
			),
		},
		acc.TestStep{
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: "2000001",
			ExpectError:   errorText("lineworks_bot_secret cannot be imported", "LINE WORKS never returns a bot secret after issuing it", "Create the lineworks_bot_secret instead"),
		},
		acc.TestStep{
			// Another bot: a secret issued for that bot instead.
			Config: env.provider() + botConfig("y", `bot_name = "tf-acc-Other bot"`) + strings.Replace(secretConfig("2"), "bot_id = lineworks_bot.x.bot_id\n  rotation_triggers", "bot_id = lineworks_bot.y.bot_id\n  rotation_triggers", 1),
			ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: acc.ComposeTestCheckFunc(
				captureBotID("lineworks_bot.y", &id),
				stateHoldsCurrentSecret,
			),
		},
	)
}

// Destroy cannot revoke: it warns, and says until when the secret works.
func TestBotSecretDeleteWarns(t *testing.T) {
	ctx := context.Background()
	r := NewBotSecretResource()
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema}
	diags := state.Set(ctx, &botSecretModel{
		ID:               types.StringValue("2000001/2026-11-22T09:00:00Z"),
		BotID:            types.StringValue("2000001"),
		RotationTriggers: types.MapNull(types.StringType),
		Secret:           types.StringValue("the-secret"),
		IssuedTime:       types.StringValue("2026-11-22T09:00:00Z"),
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	var resp resource.DeleteResponse
	r.Delete(ctx, resource.DeleteRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want exactly one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	for _, want := range []string{"LINE WORKS cannot revoke a bot secret", "issued at 2026-11-22T09:00:00Z for bot 2000001 stays valid until a new one is issued"} {
		if !strings.Contains(w.Summary()+" "+w.Detail(), want) {
			t.Errorf("warning %q: %q lacks %q", w.Summary(), w.Detail(), want)
		}
	}
	if strings.Contains(w.Detail(), "the-secret") {
		t.Error("the warning quotes the secret")
	}
}
