# The domain registrations of every bot the lineworks_bot list block "all"
# finds (beside it in the same .tfquery.hcl file, or another one).
list "lineworks_bot_domain" "all" {
  for_each         = { for b in list.lineworks_bot.all.data : b.identity.bot_id => b }
  provider         = lineworks
  include_resource = true
  limit            = 1000

  config {
    bot_id = each.key
  }
}
