// AdvSIMD two-register miscellaneous, integer forms without saturation: REV16/32/64, CLS/CLZ, RBIT,
// compares against zero, ABS/NEG, [SU]ADDLP/[SU]ADALP. (CNT/NOT/CMEQ #0/XTN/SHLL are in simd.ts.)
import { clearR, commit, lane, lanes, R, setLane } from "../exec/vec.ts";
import { bits } from "./fields.ts";
import { v } from "./simd-fields.ts";
import type { Insn } from "./types.ts";

type Exec = Insn["exec"];
const sx = (e: number, size: number): number =>
  size === 0 ? (e << 24) >> 24 : size === 1 ? (e << 16) >> 16 : e | 0;

/** Returns the instruction, undefined when unallocated, or null when the opcode is not handled here. */
export function twoMiscInt(w: number, name: string): Insn | undefined | null {
  const q = bits(w, 30, 1);
  const u = bits(w, 29, 1);
  const size = bits(w, 22, 2);
  const opcode = bits(w, 12, 5);
  const rn = bits(w, 5, 5);
  const rd = bits(w, 0, 5);
  const nl = (q ? 16 : 8) >> size;
  const key = (u << 5) | opcode;
  const same = (mn: string, exec: Exec, suffix = ""): Insn => ({
    name,
    word: w,
    exec,
    asm: () => `${mn}\t${v(rd, size, q)}, ${v(rn, size, q)}${suffix}`,
  });
  switch (key) {
    case 0b000000: // REV64
    case 0b100000: // REV32
    case 0b000001: {
      // REV16
      const group = key === 0b000000 ? 8 : key === 0b100000 ? 4 : 2; // bytes per reversed container
      if (1 << size >= group) return undefined;
      const per = group >> size; // elements per container
      return same(["rev64", "rev32", "rev16"][group === 8 ? 0 : group === 4 ? 1 : 2] as string, (s) => {
        const l = lanes(s);
        clearR();
        for (let i = 0; i < nl; i++) {
          const base = i - (i % per);
          setLane(R, 0, base + (per - 1 - (i - base)), size, lane(l, rn, i, size));
        }
        commit(s, rd, q);
        return 0;
      });
    }
    case 0b000100: // CLS
    case 0b100100: {
      // CLZ
      if (size === 3) return undefined;
      const eb = 8 << size;
      return same(u ? "clz" : "cls", (s) => {
        const l = lanes(s);
        clearR();
        for (let i = 0; i < nl; i++) {
          const e = lane(l, rn, i, size);
          let c: number;
          if (u) c = Math.clz32(e) - (32 - eb);
          else {
            const x = sx(e, size);
            c = Math.clz32((x ^ (x >> 31)) << (32 - eb) || 0) - 1;
            if ((x ^ (x >> 31)) === 0) c = eb - 1;
          }
          setLane(R, 0, i, size, c);
        }
        commit(s, rd, q);
        return 0;
      });
    }
    case 0b100101: {
      // RBIT (size 01; size 00 is NOT, in simd.ts)
      if (size === 0) return null;
      if (size !== 1) return undefined;
      return {
        name,
        word: w,
        exec: (s) => {
          const l = lanes(s);
          clearR();
          for (let i = 0; i < (q ? 16 : 8); i++) {
            let e = l.b[rn * 16 + i] as number;
            let r = 0;
            for (let k = 0; k < 8; k++) {
              r = (r << 1) | (e & 1);
              e >>= 1;
            }
            R.b[i] = r;
          }
          commit(s, rd, q);
          return 0;
        },
        asm: () => `rbit\tv${rd}.${q ? "16b" : "8b"}, v${rn}.${q ? "16b" : "8b"}`,
      };
    }
    case 0b001000: // CMGT #0
    case 0b101000: // CMGE #0
    case 0b101001: // CMLE #0
    case 0b001010: // CMLT #0
    case 0b001011: // ABS
    case 0b101011: {
      // NEG
      if (size === 3 && !q) return undefined;
      const op = key;
      const mn = { 8: "cmgt", 40: "cmge", 41: "cmle", 10: "cmlt", 11: "abs", 43: "neg" }[op] as string;
      return same(
        mn,
        (s) => {
          clearR();
          if (size === 3) {
            const r = s.vreg;
            for (let i = 0; i < 2; i++) {
              const lo = r[rn * 4 + 2 * i] as number;
              const hi = r[rn * 4 + 2 * i + 1] as number;
              let rl: number;
              let rh: number;
              if (op === 11 || op === 43) {
                const negate = op === 43 || hi < 0;
                if (negate) {
                  const l2 = (~lo >>> 0) + 1;
                  rl = l2 | 0;
                  rh = (~hi + (l2 > 0xffffffff ? 1 : 0)) | 0;
                } else {
                  rl = lo;
                  rh = hi;
                }
              } else {
                const sign = hi < 0 ? -1 : (lo | hi) === 0 ? 0 : 1;
                const hit = op === 8 ? sign > 0 : op === 40 ? sign >= 0 : op === 41 ? sign <= 0 : sign < 0;
                rl = hit ? -1 : 0;
                rh = rl;
              }
              R.w[2 * i] = rl;
              R.w[2 * i + 1] = rh;
            }
          } else {
            const l = lanes(s);
            for (let i = 0; i < nl; i++) {
              const e = sx(lane(l, rn, i, size), size);
              let x: number;
              if (op === 11) x = Math.abs(e);
              else if (op === 43) x = -e;
              else x = (op === 8 ? e > 0 : op === 40 ? e >= 0 : op === 41 ? e <= 0 : e < 0) ? -1 : 0;
              setLane(R, 0, i, size, x);
            }
          }
          commit(s, rd, q);
          return 0;
        },
        op === 11 || op === 43 ? "" : ", #0",
      );
    }
    case 0b000010: // SADDLP
    case 0b100010: // UADDLP
    case 0b000110: // SADALP
    case 0b100110: {
      // UADALP
      if (size === 3) return undefined;
      const acc = opcode === 0b00110;
      const half = nl >> 1;
      return {
        name,
        word: w,
        exec: (s) => {
          const l = lanes(s);
          clearR();
          for (let i = 0; i < half; i++) {
            let a = lane(l, rn, 2 * i, size);
            let b = lane(l, rn, 2 * i + 1, size);
            if (!u) {
              a = sx(a, size);
              b = sx(b, size);
            }
            let sum = a + b;
            if (size === 2) {
              // 64-bit result lanes
              let lo = sum % 4294967296;
              let hi = Math.floor((sum - lo) / 4294967296);
              if (lo < 0) {
                lo += 4294967296;
                hi -= 1;
              }
              if (acc) {
                const t = lo + ((s.vreg[rd * 4 + 2 * i] as number) >>> 0);
                hi += (s.vreg[rd * 4 + 2 * i + 1] as number) + (t > 0xffffffff ? 1 : 0);
                lo = t;
              }
              R.w[2 * i] = lo | 0;
              R.w[2 * i + 1] = hi | 0;
            } else {
              if (acc) sum += lane(l, rd, i, size + 1);
              setLane(R, 0, i, size + 1, sum);
            }
          }
          commit(s, rd, q);
          return 0;
        },
        asm: () => `${u ? "u" : "s"}${acc ? "adalp" : "addlp"}\t${v(rd, size + 1, q)}, ${v(rn, size, q)}`,
      };
    }
    default:
      return null;
  }
}
