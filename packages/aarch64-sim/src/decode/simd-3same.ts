// AdvSIMD three registers of the same type: logical, ADD/SUB, compares, halving, min/max, absolute
// difference, multiply(-accumulate), pairwise. Saturating, shifting and FP forms are UNDEFINED here.
import { clearR, commit, lane, lanes, R, setLane } from "../exec/vec.ts";
import { bits } from "./fields.ts";
import { v } from "./simd-fields.ts";
import type { Insn } from "./types.ts";

type Exec = Insn["exec"];

const sx = (e: number, size: number): number =>
  size === 0 ? (e << 24) >> 24 : size === 1 ? (e << 16) >> 16 : e | 0;

/** The integer three-same operations beyond ADD/SUB/CMEQ/CMTST, lane by lane (no saturation). */
const THREE_SAME_INT: Readonly<Record<number, string>> = {
  0: "hadd",
  2: "rhadd",
  4: "hsub",
  6: "cmgt",
  7: "cmge",
  12: "max",
  13: "min",
  14: "abd",
  15: "aba",
  18: "mla",
  19: "mul",
  20: "maxp",
  21: "minp",
  23: "addp",
};
function threeSameInt(
  w: number,
  name: string,
  q: number,
  u: number,
  size: number,
  opcode: number,
  rm: number,
  rn: number,
  rd: number,
): Insn | undefined | null {
  const op = THREE_SAME_INT[opcode];
  if (op === undefined) return null;
  const cmp = op === "cmgt" || op === "cmge";
  if (size === 3 && (!cmp || !q)) return undefined;
  if ((op === "mla" || op === "mul") && size === 3) return undefined;
  if (op === "mul" && u && size !== 0) return undefined;
  if (op === "addp" && u) return undefined;
  const nl = (q ? 16 : 8) >> size;
  const signed = u === 0;
  const exec: Exec = (s) => {
    const l = lanes(s);
    clearR();
    if (size === 3) {
      // CMGT/CMHI/CMGE/CMHS on 64-bit lanes
      const r = s.vreg;
      for (let i = 0; i < 2; i++) {
        const ah = r[rn * 4 + 2 * i + 1] as number;
        const al = (r[rn * 4 + 2 * i] as number) >>> 0;
        const bh = r[rm * 4 + 2 * i + 1] as number;
        const bl = (r[rm * 4 + 2 * i] as number) >>> 0;
        const ahc = signed ? ah : ah >>> 0;
        const bhc = signed ? bh : bh >>> 0;
        const c = ahc !== bhc ? (ahc > bhc ? 1 : -1) : al !== bl ? (al > bl ? 1 : -1) : 0;
        const hit = op === "cmgt" ? c > 0 : c >= 0;
        R.w[2 * i] = hit ? -1 : 0;
        R.w[2 * i + 1] = hit ? -1 : 0;
      }
      commit(s, rd, q);
      return 0;
    }
    const half = nl >> 1;
    for (let i = 0; i < nl; i++) {
      let a: number;
      let b: number;
      if (op === "maxp" || op === "minp" || op === "addp") {
        const src = i < half ? rn : rm;
        const j = 2 * (i < half ? i : i - half);
        a = lane(l, src, j, size);
        b = lane(l, src, j + 1, size);
      } else {
        a = lane(l, rn, i, size);
        b = lane(l, rm, i, size);
      }
      if (signed && op !== "mul" && op !== "mla" && op !== "addp") {
        a = sx(a, size);
        b = sx(b, size);
      }
      let v: number;
      switch (op) {
        case "hadd":
          v = Math.floor((a + b) / 2);
          break;
        case "rhadd":
          v = Math.floor((a + b + 1) / 2);
          break;
        case "hsub":
          v = Math.floor((a - b) / 2);
          break;
        case "cmgt":
          v = a > b ? -1 : 0;
          break;
        case "cmge":
          v = a >= b ? -1 : 0;
          break;
        case "max":
        case "maxp":
          v = Math.max(a, b);
          break;
        case "min":
        case "minp":
          v = Math.min(a, b);
          break;
        case "abd":
          v = Math.abs(a - b);
          break;
        case "aba":
          v = lane(l, rd, i, size) + Math.abs(a - b);
          break;
        case "mla": {
          const p = size === 2 ? Math.imul(a, b) : a * b;
          v = u ? lane(l, rd, i, size) - p : lane(l, rd, i, size) + p;
          break;
        }
        case "mul":
          if (u) {
            // PMUL: carry-less product of bytes
            let p = 0;
            for (let k = 0; k < 8; k++) if ((b >> k) & 1) p ^= a << k;
            v = p;
          } else v = size === 2 ? Math.imul(a, b) : a * b;
          break;
        default:
          v = a + b;
      }
      setLane(R, 0, i, size, v);
    }
    commit(s, rd, q);
    return 0;
  };
  const mnOf = (): string => {
    switch (op) {
      case "cmgt":
        return u ? "cmhi" : "cmgt";
      case "cmge":
        return u ? "cmhs" : "cmge";
      case "mla":
        return u ? "mls" : "mla";
      case "mul":
        return u ? "pmul" : "mul";
      case "addp":
        return "addp";
      default:
        return `${u ? "u" : "s"}${op}`;
    }
  };
  const mn = mnOf();
  return { name, word: w, exec, asm: () => `${mn}\t${v(rd, size, q)}, ${v(rn, size, q)}, ${v(rm, size, q)}` };
}

