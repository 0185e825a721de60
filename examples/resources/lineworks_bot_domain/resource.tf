resource "lineworks_bot" "expenses" {
  bot_name       = "Expense bot"
  description    = "Files expense reports from photos of receipts"
  photo_url      = "https://static.example.com/bots/expenses.png"
  administrators = ["kim@example.com"]
  allow_domains  = [10000001, 10000002]
}

# One registration per domain that uses the bot. Referring to the bot's ID
# orders the calls: registrations after the bot's allow_domains is updated,
# and removed before the bot is deleted.
resource "lineworks_bot_domain" "expenses" {
  for_each = toset(["10000001", "10000002"])

  bot_id                   = lineworks_bot.expenses.bot_id
  domain_id                = tonumber(each.key)
  visible                  = true
  allow_to_selected_member = false
}
