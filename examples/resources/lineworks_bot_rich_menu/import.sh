# A rich menu is imported as {bot_id}/{rich_menu_id}. Its image cannot be
# read back: with image_path set, the next apply uploads it.
terraform import lineworks_bot_rich_menu.main 2000001/40001
