/**
 * Instructions the interpreter runs out of line: division and modulo, byte swaps and legacy packet loads.
 * They are rare in hot loops, so a call costs little, and keeping them out of the dispatch function keeps
 * that function small for the optimiser. Each writes the registers (32-bit halves) in place.
 */

import type { ExecEnv } from "../engine.ts";
import { bswap32, R, sdivmod64, udivmod64 } from "./arith64.ts";

/** ALU64 div/mod/sdiv/smod of r[d] by (bl, bh): by zero, div gives 0 and mod leaves dst unchanged. */
export function divmod64(
  lo: Int32Array,
  hi: Int32Array,
  d: number,
  bl: number,
  bh: number,
  signed: boolean,
  isMod: boolean,
): void {
  if (bl === 0 && bh === 0) {
    if (!isMod) lo[d] = hi[d] = 0;
    return;
  }
  if (signed) sdivmod64(lo[d] ?? 0, hi[d] ?? 0, bl, bh);
  else udivmod64(lo[d] ?? 0, hi[d] ?? 0, bl, bh);
  lo[d] = (isMod ? R[2] : R[0]) ?? 0;
  hi[d] = (isMod ? R[3] : R[1]) ?? 0;
}

/** ALU (32-bit) div/mod: by zero, div gives 0 and mod keeps the low half; the result zero-extends. */
export function divmod32(
  lo: Int32Array,
  hi: Int32Array,
  d: number,
  b: number,
  signed: boolean,
  isMod: boolean,
): void {
  const a = lo[d] ?? 0;
  hi[d] = 0;
  if (b === 0) {
    if (!isMod) lo[d] = 0;
    return;
  }
  // INT_MIN / -1 overflows to INT_MIN and INT_MIN % -1 is 0, as the `| 0` gives.
  if (!isMod) lo[d] = signed ? Math.trunc(a / b) | 0 : Math.floor((a >>> 0) / (b >>> 0)) | 0;
  else lo[d] = signed ? (a % b) | 0 : ((a >>> 0) % (b >>> 0)) | 0;
}

/**
 * END: `swap` false = to little-endian (the host order: only truncation to `width` bits), true = byte swap
 * (to big-endian, or ALU64 bswap). Results narrower than 64 bits zero-extend.
 */
export function byteSwap(lo: Int32Array, hi: Int32Array, d: number, width: number, swap: boolean): void {
  const l = lo[d] ?? 0;
  if (!swap) {
    if (width === 16) lo[d] = l & 0xffff;
    if (width !== 64) hi[d] = 0;
  } else if (width === 16) {
    lo[d] = ((l & 0xff) << 8) | ((l >>> 8) & 0xff);
    hi[d] = 0;
  } else if (width === 32) {
    lo[d] = bswap32(l);
    hi[d] = 0;
  } else {
    lo[d] = bswap32(hi[d] ?? 0);
    hi[d] = bswap32(l);
  }
}

/**
 * Legacy `ld_abs`/`ld_ind` (opcode `op`): r0 = the big-endian value at context offset imm (+ r[s] for ind).
 * Returns false when the access falls outside the context (Linux then ends the program with r0 = 0).
 */
export function packetLoad(
  lo: Int32Array,
  hi: Int32Array,
  op: number,
  s: number,
  imm: number,
  env: ExecEnv,
  u8: Uint8Array,
  dv: DataView,
): boolean {
  const sz = (op >>> 3) & 3;
  const size = sz === 0 ? 4 : sz === 1 ? 2 : sz === 2 ? 1 : 8;
  const o = (op & 0xe0) === 0x40 ? ((lo[s] ?? 0) + imm) | 0 : imm;
  if (o < 0 || o + size > env.contextLength) return false;
  const a = env.contextWasm + o;
  hi[0] = 0;
  if (size === 1) lo[0] = u8[a] ?? 0;
  else if (size === 2) lo[0] = dv.getUint16(a, false);
  else if (size === 4) lo[0] = dv.getInt32(a, false);
  else {
    hi[0] = dv.getInt32(a, false);
    lo[0] = dv.getInt32(a + 4, false);
  }
  return true;
}

/**
 * STX ATOMIC at wasm address `a` (already checked for reading and writing): add/or/and/xor with and without
 * fetch, xchg, cmpxchg (`imm` as RFC 9669 encodes them). 32-bit forms zero-extend what they return.
 */
export function atomic(
  lo: Int32Array,
  hi: Int32Array,
  dv: DataView,
  a: number,
  size: number,
  imm: number,
  s: number,
): void {
  const oldL = dv.getInt32(a, true);
  const oldH = size === 8 ? dv.getInt32(a + 4, true) : 0;
  const sl = lo[s] ?? 0;
  const sh = size === 8 ? (hi[s] ?? 0) : 0;
  const aop = imm & ~1;
  let nl = oldL;
  let nh = oldH;
  if (imm === 0xf1) {
    // cmpxchg: compare with r0, old value into r0.
    const eq = size === 8 ? lo[0] === oldL && hi[0] === oldH : lo[0] === oldL;
    if (eq) {
      nl = sl;
      nh = sh;
    }
    lo[0] = oldL;
    hi[0] = oldH;
  } else if (imm === 0xe1) {
    nl = sl;
    nh = sh;
    lo[s] = oldL;
    hi[s] = oldH;
  } else {
    if (aop === 0x00) {
      const t = (oldL >>> 0) + (sl >>> 0);
      nh = (oldH + sh + (t > 0xffffffff ? 1 : 0)) | 0;
      nl = t | 0;
    } else if (aop === 0x40) {
      nl = oldL | sl;
      nh = oldH | sh;
    } else if (aop === 0x50) {
      nl = oldL & sl;
      nh = oldH & sh;
    } else {
      nl = oldL ^ sl;
      nh = oldH ^ sh;
    }
    if (imm & 1) {
      lo[s] = oldL;
      hi[s] = oldH;
    }
  }
  dv.setInt32(a, nl, true);
  if (size === 8) dv.setInt32(a + 4, nh, true);
}
