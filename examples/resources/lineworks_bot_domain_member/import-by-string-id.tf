import {
  to = lineworks_bot_domain_member.expenses["kim@example.com"]
  id = "2000001/10000001/kim@example.com"
}
