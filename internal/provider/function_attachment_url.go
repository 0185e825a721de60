package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var _ function.Function = (*attachmentURLFunction)(nil)

// NewAttachmentURLFunction returns the attachment_url provider function.
func NewAttachmentURLFunction() function.Function {
	return &attachmentURLFunction{}
}

// attachmentURLFunction derives a bot attachment's storage URL from its file ID.
type attachmentURLFunction struct{}

func (f *attachmentURLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "attachment_url"
}

func (f *attachmentURLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Derive the storage URL of a bot attachment from its file ID",
		MarkdownDescription: "Returns the URL on `" + lineworks.DefaultStorageEndpoint + "` that serves a file a user sent a bot, derived from its file ID " +
			"as the LINE WORKS community found it: the first dot-separated segment, then the rest, then a trailing slash. " +
			"`jp1.1628695315008671000.1628781715.0.1000001.0.0.0` gives `" + lineworks.DefaultStorageEndpoint + "/k/emsg/r/jp1/1628695315008671000.1628781715.0.1000001.0.0.0/`.\n\n" +
			"The URL still needs `Authorization: Bearer` with a token that has the `bot` scope. Pure and offline: it sends nothing. " +
			"For downloading inside Terraform use the `lineworks_bot_attachment` data source, which also follows the API's redirect. Requires Terraform 1.8 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "file_id",
				MarkdownDescription: "The file ID from the bot's callback, such as `jp1.1628695315008671000.1628781715.0.1000001.0.0.0`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *attachmentURLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var fileID string
	if resp.Error = req.Arguments.Get(ctx, &fileID); resp.Error != nil {
		return
	}
	u, err := lineworks.AttachmentURL(lineworks.DefaultStorageEndpoint, fileID)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, u)
}
