package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func TestAccAttachmentURLFunction(t *testing.T) {
	env := newAccEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{
			{
				Config: `
output "url" {
  value = provider::lineworks::attachment_url("jp1.1628695315008671000.1628781715.0.1000001.0.0.0")
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("url", knownvalue.StringExact(
						"https://apis-storage.worksmobile.com/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/")),
				},
			},
			{
				Config:      `output "url" { value = provider::lineworks::attachment_url("jp1/../../etc") }`,
				ExpectError: errorText(`"jp1/../../etc" is not a LINE WORKS file ID`),
			},
		},
	})
	if n := len(env.emu.Requests.All()); n != 0 {
		t.Fatalf("the function sent %d requests", n)
	}
}
