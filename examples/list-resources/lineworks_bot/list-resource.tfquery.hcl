# Every bot of the tenant, read in full, so that
# `terraform query -generate-config-out=bots.tf` writes a lineworks_bot and
# an import block for each (Terraform 1.14 and later).
list "lineworks_bot" "all" {
  provider         = lineworks
  include_resource = true
  # Terraform stops at 100 results unless told otherwise; a tenant holds at
  # most 300 bots.
  limit = 1000
}
