#!/bin/sh
# Regenerates bench/programs/*.bin (raw BPF .text) and *.objdump from the C sources with clang-19.
# The benchmarks read only the committed .bin files; they need no compiler.
set -eu
cd "$(dirname "$0")/programs"
for src in *.c; do
  name="${src%.c}"
  clang-19 -target bpf -O2 -mcpu=v3 -c "$src" -o "/tmp/bench-$name.o"
  llvm-objcopy-19 -O binary --only-section=.text "/tmp/bench-$name.o" "$name.bin"
  llvm-objdump-19 -d --no-show-raw-insn "/tmp/bench-$name.o" | sed -n '/<'"$name"'>:/,$p' > "$name.objdump"
  rm -f "/tmp/bench-$name.o"
done
