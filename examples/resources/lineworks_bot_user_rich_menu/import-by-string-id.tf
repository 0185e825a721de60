import {
  to = lineworks_bot_user_rich_menu.managers["kim@example.com"]
  id = "2000001/kim@example.com"
}
