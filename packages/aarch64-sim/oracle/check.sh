#!/usr/bin/env bash
# Re-runs the committed ELF files under QEMU and compares with the committed golden files.
# Exit code 0 only if everything matches. Needs qemu-user (and qemu-system-arm for images/).
#   oracle/check.sh [insn|programs|images|selfcheck ...]   (default: all but selfcheck)
# selfcheck needs no QEMU: a small reference model compared with the golden instruction files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tsx="$here/../../../node_modules/.bin/tsx"
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(insn programs images)
status=0
for part in "${parts[@]}"; do
  case "$part" in
    insn) "$tsx" "$here/insn/gen/check.ts" || status=1 ;;
    selfcheck) "$tsx" "$here/insn/gen/selfcheck.ts" || status=1 ;;
    programs) "$tsx" "$here/programs/build.ts" --check || status=1 ;;
    images) "$tsx" "$here/images/build.ts" --check || status=1 ;;
    *) echo "unknown part: $part" >&2; exit 2 ;;
  esac
done
exit $status
