package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// stopRead ends a Read whose call to LINE WORKS answered err, and reports
// whether it did. When gone, the object is no longer there, and the
// resource leaves the state so that the next plan creates it again; gone
// must come from an error the client returns only once the service has
// confirmed that this object is absent (never a bare 404, which a wrong
// api_endpoint answers too: see the client's confirm.go). Any other error
// is reported under summary, and the state is kept.
func (d *providerData) stopRead(ctx context.Context, resp *resource.ReadResponse, err error, gone bool, summary string) bool {
	switch {
	case gone:
		resp.State.RemoveResource(ctx)
		return true
	case err != nil:
		d.addClientError(&resp.Diagnostics, summary, err)
		return true
	}
	return false
}
