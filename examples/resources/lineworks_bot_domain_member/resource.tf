# Only the users listed may use the bot in this domain.
resource "lineworks_bot_domain" "expenses" {
  bot_id                   = "2000001"
  domain_id                = 10000001
  allow_to_selected_member = true
}

resource "lineworks_bot_domain_member" "expenses" {
  for_each = toset(["kim@example.com", "lee@example.com"])

  bot_id = lineworks_bot_domain.expenses.bot_id
  # From the registration: members are added after it is limited, and
  # removed before it goes.
  domain_id = lineworks_bot_domain.expenses.domain_id
  user_id   = each.key
}
