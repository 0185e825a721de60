package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// A callback body as LINE WORKS posts it, and a secret shaped like a real one.
// The signature was computed independently of this code:
//
//	python3 -c 'import hmac,hashlib,base64; body="{\"type\":\"message\",\"source\":{\"userId\":\"kim@example.com\",\"channelId\":\"a1b2c3\",\"domainId\":10000001},\"issuedTime\":\"2026-11-22T09:00:00.000Z\",\"content\":{\"type\":\"text\",\"text\":\"こんにちは\"}}"; print(base64.b64encode(hmac.new("N2ZjNzVmY2QtY2E0OS00ZmE2LWJmYjQtZjFkOTkz".encode(), body.encode(), hashlib.sha256).digest()).decode())'
const (
	vectorBody      = `{"type":"message","source":{"userId":"kim@example.com","channelId":"a1b2c3","domainId":10000001},"issuedTime":"2026-11-22T09:00:00.000Z","content":{"type":"text","text":"こんにちは"}}`
	vectorSecret    = "N2ZjNzVmY2QtY2E0OS00ZmE2LWJmYjQtZjFkOTkz"
	vectorSignature = "IUZeZMU0PdpTfuisSolZn9Qy0B9FQXwq/iw5+qQVCCU="
)

func runCallbackSignature(t *testing.T, body, secret string) (string, *function.FuncError) {
	t.Helper()
	resp := function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
	NewCallbackSignatureFunction().Run(context.Background(), function.RunRequest{
		Arguments: function.NewArgumentsData([]attr.Value{types.StringValue(body), types.StringValue(secret)}),
	}, &resp)
	if resp.Error != nil {
		return "", resp.Error
	}
	return resp.Result.Value().(types.String).ValueString(), nil
}

func TestCallbackSignatureFunction(t *testing.T) {
	got, err := runCallbackSignature(t, vectorBody, vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got != vectorSignature {
		t.Errorf("signature %q, want %q", got, vectorSignature)
	}
	if _, err := runCallbackSignature(t, vectorBody, ""); err == nil || err.FunctionArgument == nil || *err.FunctionArgument != 1 {
		t.Errorf("an empty secret gave %v, want an error on argument 1", err)
	}
}

func TestAccCallbackSignatureFunction(t *testing.T) {
	env := newAccEnv(t)
	config := func(outputSensitive bool) string {
		return `
variable "secret" {
  type      = string
  sensitive = true
  default   = "` + vectorSecret + `"
}

output "signature" {
  value     = provider::lineworks::callback_signature("{\"type\":\"message\",\"source\":{\"userId\":\"kim@example.com\",\"channelId\":\"a1b2c3\",\"domainId\":10000001},\"issuedTime\":\"2026-11-22T09:00:00.000Z\",\"content\":{\"type\":\"text\",\"text\":\"こんにちは\"}}", var.secret)
  sensitive = ` + map[bool]string{true: "true", false: "false"}[outputSensitive] + `
}
`
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{
			{
				Config:            config(true),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("signature", knownvalue.StringExact(vectorSignature))},
			},
			{
				// Terraform marks a result derived from a sensitive argument
				// sensitive too, as the docs promise.
				Config:      config(false),
				ExpectError: errorText("Output refers to sensitive values"),
			},
			{
				Config:      `output "signature" { value = provider::lineworks::callback_signature("{}", "") }`,
				ExpectError: errorText("bot_secret is empty"),
			},
		},
	})
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Fatalf("the function sent %d requests", n)
	}
}
