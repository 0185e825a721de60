import {
  to = lineworks_bot_domain.expenses["10000001"]
  id = "2000001/10000001"
}
