// LD1-LD4 / ST1-ST4 (multiple structures), offset and post-index forms.
import { EA, ea } from "../exec/mem.ts";
import { lanes } from "../exec/vec.ts";
import { bits, rs, rz, xn, xsp } from "./fields.ts";
import { arr } from "./simd-fields.ts";
import type { Insn, Row } from "./types.ts";

type Exec = Insn["exec"];

const MULTI: Readonly<Record<number, readonly [number, number]>> = {
  0: [1, 4],
  2: [4, 1],
  4: [1, 3],
  6: [3, 1],
  7: [1, 1],
  8: [1, 2],
  10: [2, 1],
};
function ldstMulti(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const post = bits(w, 23, 1);
  const isLoad = bits(w, 22, 1);
  const rm = bits(w, 16, 5);
  const opcode = bits(w, 12, 4);
  const size = bits(w, 10, 2);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  const shape = MULTI[opcode];
  if (shape === undefined || (!post && rm !== 0)) return undefined;
  const [rpt, selem] = shape;
  if (size === 3 && !q && selem > 1) return undefined;
  const ebytes = 1 << size;
  const nl = (q ? 16 : 8) >> size;
  const total = rpt * selem * nl * ebytes;
  const nregs = rpt * selem;
  const n = rs(rn);
  const m = rz(rm);
  const tmp = new Int32Array(16); // up to 4 registers loaded before any is written
  const exec: Exec = (s) => {
    const x = s.x;
    const blo = x[n] as number;
    const bhi = x[n + 1] as number;
    const bus = s.bus;
    bus.probe(blo, bhi, total, isLoad === 0);
    const l = lanes(s);
    const tb = new Uint8Array(tmp.buffer);
    if (isLoad) tmp.fill(0);
    let off = 0;
    for (let r = 0; r < rpt; r++) {
      for (let e = 0; e < nl; e++) {
        for (let k = 0; k < selem; k++) {
          const reg = r + k; // index into the register list
          const vr = (rt + reg) % 32;
          for (let b = 0; b < ebytes; b++) {
            ea(blo, bhi, off + b);
            const at = e * ebytes + b;
            if (isLoad) tb[reg * 16 + at] = bus.read8(EA[0] as number, EA[1] as number);
            else bus.write8(EA[0] as number, EA[1] as number, l.b[vr * 16 + at] as number);
          }
          off += ebytes;
        }
      }
    }
    if (isLoad) {
      for (let reg = 0; reg < nregs; reg++) {
        const vr = (rt + reg) % 32;
        for (let i = 0; i < 4; i++) s.vreg[vr * 4 + i] = q || i < 2 ? (tmp[reg * 4 + i] as number) : 0;
      }
    }
    if (post) {
      if (rm === 31) ea(blo, bhi, total);
      else {
        const t = (blo >>> 0) + ((x[m] as number) >>> 0);
        EA[0] = t | 0;
        EA[1] = (bhi + (x[m + 1] as number) + (t > 0xffffffff ? 1 : 0)) | 0;
      }
      x[n] = EA[0] as number;
      x[n + 1] = EA[1] as number;
    }
    return 0;
  };
  const asm = () => {
    const t = arr(size, q);
    const regs = Array.from({ length: nregs }, (_, i) => (rt + i) % 32);
    const list =
      nregs > 2 && regs[nregs - 1] === rt + nregs - 1
        ? `{v${rt}.${t}-v${rt + nregs - 1}.${t}}`
        : `{${regs.map((r) => `v${r}.${t}`).join(", ")}}`;
    const mn = `${isLoad ? "ld" : "st"}${selem}`;
    const wb = post ? (rm === 31 ? `, #${total}` : `, ${xn(rm)}`) : "";
    return `${mn}\t${list}, [${xsp(rn)}]${wb}`;
  };
  return { name, word: w, exec, asm };
}

