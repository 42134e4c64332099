// FMOV between general and FP/SIMD registers, and FMOV (register): bit moves with no arithmetic.
import { bits, rz, wn, wz, xn } from "./fields.ts";
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

export function fmovReg(w: number, _pc: number, name: string): Insn | undefined {
  const type = bits(w, 22, 2);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  if (type > 1) return undefined;
  const exec: Exec = (s) => {
    const r = s.vreg;
    r[rd * 4] = r[rn * 4] as number;
    r[rd * 4 + 1] = type ? (r[rn * 4 + 1] as number) : 0;
    r[rd * 4 + 2] = 0;
    r[rd * 4 + 3] = 0;
    return 0;
  };
  const p = type ? "d" : "s";
  return { name, word: w, exec, asm: () => `fmov\t${p}${rd}, ${p}${rn}` };
}
