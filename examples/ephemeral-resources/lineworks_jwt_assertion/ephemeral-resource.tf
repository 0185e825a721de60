# The signed assertion, for a function that calls the token endpoint itself.
ephemeral "lineworks_jwt_assertion" "service_account" {
  expires_in = 300
}

resource "terraform_data" "exchange" {
  provisioner "local-exec" {
    command = "./get-token.sh"
    environment = {
      ASSERTION = ephemeral.lineworks_jwt_assertion.service_account.assertion
    }
  }
}
