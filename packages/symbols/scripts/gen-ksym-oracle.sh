#!/bin/sh
# Rebuilds test/fixtures/ksym/: blobs from the original generator (Starry-OS/ksym gen_ksym at
# 83ed84a, the revision axebpf builds against) and from writeKallsymsBlob, each read back by the
# original reader (ksym::KallsymsMapped) into a golden `<blob>.ksym.txt`. Needs rustc and git;
# KSYM_REPO may point at a local clone or mirror. Nothing of ksym is committed.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../test/fixtures/ksym"
repo="${KSYM_REPO:-https://github.com/Starry-OS/ksym}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/ksym"
git -C "$work/ksym" checkout -q 83ed84a
rustc --edition 2024 -O --crate-type lib --crate-name ksym "$work/ksym/src/lib.rs" -o "$work/libksym.rlib"
rustc --edition 2024 -O --crate-type lib --crate-name rustc_demangle "$here/ksym-oracle/rustc_demangle_stub.rs" \
  -o "$work/librustc_demangle.rlib"
rustc --edition 2024 -O "$work/ksym/src/bin/gen_ksym.rs" --extern ksym="$work/libksym.rlib" \
  --extern rustc_demangle="$work/librustc_demangle.rlib" -o "$work/gen_ksym"
rustc --edition 2024 -O "$here/ksym-oracle/main.rs" --extern ksym="$work/libksym.rlib" -o "$work/oracle"
rm -rf "$out" && mkdir -p "$out"
(cd "$here/.." && node --import tsx scripts/ksym-oracle/inputs.ts "$out")
for list in "$out"/*.nm.txt; do
  name="$(basename "$list" .nm.txt)"
  "$work/gen_ksym" < "$list" > "$out/orig-$name.blob"
  for blob in "$out/orig-$name.blob" "$out/ours-$name.blob"; do
    # shellcheck disable=SC2046
    "$work/oracle" "$blob" $(cat "$out/$name.range") "$out/$name.probes" > "$blob.ksym.txt"
  done
done
echo "ksym oracle fixtures rebuilt in $out"
