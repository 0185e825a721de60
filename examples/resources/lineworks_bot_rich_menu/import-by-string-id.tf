import {
  to = lineworks_bot_rich_menu.main
  id = "2000001/40001"
}
