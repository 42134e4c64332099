// Data processing (1, 2 and 3 source): RBIT/REV/CLZ/CLS, divide, variable shifts, CRC32, multiply(-add).
import type { Cpu } from "../cpu.ts";
import {
  big,
  CRC32_TABLE,
  CRC32C_TABLE,
  cls32,
  crc32Update,
  fromBig,
  mul64,
  mulhiU32,
  rbit32,
  rev16,
  rev32,
  shift32,
  shift64,
  smulh,
  T,
  umulh,
} from "../exec/alu.ts";
import { add64 } from "../exec/flags.ts";
import { bits, gr, rz, SHIFT_NAMES, wn, wz, xn } from "./fields.ts";
import type { Insn } from "./types.ts";

type Exec = Insn["exec"];
const insn = (name: string, word: number, exec: Exec, asm: () => string, js?: string): Insn =>
  js === undefined ? { name, word, exec, asm } : { name, word, exec, asm, js };

export function dp3(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const op54 = bits(w, 29, 2);
  const op31 = bits(w, 21, 3);
  const o0 = bits(w, 15, 1);
  if (op54 !== 0) return undefined;
  const rm = bits(w, 16, 5);
  const ra = bits(w, 10, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const m = rz(rm);
  const n = rz(rn);
  const a = rz(ra);
  const d = wz(rd);
  const neg = o0 ? -1 : 0;
  let exec: Exec;
  let mn: string;
  let alias: string;
  let long = false;
  if (op31 === 0) {
    mn = o0 ? "msub" : "madd";
    alias = o0 ? "mneg" : "mul";
    exec = sf
      ? (s) => {
          const x = s.x;
          mul64(x[n] as number, x[n + 1] as number, x[m] as number, x[m + 1] as number);
          add64(x[a] as number, x[a + 1] as number, (T[0] as number) ^ neg, (T[1] as number) ^ neg, o0);
          x[d] = T[0] as number;
          x[d + 1] = T[1] as number;
          return 0;
        }
      : (s) => {
          const x = s.x;
          const p = Math.imul(x[n] as number, x[m] as number);
          x[d] = o0 ? ((x[a] as number) - p) | 0 : ((x[a] as number) + p) | 0;
          x[d + 1] = 0;
          return 0;
        };
  } else if ((op31 === 1 || op31 === 5) && sf) {
    const uns = op31 === 5;
    long = true;
    mn = `${uns ? "u" : "s"}${o0 ? "msubl" : "maddl"}`;
    alias = `${uns ? "u" : "s"}${o0 ? "mnegl" : "mull"}`;
    exec = (s) => {
      const x = s.x;
      const p = x[n] as number;
      const q = x[m] as number;
      const lo = Math.imul(p, q);
      let hi = mulhiU32(p, q);
      if (!uns) hi = (hi - (p < 0 ? q : 0) - (q < 0 ? p : 0)) | 0;
      add64(x[a] as number, x[a + 1] as number, lo ^ neg, hi ^ neg, o0);
      x[d] = T[0] as number;
      x[d + 1] = T[1] as number;
      return 0;
    };
  } else if ((op31 === 2 || op31 === 6) && sf && !o0) {
    const uns = op31 === 6;
    mn = uns ? "umulh" : "smulh";
    alias = "";
    exec = (s) => {
      const x = s.x;
      if (uns) umulh(x[n] as number, x[n + 1] as number, x[m] as number, x[m + 1] as number);
      else smulh(x[n] as number, x[n + 1] as number, x[m] as number, x[m + 1] as number);
      x[d] = T[0] as number;
      x[d + 1] = T[1] as number;
      return 0;
    };
  } else return undefined;
  let js: string;
  if (op31 === 0) {
    js = sf
      ? `{ H.mul64(x[${n}], x[${n + 1}], x[${m}], x[${m + 1}]); const pl = H.T[0] ^ ${neg}, ph = H.T[1] ^ ${neg}; const l = (x[${a}] >>> 0) + (pl >>> 0) + ${o0}; const h = (x[${a + 1}] + ph + (l > 4294967295 ? 1 : 0)) | 0; x[${d}] = l | 0; x[${d + 1}] = h; }`
      : `{ const p = Math.imul(x[${n}], x[${m}]); x[${d}] = (x[${a}] ${o0 ? "-" : "+"} p) | 0; x[${d + 1}] = 0; }`;
  } else if (long) {
    const uns = op31 === 5;
    js = `{ const p = x[${n}], q = x[${m}]; const lo = Math.imul(p, q); let hi = H.mulhiU32(p, q); ${
      uns ? "" : "hi = (hi - (p < 0 ? q : 0) - (q < 0 ? p : 0)) | 0; "
    }const pl = lo ^ ${neg}, ph = hi ^ ${neg}; const l = (x[${a}] >>> 0) + (pl >>> 0) + ${o0}; const h = (x[${a + 1}] + ph + (l > 4294967295 ? 1 : 0)) | 0; x[${d}] = l | 0; x[${d + 1}] = h; }`;
  } else {
    js = `{ H.${op31 === 6 ? "umulh" : "smulh"}(x[${n}], x[${n + 1}], x[${m}], x[${m + 1}]); x[${d}] = H.T[0]; x[${d + 1}] = H.T[1]; }`;
  }
  const asm = () => {
    const src = (r: number) => (long ? wn(r) : gr(sf, r));
    if (alias === "") return `${mn}\t${xn(rd)}, ${xn(rn)}, ${xn(rm)}`;
    if (ra === 31) return `${alias}\t${gr(sf, rd)}, ${src(rn)}, ${src(rm)}`;
    return `${mn}\t${gr(sf, rd)}, ${src(rn)}, ${src(rm)}, ${gr(sf, ra)}`;
  };
  return insn(name, w, exec, asm, js);
}

function div(s: Cpu, d: number, n: number, m: number, sf: number, signed: boolean): void {
  const x = s.x;
  if (!sf) {
    const b = x[m] as number;
    const a = x[n] as number;
    let r: number;
    if (b === 0) r = 0;
    else if (signed) r = a === -0x80000000 && b === -1 ? a : (a / b) | 0;
    else r = Math.trunc((a >>> 0) / (b >>> 0)) | 0;
    x[d] = r;
    x[d + 1] = 0;
    return;
  }
  const alo = x[n] as number;
  const ahi = x[n + 1] as number;
  const blo = x[m] as number;
  const bhi = x[m + 1] as number;
  if ((blo | bhi) === 0) {
    x[d] = 0;
    x[d + 1] = 0;
    return;
  }
  if (!signed && ahi === 0 && bhi === 0) {
    x[d] = Math.trunc((alo >>> 0) / (blo >>> 0)) | 0;
    x[d + 1] = 0;
    return;
  }
  // Cold path: operands wider than 32 bits.
  const a = signed ? BigInt.asIntN(64, big(alo, ahi)) : big(alo, ahi);
  const b = signed ? BigInt.asIntN(64, big(blo, bhi)) : big(blo, bhi);
  fromBig(a / b);
  x[d] = T[0] as number;
  x[d + 1] = T[1] as number;
}

export function dp2(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const opcode = bits(w, 10, 6);
  if (bits(w, 29, 1)) return undefined;
  const rm = bits(w, 16, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const m = rz(rm);
  const n = rz(rn);
  const d = wz(rd);
  let exec: Exec;
  let asm: () => string;
  if (opcode === 2 || opcode === 3) {
    const signed = opcode === 3;
    exec = (s) => {
      div(s, d, n, m, sf, signed);
      return 0;
    };
    asm = () => `${signed ? "sdiv" : "udiv"}\t${gr(sf, rd)}, ${gr(sf, rn)}, ${gr(sf, rm)}`;
  } else if (opcode >= 8 && opcode <= 11) {
    const type = opcode - 8;
    exec = sf
      ? (s) => {
          const x = s.x;
          shift64(type, x[n] as number, x[n + 1] as number, (x[m] as number) & 63);
          x[d] = T[0] as number;
          x[d + 1] = T[1] as number;
          return 0;
        }
      : (s) => {
          const x = s.x;
          x[d] = shift32(type, x[n] as number, (x[m] as number) & 31);
          x[d + 1] = 0;
          return 0;
        };
    asm = () => `${SHIFT_NAMES[type]}\t${gr(sf, rd)}, ${gr(sf, rn)}, ${gr(sf, rm)}`;
  } else if (opcode >= 16 && opcode <= 23) {
    const sz = opcode & 3;
    const c = (opcode >> 2) & 1;
    if ((sz === 3) !== (sf === 1)) return undefined;
    const table = c ? CRC32C_TABLE : CRC32_TABLE;
    const nbytes = 1 << sz;
    exec = (s) => {
      const x = s.x;
      x[d] = crc32Update(table, x[n] as number, x[m] as number, x[m + 1] as number, nbytes);
      x[d + 1] = 0;
      return 0;
    };
    asm = () => `crc32${c ? "c" : ""}${"bhwx"[sz]}\t${wn(rd)}, ${wn(rn)}, ${sz === 3 ? xn(rm) : wn(rm)}`;
  } else return undefined;
  return insn(name, w, exec, asm);
}

export function dp1(w: number, _pc: number, name: string): Insn | undefined {
  const sf = w >>> 31;
  const opcode = bits(w, 10, 6);
  if (bits(w, 29, 1) || bits(w, 16, 5) !== 0 || opcode > 5) return undefined;
  if (opcode === 3 && !sf) return undefined;
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const n = rz(rn);
  const d = wz(rd);
  let exec: Exec;
  let mn: string;
  switch (opcode) {
    case 0:
      mn = "rbit";
      exec = (s) => {
        const x = s.x;
        const lo = x[n] as number;
        const hi = x[n + 1] as number;
        x[d] = sf ? rbit32(hi) : rbit32(lo);
        x[d + 1] = sf ? rbit32(lo) : 0;
        return 0;
      };
      break;
    case 1:
      mn = "rev16";
      exec = (s) => {
        const x = s.x;
        x[d] = rev16(x[n] as number);
        x[d + 1] = sf ? rev16(x[n + 1] as number) : 0;
        return 0;
      };
      break;
    case 2:
      mn = sf ? "rev32" : "rev";
      exec = (s) => {
        const x = s.x;
        x[d] = rev32(x[n] as number);
        x[d + 1] = sf ? rev32(x[n + 1] as number) : 0;
        return 0;
      };
      break;
    case 3:
      mn = "rev";
      exec = (s) => {
        const x = s.x;
        const lo = x[n] as number;
        x[d] = rev32(x[n + 1] as number);
        x[d + 1] = rev32(lo);
        return 0;
      };
      break;
    case 4:
      mn = "clz";
      exec = (s) => {
        const x = s.x;
        const hi = x[n + 1] as number;
        x[d] = sf
          ? hi !== 0
            ? Math.clz32(hi)
            : 32 + Math.clz32(x[n] as number)
          : Math.clz32(x[n] as number);
        x[d + 1] = 0;
        return 0;
      };
      break;
    default:
      mn = "cls";
      exec = (s) => {
        const x = s.x;
        const lo = x[n] as number;
        const hi = x[n + 1] as number;
        if (!sf) x[d] = cls32(lo);
        else {
          const c = cls32(hi);
          x[d] = c < 31 ? c : 31 + Math.clz32((lo ^ (hi >> 31)) | 0);
        }
        x[d + 1] = 0;
        return 0;
      };
  }
  return insn(name, w, exec, () => `${mn}\t${gr(sf, rd)}, ${gr(sf, rn)}`);
}
