package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var (
	_ datasource.DataSource              = (*botAttachmentDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*botAttachmentDataSource)(nil)
)

const (
	// defaultInlineMaxSize bounds content returned in content_base64, which
	// Terraform keeps in memory and in the state.
	defaultInlineMaxSize  = 16 << 20
	defaultFilePermission = "0600"
)

// NewBotAttachmentDataSource returns the lineworks_bot_attachment data source.
func NewBotAttachmentDataSource() datasource.DataSource {
	return &botAttachmentDataSource{}
}

// botAttachmentDataSource downloads a file a user sent a bot.
type botAttachmentDataSource struct {
	data *providerData
}

type botAttachmentModel struct {
	BotID          types.String `tfsdk:"bot_id"`
	FileID         types.String `tfsdk:"file_id"`
	OutputPath     types.String `tfsdk:"output_path"`
	FilePermission types.String `tfsdk:"file_permission"`
	MaxSize        types.Int64  `tfsdk:"max_size"`
	ContentBase64  types.String `tfsdk:"content_base64"`
	Size           types.Int64  `tfsdk:"size"`
	SHA256         types.String `tfsdk:"sha256"`
	ContentType    types.String `tfsdk:"content_type"`
	FileName       types.String `tfsdk:"file_name"`
	DownloadMethod types.String `tfsdk:"download_method"`
}

func (d *botAttachmentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bot_attachment"
}

func (d *botAttachmentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Downloads a file a user sent a bot (`GET /bots/{botId}/attachments/{fileId}`), to `output_path` or inline as `content_base64`.",
		Attributes: map[string]schema.Attribute{
			"bot_id": schema.StringAttribute{
				MarkdownDescription: "The bot's ID, such as `2000001`.",
				Required:            true,
				Validators:          []validator.String{botIDValidator},
			},
			"file_id": schema.StringAttribute{
				MarkdownDescription: "The file ID from the bot's callback (`content.fileId`), such as `jp1.1628695315008671000.1628781715.0.1000001.0.0.0`.",
				Required:            true,
				Validators:          []validator.String{clientValidator{"LINE WORKS file ID", lineworks.ValidateFileID}},
			},
			"output_path": schema.StringAttribute{
				MarkdownDescription: "Write the file here instead of returning it inline, creating missing directories. The file appears whole or not at all: " +
					"the body streams to a temporary file in the same directory, which is synced and renamed into place, so a failed download leaves an existing file untouched. " +
					"Only a regular file is replaced: a directory, a symbolic link, a named pipe or a device (such as `/dev/null`) at this path is an error that says which. " +
					"Relative paths are relative to the directory Terraform runs in; prefer `\"${path.module}/…\"`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"file_permission": schema.StringAttribute{
				MarkdownDescription: "Permission of the file at `output_path`, as an octal string. Defaults to `\"0600\"`: files from chats are often private. Requires `output_path`.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(regexp.MustCompile(`^0?[0-7]{3}$`), `must be an octal permission such as "0600" or "0644"`),
					stringvalidator.AlsoRequires(path.MatchRoot("output_path")),
				},
			},
			"max_size": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Largest file to accept, in bytes, from 1 to %d (1 TiB). Without `output_path` it defaults to %d (16 MiB), since inline content lives in memory and in the state; "+
					"with `output_path` there is no limit unless set.", int64(lineworks.MaxAttachmentSize), defaultInlineMaxSize),
				Optional: true,
				Computed: true,
				Validators: []validator.Int64{int64Bounds{
					min: 1, max: lineworks.MaxAttachmentSize,
					tooSmall: "max_size is %d: give the largest file to accept, in bytes (at least 1), or leave max_size out.",
					tooLarge: fmt.Sprintf("max_size is %%d bytes, more than the %d (1 TiB) it may be, which is more than any file sent in a chat. "+
						"Lower it, or leave max_size out: with output_path there is then no limit.", int64(lineworks.MaxAttachmentSize)),
				}},
			},
			"content_base64": schema.StringAttribute{
				MarkdownDescription: "The file's content, base64-encoded. Null when `output_path` is set, so large files never reach the state.",
				Computed:            true,
				Sensitive:           true,
			},
			"size": schema.Int64Attribute{
				MarkdownDescription: "The file's size in bytes.",
				Computed:            true,
			},
			"sha256": schema.StringAttribute{
				MarkdownDescription: "SHA-256 of the content, in lowercase hex; computed while streaming.",
				Computed:            true,
			},
			"content_type": schema.StringAttribute{
				MarkdownDescription: "The `Content-Type` the storage host sent.",
				Computed:            true,
			},
			"file_name": schema.StringAttribute{
				MarkdownDescription: "The file's name from `Content-Disposition`, with RFC 5987 `filename*=UTF-8''…` preferred, so Japanese names come out right; " +
					"a quoted name in raw UTF-8, an unquoted one and a percent-encoded one (`filename=\"%E9%80%B1%E5%A0%B1.pdf\"`) are read too. " +
					"Safe to use as a file name: only the last path element is kept, and it never holds `..` or control characters. Null when the service sent none.",
				Computed: true,
			},
			"download_method": schema.StringAttribute{
				MarkdownDescription: "How the file was reached: `redirect` (the API's redirect, followed with the token), `fallback` (the storage URL derived from the file ID, " +
					"after the API answered 401, redirected to a host or scheme the token may not go to, or the storage host refused the redirect) or `direct` (the API sent the content itself).",
				Computed: true,
			},
		},
	}
}

