resource "lineworks_bot_rich_menu" "main" {
  bot_id = "2000001"
  name   = "Main menu"
  height = 843
  areas = [
    {
      bounds = { x = 0, y = 0, width = 2500, height = 843 }
      action = { type = "message", label = "Help", text = "help" }
    },
  ]
  image_path = "${path.module}/menu.png"
}

# Referring to the menu's ID re-points the default in the same apply when a
# new name or new areas replace the menu.
resource "lineworks_bot_default_rich_menu" "main" {
  bot_id       = "2000001"
  rich_menu_id = lineworks_bot_rich_menu.main.rich_menu_id
}
