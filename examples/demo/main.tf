# The configuration `make demo` applies against the emulator. It is the
# README's example plus a few lines (marked "demo only") that show what
# Terraform got. Credentials and endpoints come from LINEWORKS_* variables.

terraform {
  required_version = ">= 1.10"
  required_providers {
    lineworks = {
      source = "lineworks-community/lineworks"
    }
  }
}

variable "bot_id" {
  description = "The bot that received the file."
  type        = string
}

variable "file_id" {
  description = "content.fileId from the bot's callback."
  type        = string
}

# Client ID, secret, service account and private key from LINEWORKS_* variables.
provider "lineworks" {
  scopes = ["bot", "bot.message"]
}

# An API 2.0 access token. Ephemeral: never written to the plan or the state.
ephemeral "lineworks_access_token" "bot" {}

# A second provider block that calls the API with that token instead of
# issuing its own.
provider "lineworks" {
  alias        = "bot"
  access_token = ephemeral.lineworks_access_token.bot.access_token
}

# Downloads the file a user sent the bot. Read during plan: `terraform plan`
# already writes the file.
data "lineworks_bot_attachment" "report" {
  provider    = lineworks.bot
  bot_id      = var.bot_id
  file_id     = var.file_id
  output_path = "${path.module}/downloads/${var.file_id}"
}

# The signed JWT assertion, for tools that call the token endpoint themselves.
ephemeral "lineworks_jwt_assertion" "service_account" {}

output "attachment" {
  value = {
    file_name       = data.lineworks_bot_attachment.report.file_name
    content_type    = data.lineworks_bot_attachment.report.content_type
    size            = data.lineworks_bot_attachment.report.size
    sha256          = data.lineworks_bot_attachment.report.sha256
    download_method = data.lineworks_bot_attachment.report.download_method
    path            = data.lineworks_bot_attachment.report.output_path
  }
}

# Demo only: ephemeral values cannot be outputs, so a provisioner shows the
# non-secret ones. The token and the assertion themselves stay hidden.
resource "terraform_data" "show_ephemeral_values" {
  provisioner "local-exec" {
    command = "printf '{\"token_type\":\"%s\",\"scope\":\"%s\",\"expires_in\":\"%s\",\"expires_at\":\"%s\",\"iss\":\"%s\",\"sub\":\"%s\",\"iat\":\"%s\",\"exp\":\"%s\"}\\n' \"$TOKEN_TYPE\" \"$SCOPE\" \"$EXPIRES_IN\" \"$EXPIRES_AT\" \"$ISS\" \"$SUB\" \"$IAT\" \"$EXP\" | tee ephemeral-values.json"
    environment = {
      TOKEN_TYPE = ephemeral.lineworks_access_token.bot.token_type
      SCOPE      = ephemeral.lineworks_access_token.bot.scope
      EXPIRES_IN = ephemeral.lineworks_access_token.bot.expires_in
      EXPIRES_AT = ephemeral.lineworks_access_token.bot.expires_at
      ISS        = ephemeral.lineworks_jwt_assertion.service_account.issuer
      SUB        = ephemeral.lineworks_jwt_assertion.service_account.subject
      IAT        = ephemeral.lineworks_jwt_assertion.service_account.issued_at
      EXP        = ephemeral.lineworks_jwt_assertion.service_account.expires_at
    }
  }
}
