resource "lineworks_bot_secret" "expenses" {
  bot_id = "2000001"
}

# The X-WORKS-Signature LINE WORKS would send with this body: use it to post a
# correctly signed test callback to your endpoint. Sign the exact bytes sent.
locals {
  test_callback = "{\"type\":\"message\",\"source\":{\"userId\":\"kim@example.com\",\"domainId\":10000001},\"issuedTime\":\"2026-11-22T09:00:00.000Z\",\"content\":{\"type\":\"text\",\"text\":\"hello\"}}"
}

output "test_callback_signature" {
  value     = provider::lineworks::callback_signature(local.test_callback, lineworks_bot_secret.expenses.secret)
  sensitive = true # derived from the secret, so Terraform marks it sensitive
}
