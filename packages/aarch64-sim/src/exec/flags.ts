// Add-with-carry and condition evaluation exactly as the Arm pseudocode (AddWithCarry, ConditionHolds).
import type { Cpu } from "../cpu.ts";
import { T } from "./alu.ts";

/** T = a + b + cin (64-bit, halves); no flags. */
export function add64(alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const lo = (alo >>> 0) + (blo >>> 0) + cin;
  T[0] = lo | 0;
  T[1] = (ahi + bhi + (lo > 0xffffffff ? 1 : 0)) | 0;
}

/** T = a + b + cin and NZCV from it. Subtraction is a + ~b + 1. */
export function addFlags64(s: Cpu, alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
  const lo = (alo >>> 0) + (blo >>> 0) + cin;
  const hiU = (ahi >>> 0) + (bhi >>> 0) + (lo > 0xffffffff ? 1 : 0);
  const hi = hiU | 0;
  const l = lo | 0;
  T[0] = l;
  T[1] = hi;
  s.nf = hi >>> 31;
  s.zf = (l | hi) === 0 ? 1 : 0;
  s.cf = hiU > 0xffffffff ? 1 : 0;
  s.vf = ((ahi ^ hi) & (bhi ^ hi)) >>> 31;
}

/** 32-bit AddWithCarry with flags; returns the result. */
export function addFlags32(s: Cpu, a: number, b: number, cin: number): number {
  const u = (a >>> 0) + (b >>> 0) + cin;
  const r = u | 0;
  s.nf = r >>> 31;
  s.zf = r === 0 ? 1 : 0;
  s.cf = u > 0xffffffff ? 1 : 0;
  s.vf = ((a ^ r) & (b ^ r)) >>> 31;
  return r;
}

/** ConditionHolds(cond) for the 4-bit condition field. */
export function condHolds(s: Cpu, cond: number): boolean {
  let r: boolean;
  switch (cond >> 1) {
    case 0:
      r = s.zf === 1;
      break;
    case 1:
      r = s.cf === 1;
      break;
    case 2:
      r = s.nf === 1;
      break;
    case 3:
      r = s.vf === 1;
      break;
    case 4:
      r = s.cf === 1 && s.zf === 0;
      break;
    case 5:
      r = s.nf === s.vf;
      break;
    case 6:
      r = s.nf === s.vf && s.zf === 0;
      break;
    default:
      return true;
  }
  return (cond & 1) === 1 ? !r : r;
}

/** Sets N and Z from a 64-bit result and clears C and V (logical ops with flags). */
export function nz64(s: Cpu, lo: number, hi: number): void {
  s.nf = hi >>> 31;
  s.zf = (lo | hi) === 0 ? 1 : 0;
  s.cf = 0;
  s.vf = 0;
}
export function nz32(s: Cpu, v: number): void {
  s.nf = v >>> 31;
  s.zf = v === 0 ? 1 : 0;
  s.cf = 0;
  s.vf = 0;
}
