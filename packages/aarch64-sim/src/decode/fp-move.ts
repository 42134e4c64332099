// FMOV between general and FP/SIMD registers, and FMOV (register): bit moves with no arithmetic.

import { condHolds } from "../exec/flags.ts";
import { bits, COND_NAMES, rz, wn, wz, xn } from "./fields.ts";
import type { Insn } from "./types.ts";

type Exec = Insn["exec"];

export function fmovGeneral(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const type = bits(w, 22, 2);
  const rmode = bits(w, 19, 2);
  const opcode = bits(w, 16, 3);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  if (bits(w, 29, 1) || (opcode !== 6 && opcode !== 7)) return undefined;
  const toFp = opcode === 7;
  // (sf, type, rmode): 0/00/00 S<->W, 1/01/00 D<->X, 1/10/01 V.D[1]<->X
  let lane1 = false;
  if (sf === 0 && type === 0 && rmode === 0) {
    /* 32-bit */
  } else if (sf === 1 && type === 1 && rmode === 0) {
    /* 64-bit */
  } else if (sf === 1 && type === 2 && rmode === 1) lane1 = true;
  else return undefined;
  const exec: Exec = toFp
    ? (s) => {
        const n = rz(rn);
        const r = s.vreg;
        const b = rd * 4;
        if (lane1) {
          r[b + 2] = s.x[n] as number;
          r[b + 3] = s.x[n + 1] as number;
          return 0;
        }
        r[b] = s.x[n] as number;
        r[b + 1] = sf ? (s.x[n + 1] as number) : 0;
        r[b + 2] = 0;
        r[b + 3] = 0;
        return 0;
      }
    : (s) => {
        const d = wz(rd);
        const r = s.vreg;
        const b = rn * 4 + (lane1 ? 2 : 0);
        s.x[d] = r[b] as number;
        s.x[d + 1] = sf ? (r[b + 1] as number) : 0;
        return 0;
      };
  const fp = lane1 ? `v${toFp ? rd : rn}.d[1]` : `${sf ? "d" : "s"}${toFp ? rd : rn}`;
  const gp = sf ? xn(toFp ? rn : rd) : wn(toFp ? rn : rd);
  return { name, word: w, exec, asm: () => (toFp ? `fmov\t${fp}, ${gp}` : `fmov\t${gp}, ${fp}`) };
}

// Scalar FP bit-level operations: FMOV/FABS/FNEG (register), FMOV (immediate), FCSEL. No arithmetic, so
// no rounding or FPSR flags. ftype: 0 single, 1 double, 3 half.
const FBITS: Readonly<Record<number, number>> = { 0: 32, 1: 64, 3: 16 };
const FREG: Readonly<Record<number, string>> = { 0: "s", 1: "d", 3: "h" };

/** Writes an FP scalar (as up to two 32-bit words) to V<d>, zeroing the rest of the register. */
function setScalar(r: Int32Array, d: number, lo: number, hi: number): void {
  r[d * 4] = lo;
  r[d * 4 + 1] = hi;
  r[d * 4 + 2] = 0;
  r[d * 4 + 3] = 0;
}

export function fpDp1(w: number, _pc: number, name: string): Insn | undefined {
  const ftype = bits(w, 22, 2);
  const opcode = bits(w, 15, 6);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const fb = FBITS[ftype];
  if (fb === undefined || opcode > 2) return undefined;
  // sign bit position within the low/high word
  const exec: Exec = (s) => {
    const r = s.vreg;
    let lo = r[rn * 4] as number;
    let hi = fb === 64 ? (r[rn * 4 + 1] as number) : 0;
    if (fb === 16) lo &= 0xffff;
    if (opcode === 1) {
      if (fb === 64) hi &= 0x7fffffff;
      else lo &= fb === 32 ? 0x7fffffff : 0x7fff;
    } else if (opcode === 2) {
      if (fb === 64) hi ^= -0x80000000;
      else lo ^= fb === 32 ? -0x80000000 : 0x8000;
    }
    setScalar(r, rd, lo, hi);
    return 0;
  };
  const p = FREG[ftype] as string;
  const mn = ["fmov", "fabs", "fneg"][opcode] as string;
  return { name, word: w, exec, asm: () => `${mn}\t${p}${rd}, ${p}${rn}` };
}

/** VFPExpandImm: the 8-bit FP immediate as the bits of a half/single/double. */
export function vfpExpandImm(imm8: number, bitsN: number): [number, number] {
  const sign = imm8 >> 7;
  const b6 = (imm8 >> 6) & 1;
  const ab = (imm8 >> 4) & 3;
  const frac4 = imm8 & 15;
  if (bitsN === 16) {
    // exp 5 bits: NOT(b6):b6:b6:ab
    const exp = ((b6 ^ 1) << 4) | (b6 ? 0b1100 : 0) | ab;
    return [(sign << 15) | (exp << 10) | (frac4 << 6), 0];
  }
  if (bitsN === 32) {
    const exp = ((b6 ^ 1) << 7) | (b6 ? 0b1111100 : 0) | ab;
    return [(sign << 31) | (exp << 23) | (frac4 << 19) | 0, 0];
  }
  const exp = ((b6 ^ 1) << 10) | (b6 ? 0b1111111100 : 0) | ab;
  return [0, (sign << 31) | (exp << 20) | (frac4 << 16) | 0];
}

/** objdump prints FP immediates with printf "%.18e". */
export function fpImmText(imm8: number): string {
  const sign = imm8 >> 7 ? -1 : 1;
  const b6 = (imm8 >> 6) & 1;
  const ab = (imm8 >> 4) & 3;
  // value = (16 + frac) / 16 * 2^exp with exp = NOT(b6):ab - 3, i.e. -3..4
  const exp3 = (((b6 ^ 1) << 2) | ab) - 3;
  const value = (sign * (16 + (imm8 & 15)) * 2 ** exp3) / 16;
  return value.toExponential(18).replace(/e([+-])(\d)$/, "e$10$2");
}

export function fmovImm(w: number, _pc: number, name: string): Insn | undefined {
  const ftype = bits(w, 22, 2);
  const imm8 = bits(w, 13, 8);
  const rd = bits(w, 0, 5);
  const fb = FBITS[ftype];
  if (fb === undefined) return undefined;
  const [lo, hi] = vfpExpandImm(imm8, fb);
  const exec: Exec = (s) => {
    setScalar(s.vreg, rd, lo, hi);
    return 0;
  };
  return { name, word: w, exec, asm: () => `fmov\t${FREG[ftype]}${rd}, #${fpImmText(imm8)}` };
}

export function fcsel(w: number, _pc: number, name: string): Insn | undefined {
  const ftype = bits(w, 22, 2);
  const rm = bits(w, 16, 5);
  const cond = bits(w, 12, 4);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const fb = FBITS[ftype];
  if (fb === undefined) return undefined;
  const exec: Exec = (s) => {
    const r = s.vreg;
    const src = condHolds(s, cond) ? rn : rm;
    const lo = r[src * 4] as number;
    setScalar(r, rd, fb === 16 ? lo & 0xffff : lo, fb === 64 ? (r[src * 4 + 1] as number) : 0);
    return 0;
  };
  const p = FREG[ftype] as string;
  return { name, word: w, exec, asm: () => `fcsel\t${p}${rd}, ${p}${rn}, ${p}${rm}, ${COND_NAMES[cond]}` };
}
