package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// importByIdentity runs r's ImportState in-process for an import block's
// identity (an ID of "") and returns the state it set.
func importByIdentity(t *testing.T, r resource.Resource, id string, identity map[string]tftypes.Value) (tfsdk.State, []string) {
	t.Helper()
	ctx := context.Background()
	var rs resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &rs)
	var is resource.IdentitySchemaResponse
	r.(resource.ResourceWithIdentity).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &is)
	identityType := is.IdentitySchema.Type().TerraformType(ctx).(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, at := range identityType.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
		if v, ok := identity[name]; ok {
			values[name] = v
		}
	}
	ident := &tfsdk.ResourceIdentity{Schema: is.IdentitySchema, Raw: tftypes.NewValue(identityType, values)}
	resp := resource.ImportStateResponse{
		State:    tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(rs.Schema.Type().TerraformType(ctx), nil)},
		Identity: ident,
	}
	r.(resource.ResourceWithImportState).ImportState(ctx, resource.ImportStateRequest{ID: id, Identity: ident}, &resp)
	var errs []string
	for _, d := range resp.Diagnostics.Errors() {
		errs = append(errs, d.Summary()+": "+d.Detail())
	}
	return resp.State, errs
}

func TestImportByIdentity(t *testing.T) {
	ctx := context.Background()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }

	state, errs := importByIdentity(t, NewBotResource(), "", map[string]tftypes.Value{"bot_id": str("2000001")})
	var bot botResourceModel
	if state.Get(ctx, &bot); len(errs) != 0 || bot.BotID.ValueString() != "2000001" {
		t.Errorf("a bot by identity: bot_id %q, errors %v", bot.BotID.ValueString(), errs)
	}
	// An ID, when given, is what counts (terraform import, an import block's id).
	if state, errs = importByIdentity(t, NewBotResource(), "2000002", nil); len(errs) != 0 {
		t.Errorf("a bot by ID: %v", errs)
	} else if state.Get(ctx, &bot); bot.BotID.ValueString() != "2000002" {
		t.Errorf("a bot by ID: bot_id %q", bot.BotID.ValueString())
	}
	if _, errs = importByIdentity(t, NewBotResource(), "", map[string]tftypes.Value{"bot_id": str("expenses")}); len(errs) != 1 || !strings.Contains(errs[0], "Import a bot by its ID") {
		t.Errorf("a bot_id that is not one: %v", errs)
	}

	state, errs = importByIdentity(t, NewBotDomainResource(), "", map[string]tftypes.Value{"bot_id": str("2000001"), "domain_id": num(10000002)})
	var reg botDomainModel
	if state.Get(ctx, &reg); len(errs) != 0 || reg.ID.ValueString() != "2000001/10000002" || reg.BotID.ValueString() != "2000001" || reg.DomainID.ValueInt64() != 10000002 {
		t.Errorf("a registration by identity: %+v, errors %v", reg, errs)
	}
	for _, bad := range []map[string]tftypes.Value{
		{"bot_id": str("2000001")},
		{"bot_id": str("2000001"), "domain_id": num(0)},
		{"bot_id": str("x"), "domain_id": num(10000002)},
	} {
		if _, errs = importByIdentity(t, NewBotDomainResource(), "", bad); len(errs) != 1 || !strings.Contains(errs[0], "{bot_id}/{domain_id}") {
			t.Errorf("identity %v: %v", bad, errs)
		}
	}
}
