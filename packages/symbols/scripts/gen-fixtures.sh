#!/bin/sh
# Rebuilds the ELF fixtures of the ELF symbol reader and their golden `nm` listings.
# Needs gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu, clang-19 and llvm-19 (Debian package
# names); the tests need none of them. Run from anywhere: sh packages/symbols/scripts/gen-fixtures.sh
set -eu
cd "$(dirname "$0")/../test/fixtures"
CC=aarch64-linux-gnu-gcc
NM=aarch64-linux-gnu-nm
LNM=llvm-nm-19

# AArch64: a relocatable object (U, C, aliases, weak) and a static, libc-free executable.
$CC -O1 -g0 -fcommon -fno-asynchronous-unwind-tables -c -o elf/sample-aarch64.o src/sample.c
$CC -O1 -g0 -fcommon -fno-asynchronous-unwind-tables -c -o elf/sample-ext-aarch64.o src/sample-ext.c
$CC -O1 -g0 -fcommon -fno-asynchronous-unwind-tables -nostdlib -static -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-e,_start \
  -o elf/sample-aarch64.elf src/sample.c
# Sections whose nm letter differs between binutils and llvm-nm.
aarch64-linux-gnu-as -o elf/sections-aarch64.o src/sections.s
# BPF: clang's BPF target, as libbpf users build programs.
clang-19 -target bpf -O2 -g0 -c -o elf/sample.bpf.o src/sample.bpf.c

for f in elf/sample-aarch64.o elf/sample-ext-aarch64.o elf/sample-aarch64.elf elf/sections-aarch64.o; do
  # -p: symbol-table order, so the golden lines follow the reader's order.
  $NM -p "$f" > "$f.gnu-nm.txt"
  $LNM -p "$f" > "$f.llvm-nm.txt"
done
$LNM -p elf/sample.bpf.o > elf/sample.bpf.o.llvm-nm.txt
$NM -p elf/sample.bpf.o > elf/sample.bpf.o.gnu-nm.txt 2>/dev/null || rm -f elf/sample.bpf.o.gnu-nm.txt
echo "fixtures rebuilt in $(pwd)/elf"
