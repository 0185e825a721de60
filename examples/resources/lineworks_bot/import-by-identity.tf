import {
  to = lineworks_bot.expenses
  identity = {
    bot_id = "2000001"
  }
}
