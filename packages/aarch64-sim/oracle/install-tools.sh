#!/usr/bin/env bash
# Checks for the oracle tools and installs the missing ones with apt-get (Debian 12; needs root).
# qemu-user: qemu-aarch64; qemu-system-arm: qemu-system-aarch64; the cross gcc and binutils.
set -euo pipefail
need=()
command -v qemu-aarch64 >/dev/null || need+=(qemu-user)
command -v qemu-system-aarch64 >/dev/null || need+=(qemu-system-arm)
command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
command -v aarch64-linux-gnu-objdump >/dev/null || need+=(binutils-aarch64-linux-gnu)
if [ ${#need[@]} -eq 0 ]; then
  echo "oracle tools present: $(qemu-aarch64 --version | head -1); $(aarch64-linux-gnu-gcc --version | head -1)"
  exit 0
fi
echo "installing: ${need[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
