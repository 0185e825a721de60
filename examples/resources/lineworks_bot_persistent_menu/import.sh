# A bot's persistent menu is imported by the bot's ID.
terraform import lineworks_bot_persistent_menu.help_desk 2000002
