# The configuration `make demo` applies against the emulator. It is the
# README's example, a bot deployed as in the README's "Bots" section, and a
# few lines (marked "demo only") that show what Terraform got. Credentials
# and endpoints come from LINEWORKS_* variables.

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

variable "domain_id" {
  description = "The domain the new bot is registered in."
  type        = number
}

variable "bot_administrator" {
  description = "A user of the tenant who administers the new bot."
  type        = string
}

variable "bot_member" {
  description = "The user of the tenant the new bot is limited to in its domain."
  type        = string
}

variable "rich_menu_image" {
  description = "A PNG of 2500 × 843 pixels for the bot's rich menu (make demo generates one)."
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

# A bot whose callbacks go to an HTTPS endpoint, registered in the domain,
# and the Bot Secret the endpoint checks the callbacks' signatures with.
resource "lineworks_bot" "demo" {
  bot_name        = "Expense bot"
  description     = "Files expense reports from photos of receipts"
  photo_url       = "https://static.example.com/bots/expenses.png"
  administrators  = [var.bot_administrator]
  allow_domains   = [var.domain_id]
  enable_callback = true
  callback_url    = "https://bots.example.com/lineworks/expenses"
  callback_events = ["text", "image", "file"]
  i18n_bot_names  = { ja_JP = "経費精算ボット" }
}

resource "lineworks_bot_domain" "demo" {
  bot_id                   = lineworks_bot.demo.bot_id
  domain_id                = var.domain_id
  visible                  = true
  allow_to_selected_member = true
}

# The one user who may use the bot in the domain.
resource "lineworks_bot_domain_member" "demo" {
  bot_id    = lineworks_bot.demo.bot_id
  domain_id = lineworks_bot_domain.demo.domain_id
  user_id   = var.bot_member
}

# The menu under the chat: two halves, an image checked at plan time, and
# the menu as the bot's default.
resource "lineworks_bot_rich_menu" "demo" {
  bot_id = lineworks_bot.demo.bot_id
  name   = "Expense bot menu"
  height = 843
  areas = [
    {
      bounds = { x = 0, y = 0, width = 1250, height = 843 }
      action = { type = "postback", label = "New report", data = "action=new-report", display_text = "経費を申請します" }
    },
    {
      bounds = { x = 1250, y = 0, width = 1250, height = 843 }
      action = { type = "uri", label = "Policy", uri = "https://intranet.example.com/expenses/policy" }
    },
  ]
  image_path = var.rich_menu_image

  lifecycle {
    create_before_destroy = true
  }
}

resource "lineworks_bot_default_rich_menu" "demo" {
  bot_id       = lineworks_bot.demo.bot_id
  rich_menu_id = lineworks_bot_rich_menu.demo.rich_menu_id
}

# In the state as a sensitive value; in production, hand it to a secret store
# with a write-only argument (see the guide "Deploying a bot end to end").
resource "lineworks_bot_secret" "demo" {
  bot_id = lineworks_bot.demo.bot_id
}

# A callback as LINE WORKS would post it, signed with the bot's secret: what
# a test request to the endpoint would carry.
locals {
  sample_callback = jsonencode({
    type       = "message"
    source     = { userId = var.bot_administrator, domainId = var.domain_id }
    issuedTime = "2026-11-22T09:00:00.000Z"
    content    = { type = "text", text = "経費を申請します" }
  })
}

output "bot" {
  value = {
    bot_id       = lineworks_bot.demo.bot_id
    bot_name     = lineworks_bot.demo.bot_name
    callback_url = lineworks_bot.demo.callback_url
    domain_id    = lineworks_bot_domain.demo.domain_id
    visible      = lineworks_bot_domain.demo.visible
    member       = lineworks_bot_domain_member.demo.user_id
    secret_id    = lineworks_bot_secret.demo.id
  }
}

output "rich_menu" {
  value = {
    rich_menu_id = lineworks_bot_rich_menu.demo.rich_menu_id
    name         = lineworks_bot_rich_menu.demo.name
    areas        = length(lineworks_bot_rich_menu.demo.areas)
    image_sha256 = lineworks_bot_rich_menu.demo.image_sha256
    default      = lineworks_bot_default_rich_menu.demo.rich_menu_id
  }
}

output "sample_callback" {
  value = local.sample_callback
}

# Derived from the secret, so sensitive (demo only: make demo checks it
# against the signature the emulated LINE WORKS computes).
output "sample_callback_signature" {
  value     = provider::lineworks::callback_signature(local.sample_callback, lineworks_bot_secret.demo.secret)
  sensitive = true
}
