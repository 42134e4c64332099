#!/bin/bash
# Regenerates test/golden/glob-bash.tsv: for seeded random glob patterns and texts, whether bash's
# own pattern matching (`case`, C.UTF-8 locale, no extglob) matches. The test compares the filter
# language's glob matcher with these answers. Needs bash and node; tests only read the TSV.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../test/golden/glob-bash.tsv"
export LC_ALL=C.UTF-8
shopt -u extglob
npx tsx "$here/glob-cases.ts" | while IFS=$'\t' read -r pat txt; do
  # shellcheck disable=SC2254 # the pattern is meant to be a pattern
  case "$txt" in
    $pat) m=1 ;;
    *) m=0 ;;
  esac
  printf '%s\t%s\t%s\n' "$pat" "$txt" "$m"
done > "$out"
echo "wrote $(wc -l < "$out") cases to test/golden/glob-bash.tsv ($(bash --version | head -1))"
