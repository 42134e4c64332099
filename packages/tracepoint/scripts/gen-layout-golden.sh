#!/bin/sh
# Regenerates test/golden/c-layout.json: record and TraceEvent layouts as computed by GCC for
# AArch64 (the original's target), run under qemu-user. Needs gcc-aarch64-linux-gnu and
# qemu-user; the normal test suite only reads the committed JSON.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
aarch64-linux-gnu-gcc -O0 -static -o "$tmp/layout" "$here/layout.c"
qemu-aarch64 "$tmp/layout" > "$here/../test/golden/c-layout.json"
echo "wrote test/golden/c-layout.json ($(aarch64-linux-gnu-gcc --version | head -1))"
