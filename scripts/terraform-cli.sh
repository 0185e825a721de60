#!/usr/bin/env bash
# Prints the path of a Terraform CLI of the given version (default v1.14.3,
# the first with `terraform query`), building it once from its source on the
# Go module proxy, as every tool here comes, into the user cache directory:
#
#   scripts/terraform-cli.sh [--or-newer] [v1.14.3]
#
# With --or-newer, the terraform on PATH does when it is that minor version
# or later (OpenTofu does not: it has no list resources).
#
# Tests that need a newer Terraform than the one on PATH run it through this
# (internal/e2e). The module zip lacks Terraform's nested remote-state
# backend modules, so the build leaves those backends out: local state only,
# which is all the tests use. A first build takes minutes; later calls print
# the path at once. CLI_CACHE_DIR names another cache directory.
set -euo pipefail
or_newer=
if [ "${1:-}" = --or-newer ]; then or_newer=1; shift; fi
v=${1:-v1.14.3}
case $v in v[0-9]*.[0-9]*.[0-9]*) ;; *) echo "terraform-cli.sh: a version such as v1.14.3, not $v" >&2; exit 2 ;; esac
if [ -n "$or_newer" ] && path=$(command -v terraform 2>/dev/null); then
  have=$(CHECKPOINT_DISABLE=1 "$path" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9][0-9]*\)\.\([0-9][0-9]*\)\..*/\1 \2/p')
  want=$(echo "${v#v}" | sed 's/^\([0-9]*\)\.\([0-9]*\)\..*/\1 \2/')
  if [ -n "$have" ] && ! "$path" version 2>/dev/null | grep -qi opentofu; then
    read -r hmaj hmin <<<"$have"; read -r wmaj wmin <<<"$want"
    if [ "$hmaj" -gt "$wmaj" ] || { [ "$hmaj" -eq "$wmaj" ] && [ "$hmin" -ge "$wmin" ]; }; then
      echo "$path"
      exit 0
    fi
  fi
fi
out=${CLI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lineworks-cli}/terraform-$v
if [ -x "$out" ]; then
  echo "$out"
  exit 0
fi
go=${GO:-go}
mod=github.com/hashicorp/terraform
echo "terraform-cli.sh: building Terraform $v from the Go module proxy into $out (once; a few minutes)" >&2
dir=$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod "$go" mod download -json "$mod@$v" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[ -n "$dir" ] || { echo "terraform-cli.sh: go mod download $mod@$v gave no directory" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
src=$work/terraform-$v
cp -r "$dir" "$src" && chmod -R u+w "$src" && cd "$src"
# Each replace of a nested module the zip does not hold goes, and with it
# every import of its package and the line that uses it (the backends'
# "name": func() backend.Backend { return alias.New() } entries).
for m in $(sed -n 's#^replace \(github.com/hashicorp/terraform/internal/[^ ]*\) => \(\./[^ ]*\)#\2#p' go.mod); do
  [ -d "$m" ] && continue
  p=${m#./}
  sed -i "\#=> $m\$#d" go.mod
  { grep -rl "github.com/hashicorp/terraform/$p\"" --include=*.go . || true; } | while read -r f; do
    alias=$(sed -n "s#^[[:space:]]*\([A-Za-z0-9_]*\) \"github.com/hashicorp/terraform/$p\"#\1#p" "$f")
    sed -i "\#\"github.com/hashicorp/terraform/$p\"#d" "$f"
    if [ -n "$alias" ]; then sed -i "/$alias\.New/d" "$f"; fi
  done
done
mkdir -p "$(dirname "$out")"
GOFLAGS=-mod=mod "$go" build -trimpath -o "$out.partial" . >&2
mv "$out.partial" "$out"
echo "$out"
