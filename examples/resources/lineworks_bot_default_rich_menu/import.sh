# A bot's default rich menu is imported by the bot's ID.
terraform import lineworks_bot_default_rich_menu.main 2000001
