# A bot with a persistent menu has no rich menus (and the other way round).
resource "lineworks_bot_persistent_menu" "help_desk" {
  bot_id = "2000002"
  actions = [
    {
      type        = "message"
      label       = "Ask a question"
      text        = "I have a question"
      postback    = "action=ask"
      i18n_labels = { ja_JP = "質問する" }
      i18n_texts  = { ja_JP = "質問があります" }
    },
    { type = "uri", label = "FAQ", uri = "https://help.example.com/faq" },
    { type = "copy", label = "Help desk number", copy_text = "+81-3-1234-5678" },
  ]
}
