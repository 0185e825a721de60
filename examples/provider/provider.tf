# Credentials of an API 2.0 app (Developer Console > API 2.0). Every argument
# may instead come from its LINEWORKS_* environment variable.
provider "lineworks" {
  client_id          = var.client_id
  client_secret      = var.client_secret
  service_account_id = "abcde.serviceaccount@example.com"
  private_key_path   = "${path.root}/private_20261122.key"
  scopes             = ["bot", "bot.message"]
}

# A second block that calls the API with a token issued by the first one.
provider "lineworks" {
  alias        = "bot"
  access_token = ephemeral.lineworks_access_token.bot.access_token
}

ephemeral "lineworks_access_token" "bot" {}
