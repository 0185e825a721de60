# A member is imported as {bot_id}/{domain_id}/{user_id}, the user as LINE
# WORKS lists them (a user added by login e-mail may be listed by user ID).
terraform import 'lineworks_bot_domain_member.expenses["kim@example.com"]' 2000001/10000001/kim@example.com
