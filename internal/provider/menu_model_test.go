package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// Each finding of the client lands on the attribute at fault, in this
// provider's names.
func TestFieldErrorPath(t *testing.T) {
	for _, tt := range []struct {
		err  lineworks.FieldError
		want string
	}{
		{lineworks.FieldError{Field: "richmenuName"}, "name"},
		{lineworks.FieldError{Field: "size.height"}, "height"},
		{lineworks.FieldError{Field: "areas"}, "areas"},
		{lineworks.FieldError{List: "areas", Index: 1, Field: "bounds"}, "areas[1].bounds"},
		{lineworks.FieldError{List: "areas", Index: 0, Field: "action.displayText"}, "areas[0].action.display_text"},
		{lineworks.FieldError{List: "areas", Index: 2, Field: "action.i18nDisplayTexts", Language: "ja_JP"}, `areas[2].action.i18n_display_texts["ja_JP"]`},
		{lineworks.FieldError{List: "actions", Index: 3, Field: "copyText"}, "actions[3].copy_text"},
		{lineworks.FieldError{List: "actions", Index: 0, Field: "i18nTexts", Language: "en_US"}, `actions[0].i18n_texts["en_US"]`},
	} {
		if got := fieldErrorPath(&tt.err).String(); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.err, got, tt.want)
		}
	}
}

// The client's problems, whose texts name fields by their JSON names, are
// told in this provider's names, on their attribute.
func TestAddMenuProblems(t *testing.T) {
	var diags diag.Diagnostics
	problems := lineworks.ValidateRichMenuAction(lineworks.MenuAction{Type: lineworks.ActionURI, URI: "https://example.com", DisplayText: "x"})
	for _, p := range problems {
		p.List, p.Index, p.Field = "areas", 1, "action."+p.Field
	}
	addMenuProblems(&diags, "rich menu", problems)
	if diags.ErrorsCount() != 1 {
		t.Fatalf("%d errors: %v", diags.ErrorsCount(), diags)
	}
	d := diags.Errors()[0]
	want := "Attribute areas[1].action.display_text is not a field of a uri action: a uri action takes uri, label, i18n_labels."
	if d.Summary() != "Invalid rich menu" || d.Detail() != want {
		t.Fatalf("%q: %q, want %q", d.Summary(), d.Detail(), want)
	}
}
