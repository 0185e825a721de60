# Legacy API 1.0: the provider block carries api_id, server_id and the
# server's private key.
ephemeral "lineworks_server_token" "legacy" {}

resource "terraform_data" "legacy_call" {
  provisioner "local-exec" {
    command = "curl -sf -H \"consumerKey: $CONSUMER_KEY\" -H \"Authorization: Bearer $TOKEN\" https://apis.worksmobile.com/${var.api_id}/${var.api_path}"
    environment = {
      TOKEN        = ephemeral.lineworks_server_token.legacy.access_token
      CONSUMER_KEY = var.consumer_key
    }
  }
}
