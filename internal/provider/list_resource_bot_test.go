package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks/lineworkstest"
)

// listResults runs a list resource in-process, as `terraform query` would
// (the end-to-end test runs it with Terraform 1.14), and returns what it
// streamed.
func listResults(t *testing.T, lr list.ListResource, of resource.Resource, data *providerData, config map[string]tftypes.Value, include bool, limit int64) []list.ListResult {
	t.Helper()
	ctx := context.Background()
	var cresp resource.ConfigureResponse
	lr.(list.ListResourceWithConfigure).Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &cresp)
	var sresp list.ListResourceSchemaResponse
	lr.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &sresp)
	var rs resource.SchemaResponse
	of.Schema(ctx, resource.SchemaRequest{}, &rs)
	var is resource.IdentitySchemaResponse
	of.(resource.ResourceWithIdentity).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &is)

	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
		if v, ok := config[name]; ok {
			values[name] = v
		}
	}
	req := list.ListRequest{
		Config:                 tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, values)},
		IncludeResource:        include,
		Limit:                  limit,
		ResourceSchema:         rs.Schema,
		ResourceIdentitySchema: is.IdentitySchema,
	}
	var stream list.ListResultsStream
	lr.List(ctx, req, &stream)
	var out []list.ListResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

// resultBotIDs are the bot IDs of results' identities, failing on a result
// with an error.
func resultIdentities(t *testing.T, results []list.ListResult) []string {
	t.Helper()
	var ids []string
	for _, r := range results {
		if r.Diagnostics.HasError() {
			t.Fatalf("a result with errors: %v", r.Diagnostics)
		}
		var id botDomainIdentityModel // a bot's identity is its bot_id alone
		var m botIdentityModel
		if diags := r.Identity.Get(context.Background(), &m); !diags.HasError() {
			ids = append(ids, m.BotID.ValueString())
			continue
		}
		if diags := r.Identity.Get(context.Background(), &id); diags.HasError() {
			t.Fatalf("identity: %v", diags)
		}
		ids = append(ids, fmt.Sprintf("%s/%d", id.BotID.ValueString(), id.DomainID.ValueInt64()))
	}
	return ids
}

func TestBotListResource(t *testing.T) {
	env := newBotEnv(t)
	data := &providerData{client: env.client(t)}
	var ids []string
	for i := range 3 {
		b, err := env.emu.Bots.Add(lineworkstest.Bot{BotName: fmt.Sprintf("Listed %d", i), PhotoURL: "https://example.com/b.png",
			Description: "d", Administrators: []string{testAdmin}, AllowDomains: []int64{testDomain2}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fmt.Sprint(b.BotID))
	}

	// Identities and names only: no bot is read.
	results := listResults(t, NewBotListResource(), NewBotResource(), data, nil, false, 100)
	if got := resultIdentities(t, results); strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Fatalf("identities %v, want %v", got, ids)
	}
	if results[1].DisplayName != "Listed 1" || !results[1].Resource.Raw.IsNull() {
		t.Errorf("display name %q, resource %v", results[1].DisplayName, results[1].Resource.Raw)
	}
	if n := len(env.botRequests(http.MethodGet, mustID(t, ids[0]))); n != 0 {
		t.Errorf("%d reads of a bot without include_resource", n)
	}

	// In full, up to the limit, and a bot deleted since the listing left out.
	env.emu.Requests.Watch(func(r lineworkstest.Request) {
		if r.Method == http.MethodGet && r.Path == "/v1.0/bots" {
			env.emu.Bots.Remove(mustID(t, ids[0]))
		}
	})
	results = listResults(t, NewBotListResource(), NewBotResource(), data, nil, true, 2)
	if got := resultIdentities(t, results); strings.Join(got, " ") != ids[1] {
		t.Fatalf("identities %v, want only %s: the limit is 2 and the first bot went", got, ids[1])
	}
	var m botResourceModel
	if diags := results[0].Resource.Get(context.Background(), &m); diags.HasError() {
		t.Fatal(diags)
	}
	if m.BotID.ValueString() != ids[1] || m.BotName.ValueString() != "Listed 1" || len(m.AllowDomains.Elements()) != 1 || m.Administrators.IsNull() {
		t.Errorf("the resource %+v", m)
	}
}

func TestBotListResourceErrors(t *testing.T) {
	env := newBotEnv(t)
	env.emu.Auth.RegisterApp(lineworkstest.App{ClientID: testClientID, ClientSecret: testClientSecret, ServiceAccountID: testAccount,
		PublicKey: &lineworkstest.TestKey(0).PublicKey, Scopes: []string{"user.read"}})
	results := listResults(t, NewBotListResource(), NewBotResource(), &providerData{client: env.client(t)}, nil, true, 100)
	if len(results) != 1 || !results[0].Diagnostics.HasError() {
		t.Fatalf("results %+v, want one with the error", results)
	}
	if d := results[0].Diagnostics.Errors()[0]; d.Summary() != "Failed to list the LINE WORKS bots" || !strings.Contains(d.Detail(), "bot") {
		t.Errorf("error %q: %q", d.Summary(), d.Detail())
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}
