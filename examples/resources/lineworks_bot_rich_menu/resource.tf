resource "lineworks_bot" "expenses" {
  bot_name       = "Expense bot"
  description    = "Files expense reports from photos of receipts"
  photo_url      = "https://static.example.com/bots/expenses.png"
  administrators = ["kim@example.com"]
}

# A compact menu of two halves. The images are read when Terraform plans:
# a changed file uploads the new image and sets it on the same menu.
resource "lineworks_bot_rich_menu" "main" {
  bot_id = lineworks_bot.expenses.bot_id
  name   = "Main menu"
  height = 843
  areas = [
    {
      bounds = { x = 0, y = 0, width = 1250, height = 843 }
      action = {
        type         = "postback"
        label        = "New report"
        data         = "action=new-report"
        display_text = "I want to file an expense report"
        i18n_labels  = { ja_JP = "新規申請" }
      }
    },
    {
      bounds = { x = 1250, y = 0, width = 1250, height = 843 }
      action = { type = "uri", label = "Policy", uri = "https://intranet.example.com/expenses/policy" }
    },
  ]
  image_path       = "${path.module}/menu.png"
  i18n_image_paths = { ja_JP = "${path.module}/menu_ja.png" }

  # A change of name, height or areas creates a new menu: create it before
  # the old one goes, so that users always have a menu.
  lifecycle {
    create_before_destroy = true
  }
}

# Shown to every user without a menu of their own.
resource "lineworks_bot_default_rich_menu" "expenses" {
  bot_id       = lineworks_bot.expenses.bot_id
  rich_menu_id = lineworks_bot_rich_menu.main.rich_menu_id
}
