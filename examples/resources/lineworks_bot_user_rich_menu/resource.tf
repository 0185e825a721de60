variable "managers" {
  description = "Users who see the managers' menu instead of the default."
  type        = set(string)
  default     = ["kim@example.com", "lee@example.com"]
}

resource "lineworks_bot_rich_menu" "managers" {
  bot_id = "2000001"
  name   = "Managers"
  height = 843
  areas = [
    {
      bounds = { x = 0, y = 0, width = 2500, height = 843 }
      action = { type = "postback", label = "Approve", data = "action=approve", display_text = "Show reports to approve" }
    },
  ]
  image_path = "${path.module}/managers.png"
}

resource "lineworks_bot_user_rich_menu" "managers" {
  for_each = var.managers

  bot_id       = "2000001"
  user_id      = each.key
  rich_menu_id = lineworks_bot_rich_menu.managers.rich_menu_id
}
