#!/bin/sh
# Regenerates the llvm-objdump golden files the disassembler test compares against:
# for each test/fixtures/llvm/*.c and each of -mcpu=v3, v4: <name>-<cpu>.bin (the raw instructions of
# section "prog") and <name>-<cpu>.objdump (llvm-objdump-19 -d --no-show-raw-insn of that section).
# Needs clang-19 and llvm-19; the tests themselves need neither.
set -eu
cd "$(dirname "$0")/../test/fixtures/llvm"
for c in *.c; do
  name=${c%.c}
  for cpu in v3 v4; do
    out=$name-$cpu
    clang-19 -target bpf -O2 -mcpu=$cpu -c "$c" -o "/tmp/$out.o"
    llvm-objcopy-19 -O binary --only-section=prog "/tmp/$out.o" "$out.bin"
    # +alu32: without it llvm-objdump decodes 32-bit atomics as legacy xadd or not at all.
    llvm-objdump-19 -d --no-show-raw-insn --mattr=+alu32 --section=prog "/tmp/$out.o" |
      sed -n 's/^ *\([0-9]*\):\t\(.*\)$/\1\t\2/p' >"$out.objdump"
    rm -f "/tmp/$out.o"
  done
done