export function threeSame(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const u = bits(w, 29, 1);
  const size = bits(w, 22, 2);
  const rm = bits(w, 16, 5);
  const opcode = bits(w, 11, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const words = q ? 4 : 2;
  if (opcode === 0b00011) {
    // logical: AND BIC ORR ORN / EOR BSL BIT BIF, on whole words
    const op = (u << 2) | size;
    const exec: Exec = (s) => {
      const r = s.vreg;
      for (let i = 0; i < 4; i++) {
        const a = r[rn * 4 + i] as number;
        const b = r[rm * 4 + i] as number;
        const d = r[rd * 4 + i] as number;
        let x: number;
        switch (op) {
          case 0:
            x = a & b;
            break;
          case 1:
            x = a & ~b;
            break;
          case 2:
            x = a | b;
            break;
          case 3:
            x = a | ~b;
            break;
          case 4:
            x = a ^ b;
            break;
          case 5:
            x = (d & a) | (~d & b);
            break;
          case 6:
            x = (b & a) | (~b & d);
            break;
          default:
            x = (~b & a) | (b & d);
        }
        R.w[i] = i < words ? x : 0;
      }
      commit(s, rd, q);
      return 0;
    };
    const mn = ["and", "bic", "orr", "orn", "eor", "bsl", "bit", "bif"][op] as string;
    const t = q ? "16b" : "8b";
    if (op === 2 && rn === rm) return { name, word: w, exec, asm: () => `mov\tv${rd}.${t}, v${rn}.${t}` };
    return { name, word: w, exec, asm: () => `${mn}\tv${rd}.${t}, v${rn}.${t}, v${rm}.${t}` };
  }
  const other = threeSameInt(w, name, q, u, size, opcode, rm, rn, rd);
  if (other !== null) return other;
  if (size === 3 && !q) return undefined;
  const nl = (q ? 16 : 8) >> size;
  let kind: number; // 0 ADD, 1 SUB, 2 CMEQ, 3 CMTST
  if (opcode === 0b10000) kind = u;
  else if (opcode === 0b10001) kind = u ? 2 : 3;
  else return undefined;
  const exec: Exec = (s) => {
    const l = lanes(s);
    clearR();
    if (size === 3) {
      const r = s.vreg;
      for (let i = 0; i < 2; i++) {
        const alo = r[rn * 4 + 2 * i] as number;
        const ahi = r[rn * 4 + 2 * i + 1] as number;
        const blo = r[rm * 4 + 2 * i] as number;
        const bhi = r[rm * 4 + 2 * i + 1] as number;
        let lo: number;
        let hi: number;
        if (kind === 0) {
          const t = (alo >>> 0) + (blo >>> 0);
          lo = t | 0;
          hi = (ahi + bhi + (t > 0xffffffff ? 1 : 0)) | 0;
        } else if (kind === 1) {
          const t = (alo >>> 0) - (blo >>> 0);
          lo = t | 0;
          hi = (ahi - bhi - (t < 0 ? 1 : 0)) | 0;
        } else {
          const hit = kind === 2 ? alo === blo && ahi === bhi : ((alo & blo) | (ahi & bhi)) !== 0;
          lo = hit ? -1 : 0;
          hi = lo;
        }
        R.w[2 * i] = lo;
        R.w[2 * i + 1] = hi;
      }
    } else {
      for (let i = 0; i < nl; i++) {
        const a = lane(l, rn, i, size);
        const b = lane(l, rm, i, size);
        let x: number;
        if (kind === 0) x = a + b;
        else if (kind === 1) x = a - b;
        else if (kind === 2) x = a === b ? -1 : 0;
        else x = (a & b) !== 0 ? -1 : 0;
        setLane(R, 0, i, size, x);
      }
    }
    commit(s, rd, q);
    return 0;
  };
  const mn = ["add", "sub", "cmeq", "cmtst"][kind] as string;
  return { name, word: w, exec, asm: () => `${mn}\t${v(rd, size, q)}, ${v(rn, size, q)}, ${v(rm, size, q)}` };
}
