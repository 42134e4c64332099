#!/usr/bin/env node
// axebpf-aarch64: runs a static AArch64 Linux ELF like qemu-aarch64 does, or with --machine boots a
// bare-metal image on the virt machine like qemu-system-aarch64 -M virt -kernel does.
import { readFileSync, writeSync } from "node:fs";
import { AxebpfError } from "@axebpf/platform";
import { BOOT_USAGE, bootMain } from "./machine/boot-cli.ts";
import { runElf } from "./runner.ts";

const USAGE = `usage: axebpf-aarch64 [--count] [--max-insns N] program.elf [args...]
  runs a static (-nostdlib -static) AArch64 Linux ELF: its stdout/stderr are this process's,
  its exit code is this process's exit code (128 + signal if it is killed)
  --count         print "instructions: N" on stderr at the end
  --max-insns N   stop after N instructions (exit code 124)

${BOOT_USAGE}`;

/** Writes all of `bytes` to `fd`, waiting out EAGAIN when stdout is a non-blocking pipe. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function main(argv: string[]): number {
  if (argv[0] === "--machine") {
    return bootMain(argv.slice(1), {
      stdout: (b) => writeAll(1, b),
      stderr: (s) => writeAll(2, new TextEncoder().encode(s)),
      readFile: (p) => readFileSync(p),
    });
  }
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
      stdout: (b) => writeAll(1, b),
      stderr: (b) => writeAll(2, b),
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
