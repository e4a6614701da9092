#!/usr/bin/env bash
# Builds llama-server from the llama.cpp source that node-llama-cpp ships as a git bundle, so tests
# run against the real engine without downloading a prebuilt binary. The binary is cached outside
# the checkout and reused: the build takes about 7 minutes on 2 cores.
#
# Prints the path of the llama-server binary on its last line.
set -euo pipefail

NODE_LLAMA_CPP_VERSION="${NODE_LLAMA_CPP_VERSION:-3.21.1}"
CACHE_ROOT="${MODELGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelgate}"
PREFIX="$CACHE_ROOT/llama-server-nlc-$NODE_LLAMA_CPP_VERSION"
BIN="$PREFIX/bin/llama-server"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "llama-server: reusing $BIN" >&2
  echo "$BIN"
  exit 0
fi

# No prebuilt web UI: the build would try to download it, and modelgate runs the server with --no-webui.
for tool in cmake ninja git g++; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-llama-server: '$tool' is missing (apt-get install cmake ninja-build git g++)" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/modelgate-llama-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "llama-server: fetching node-llama-cpp@$NODE_LLAMA_CPP_VERSION (source bundle only)" >&2
(cd "$work" && npm pack --silent "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >/dev/null)
tar -xzf "$work"/node-llama-cpp-*.tgz -C "$work" package/llama/gitRelease.bundle
git -c advice.detachedHead=false clone --quiet "$work/package/llama/gitRelease.bundle" "$work/llama.cpp"

jobs="$(nproc 2>/dev/null || echo 2)"
echo "llama-server: building with $jobs jobs" >&2
cmake -S "$work/llama.cpp" -B "$work/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF \
  -DGGML_NATIVE=OFF \
  -DLLAMA_OPENSSL=OFF \
  -DLLAMA_CURL=OFF \
  -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=ON \
  -DLLAMA_USE_PREBUILT_UI=OFF >&2
cmake --build "$work/build" --target llama-server -j "$jobs" >&2

mkdir -p "$PREFIX/bin.tmp"
cp "$work/build/bin/llama-server" "$PREFIX/bin.tmp/llama-server"
rm -rf "$PREFIX/bin"
mv "$PREFIX/bin.tmp" "$PREFIX/bin"
"$BIN" --version >&2
echo "$BIN"
