// AdvSIMD and FP, the subset gcc emits for plain C (README "Coverage"): copies (DUP/INS/UMOV/SMOV),
// modified immediates (MOVI/MVNI/ORR/BIC), shifts by immediate (SHL/USHR/SSHR/USHLL/SSHLL), three-same
// (logical, ADD/SUB, CMEQ/CMTST), two-reg misc (CNT, NOT, CMEQ #0, XTN, SHLL), ADDV, permutes
// (UZP/TRN/ZIP), FMOV between general and FP registers, and LD1-4/ST1-4 (multiple structures).
// Everything else in the FP/SIMD space is UNDEFINED here.
import { asr64, lsl64, lsr64, T } from "../exec/alu.ts";
import { clearR, commit, lane, lanes, R, setLane } from "../exec/vec.ts";
import { bits, rz, wn, wz, xn } from "./fields.ts";
import { fcsel, fmovGeneral, fmovImm, fpDp1, fpImmText, vfpExpandImm } from "./fp-move.ts";
import { twoMiscInt } from "./simd-2misc.ts";
import { threeSame } from "./simd-3same.ts";
import { shiftImmMore } from "./simd-shift.ts";
import type { Insn, Row } from "./types.ts";

type Exec = Insn["exec"];

import { ESZ, v } from "./simd-fields.ts";

function copy(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const op = bits(w, 29, 1);
  const imm5 = bits(w, 16, 5);
  const imm4 = bits(w, 11, 4);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const size: number = imm5 & 1 ? 0 : imm5 & 2 ? 1 : imm5 & 4 ? 2 : imm5 & 8 ? 3 : -1;
  if (size < 0) return undefined;
  const idx = imm5 >>> (size + 1);
  const nl = (q ? 16 : 8) >> size;
  if (op === 1) {
    if (!q) return undefined;
    // INS (element): V[d][idx] = V[n][imm4 >> size]
    const src = imm4 >>> size;
    const exec: Exec = (s) => {
      const l = lanes(s);
      if (size === 3) {
        s.vreg[rd * 4 + idx * 2] = s.vreg[rn * 4 + src * 2] as number;
        s.vreg[rd * 4 + idx * 2 + 1] = s.vreg[rn * 4 + src * 2 + 1] as number;
      } else setLane(l, rd, idx, size, lane(l, rn, src, size));
      return 0;
    };
    return {
      name,
      word: w,
      exec,
      asm: () => `mov\tv${rd}.${ESZ[size]}[${idx}], v${rn}.${ESZ[size]}[${src}]`,
    };
  }
  switch (imm4) {
    case 0: {
      // DUP (element)
      if (size === 3 && !q) return undefined;
      const exec: Exec = (s) => {
        const l = lanes(s);
        clearR();
        if (size === 3) {
          const lo = s.vreg[rn * 4 + idx * 2] as number;
          const hi = s.vreg[rn * 4 + idx * 2 + 1] as number;
          R.w[0] = lo;
          R.w[1] = hi;
          R.w[2] = lo;
          R.w[3] = hi;
        } else {
          const e = lane(l, rn, idx, size);
          for (let i = 0; i < nl; i++) setLane(R, 0, i, size, e);
        }
        commit(s, rd, q);
        return 0;
      };
      return { name, word: w, exec, asm: () => `dup\t${v(rd, size, q)}, v${rn}.${ESZ[size]}[${idx}]` };
    }
    case 1: {
      // DUP (general)
      if (size === 3 && !q) return undefined;
      const n = rz(rn);
      const exec: Exec = (s) => {
        clearR();
        const lo = s.x[n] as number;
        if (size === 3) {
          const hi = s.x[n + 1] as number;
          R.w[0] = lo;
          R.w[1] = hi;
          R.w[2] = lo;
          R.w[3] = hi;
        } else for (let i = 0; i < nl; i++) setLane(R, 0, i, size, lo);
        commit(s, rd, q);
        return 0;
      };
      return { name, word: w, exec, asm: () => `dup\t${v(rd, size, q)}, ${size === 3 ? xn(rn) : wn(rn)}` };
    }
    case 3: {
      // INS (general)
      if (!q) return undefined;
      const n = rz(rn);
      const exec: Exec = (s) => {
        if (size === 3) {
          s.vreg[rd * 4 + idx * 2] = s.x[n] as number;
          s.vreg[rd * 4 + idx * 2 + 1] = s.x[n + 1] as number;
        } else setLane(lanes(s), rd, idx, size, s.x[n] as number);
        return 0;
      };
      return {
        name,
        word: w,
        exec,
        asm: () => `mov\tv${rd}.${ESZ[size]}[${idx}], ${size === 3 ? xn(rn) : wn(rn)}`,
      };
    }
    case 5:
    case 7: {
      // SMOV / UMOV
      const signed = imm4 === 5;
      if (signed ? size > (q ? 2 : 1) : (size === 3) !== (q === 1)) return undefined;
      const d = wz(rd);
      const exec: Exec = (s) => {
        const x = s.x;
        if (size === 3) {
          x[d] = s.vreg[rn * 4 + idx * 2] as number;
          x[d + 1] = s.vreg[rn * 4 + idx * 2 + 1] as number;
          return 0;
        }
        let e = lane(lanes(s), rn, idx, size);
        if (signed) {
          e = size === 0 ? (e << 24) >> 24 : size === 1 ? (e << 16) >> 16 : e | 0;
          x[d] = e;
          x[d + 1] = q ? e >> 31 : 0;
        } else {
          x[d] = e | 0;
          x[d + 1] = 0;
        }
        return 0;
      };
      const dst = q ? xn(rd) : wn(rd);
      const mn = signed ? "smov" : size >= 2 ? "mov" : "umov";
      return { name, word: w, exec, asm: () => `${mn}\t${dst}, v${rn}.${ESZ[size]}[${idx}]` };
    }
    default:
      return undefined;
  }
}

