terraform {
  required_providers {
    lineworks = {
      source = "lineworks-community/lineworks"
    }
    time = {
      source = "hashicorp/time"
    }
  }
}

# A new Bot Secret every 90 days: when time_rotating rotates, its id changes,
# which replaces the secret resource, which issues a new secret. The previous
# secret stops working at that moment, so deploy the new one to the callback
# endpoint in the same apply (below).
resource "time_rotating" "bot_secret" {
  rotation_days = 90
}

resource "lineworks_bot_secret" "expenses" {
  bot_id = "2000001" # or lineworks_bot.expenses.bot_id

  rotation_triggers = {
    rotation = time_rotating.bot_secret.id
  }

  # Issue the new secret before the old one is retired: the old one stops
  # working as the new one is issued, and is not retired again.
  lifecycle {
    create_before_destroy = true
  }
}

# The secret is in the state (sensitive). Hand it to the endpoint through a
# secret store, with a write-only argument where the store offers one
# (Terraform 1.11+), for example:
#
# resource "aws_secretsmanager_secret_version" "bot_secret" {
#   secret_id                = aws_secretsmanager_secret.bot_secret.id
#   secret_string_wo         = lineworks_bot_secret.expenses.secret
#   secret_string_wo_version = parseint(formatdate("YYYYMMDDhhmmss", lineworks_bot_secret.expenses.issued_time), 10)
# }
