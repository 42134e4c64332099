// Field extractors and operand formatting shared by the decode groups.
import { Slot } from "../stop.ts";

export const bits = (w: number, lo: number, n: number): number => (w >>> lo) & ((1 << n) - 1);
export const sext = (v: number, n: number): number => (v << (32 - n)) >> (32 - n);

/** Slot word index of a register read where 31 means XZR / WZR. */
export const rz = (r: number): number => (r === 31 ? Slot.ZR : r) * 2;
/** Slot word index of a register write where 31 means XZR (writes are discarded). */
export const wz = (r: number): number => (r === 31 ? Slot.DISCARD : r) * 2;
/** Slot word index where 31 means SP. */
export const rs = (r: number): number => r * 2;

export const xn = (r: number): string => (r === 31 ? "xzr" : `x${r}`);
export const wn = (r: number): string => (r === 31 ? "wzr" : `w${r}`);
export const xsp = (r: number): string => (r === 31 ? "sp" : `x${r}`);
export const wsp = (r: number): string => (r === 31 ? "wsp" : `w${r}`);
/** General register name by size: sf=1 X, else W; `sp` = 31 is SP. */
export const gr = (sf: number, r: number, sp = false): string =>
  sp ? (sf ? xsp(r) : wsp(r)) : sf ? xn(r) : wn(r);

export const hex = (v: number | bigint): string => `#0x${v.toString(16)}`;
export const SHIFT_NAMES = ["lsl", "lsr", "asr", "ror"] as const;
export const COND_NAMES = [
  "eq",
  "ne",
  "cs",
  "cc",
  "mi",
  "pl",
  "vs",
  "vc",
  "hi",
  "ls",
  "ge",
  "lt",
  "gt",
  "le",
  "al",
  "nv",
] as const;
export const EXTEND_NAMES = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"] as const;

/** Default PC-relative target format of binary-mode objdump. */
export const defaultTarget = (addr: bigint): string => `0x${addr.toString(16)}`;

export const TWO32 = 4294967296;
/** Target address (number, below 2^53) as bigint for printing. */
export const addrBig = (a: number): bigint => BigInt.asUintN(64, BigInt(a));
