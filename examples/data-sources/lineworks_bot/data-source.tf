# By ID.
data "lineworks_bot" "by_id" {
  bot_id = "2000001"
}

# By exact name: an error when no bot, or more than one, has that name.
data "lineworks_bot" "by_name" {
  bot_name = "Expense bot"
}

output "expense_bot" {
  value = {
    bot_id       = data.lineworks_bot.by_name.bot_id
    callback_url = data.lineworks_bot.by_name.callback_url
    domains      = data.lineworks_bot.by_name.allow_domains # null: every domain
  }
}
