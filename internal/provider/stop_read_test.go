package provider

import (
	"context"
	"errors"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A Read leaves the state only when its object is gone; another error is
// reported and keeps the state; no error lets the Read go on.
func TestStopRead(t *testing.T) {
	ctx := context.Background()
	s := schema.Schema{Attributes: map[string]schema.Attribute{"bot_id": schema.StringAttribute{Required: true}}}
	typ := s.Type().TerraformType(ctx)
	failed := errors.New("LINE WORKS answered 500")
	for _, tc := range []struct {
		name               string
		err                error
		gone               bool
		stop, kept, errors bool
	}{
		{name: "found", stop: false, kept: true},
		{name: "gone", err: errors.New("none is set"), gone: true, stop: true, kept: false},
		{name: "failed", err: failed, stop: true, kept: true, errors: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := resource.ReadResponse{State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{"bot_id": tftypes.NewValue(tftypes.String, "2000001")})}}
			stop := (&providerData{}).stopRead(ctx, &resp, tc.err, tc.gone, "Failed to read")
			if stop != tc.stop || resp.State.Raw.IsNull() == tc.kept || resp.Diagnostics.HasError() != tc.errors {
				t.Errorf("stop %v, state kept %v, errors %v; want %v, %v, %v", stop, !resp.State.Raw.IsNull(), resp.Diagnostics, tc.stop, tc.kept, tc.errors)
			}
			if tc.errors && resp.Diagnostics.Errors()[0].Summary() != "Failed to read" {
				t.Errorf("summary %q", resp.Diagnostics.Errors()[0].Summary())
			}
		})
	}
}
