package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

func TestBotDomainListResource(t *testing.T) {
	env := newBotEnv(t)
	data := &providerData{client: env.client(t)}
	b, err := env.emu.Bots.Add(lineworkstest.Bot{BotName: "Registered", PhotoURL: "https://example.com/b.png", Description: "d", Administrators: []string{testAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	env.emu.Bots.SetDomain(b.BotID, lineworkstest.BotDomain{DomainID: lineworkstest.DefaultDomainID, Visible: true})
	env.emu.Bots.SetDomain(b.BotID, lineworkstest.BotDomain{DomainID: testDomain2, AllowToSelectedMember: true})
	botID := tftypes.NewValue(tftypes.String, formatBotID(b.BotID))

	results := listResults(t, NewBotDomainListResource(), NewBotDomainResource(), data, map[string]tftypes.Value{"bot_id": botID}, true, 100)
	want := []string{formatBotID(b.BotID) + "/10000001", botDomainID(b.BotID, testDomain2)}
	if got := resultIdentities(t, results); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("identities %v, want %v", got, want)
	}
	var m botDomainModel
	if diags := results[1].Resource.Get(context.Background(), &m); diags.HasError() {
		t.Fatal(diags)
	}
	if m.ID.ValueString() != want[1] || m.BotID.ValueString() != formatBotID(b.BotID) || m.DomainID.ValueInt64() != testDomain2 ||
		m.Visible.ValueBool() || !m.AllowToSelectedMember.ValueBool() {
		t.Errorf("the resource %+v", m)
	}
	if results[0].DisplayName != "bot "+formatBotID(b.BotID)+" in domain 10000001" {
		t.Errorf("display name %q", results[0].DisplayName)
	}
	if got := listResults(t, NewBotDomainListResource(), NewBotDomainResource(), data, map[string]tftypes.Value{"bot_id": botID}, false, 1); len(got) != 1 || !got[0].Resource.Raw.IsNull() {
		t.Errorf("limit 1 without the resources: %+v", got)
	}

	// A bot that does not exist is an error on bot_id that says what to do.
	results = listResults(t, NewBotDomainListResource(), NewBotDomainResource(), data, map[string]tftypes.Value{"bot_id": tftypes.NewValue(tftypes.String, "2999999")}, true, 100)
	if len(results) != 1 || !results[0].Diagnostics.HasError() {
		t.Fatalf("results for a missing bot: %+v", results)
	}
	d := results[0].Diagnostics.Errors()[0]
	if ad, ok := d.(interface{ Path() path.Path }); !ok || !ad.Path().Equal(path.Root("bot_id")) || !strings.Contains(d.Detail(), "There is no bot 2999999") {
		t.Errorf("error %q: %q", d.Summary(), d.Detail())
	}
	results = listResults(t, NewBotDomainListResource(), NewBotDomainResource(), data, map[string]tftypes.Value{"bot_id": tftypes.NewValue(tftypes.String, "bot-1")}, true, 100)
	if len(results) != 1 || !results[0].Diagnostics.HasError() || !strings.Contains(results[0].Diagnostics.Errors()[0].Summary(), "Invalid LINE WORKS bot ID") {
		t.Errorf("results for a bot_id that is not one: %+v", results)
	}
}
