package provider

// A rich menu's image in Terraform: checked and hashed at plan time, uploaded
// and set at apply, and watched on refresh through the file IDs LINE WORKS
// reports for it (the image itself cannot be read back).

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

// richMenuImageKey holds a richMenuImageRecord in the private state.
const richMenuImageKey = "image"

// richMenuImageRecord is the image LINE WORKS reported for a menu right after
// Terraform set it: its file IDs, by language for the i18n ones. A later
// report that differs is an image changed outside Terraform.
type richMenuImageRecord struct {
	FileID      string            `json:"fileId"`
	I18nFileIDs map[string]string `json:"i18nFileIds,omitempty"`
}

func recordOf(img lineworks.RichMenuImage) richMenuImageRecord {
	r := richMenuImageRecord{FileID: img.FileID}
	for _, i := range img.I18nFileIDs {
		if r.I18nFileIDs == nil {
			r.I18nFileIDs = map[string]string{}
		}
		r.I18nFileIDs[i.Language] = i.FileID
	}
	return r
}

func (r richMenuImageRecord) equal(o richMenuImageRecord) bool {
	return r.FileID == o.FileID && maps.Equal(r.I18nFileIDs, o.I18nFileIDs)
}

// planImages checks the image files as LINE WORKS will (type, exact size for
// height, 1 MB), with each error on its attribute, and returns the SHA-256
// of each: what image_sha256 and i18n_image_sha256 will be once uploaded.
func planImages(ctx context.Context, imagePath types.String, i18nPaths types.Map, height int, diags *diag.Diagnostics) (types.String, types.Map) {
	sum := planImage(imagePath.ValueString(), "", height, path.Root("image_path"), diags)
	sums := types.MapNull(types.StringType)
	if !i18nPaths.IsNull() {
		var files map[string]string
		diags.Append(i18nPaths.ElementsAs(ctx, &files, false)...)
		out := make(map[string]string, len(files))
		for lang, file := range files {
			out[lang] = planImage(file, lang, height, path.Root("i18n_image_paths").AtMapKey(lang), diags)
		}
		var d diag.Diagnostics
		sums, d = types.MapValueFrom(ctx, types.StringType, out)
		diags.Append(d...)
	}
	return types.StringValue(sum), sums
}

// planImage checks one image file, the one for lang ("" for the menu's
// own), and returns its SHA-256.
func planImage(file, lang string, height int, at path.Path, diags *diag.Diagnostics) string {
	if _, err := lineworks.CheckRichMenuImage(file, height); err != nil {
		var ie *lineworks.RichMenuImageError
		if errors.As(err, &ie) {
			ie.Language = lang
		}
		detail := err.Error() + "."
		if ie != nil && strings.HasPrefix(ie.Problem, "cannot be read") {
			detail += " The image is read when Terraform plans, so the file must exist by then; a relative path is relative to the directory Terraform runs in (\"${path.module}/menu.png\" avoids the doubt)."
		}
		diags.AddAttributeError(at, "Invalid rich menu image", detail)
		return ""
	}
	sum, err := lineworks.FileSHA256(file)
	if err != nil {
		diags.AddAttributeError(at, "Unreadable rich menu image", fmt.Sprintf("Reading %s: %s.", file, err))
	}
	return sum
}

// setImage uploads the images planned and sets them on m's menu, then
// records in the private state what LINE WORKS reports for them. A file
// whose content is not the one planned is an error: it changed in between.
func (r *botRichMenuResource) setImage(ctx context.Context, botID int64, m *botRichMenuModel, planned botRichMenuModel, private privateStore, diags *diag.Diagnostics) {
	files := lineworks.RichMenuImageFiles{Path: planned.ImagePath.ValueString()}
	if !planned.I18nImagePaths.IsNull() {
		diags.Append(planned.I18nImagePaths.ElementsAs(ctx, &files.I18nPaths, false)...)
	}
	up, err := r.data.client.UploadRichMenuImage(ctx, botID, m.RichMenuID.ValueString(), int(m.Height.ValueInt64()), files)
	if err != nil {
		r.data.addClientError(diags, "Failed to set the LINE WORKS rich menu's image", err)
		return
	}
	m.ImageSHA256 = types.StringValue(up.SHA256)
	m.I18nImageSHA256 = types.MapNull(types.StringType)
	if len(up.I18nSHA256) > 0 {
		var d diag.Diagnostics
		m.I18nImageSHA256, d = types.MapValueFrom(ctx, types.StringType, up.I18nSHA256)
		diags.Append(d...)
	}
	if !planned.ImageSHA256.IsUnknown() && (!m.ImageSHA256.Equal(planned.ImageSHA256) || !m.I18nImageSHA256.Equal(planned.I18nImageSHA256)) {
		diags.AddAttributeError(path.Root("image_path"), "Rich menu image changed during the apply",
			"An image file's content changed between the plan and the upload: the menu now has the file as it was at the upload. Run terraform apply again.")
	}

	// What the service reports is what later reports are compared with; when
	// it cannot say, what was sent.
	record := recordOf(up.Image)
	if img, err := r.data.client.GetRichMenuImage(ctx, botID, m.RichMenuID.ValueString()); err == nil {
		record = recordOf(*img)
	}
	writePrivate(ctx, private, richMenuImageKey, record, diags)
}

// readImage checks that the menu still has the image Terraform set. One that
// went away or changed outside Terraform nulls image_sha256, which plans an
// upload of the configured files again.
func (r *botRichMenuResource) readImage(ctx context.Context, botID int64, m *botRichMenuModel, prior, private privateStore, diags *diag.Diagnostics) {
	img, err := r.data.client.GetRichMenuImage(ctx, botID, m.RichMenuID.ValueString())
	switch {
	case errors.Is(err, lineworks.ErrNotSet), errors.Is(err, lineworks.ErrRichMenuNotFound):
		m.ImageSHA256, m.I18nImageSHA256 = types.StringNull(), types.MapNull(types.StringType)
		return
	case err != nil:
		r.data.addClientError(diags, "Failed to read the LINE WORKS rich menu's image", err)
		return
	}
	now := recordOf(*img)
	var was richMenuImageRecord
	if !readPrivate(ctx, prior, richMenuImageKey, &was, diags) {
		writePrivate(ctx, private, richMenuImageKey, now, diags) // first seen: what there is now
		return
	}
	if !was.equal(now) {
		m.ImageSHA256, m.I18nImageSHA256 = types.StringNull(), types.MapNull(types.StringType)
	}
}
