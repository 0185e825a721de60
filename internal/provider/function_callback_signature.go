package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/lineworks"
)

var _ function.Function = (*callbackSignatureFunction)(nil)

// NewCallbackSignatureFunction returns the callback_signature provider function.
func NewCallbackSignatureFunction() function.Function {
	return &callbackSignatureFunction{}
}

// callbackSignatureFunction computes the X-WORKS-Signature of a callback body.
type callbackSignatureFunction struct{}

func (f *callbackSignatureFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "callback_signature"
}

func (f *callbackSignatureFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Sign a bot callback body as LINE WORKS does (X-WORKS-Signature)",
		MarkdownDescription: "Returns the `X-WORKS-Signature` LINE WORKS sends with a callback whose raw body is `body`, for a bot whose Bot Secret is `bot_secret`: " +
			"base64(HMAC-SHA256(key = bot secret, message = body)). Use it to send your callback endpoint a correctly signed test request, " +
			"or to check the endpoint's verification code.\n\n" +
			"The signature covers the exact bytes of the body: sign the string you send, not a re-encoded copy (`jsonencode` output differs from hand-written JSON in spacing and key order). " +
			"Pass the secret from `lineworks_bot_secret.x.secret`: it is sensitive, and so is the result Terraform derives from it. " +
			"Pure and offline: it sends nothing. Requires Terraform 1.8 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "body",
				MarkdownDescription: "The raw request body of the callback, exactly as sent, such as `{\"type\":\"message\",\"source\":{\"userId\":\"…\"},\"content\":{\"type\":\"text\",\"text\":\"hello\"}}`.",
			},
			function.StringParameter{
				Name:                "bot_secret",
				MarkdownDescription: "The bot's Bot Secret, such as `lineworks_bot_secret.x.secret`. Must not be empty.",
				// Null is refused (AllowNullValue false): a signature with no
				// key would verify nothing.
				AllowNullValue: false,
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *callbackSignatureFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var body, secret string
	if resp.Error = req.Arguments.Get(ctx, &body, &secret); resp.Error != nil {
		return
	}
	if secret == "" {
		resp.Error = function.NewArgumentFuncError(1, "bot_secret is empty: pass the bot's Bot Secret, such as lineworks_bot_secret.x.secret")
		return
	}
	resp.Error = resp.Result.Set(ctx, lineworks.CallbackSignature([]byte(body), secret))
}
