import {
  to = lineworks_bot_domain.expenses["10000002"]
  identity = {
    bot_id    = "2000001"
    domain_id = 10000002
  }
}
