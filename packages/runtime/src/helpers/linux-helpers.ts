/**
 * Linux helpers that need no maps: time, CPU id, pseudo-random numbers, `bpf_trace_printk` with the kernel's
 * format semantics, the `probe_read*` family (through the region table: a fault zeroes the destination and
 * returns -EFAULT, as in Linux) and `strncmp`. Ids are Linux's (`HelperId`).
 */

import type { Platform } from "@axebpf/platform";
import { RuntimeError } from "../errors.ts";
import type { HelperCall, HelperDefinition } from "./helper-table.ts";
import { HelperId } from "./ids.ts";

const EFAULT = -14;
const EINVAL = -22;

export interface LinuxHelperOptions {
  /** Clock and CPU id (default: `process.hrtime.bigint()` and CPU 0). */
  readonly platform?: Pick<Platform, "timeNs" | "cpuId">;
  /** Where `bpf_trace_printk` lines go (default: the platform has no sink, so they are dropped). */
  readonly printk?: (line: string) => void;
  /** Seed of `bpf_get_prandom_u32` (xorshift32; default 0x9e3779b9). */
  readonly seed?: number;
}

/** Copies `size` bytes from `src` to `dst`; on a fault zeroes `dst` (when writable) and returns -EFAULT. */
function probeRead(c: HelperCall): number {
  const size = c.argNumber(2);
  if (size > 0x7fff_ffff) return EINVAL;
  let data: Uint8Array;
  try {
    data = c.memory.read(c.arg(3), size);
  } catch (e) {
    if (!(e instanceof RuntimeError) || e.code !== "EBPF_MEMORY_FAULT") throw e;
    c.memory.write(c.arg(1), new Uint8Array(size));
    return EFAULT;
  }
  c.memory.write(c.arg(1), data);
  return 0;
}

/** Copies a NUL-terminated string of at most `size` bytes (NUL included); returns its length with the NUL. */
function probeReadStr(c: HelperCall): number {
  const size = c.argNumber(2);
  if (size === 0) return 0;
  if (size > 0x7fff_ffff) return EINVAL;
  const out = new Uint8Array(size);
  let n = 0;
  try {
    for (; n < size - 1; n++) {
      const b = c.memory.read(c.arg(3) + BigInt(n), 1)[0] ?? 0;
      if (b === 0) break;
      out[n] = b;
    }
  } catch (e) {
    if (!(e instanceof RuntimeError) || e.code !== "EBPF_MEMORY_FAULT") throw e;
    c.memory.write(c.arg(1), new Uint8Array(size));
    return EFAULT;
  }
  c.memory.write(c.arg(1), out.subarray(0, n + 1));
  return n + 1;
}

/**
 * The kernel's `bpf_trace_printk` formatting: `%d %i %u %x %X %c %s %p %%` with optional `l`/`ll`
 * (`h`/`hh` are not accepted by the kernel either), at most three arguments; an invalid format returns -EINVAL.
 * Exported for tests and for other printk-like helpers.
 */
export function formatPrintk(
  fmt: string,
  args: readonly bigint[],
  readString: (addr: bigint) => string,
): string | undefined {
  let out = "";
  let used = 0;
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== "%") {
      out += ch;
      continue;
    }
    i++;
    if (fmt[i] === "%") {
      out += "%";
      continue;
    }
    let longs = 0;
    while (fmt[i] === "l" && longs < 2) {
      longs++;
      i++;
    }
    const conv = fmt[i];
    if (conv === undefined || used >= 3) return undefined;
    const raw = args[used++] ?? 0n;
    const bits = longs === 0 ? 32 : 64;
    switch (conv) {
      case "d":
      case "i":
        out += BigInt.asIntN(bits, raw).toString();
        break;
      case "u":
        out += BigInt.asUintN(bits, raw).toString();
        break;
      case "x":
        out += BigInt.asUintN(bits, raw).toString(16);
        break;
      case "X":
        out += BigInt.asUintN(bits, raw).toString(16).toUpperCase();
        break;
      case "c":
        if (longs !== 0) return undefined;
        out += String.fromCharCode(Number(raw & 0xffn));
        break;
      case "p":
        if (longs !== 0) return undefined;
        out += `0x${BigInt.asUintN(64, raw).toString(16)}`;
        break;
      case "s":
        if (longs !== 0) return undefined;
        out += readString(raw);
        break;
      default:
        return undefined;
    }
  }
  return out;
}

/** The helper definitions; register them with `new HelperTable(linuxHelpers())`. */
export function linuxHelpers(options: LinuxHelperOptions = {}): HelperDefinition[] {
  const hr = (globalThis as { process?: { hrtime?: { bigint?: () => bigint } } }).process?.hrtime?.bigint;
  const now = options.platform ? () => options.platform?.timeNs() ?? 0n : (hr ?? (() => 0n));
  const cpu = options.platform ? () => options.platform?.cpuId() ?? 0 : () => 0;
  let state = options.seed === undefined ? 0x9e3779b9 : options.seed | 0 || 1;
  const printk = options.printk;
  return [
    { id: HelperId.ktime_get_ns, name: "ktime_get_ns", fn: () => now() },
    { id: HelperId.ktime_get_boot_ns, name: "ktime_get_boot_ns", fn: () => now() },
    { id: HelperId.ktime_get_coarse_ns, name: "ktime_get_coarse_ns", fn: () => now() },
    {
      id: HelperId.get_prandom_u32,
      name: "get_prandom_u32",
      fn: () => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return state >>> 0;
      },
    },
    { id: HelperId.get_smp_processor_id, name: "get_smp_processor_id", fn: () => cpu() },
    {
      id: HelperId.trace_printk,
      name: "trace_printk",
      fn: (c) => {
        const size = c.argNumber(2);
        if (size === 0 || size > 0x10000) return EINVAL;
        const bytes = c.memory.read(c.arg(1), size);
        const nul = bytes.indexOf(0);
        if (nul < 0) return EINVAL;
        const fmt = new TextDecoder().decode(bytes.subarray(0, nul));
        const text = formatPrintk(fmt, [c.arg(3), c.arg(4), c.arg(5)], (a) => {
          try {
            return c.memory.readCString(a, 1024);
          } catch {
            return "(efault)";
          }
        });
        if (text === undefined) return EINVAL;
        printk?.(text);
        return new TextEncoder().encode(text).length;
      },
    },
    { id: HelperId.probe_read, name: "probe_read", fn: probeRead },
    { id: HelperId.probe_read_kernel, name: "probe_read_kernel", fn: probeRead },
    { id: HelperId.probe_read_user, name: "probe_read_user", fn: probeRead },
    { id: HelperId.probe_read_kernel_str, name: "probe_read_kernel_str", fn: probeReadStr },
    { id: HelperId.probe_read_user_str, name: "probe_read_user_str", fn: probeReadStr },
    {
      id: HelperId.strncmp,
      name: "strncmp",
      fn: (c) => {
        // strncmp(s1, s1_sz, s2): compares at most s1_sz bytes.
        const n = c.argNumber(2);
        for (let i = 0; i < n; i++) {
          const a = c.memory.read(c.arg(1) + BigInt(i), 1)[0] ?? 0;
          const b = c.memory.read(c.arg(3) + BigInt(i), 1)[0] ?? 0;
          if (a !== b) return a < b ? -1 : 1;
          if (a === 0) return 0;
        }
        return 0;
      },
    },
  ];
}
