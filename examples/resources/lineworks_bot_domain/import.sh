# A registration is imported as {bot_id}/{domain_id}.
terraform import 'lineworks_bot_domain.expenses["10000001"]' 2000001/10000001
