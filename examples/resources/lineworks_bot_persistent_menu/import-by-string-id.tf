import {
  to = lineworks_bot_persistent_menu.help_desk
  id = "2000002"
}
