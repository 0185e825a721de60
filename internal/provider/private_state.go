package provider

// A resource's private state: what the provider keeps for one resource
// between its calls (what LINE WORKS answered, how an object came in),
// stored as JSON under a key, out of the plan and the state.

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateStore is a resource's private state, which survives from plan to
// apply and between refreshes without showing in the plan.
type privateStore interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// readPrivate decodes the JSON under key into v, and reports whether there
// was a value to decode. Nothing under key, or JSON that does not decode
// into v (written by another version), counts as none: the caller falls
// back as for a resource that never had it.
func readPrivate(ctx context.Context, private privateStore, key string, v any, diags *diag.Diagnostics) bool {
	raw, d := private.GetKey(ctx, key)
	diags.Append(d...)
	return len(raw) > 0 && json.Unmarshal(raw, v) == nil
}

// writePrivate stores v under key as JSON.
func writePrivate(ctx context.Context, private privateStore, key string, v any, diags *diag.Diagnostics) {
	raw, err := json.Marshal(v)
	if err != nil {
		diags.AddError("Recording "+key+" in the private state failed", "This is a bug in the provider; please report it: "+err.Error())
		return
	}
	diags.Append(private.SetKey(ctx, key, raw)...)
}
