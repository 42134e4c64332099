// Shared pieces of the instruction-test generator: the group shape, field helpers and the ways a test
// constrains its initial state (effective addresses in the scratch buffer, branch targets in the code region).
import {
  CODE_BASE,
  CODE_SIZE,
  type CpuState,
  SCRATCH_BASE,
  SCRATCH_SIZE,
  scratchInit,
} from "../golden-format.ts";

export type Rng = () => number;
/** Register overrides: name (`x3`, `sp`, ...) to value. */
export type Overrides = Record<string, bigint>;

export interface Cand {
  readonly words: readonly number[];
  /** Called with the test's PRNG initial state; returns the registers it must override. */
  readonly fix?: (s: CpuState, r: Rng) => Overrides;
}

export interface Group {
  readonly name: string;
  readonly count: number;
  /** One candidate for a test whose first word is at `pc`, or null to draw again. */
  readonly gen: (r: Rng, pc: number) => Cand | null;
}

export const MASK64 = (1n << 64n) - 1n;
/** Seed of the scratch buffer's contents, the same for every file. */
export const SCRATCH_SEED = 0x6327a3b1;
export const SCRATCH = scratchInit(SCRATCH_SEED);

/** Random word with the bits of `mask` taken from `value`. */
export const fromMask = (r: Rng, mask: number, value: number): number => ((r() & ~mask) | value) >>> 0;
export const field = (w: number, lo: number, width: number): number => (w >>> lo) & ((1 << width) - 1);
export const sext = (v: number, width: number): number => (v << (32 - width)) >> (32 - width);
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r() % xs.length] as T;
export const chance = (r: Rng, percent: number): boolean => r() % 100 < percent;

/** Value of register `n` as a base: 31 is SP. */
export function baseVal(s: CpuState, n: number): bigint {
  return n === 31 ? s.sp : (s.x[n] ?? 0n);
}
/** Value of register `n` as a data operand: 31 is XZR. */
export function regVal(s: CpuState, n: number): bigint {
  return n === 31 ? 0n : (s.x[n] ?? 0n);
}
export const regName = (n: number): string => (n === 31 ? "sp" : `x${n}`);

/**
 * An effective address inside the scratch buffer (away from its edges), aligned to `align` bytes.
 * With probability `misalignPct` it is deliberately off by 1..align-1 (alignment-checked accesses fault).
 */
export function pickEA(r: Rng, align: number, misalignPct = 0): number {
  const lo = SCRATCH_BASE + 0x100;
  const span = SCRATCH_SIZE - 0x200;
  let ea = lo + (r() % span);
  ea -= ea % align;
  if (align > 1 && misalignPct > 0 && chance(r, misalignPct)) ea += 1 + (r() % (align - 1));
  return ea;
}

/**
 * Overrides that make base register `n` produce effective address `ea` when `offset` (a 64-bit
 * two's-complement amount) is added. SP as a base stays 16-byte aligned (Linux sets SCTLR_EL1.SA0).
 */
export function baseFor(n: number, ea: number, offset: bigint): Overrides {
  let base = (BigInt(ea) - offset) & MASK64;
  if (n === 31) base &= ~0xfn;
  return { [regName(n)]: base };
}

/** Scratch bytes as a little-endian value (for making CAS comparisons succeed). */
export function scratchValue(ea: number, bytes: number): bigint {
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(SCRATCH[ea - SCRATCH_BASE + i] ?? 0);
  return v;
}

/** Is `target` a landing address that keeps the test deterministic: not the test's own words. */
export function goodTarget(target: number, pc: number, nwords: number): boolean {
  return target < pc || target >= pc + 4 * nwords;
}

/** A 4-byte aligned address in the code region (filled with `brk #0`) other than the test's words. */
export function codeTarget(r: Rng, pc: number, nwords: number): number {
  for (;;) {
    const t = CODE_BASE + 4 * (r() % (CODE_SIZE / 4));
    if (goodTarget(t, pc, nwords)) return t;
  }
}
