#!/usr/bin/env bash
# Fails at once, saying so, when Terraform 1.10 or later (needed for
# ephemeral resources) is not on PATH.
set -euo pipefail
need_major=1 need_minor=10
if ! command -v terraform >/dev/null 2>&1; then
  echo "error: terraform is not on PATH. This needs Terraform ${need_major}.${need_minor} or later (ephemeral resources);" >&2
  echo "       install it from https://developer.hashicorp.com/terraform/install and run this again." >&2
  exit 1
fi
version=$(CHECKPOINT_DISABLE=1 terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9][0-9.]*\).*/\1/p')
major=${version%%.*} rest=${version#*.} minor=${rest%%.*}
if [ -z "$version" ] || [ "$major" -lt "$need_major" ] || { [ "$major" -eq "$need_major" ] && [ "$minor" -lt "$need_minor" ]; }; then
  echo "error: found Terraform ${version:-of unknown version} at $(command -v terraform); this needs ${need_major}.${need_minor} or later (ephemeral resources)." >&2
  exit 1
fi
