# A user's rich menu is imported as {bot_id}/{user_id}.
terraform import 'lineworks_bot_user_rich_menu.managers["kim@example.com"]' 2000001/kim@example.com