function scalarCopy(w: number, _pc: number, name: string): Insn | undefined {
  const imm5 = bits(w, 16, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const size: number = imm5 & 1 ? 0 : imm5 & 2 ? 1 : imm5 & 4 ? 2 : imm5 & 8 ? 3 : -1;
  if (size < 0) return undefined;
  const idx = imm5 >>> (size + 1);
  const exec: Exec = (s) => {
    clearR();
    if (size === 3) {
      R.w[0] = s.vreg[rn * 4 + idx * 2] as number;
      R.w[1] = s.vreg[rn * 4 + idx * 2 + 1] as number;
    } else setLane(R, 0, 0, size, lane(lanes(s), rn, idx, size));
    commit(s, rd, 0);
    return 0;
  };
  return { name, word: w, exec, asm: () => `mov\t${"bhsd"[size]}${rd}, v${rn}.${ESZ[size]}[${idx}]` };
}

/** AdvSIMDExpandImm for the MOVI family; returns [lo, hi] or undefined when unallocated. */
function expandImm(op: number, cmode: number, imm8: number): [number, number] | undefined {
  let e: number;
  switch (cmode >> 1) {
    case 0:
      e = imm8;
      return [e, e];
    case 1:
      e = imm8 << 8;
      return [e, e];
    case 2:
      e = imm8 << 16;
      return [e, e];
    case 3:
      e = imm8 << 24;
      return [e, e];
    case 4:
      e = imm8 | (imm8 << 16);
      return [e, e];
    case 5:
      e = (imm8 << 8) | (imm8 << 24);
      return [e, e];
    case 6:
      e = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff;
      return [e, e];
    default:
      if ((cmode & 1) === 0 && op === 0) {
        e = imm8 | (imm8 << 8) | (imm8 << 16) | (imm8 << 24);
        return [e, e];
      }
      if ((cmode & 1) === 0 && op === 1) {
        let lo = 0;
        let hi = 0;
        for (let i = 0; i < 4; i++) if ((imm8 >> i) & 1) lo |= 0xff << (8 * i);
        for (let i = 0; i < 4; i++) if ((imm8 >> (i + 4)) & 1) hi |= 0xff << (8 * i);
        return [lo, hi];
      }
      return undefined; // FMOV (vector, immediate) is not implemented
  }
}

/** FMOV (vector, immediate): half (o2), single or double (op) copies of an 8-bit FP immediate. */
function fmovVectorImm(
  w: number,
  name: string,
  q: number,
  op: number,
  o2: number,
  imm8: number,
  rd: number,
): Insn | undefined {
  let lo: number;
  let hi: number;
  let t: string;
  if (op === 0 && o2 === 0) {
    lo = (vfpExpandImm(imm8, 32)[0] as number) | 0;
    hi = lo;
    t = q ? "4s" : "2s";
  } else if (op === 0 && o2 === 1) {
    const h = vfpExpandImm(imm8, 16)[0] as number;
    lo = h | (h << 16) | 0;
    hi = lo;
    t = q ? "8h" : "4h";
  } else if (op === 1 && o2 === 0 && q === 1) {
    lo = 0;
    hi = vfpExpandImm(imm8, 64)[1] as number;
    t = "2d";
  } else return undefined;
  const exec: Exec = (s) => {
    const r = s.vreg;
    r[rd * 4] = lo;
    r[rd * 4 + 1] = hi;
    r[rd * 4 + 2] = q ? lo : 0;
    r[rd * 4 + 3] = q ? hi : 0;
    return 0;
  };
  return { name, word: w, exec, asm: () => `fmov\tv${rd}.${t}, #${fpImmText(imm8)}` };
}

function modImm(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const op = bits(w, 29, 1);
  const cmode = bits(w, 12, 4);
  const imm8 = (bits(w, 16, 3) << 5) | bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const o2 = bits(w, 11, 1);
  if (cmode === 15) return fmovVectorImm(w, name, q, op, o2, imm8, rd);
  if (o2) return undefined;
  const imm = expandImm(op, cmode, imm8);
  if (imm === undefined) return undefined;
  // kind: 0 MOVI, 1 MVNI, 2 ORR, 3 BIC
  const orrBic = (cmode & 1) === 1 && cmode < 12;
  const kind = orrBic ? (op ? 3 : 2) : op && cmode < 14 ? 1 : 0;
  let [lo, hi] = imm;
  if (kind === 1) {
    lo = ~lo;
    hi = ~hi;
  }
  const exec: Exec = (s) => {
    const r = s.vreg;
    const b = rd * 4;
    if (kind === 2 || kind === 3) {
      const m0 = kind === 3 ? ~lo : lo;
      const m1 = kind === 3 ? ~hi : hi;
      r[b] = kind === 3 ? (r[b] as number) & m0 : (r[b] as number) | m0;
      r[b + 1] = kind === 3 ? (r[b + 1] as number) & m1 : (r[b + 1] as number) | m1;
      r[b + 2] = q ? (kind === 3 ? (r[b + 2] as number) & m0 : (r[b + 2] as number) | m0) : 0;
      r[b + 3] = q ? (kind === 3 ? (r[b + 3] as number) & m1 : (r[b + 3] as number) | m1) : 0;
    } else {
      r[b] = lo;
      r[b + 1] = hi;
      r[b + 2] = q ? lo : 0;
      r[b + 3] = q ? hi : 0;
    }
    return 0;
  };
  const asm = () => {
    const mn = ["movi", "mvni", "orr", "bic"][kind] as string;
    const h = `#0x${imm8.toString(16)}`;
    if (cmode === 14 && op === 1) {
      const full = (BigInt(imm[1] >>> 0) << 32n) | BigInt(imm[0] >>> 0);
      return q ? `movi\tv${rd}.2d, #0x${full.toString(16)}` : `movi\td${rd}, #0x${full.toString(16)}`;
    }
    if (cmode === 14) return `movi\tv${rd}.${q ? "16b" : "8b"}, ${h}`;
    if (cmode >= 12) return `${mn}\tv${rd}.${q ? "4s" : "2s"}, ${h}, msl #${cmode & 1 ? 16 : 8}`;
    if (cmode >= 8) {
      const sh = ((cmode >> 1) & 1) * 8;
      return `${mn}\tv${rd}.${q ? "8h" : "4h"}, ${h}${sh ? `, lsl #${sh}` : ""}`;
    }
    const sh = ((cmode >> 1) & 3) * 8;
    return `${mn}\tv${rd}.${q ? "4s" : "2s"}, ${h}${sh ? `, lsl #${sh}` : ""}`;
  };
  return { name, word: w, exec, asm };
}

function shiftImm(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const u = bits(w, 29, 1);
  const immh = bits(w, 19, 4);
  const immb = bits(w, 16, 3);
  const opcode = bits(w, 11, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  if (immh === 0) return undefined;
  if (immh !== 0) {
    const more = shiftImmMore(w, name);
    if (more !== null) return more;
  }
  const size = 31 - Math.clz32(immh); // element size of the source (log2 bytes)
  const esize = 8 << size;
  const immhb = (immh << 3) | immb;
  if (opcode === 0b10100) {
    // SSHLL/USHLL (UXTL/SXTL when the shift is 0): widen the low or high half
    if (size === 3) return undefined;
    const sh = immhb - esize;
    const nl = 8 >> size;
    const exec: Exec = (s) => {
      const l = lanes(s);
      clearR();
      for (let i = 0; i < nl; i++) {
        let e = lane(l, rn, i + (q ? nl : 0), size);
        if (!u) e = size === 0 ? (e << 24) >> 24 : size === 1 ? (e << 16) >> 16 : e | 0;
        if (size === 2) {
          // 64-bit result lanes
          lsl64(e, u ? 0 : e >> 31, sh);
          R.w[2 * i] = T[0] as number;
          R.w[2 * i + 1] = T[1] as number;
        } else setLane(R, 0, i, size + 1, e << sh);
      }
      commit(s, rd, 1);
      return 0;
    };
    const mn = sh === 0 ? `${u ? "u" : "s"}xtl${q ? "2" : ""}` : `${u ? "u" : "s"}shll${q ? "2" : ""}`;
    return {
      name,
      word: w,
      exec,
      asm: () => `${mn}\t${v(rd, size + 1, 1)}, ${v(rn, size, q)}${sh === 0 ? "" : `, #${sh}`}`,
    };
  }
  if (size === 3 && !q) return undefined;
  const nl = (q ? 16 : 8) >> size;
  let kind: number; // 0 SHL, 1 USHR, 2 SSHR
  let sh: number;
  if (opcode === 0b01010 && !u) {
    kind = 0;
    sh = immhb - esize;
  } else if (opcode === 0) {
    kind = u ? 1 : 2;
    sh = 2 * esize - immhb;
  } else return undefined;
  const exec: Exec = (s) => {
    const l = lanes(s);
    clearR();
    if (size === 3) {
      for (let i = 0; i < 2; i++) {
        const lo = s.vreg[rn * 4 + 2 * i] as number;
        const hi = s.vreg[rn * 4 + 2 * i + 1] as number;
        if (kind === 0) lsl64(lo, hi, sh);
        else if (sh === 64) {
          T[0] = kind === 1 ? 0 : hi >> 31;
          T[1] = kind === 1 ? 0 : hi >> 31;
        } else if (kind === 1) lsr64(lo, hi, sh);
        else asr64(lo, hi, sh);
        R.w[2 * i] = T[0] as number;
        R.w[2 * i + 1] = T[1] as number;
      }
    } else {
      for (let i = 0; i < nl; i++) {
        let e = lane(l, rn, i, size);
        if (kind === 0) e = e << sh;
        else if (kind === 1) e = sh >= 32 ? 0 : e >>> sh;
        else {
          const se = size === 0 ? (e << 24) >> 24 : size === 1 ? (e << 16) >> 16 : e | 0;
          e = se >> Math.min(sh, 31);
        }
        setLane(R, 0, i, size, e);
      }
    }
    commit(s, rd, q);
    return 0;
  };
  const mn = ["shl", "ushr", "sshr"][kind] as string;
  return { name, word: w, exec, asm: () => `${mn}\t${v(rd, size, q)}, ${v(rn, size, q)}, #${sh}` };
}

function twoMisc(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const u = bits(w, 29, 1);
  const size = bits(w, 22, 2);
  const opcode = bits(w, 12, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const more = twoMiscInt(w, name);
  if (more !== null) return more;
  const nl = (q ? 16 : 8) >> size;
  if (opcode === 0b00101 && size === 0) {
    // CNT / NOT (MVN)
    const exec: Exec = (s) => {
      const l = lanes(s);
      clearR();
      for (let i = 0; i < (q ? 16 : 8); i++) {
        let e = l.b[rn * 16 + i] as number;
        if (u) e = ~e;
        else {
          e = e - ((e >> 1) & 0x55);
          e = (e & 0x33) + ((e >> 2) & 0x33);
          e = (e + (e >> 4)) & 0x0f;
        }
        R.b[i] = e;
      }
      commit(s, rd, q);
      return 0;
    };
    const t = q ? "16b" : "8b";
    return { name, word: w, exec, asm: () => `${u ? "mvn" : "cnt"}\tv${rd}.${t}, v${rn}.${t}` };
  }
  if (opcode === 0b01001 && !u) {
    if (size === 3 && !q) return undefined;
    // CMEQ #0
    const exec: Exec = (s) => {
      clearR();
      if (size === 3) {
        const r = s.vreg;
        for (let i = 0; i < 2; i++) {
          const z = ((r[rn * 4 + 2 * i] as number) | (r[rn * 4 + 2 * i + 1] as number)) === 0 ? -1 : 0;
          R.w[2 * i] = z;
          R.w[2 * i + 1] = z;
        }
      } else {
        const l = lanes(s);
        for (let i = 0; i < nl; i++) setLane(R, 0, i, size, lane(l, rn, i, size) === 0 ? -1 : 0);
      }
      commit(s, rd, q);
      return 0;
    };
    return { name, word: w, exec, asm: () => `cmeq\t${v(rd, size, q)}, ${v(rn, size, q)}, #0` };
  }
  if (opcode === 0b10010 && !u && size < 3) {
    // XTN/XTN2: narrow into the low or high half of Vd
    const n = 8 >> size;
    const exec: Exec = (s) => {
      const l = lanes(s);
      const r = s.vreg;
      for (let i = 0; i < 4; i++) R.w[i] = r[rd * 4 + i] as number;
      if (!q) {
        R.w[0] = 0;
        R.w[1] = 0;
        R.w[2] = 0;
        R.w[3] = 0;
      }
      for (let i = 0; i < n; i++) {
        const e = size === 2 ? (r[rn * 4 + 2 * i] as number) : lane(l, rn, i, size + 1);
        setLane(R, 0, i + (q ? n : 0), size, e);
      }
      commit(s, rd, 1);
      return 0;
    };
    return { name, word: w, exec, asm: () => `xtn${q ? "2" : ""}\t${v(rd, size, q)}, ${v(rn, size + 1, 1)}` };
  }
  if (opcode === 0b10011 && u && size < 3) {
    // SHLL/SHLL2: widen and shift left by the element size
    const n = 8 >> size;
    const sh = 8 << size;
    const exec: Exec = (s) => {
      const l = lanes(s);
      clearR();
      for (let i = 0; i < n; i++) {
        const e = lane(l, rn, i + (q ? n : 0), size);
        if (size === 2) {
          R.w[2 * i] = 0;
          R.w[2 * i + 1] = e;
        } else setLane(R, 0, i, size + 1, e << sh);
      }
      commit(s, rd, 1);
      return 0;
    };
    return {
      name,
      word: w,
      exec,
      asm: () => `shll${q ? "2" : ""}\t${v(rd, size + 1, 1)}, ${v(rn, size, q)}, #${sh}`,
    };
  }
  return undefined;
}

function across(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const u = bits(w, 29, 1);
  const size = bits(w, 22, 2);
  const opcode = bits(w, 12, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  // 00011 [SU]ADDLV, 01010 [SU]MAXV, 11010 [SU]MINV, 11011 ADDV (U=0)
  const kind =
    opcode === 0b00011
      ? 0
      : opcode === 0b01010
        ? 1
        : opcode === 0b11010
          ? 2
          : opcode === 0b11011 && !u
            ? 3
            : -1;
  if (kind < 0 || size === 3 || (size === 2 && !q)) return undefined;
  const nl = (q ? 16 : 8) >> size;
  const signed = u === 0;
  const exec: Exec = (s) => {
    const l = lanes(s);
    let acc = 0;
    for (let i = 0; i < nl; i++) {
      let e = lane(l, rn, i, size);
      if (signed && kind !== 3) e = size === 0 ? (e << 24) >> 24 : size === 1 ? (e << 16) >> 16 : e | 0;
      if (i === 0 || kind === 0 || kind === 3) acc = i === 0 ? e : acc + e;
      else acc = kind === 1 ? Math.max(acc, e) : Math.min(acc, e);
    }
    clearR();
    if (kind === 0 && size === 2) {
      // 64-bit result from up to four 32-bit values (exact in a double)
      const lo = acc % 4294967296;
      R.w[0] = lo | 0;
      R.w[1] = Math.floor((acc - lo) / 4294967296) | 0;
      if (acc < 0 && lo !== 0) R.w[1] = Math.floor(acc / 4294967296) | 0;
    } else setLane(R, 0, 0, kind === 0 ? size + 1 : size, acc);
    commit(s, rd, 0);
    return 0;
  };
  const mn = ["addlv", "maxv", "minv", "addv"][kind] as string;
  const dst = "bhsd"[kind === 0 ? size + 1 : size];
  return {
    name,
    word: w,
    exec,
    asm: () => `${kind === 3 ? "" : u ? "u" : "s"}${mn}\t${dst}${rd}, ${v(rn, size, q)}`,
  };
}

function permute(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const size = bits(w, 22, 2);
  const rm = bits(w, 16, 5);
  const opcode = bits(w, 12, 3);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  if (opcode === 0 || opcode === 4 || (size === 3 && !q)) return undefined;
  const nl = (q ? 16 : 8) >> size;
  const part = opcode >> 2; // 0: ...1, 1: ...2
  const kind = opcode & 3; // 1 UZP, 2 TRN, 3 ZIP
  const exec: Exec = (s) => {
    const l = lanes(s);
    clearR();
    // element j of the concatenation n:m (n first) as halves for 64-bit lanes
    const get = (j: number): number => (j < nl ? lane(l, rn, j, size) : lane(l, rm, j - nl, size));
    const get64 = (j: number, k: number): number =>
      j < nl ? (s.vreg[rn * 4 + 2 * j + k] as number) : (s.vreg[rm * 4 + 2 * (j - nl) + k] as number);
    const half = nl / 2;
    for (let i = 0; i < nl; i++) {
      let j: number;
      if (kind === 1) j = 2 * i + part;
      else if (kind === 2) j = (i & 1 ? nl : 0) + (i & ~1) + part;
      else j = (i & 1 ? nl : 0) + (i >> 1) + part * half;
      if (size === 3) {
        R.w[2 * i] = get64(j, 0);
        R.w[2 * i + 1] = get64(j, 1);
      } else setLane(R, 0, i, size, get(j));
    }
    commit(s, rd, q);
    return 0;
  };
  const mn = `${["", "uzp", "trn", "zip"][kind]}${part + 1}`;
  return { name, word: w, exec, asm: () => `${mn}\t${v(rd, size, q)}, ${v(rn, size, q)}, ${v(rm, size, q)}` };
}

/** TBL/TBX: byte lookup in a table of 1-4 consecutive registers. */
function tableLookup(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const rm = bits(w, 16, 5);
  const len = bits(w, 13, 2) + 1;
  const tbx = bits(w, 12, 1);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const nb = q ? 16 : 8;
  const exec: Exec = (s) => {
    const l = lanes(s);
    clearR();
    for (let i = 0; i < nb; i++) {
      const idx = l.b[rm * 16 + i] as number;
      if (idx < 16 * len) R.b[i] = l.b[((rn + (idx >> 4)) % 32) * 16 + (idx & 15)] as number;
      else R.b[i] = tbx ? (l.b[rd * 16 + i] as number) : 0;
    }
    commit(s, rd, q);
    return 0;
  };
  const asm = () => {
    const regs = Array.from({ length: len }, (_, i) => (rn + i) % 32);
    const list =
      len > 2 && regs[len - 1] === rn + len - 1
        ? `{v${rn}.16b-v${rn + len - 1}.16b}`
        : `{${regs.map((r) => `v${r}.16b`).join(", ")}}`;
    const t = q ? "16b" : "8b";
    return `${tbx ? "tbx" : "tbl"}\tv${rd}.${t}, ${list}, v${rm}.${t}`;
  };
  return { name, word: w, exec, asm };
}

/** EXT: bytes imm4.. of the concatenation Vm:Vn. */
function extract(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const rm = bits(w, 16, 5);
  const imm4 = bits(w, 11, 4);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  if (!q && imm4 > 7) return undefined;
  const nb = q ? 16 : 8;
  const exec: Exec = (s) => {
    const l = lanes(s);
    clearR();
    for (let i = 0; i < nb; i++) {
      const j = imm4 + i;
      R.b[i] = (j < nb ? l.b[rn * 16 + j] : l.b[rm * 16 + j - nb]) as number;
    }
    commit(s, rd, q);
    return 0;
  };
  const t = q ? "16b" : "8b";
  return { name, word: w, exec, asm: () => `ext\tv${rd}.${t}, v${rn}.${t}, v${rm}.${t}, #${imm4}` };
}

export const SIMD_ROWS: readonly Row[] = [
  { name: "SIMD_copy", pattern: "0..01110000.....0....1..........", build: copy },
  { name: "SIMD_scalar_copy", pattern: "01011110000.....000001..........", build: scalarCopy },
  { name: "SIMD_modimm", pattern: "0..0111100000........1..........", build: modImm },
  { name: "SIMD_shift_imm", pattern: "0..011110............1..........", build: shiftImm },
  { name: "SIMD_3same", pattern: "0..01110..1..........1..........", build: threeSame },
  { name: "SIMD_2misc", pattern: "0..01110..10000.....10..........", build: twoMisc },
  { name: "SIMD_across", pattern: "0..01110..11000.....10..........", build: across },
  { name: "SIMD_tbl", pattern: "0.001110000.....0...00..........", build: tableLookup },
  { name: "SIMD_ext", pattern: "0.101110000.....0....0..........", build: extract },
  { name: "SIMD_perm", pattern: "0.001110..0.....0...10..........", build: permute },
  { name: "FMOV_gen", pattern: ".0011110..1.....000000..........", build: fmovGeneral },
  { name: "FP_dp1", pattern: "00011110..1......10000..........", build: fpDp1 },
  { name: "FMOV_imm", pattern: "00011110..1........10000000.....", build: fmovImm },
  { name: "FCSEL", pattern: "00011110..1.........11..........", build: fcsel },
];
