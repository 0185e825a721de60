#!/usr/bin/env bash
# Proves the release works before a tag is pushed: runs the whole goreleaser
# release (build, zip, checksum, sign) as a snapshot, signed with a throwaway
# GPG key made in a temporary GNUPGHOME, then checks what the Terraform
# registry checks. Nothing is published, and the key is deleted afterwards.
#
# Usage: GORELEASER=github.com/goreleaser/goreleaser/v2@vX.Y.Z scripts/release-snapshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
: "${GORELEASER:?set GORELEASER to the goreleaser module and version, as the GNUmakefile does}"
project=terraform-provider-lineworks
# The registry's platform list, less windows/arm (gone from Go 1.26).
platforms="darwin_amd64 darwin_arm64 freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
linux_386 linux_amd64 linux_arm linux_arm64 windows_386 windows_amd64 windows_arm64"

fail() { echo "release-snapshot: $*" >&2; exit 1; }
command -v gpg >/dev/null || fail "gpg is not on PATH (Debian: apt-get install gnupg)"
command -v unzip >/dev/null || fail "unzip is not on PATH (Debian: apt-get install unzip)"

# A throwaway key. An RSA key, as the registry accepts no ECC signing keys.
GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/lineworks-gnupg.XXXXXX")
export GNUPGHOME
cleanup() {
  gpgconf --kill all >/dev/null 2>&1 || true
  rm -rf "$GNUPGHOME"
}
trap cleanup EXIT
chmod 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "$project snapshot (throwaway) <snapshot@example.invalid>" rsa3072 sign 1d
GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
[ -n "$GPG_FINGERPRINT" ] || fail "no fingerprint for the throwaway key"
export GPG_FINGERPRINT

start=$(date +%s)
"$GO" run "$GORELEASER" release --snapshot --clean --skip=publish
elapsed=$(( $(date +%s) - start ))

# What the registry checks.
sums=(dist/"$project"_*_SHA256SUMS)
[ -f "${sums[0]}" ] && [ ${#sums[@]} -eq 1 ] || fail "expected one dist/${project}_*_SHA256SUMS, found: ${sums[*]}"
sums=${sums[0]}
version=${sums#dist/"$project"_} version=${version%_SHA256SUMS}

gpg --batch --verify "$sums.sig" "$sums" || fail "gpg does not accept the signature of $sums"

# The manifest is uploaded from the repository (release.extra_files), not
# copied to dist/: its checksum line must be that of the repository's file.
manifest=${project}_${version}_manifest.json
want="$(sha256sum < terraform-registry-manifest.json | cut -d' ' -f1)  $manifest"
grep -qx "$want" "$sums" || fail "$sums does not list $manifest with the checksum of terraform-registry-manifest.json"
(cd dist && sha256sum --quiet --check --ignore-missing "$(basename "$sums")") || fail "a checksum in $sums does not match its file"

n=0
for p in $platforms; do
  zip=${project}_${version}_$p.zip
  [ -f "dist/$zip" ] || fail "dist/$zip is missing"
  grep -q "  $zip\$" "$sums" || fail "$sums does not list $zip"
  exe=${project}_v$version
  case $p in windows_*) exe=$exe.exe ;; esac
  listing=$(unzip -Z1 "dist/$zip")
  for want in "$exe" LICENSE; do
    grep -qx "$want" <<<"$listing" || fail "$zip lacks $want (it holds: $(tr '\n' ' ' <<<"$listing"))"
  done
  n=$((n + 1))
done
zips=$(find dist -maxdepth 1 -name '*.zip' | wc -l)
[ "$zips" -eq "$n" ] || fail "dist holds $zips zips, expected exactly the $n of the platform list"

echo
echo "release-snapshot: goreleaser took ${elapsed}s; version $version; $n zips, each with LICENSE;"
echo "  $(basename "$sums") lists every zip and the manifest; gpg accepts $(basename "$sums").sig."
(cd dist && ls -l -- *.zip *_SHA256SUMS *_SHA256SUMS.sig)
