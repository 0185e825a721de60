package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// noteInterrupted warns, after a create that completed although Terraform
// asked the provider to stop (Ctrl-C, a cancelled CI job), that what was
// created is in the state all the same: the client waits for the answer of
// a call that reached LINE WORKS, so that nothing it creates goes unrecorded.
func noteInterrupted(ctx context.Context, diags *diag.Diagnostics, what string) {
	if ctx.Err() == nil {
		return
	}
	diags.AddWarning("Interrupted after LINE WORKS had received the request",
		fmt.Sprintf("Terraform was asked to stop while LINE WORKS was creating %s. The request had already reached LINE WORKS, so the provider waited for its answer: "+
			"%s exists and is recorded in the state. Run terraform apply again to finish the rest.", what, what))
}
