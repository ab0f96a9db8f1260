#!/usr/bin/env bash
# Installs AWS's DynamoDB Local into .cache/dynamodb-local (git-ignored).
# It ships inside the npm package amplify-dynamodb-simulator; we pin both the
# package tarball's SHA-256 and the emulator's own sha256 file, so a changed
# upstream artifact fails the install instead of running unverified code.
set -euo pipefail

VERSION="2.9.30"
TARBALL_SHA256="3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9"
EMULATOR_SHA256="55b425a9a42cfc728436eaf0e4ae64d688b64d177c99c4f4c4d7e3dbb3ac6c09"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.cache/dynamodb-local"

if [ -f "$dest/emulator/DynamoDBLocal.jar" ] && \
   [ "$(cat "$dest/emulator/sha256" 2>/dev/null)" = "$EMULATOR_SHA256" ]; then
  exit 0
fi

command -v npm >/dev/null || { echo "npm is required to fetch DynamoDB Local" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "amplify-dynamodb-simulator@$VERSION" >/dev/null)
tarball="$work/amplify-dynamodb-simulator-$VERSION.tgz"
echo "$TARBALL_SHA256  $tarball" | sha256sum --check --quiet
tar -xzf "$tarball" -C "$work" package/emulator
got="$(cat "$work/package/emulator/sha256")"
if [ "$got" != "$EMULATOR_SHA256" ]; then
  echo "emulator/sha256 is $got, expected $EMULATOR_SHA256" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"
mv "$work/package/emulator" "$dest/emulator"
echo "DynamoDB Local installed in $dest/emulator"