func (d *botAttachmentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *botAttachmentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m botAttachmentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	ctx, ok := d.data.begin(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	client := d.data.client
	botID, fileID := m.BotID.ValueString(), m.FileID.ValueString()

	var (
		att *lineworks.Attachment
		err error
	)
	if m.OutputPath.IsNull() {
		if m.MaxSize.IsNull() {
			m.MaxSize = types.Int64Value(defaultInlineMaxSize)
		}
		var buf bytes.Buffer
		att, err = client.DownloadAttachment(ctx, botID, fileID, &buf, m.MaxSize.ValueInt64())
		if err == nil {
			m.ContentBase64 = types.StringValue(base64.StdEncoding.EncodeToString(buf.Bytes()))
		}
		m.FilePermission = types.StringNull()
	} else {
		if m.FilePermission.IsNull() {
			m.FilePermission = types.StringValue(defaultFilePermission)
		}
		perm, _ := strconv.ParseUint(m.FilePermission.ValueString(), 8, 32) // shape checked by the validator
		att, err = client.DownloadAttachmentToFile(ctx, botID, fileID, m.OutputPath.ValueString(), os.FileMode(perm), m.MaxSize.ValueInt64())
		m.ContentBase64 = types.StringNull()
	}
	if err != nil {
		d.addAttachmentError(&resp.Diagnostics, m, err)
		return
	}

	m.Size = types.Int64Value(att.Size)
	m.SHA256 = types.StringValue(att.SHA256)
	m.ContentType = optionalString(att.ContentType)
	m.FileName = optionalString(att.FileName)
	m.DownloadMethod = types.StringValue(string(att.Method))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// addAttachmentError attaches a download error to the argument that can fix it.
func (d *botAttachmentDataSource) addAttachmentError(diags *diag.Diagnostics, m botAttachmentModel, err error) {
	var (
		notFound *lineworks.AttachmentNotFoundError
		tooLarge *lineworks.SizeLimitError
		badPath  *lineworks.OutputPathError
	)
	switch {
	case errors.As(err, &badPath):
		diags.AddAttributeError(path.Root("output_path"), "Cannot write the LINE WORKS attachment to output_path", err.Error()+".")
	case errors.As(err, &notFound):
		diags.AddAttributeError(path.Root("file_id"), "LINE WORKS attachment not found", err.Error()+".")
	case errors.As(err, &tooLarge) && m.OutputPath.IsNull():
		diags.AddAttributeError(path.Root("max_size"), "LINE WORKS attachment too large to return inline",
			fmt.Sprintf("%s. Set output_path to stream it to a file instead (content_base64 keeps the whole file in memory and in the state), or raise max_size.", err))
	case errors.As(err, &tooLarge):
		diags.AddAttributeError(path.Root("max_size"), "LINE WORKS attachment too large",
			fmt.Sprintf("%s. Raise max_size to accept it; nothing was written to %s.", err, m.OutputPath.ValueString()))
	default:
		summary := "Failed to download the LINE WORKS attachment"
		if !m.OutputPath.IsNull() {
			err = fmt.Errorf("%w. %s was left as it was", err, m.OutputPath.ValueString())
		}
		d.data.addClientError(diags, summary, err)
	}
}
