// AdvSIMD shift by immediate beyond SHL/USHR/SSHR/xSHLL (simd.ts): accumulate (SSRA/USRA), rounding
// (SRSHR/URSHR/SRSRA/URSRA), insert (SRI/SLI) on 8/16/32-bit lanes, and narrowing SHRN/RSHRN.
import { lsr64, T } from "../exec/alu.ts";
import { clearR, commit, lane, lanes, R, setLane } from "../exec/vec.ts";
import { bits } from "./fields.ts";
import { v } from "./simd-fields.ts";
import type { Insn } from "./types.ts";

type Exec = Insn["exec"];
const sx = (e: number, size: number): number =>
  size === 0 ? (e << 24) >> 24 : size === 1 ? (e << 16) >> 16 : e | 0;

/** Returns the instruction, undefined when unallocated/not implemented, or null for opcodes of simd.ts. */
export function shiftImmMore(w: number, name: string): Insn | undefined | null {
  const q = bits(w, 30, 1);
  const u = bits(w, 29, 1);
  const immh = bits(w, 19, 4);
  const immb = bits(w, 16, 3);
  const opcode = bits(w, 11, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const size = 31 - Math.clz32(immh);
  const esize = 8 << size;
  const immhb = (immh << 3) | immb;
  if ((opcode === 0b10000 || opcode === 0b10001) && !u) {
    // SHRN / RSHRN: narrow 2*esize-bit lanes of Vn into esize-bit lanes of one half of Vd
    if (size === 3) return undefined;
    const sh = 2 * esize - immhb;
    const round = opcode === 0b10001;
    const n = 8 >> size;
    const exec: Exec = (s) => {
      const l = lanes(s);
      const r = s.vreg;
      for (let i = 0; i < 4; i++) R.w[i] = q ? (r[rd * 4 + i] as number) : 0;
      for (let i = 0; i < n; i++) {
        let x: number;
        if (size === 2) {
          let lo = r[rn * 4 + 2 * i] as number;
          let hi = r[rn * 4 + 2 * i + 1] as number;
          if (round) {
            const t = (lo >>> 0) + 2 ** (sh - 1);
            lo = t | 0;
            hi = (hi + (t > 0xffffffff ? 1 : 0)) | 0;
          }
          lsr64(lo, hi, sh);
          x = T[0] as number;
        } else {
          const e = lane(l, rn, i, size + 1);
          x = round ? Math.floor((e + 2 ** (sh - 1)) / 2 ** sh) : e >>> sh;
        }
        setLane(R, 0, i + (q ? n : 0), size, x);
      }
      commit(s, rd, 1);
      return 0;
    };
    const mn = `${round ? "rshrn" : "shrn"}${q ? "2" : ""}`;
    return { name, word: w, exec, asm: () => `${mn}\t${v(rd, size, q)}, ${v(rn, size + 1, 1)}, #${sh}` };
  }
  // 00010 [SU]SRA, 00100 [SU]RSHR, 00110 [SU]RSRA, 01000 SRI (U=1), 01010 SLI (U=1)
  const ops: Record<number, string> = { 2: "sra", 4: "rshr", 6: "rsra" };
  let kind = ops[opcode];
  if (kind === undefined && u && opcode === 0b01000) kind = "sri";
  if (kind === undefined && u && opcode === 0b01010) kind = "sli";
  if (kind === undefined) return null;
  if (size === 3) return undefined; // 64-bit lanes of these are not implemented
  const nl = (q ? 16 : 8) >> size;
  const sh = kind === "sli" ? immhb - esize : 2 * esize - immhb;
  const mask = esize === 32 ? 0xffffffff : (1 << esize) - 1;
  const exec: Exec = (s) => {
    const l = lanes(s);
    clearR();
    for (let i = 0; i < nl; i++) {
      const e = lane(l, rn, i, size);
      const d = lane(l, rd, i, size);
      let x: number;
      if (kind === "sli") {
        const m = (mask * 2 ** sh) % 2 ** esize;
        x = (d & ~m) | (e << sh);
      } else if (kind === "sri") {
        const m = sh === esize ? 0 : Math.floor(mask / 2 ** sh);
        x = sh === esize ? d : (d & ~m) | (e >>> sh);
      } else {
        const val = u ? e : sx(e, size);
        const shifted =
          kind === "sra" ? Math.floor(val / 2 ** sh) : Math.floor((val + 2 ** (sh - 1)) / 2 ** sh);
        x = kind === "rshr" ? shifted : d + shifted;
      }
      setLane(R, 0, i, size, x);
    }
    commit(s, rd, q);
    return 0;
  };
  const mn = kind === "sri" || kind === "sli" ? kind : `${u ? "u" : "s"}${kind}`;
  return { name, word: w, exec, asm: () => `${mn}\t${v(rd, size, q)}, ${v(rn, size, q)}, #${sh}` };
}
