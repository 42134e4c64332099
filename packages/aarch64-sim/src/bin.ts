#!/usr/bin/env node
// axebpf-aarch64: runs a static AArch64 Linux ELF like qemu-aarch64 does.
import { readFileSync, writeSync } from "node:fs";
import { AxebpfError } from "@axebpf/platform";
import { runElf } from "./runner.ts";

const USAGE = `usage: axebpf-aarch64 [--count] [--max-insns N] program.elf [args...]
  runs a static (-nostdlib -static) AArch64 Linux ELF: its stdout/stderr are this process's,
  its exit code is this process's exit code (128 + signal if it is killed)
  --count         print "instructions: N" on stderr at the end
  --max-insns N   stop after N instructions (exit code 124)`;

function main(argv: string[]): number {
  let count = false;
  let max: number | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--count") count = true;
    else if (a === "--max-insns") {
      const v = Number(argv[++i]);
      if (!Number.isSafeInteger(v) || v <= 0) {
        process.stderr.write(`axebpf-aarch64: --max-insns needs a positive integer\n${USAGE}\n`);
        return 2;
      }
      max = v;
    } else if (a === "-h" || a === "--help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith("-")) {
      process.stderr.write(`axebpf-aarch64: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else break;
  }
  const file = argv[i];
  if (file === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let elf: Uint8Array;
  try {
    elf = readFileSync(file);
  } catch (e) {
    process.stderr.write(`axebpf-aarch64: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const r = runElf(elf, {
      argv: argv.slice(i),
      stdout: (b) => writeSync(1, b),
      stderr: (b) => writeSync(2, b),
      ...(max !== undefined ? { maxInstructions: max } : {}),
    });
    if (count) process.stderr.write(`instructions: ${r.instructions}\n`);
    if (r.signal) {
      process.stderr.write(
        `axebpf-aarch64: uncaught target signal ${r.signal} at pc 0x${r.pc.toString(16)}\n`,
      );
      return r.exitCode;
    }
    if (!r.exited) return 124; // instruction limit reached
    return r.exitCode;
  } catch (e) {
    if (AxebpfError.isInstance(e)) {
      process.stderr.write(`axebpf-aarch64: ${file}: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
