# A token for the bot APIs; never written to the plan or the state.
ephemeral "lineworks_access_token" "bot" {
  scopes = ["bot", "bot.message"]
}

# Hand it to a second provider block...
provider "lineworks" {
  alias        = "bot"
  access_token = ephemeral.lineworks_access_token.bot.access_token
}

# ...or to anything else that takes ephemeral values, such as a provisioner.
resource "terraform_data" "notify" {
  provisioner "local-exec" {
    command = "./send-message.sh"
    environment = {
      LINEWORKS_TOKEN = ephemeral.lineworks_access_token.bot.access_token
    }
  }
}

# A token from a user-account OAuth login, renewed with its refresh token,
# and revoked when Terraform is done with it.
ephemeral "lineworks_access_token" "user" {
  refresh_token   = var.refresh_token
  revoke_on_close = true
}
