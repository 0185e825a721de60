# A bot is imported by its ID, as the Developer Console shows it.
terraform import lineworks_bot.expenses 2000001
