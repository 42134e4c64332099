#!/usr/bin/env bash
# Rebuilds all oracle data in this folder (see README.md). Needs the tools from install-tools.sh.
#   oracle/regen.sh [insn|programs|images ...]   (default: all)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tsx="$here/../../../node_modules/.bin/tsx"
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(insn programs images)
"$here/install-tools.sh"
for part in "${parts[@]}"; do
  case "$part" in
    insn)
      aarch64-linux-gnu-gcc -O2 -ffreestanding -nostdlib -static -fno-pic -no-pie -mgeneral-regs-only \
        -Wall -Wextra -Werror -o "$here/insn/driver/driver.elf" "$here/insn/driver/driver.c"
      rm -f "$here"/insn/golden/*.jsonl.gz "$here/insn/golden/INDEX.json"
      "$tsx" "$here/insn/gen/main.ts"
      ;;
    programs) "$tsx" "$here/programs/build.ts" ;;
    images) "$tsx" "$here/images/build.ts" ;;
    *) echo "unknown part: $part" >&2; exit 2 ;;
  esac
done
