#!/usr/bin/env bash
# make vulncheck and make vulndb.
#
#   scripts/vulncheck.sh check  govulncheck (pinned) over every package, against the
#                               database GOVULNDB names (a URL, file:///dir or a plain
#                               directory); unset, govulncheck's default (vuln.go.dev).
#   scripts/vulncheck.sh db     an offline database in bin/vulndb, built from the
#                               golang/vulndb module as the Go module proxy serves it.
#
# Standard-library findings belong to the Go that builds the binary: release builds
# take the newest Go patch (.github/workflows/release.yml), so check with that Go
# (for example GOTOOLCHAIN=go1.27.3 make vulncheck) before tagging.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
: "${GOVULNCHECK:?set by the GNUmakefile}" "${VULNDB_MODULE:?set by the GNUmakefile}"

case "${1:-}" in
check)
  args=()
  if [ -n "${GOVULNDB:-}" ]; then
    db=$GOVULNDB
    # govulncheck wants a URL; a plain directory is taken as a local database.
    if [[ $db != *://* ]]; then
      db="file://$(cd "$db" && pwd)"
    fi
    args+=(-db "$db")
    echo "govulncheck against $db"
  fi
  exec "$GO" run "$GOVULNCHECK" "${args[@]}" ./...
  ;;
db)
  version=${VULNDB_MODULE#*@}
  dir=$("$GO" mod download -json "$VULNDB_MODULE" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir/data/osv" ] || { echo "no data/osv in $VULNDB_MODULE ($dir)" >&2; exit 1; }
  out=bin/vulndb
  rm -rf "$out.tmp"
  mkdir -p bin
  echo "building $out from $VULNDB_MODULE ($(ls "$dir/data/osv" | wc -l) reports)"
  "$GO" run "golang.org/x/vulndb/cmd/indexdb@$version" -vulns "$dir/data/osv" -out "$out.tmp"
  rm -rf "$out"
  mv "$out.tmp" "$out"
  echo "done: GOVULNDB=$out make vulncheck"
  ;;
*)
  echo "usage: $0 check|db" >&2
  exit 2
  ;;
esac
