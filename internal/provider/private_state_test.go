package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// mapPrivate is a private state in memory.
type mapPrivate map[string][]byte

func (p mapPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p mapPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	p[key] = value
	return nil
}

// What is written reads back; nothing under the key, or what does not
// decode (written by another version), reads as none.
func TestPrivateState(t *testing.T) {
	ctx := context.Background()
	var diags diag.Diagnostics
	p := mapPrivate{"other": []byte(`{"fileId": 5}`)}
	writePrivate(ctx, p, "image", richMenuImageRecord{FileID: "f1", I18nFileIDs: map[string]string{"ja_JP": "f2"}}, &diags)
	writePrivate(ctx, p, "imported", true, &diags)
	var got richMenuImageRecord
	if !readPrivate(ctx, p, "image", &got, &diags) || !got.equal(richMenuImageRecord{FileID: "f1", I18nFileIDs: map[string]string{"ja_JP": "f2"}}) {
		t.Errorf("read back %+v", got)
	}
	if imported := false; !readPrivate(ctx, p, "imported", &imported, &diags) || !imported || string(p["imported"]) != "true" {
		t.Errorf("imported = %v, stored as %q", imported, p["imported"])
	}
	var none richMenuImageRecord
	if readPrivate(ctx, p, "missing", &none, &diags) || readPrivate(ctx, p, "other", &none, &diags) {
		t.Error("a missing or undecodable value read as one")
	}
	if diags.HasError() {
		t.Error(diags)
	}
}
