import {
  to = lineworks_bot.expenses
  id = "2000001"
}
