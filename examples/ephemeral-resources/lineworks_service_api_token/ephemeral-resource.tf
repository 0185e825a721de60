# Legacy API 1.0: refresh a service API token obtained with the
# authorization-code flow. The provider block carries api_id and consumer_key.
ephemeral "lineworks_service_api_token" "legacy" {
  refresh_token = var.service_api_refresh_token
}
