# Prefer the ephemeral resource of the same name: a data source's assertion is
# stored in the state (as a sensitive value) until it expires.
data "lineworks_jwt_assertion" "service_account" {
  expires_in = 600
}

# The API 1.0 server-token shape: iss = server ID, no sub.
data "lineworks_jwt_assertion" "server" {
  api_version = "1.0"
}
