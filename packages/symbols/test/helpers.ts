// Shared by the tests: error assertions and a seeded PRNG for the fuzz tests.
import * as assert from "uvu/assert";
import { SymbolsError, type SymbolsErrorCode } from "../src/index.ts";

/** Runs `fn`, expects a `SymbolsError` with `code` (and the location fields given), returns it. */
export function throwsCode(
  fn: () => unknown,
  code: SymbolsErrorCode,
  where: { offset?: number; line?: number; column?: number } = {},
): SymbolsError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof SymbolsError)) throw e;
    assert.is(e.code, code, e.message);
    if (where.offset !== undefined) assert.is(e.offset, where.offset, `offset in: ${e.message}`);
    if (where.line !== undefined) assert.is(e.line, where.line, `line in: ${e.message}`);
    if (where.column !== undefined) assert.is(e.column, where.column, `column in: ${e.message}`);
    return e;
  }
  assert.unreachable(`expected ${code}`);
  throw new Error("unreachable");
}

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fuzz iterations per property: `AXEBPF_FUZZ_ITERS`, default small so the suite stays fast. */
export const FUZZ_ITERS = Number(process.env.AXEBPF_FUZZ_ITERS ?? 200);

/** The spec's reference table (ksym self-test, §1.4.1). */
export const KSYM_REFERENCE = [
  { address: 0x1000n, name: "do_mkdir" },
  { address: 0x1300n, name: "alias_do_fork" },
  { address: 0x1300n, name: "do_fork" },
  { address: 0x1300n, name: "do_fork_2" },
  { address: 0x1200n, name: "cpu_startup_entry" },
  { address: 0x1400n, name: "cpu_startup_entry" },
  { address: 0x1500n, name: "_ZN4core3fmt9Formatter3pad17h3b2e1f6ae7f4b1a5E" },
] as const;
