// 64-bit addresses as two u32 halves. `bigint` only where a value crosses the public API.
import { SymbolsError } from "./errors.ts";

const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** The halves of a u64 `bigint`; throws `SYMBOLS_INVALID_ARGUMENT` outside 0..2^64-1. */
export function splitU64(value: bigint, what: string): [hi: number, lo: number] {
  if (typeof value !== "bigint" || value < 0n || value > U64_MAX) {
    throw new SymbolsError("SYMBOLS_INVALID_ARGUMENT", `${what} must be a u64 bigint, got ${String(value)}`);
  }
  return [Number(value >> 32n), Number(value & 0xffff_ffffn)];
}

export function joinU64(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** `(aHi:aLo) - (bHi:bLo)` for a >= b, as a bigint (boundary use only). */
export function diffU64(aHi: number, aLo: number, bHi: number, bLo: number): bigint {
  let lo = aLo - bLo;
  let hi = aHi - bHi;
  if (lo < 0) {
    lo += 0x1_0000_0000;
    hi -= 1;
  }
  // hi may be 2^32 - 1 + 1 only when a is the 2^64 end bound (hi = 0x1_0000_0000).
  return BigInt(hi) * 0x1_0000_0000n + BigInt(lo);
}

const HEX = "0123456789abcdef";

/** 16 lowercase hex digits, zero padded, as in /proc/kallsyms and System.map. */
export function hex16(hi: number, lo: number): string {
  let s = "";
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(hi >>> shift) & 15];
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(lo >>> shift) & 15];
  return s;
}