// LD1-LD4 / ST1-ST4 (single structure: one lane) and LD1R-LD4R (replicate), offset and post-index.
function ldstSingle(w: number, _pc: number, name: string): Insn | undefined {
  const q = bits(w, 30, 1);
  const post = bits(w, 23, 1);
  const isLoad = bits(w, 22, 1);
  const r = bits(w, 21, 1);
  const rm = bits(w, 16, 5);
  const opcode = bits(w, 13, 3);
  const sBit = bits(w, 12, 1);
  const size = bits(w, 10, 2);
  const rn = bits(w, 5, 5);
  const rt = bits(w, 0, 5);
  if (!post && rm !== 0) return undefined;
  let scale = opcode >> 1;
  const selem = (((opcode & 1) << 1) | r) + 1;
  let replicate = false;
  let index = 0;
  switch (scale) {
    case 3:
      if (!isLoad || sBit) return undefined;
      scale = size;
      replicate = true;
      break;
    case 0:
      index = (q << 3) | (sBit << 2) | size;
      break;
    case 1:
      if (size & 1) return undefined;
      index = (q << 2) | (sBit << 1) | (size >> 1);
      break;
    default:
      if (size & 2) return undefined;
      if ((size & 1) === 0) index = (q << 1) | sBit;
      else {
        if (sBit) return undefined;
        index = q;
        scale = 3;
      }
  }
  const ebytes = 1 << scale;
  const total = selem * ebytes;
  const n = rs(rn);
  const m = rz(rm);
  const exec: Exec = (s) => {
    const x = s.x;
    const blo = x[n] as number;
    const bhi = x[n + 1] as number;
    const bus = s.bus;
    bus.probe(blo, bhi, total, isLoad === 0);
    const l = lanes(s);
    for (let k = 0; k < selem; k++) {
      const vr = (rt + k) % 32;
      if (replicate) {
        const bytes = new Uint8Array(ebytes);
        for (let b = 0; b < ebytes; b++) {
          ea(blo, bhi, k * ebytes + b);
          bytes[b] = bus.read8(EA[0] as number, EA[1] as number);
        }
        const len = q ? 16 : 8;
        for (let i = 0; i < 16; i++) l.b[vr * 16 + i] = i < len ? (bytes[i % ebytes] as number) : 0;
      } else {
        for (let b = 0; b < ebytes; b++) {
          ea(blo, bhi, k * ebytes + b);
          const at = vr * 16 + index * ebytes + b;
          if (isLoad) l.b[at] = bus.read8(EA[0] as number, EA[1] as number);
          else bus.write8(EA[0] as number, EA[1] as number, l.b[at] as number);
        }
      }
    }
    if (post) {
      if (rm === 31) ea(blo, bhi, total);
      else {
        const t = (blo >>> 0) + ((x[m] as number) >>> 0);
        EA[0] = t | 0;
        EA[1] = (bhi + (x[m + 1] as number) + (t > 0xffffffff ? 1 : 0)) | 0;
      }
      x[n] = EA[0] as number;
      x[n + 1] = EA[1] as number;
    }
    return 0;
  };
  const asm = () => {
    const t = replicate ? arr(scale, q) : "bhsd"[scale];
    const regs = Array.from({ length: selem }, (_, i) => (rt + i) % 32);
    const list =
      selem > 2 && regs[selem - 1] === rt + selem - 1
        ? `{v${rt}.${t}-v${rt + selem - 1}.${t}}`
        : `{${regs.map((x) => `v${x}.${t}`).join(", ")}}`;
    const mn = `${isLoad ? "ld" : "st"}${selem}${replicate ? "r" : ""}`;
    const wb = post ? (rm === 31 ? `, #${total}` : `, ${xn(rm)}`) : "";
    return `${mn}\t${list}${replicate ? "" : `[${index}]`}, [${xsp(rn)}]${wb}`;
  };
  return { name, word: w, exec, asm };
}

export const SIMD_LDST_ROWS: readonly Row[] = [
  { name: "SIMD_ldst_multi", pattern: "0.0011000.000000................", build: ldstMulti },
  { name: "SIMD_ldst_multi_post", pattern: "0.0011001.0.....................", build: ldstMulti },
  { name: "SIMD_ldst_single", pattern: "0.0011010.......................", build: ldstSingle },
  { name: "SIMD_ldst_single_post", pattern: "0.0011011.......................", build: ldstSingle },
];
