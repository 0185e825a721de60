import {
  to = lineworks_bot_default_rich_menu.main
  id = "2000001"
}
