# A bot whose callbacks go to an HTTPS endpoint (an API gateway in front of a
# function, say). The provider's token needs the `bot` scope.
resource "lineworks_bot" "expenses" {
  bot_name       = "Expense bot"
  description    = "Files expense reports from photos of receipts"
  photo_url      = "https://static.example.com/bots/expenses.png"
  administrators = ["kim@example.com"]

  # Only these domains may use the bot; leave it out for every domain.
  # Narrowing it makes LINE WORKS delete registrations in other domains.
  allow_domains = [10000001]

  enable_callback = true
  callback_url    = "https://bots.example.com/lineworks/expenses"
  callback_events = ["text", "image", "file"]

  i18n_bot_names = {
    ja_JP = "経費精算ボット"
    ko_KR = "경비 봇"
  }
  i18n_descriptions = {
    ja_JP = "領収書の写真から経費を申請します"
  }
}

# Register it in the domain, and issue the secret that signs its callbacks.
resource "lineworks_bot_domain" "expenses" {
  bot_id    = lineworks_bot.expenses.bot_id
  domain_id = 10000001
  visible   = true
}

resource "lineworks_bot_secret" "expenses" {
  bot_id = lineworks_bot.expenses.bot_id
}
