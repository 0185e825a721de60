# A file a user sent the bot, streamed to disk. Data sources are read during
# plan: `terraform plan` already writes the file.
data "lineworks_bot_attachment" "report" {
  bot_id      = "2000001"
  file_id     = var.file_id # content.fileId from the bot's callback
  output_path = "${path.module}/downloads/report.pdf"
}

output "report" {
  value = {
    name   = data.lineworks_bot_attachment.report.file_name # e.g. 週報.pdf
    size   = data.lineworks_bot_attachment.report.size
    sha256 = data.lineworks_bot_attachment.report.sha256
  }
}

# A small file inline, base64-encoded (at most 16 MiB unless max_size says otherwise).
data "lineworks_bot_attachment" "stamp" {
  bot_id  = "2000001"
  file_id = var.stamp_file_id
}
