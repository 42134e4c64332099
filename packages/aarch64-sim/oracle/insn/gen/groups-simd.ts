// FP and Advanced SIMD encoding groups: the loads/stores of B/H/S/D/Q registers, MOVI, DUP/INS/UMOV,
// FMOV and the other vector and scalar FP operations gcc emits for plain C. FPCR is 0 (round to nearest,
// no flush-to-zero, no default NaN); FPSR's cumulative flags are compared too.
import { CODE_BASE, CODE_SIZE } from "../golden-format.ts";
import { baseFor, chance, field, fromMask, type Group, pickEA, regVal, sext } from "./common.ts";

const rn = (w: number) => field(w, 5, 5);

/** A group drawn from one (mask, value) pair of fixed bits. */
const masked = (name: string, count: number, mask: number, value: number): Group => ({
  name,
  count,
  gen: (r) => ({ words: [fromMask(r, mask, value)] }),
});

/** Access size of a single-register SIMD&FP load/store (size, opc): B H S D, or Q for size 0 opc 1x. */
const vscale = (w: number) => (field(w, 30, 2) === 0 && field(w, 23, 1) === 1 ? 4 : field(w, 30, 2));

function vImm(name: string, count: number, value: number, mode: "uimm" | "simm" | "pre" | "post"): Group {
  const mask = mode === "uimm" ? 0x3f00_0000 : 0x3f20_0c00;
  return {
    name,
    count,
    gen: (r) => {
      const w = fromMask(r, mask, value);
      const n = rn(w);
      const off =
        mode === "uimm"
          ? BigInt(field(w, 10, 12) * 2 ** vscale(w))
          : mode === "post"
            ? 0n
            : BigInt(sext(field(w, 12, 9), 9));
      return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1), off) };
    },
  };
}

const vRegOffset: Group = {
  name: "simd-ldst-regoff",
  count: 1000,
  gen: (r) => {
    const w = fromMask(r, 0x3f20_0c00, 0x3c20_0800);
    const n = rn(w);
    const m = field(w, 16, 5);
    if (m === n && n !== 31) return null;
    const option = field(w, 13, 3);
    const shift = BigInt(field(w, 12, 1) ? vscale(w) : 0);
    return {
      words: [w],
      fix: (s, r2) => {
        let v = regVal(s, m);
        if (option === 0b010) v &= 0xffffffffn;
        else if (option === 0b110) v = BigInt.asUintN(64, BigInt.asIntN(32, v & 0xffffffffn));
        return baseFor(n, pickEA(r2, 1), BigInt.asUintN(64, v << shift));
      },
    };
  },
};

function vPair(name: string, count: number, value: number, mode: "off" | "pre" | "post"): Group {
  return {
    name,
    count,
    gen: (r) => {
      const w = fromMask(r, 0x3f80_0000, value);
      if (field(w, 22, 1) === 1 && field(w, 0, 5) === field(w, 10, 5)) return null; /* LDP Vt == Vt2 */
      const scale = 2 + field(w, 30, 2);
      const off = mode === "post" ? 0n : BigInt(sext(field(w, 15, 7), 7) * 2 ** scale);
      const n = rn(w);
      return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1), off) };
    },
  };
}

const vLiteral: Group = {
  name: "simd-ldst-literal",
  count: 500,
  gen: (r, pc) => {
    const target = CODE_BASE + 4 * (r() % ((CODE_SIZE - 32) / 4));
    const imm19 = ((target - pc) / 4) & 0x7ffff;
    const w = (fromMask(r, 0x3f00_0000, 0x1c00_0000) & ~(0x7ffff << 5)) | (imm19 << 5);
    return { words: [w >>> 0] };
  },
};

/** LD1-LD4/ST1-ST4 (multiple structures) and LD1-LD4/ST1-ST4/LDnR (single structure), with post-index. */
function vStruct(name: string, count: number, single: boolean): Group {
  return {
    name,
    count,
    gen: (r) => {
      const post = chance(r, 40);
      const w = single
        ? fromMask(r, post ? 0xbf80_0000 : 0xbf9f_0000, post ? 0x0d80_0000 : 0x0d00_0000)
        : fromMask(r, post ? 0xbfa0_0000 : 0xbfbf_0000, post ? 0x0c80_0000 : 0x0c00_0000);
      const n = rn(w);
      if (post && n !== 31 && field(w, 16, 5) === n) return null;
      return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1), 0n) };
    },
  };
}

/** AdvSIMD shift by immediate: immh (bits 22:19) must be non-zero (zero is the modified-immediate space). */
const shiftImm: Group = {
  name: "simd-shift-imm",
  count: 2000,
  gen: (r) => {
    const w = fromMask(r, 0x9f80_0400, 0x0f00_0400);
    return field(w, 19, 4) === 0 ? null : { words: [w] };
  },
};

/** Permutes: UZP/TRN/ZIP, EXT, TBL/TBX. */
const perm: Group = {
  name: "simd-perm",
  count: 1500,
  gen: (r) => {
    switch (r() % 3) {
      case 0:
        return { words: [fromMask(r, 0xbf20_8c00, 0x0e00_0800)] };
      case 1:
        return { words: [fromMask(r, 0xbfe0_8400, 0x2e00_0000)] };
      default:
        return { words: [fromMask(r, 0xbfe0_8c00, 0x0e00_0000)] };
    }
  },
};

export const SIMD_GROUPS: readonly Group[] = [
  vImm("simd-ldst-uimm", 1500, 0x3d00_0000, "uimm"),
  vImm("simd-ldst-unscaled", 700, 0x3c00_0000, "simm"),
  vImm("simd-ldst-pre", 700, 0x3c00_0c00, "pre"),
  vImm("simd-ldst-post", 700, 0x3c00_0400, "post"),
  vRegOffset,
  vPair("simd-ldst-pair-off", 1000, 0x2d00_0000, "off"),
  vPair("simd-ldst-pair-pre", 600, 0x2d80_0000, "pre"),
  vPair("simd-ldst-pair-post", 600, 0x2c80_0000, "post"),
  vPair("simd-ldst-pair-nt", 400, 0x2c00_0000, "off"),
  vLiteral,
  vStruct("simd-ldst-multi", 1200, false),
  vStruct("simd-ldst-single", 1000, true),
  masked("simd-movi", 1200, 0x9ff8_0400, 0x0f00_0400), // MOVI/MVNI/ORR/BIC (vector, immediate), FMOV (vector)
  masked("simd-copy", 1500, 0x9fe0_8400, 0x0e00_0400), // DUP (element, general), INS, UMOV, SMOV
  masked("simd-3same", 3000, 0x9f20_0400, 0x0e20_0400), // ADD/SUB/AND/ORR/EOR/BSL/CMxx/..., FADD/FMUL/...
  masked("simd-3diff", 1500, 0x9f20_0c00, 0x0e20_0000), // UMULL/SMULL/UADDL/SSUBW/...
  masked("simd-2misc", 2000, 0x9f3e_0c00, 0x0e20_0800), // CNT/REV/CMEQ #0/ABS/NEG/XTN/FCVT.../FRINT...
  masked("simd-across", 800, 0x9f3e_0c00, 0x0e30_0800), // ADDV/UMAXV/SADDLV/FMAXNMV...
  shiftImm, // SHL/USHR/SSHR/USHLL (UXTL)/SHRN/SQSHRN/SCVTF (fixed)...
  perm,
  masked("fp-int", 1500, 0x7f20_fc00, 0x1e20_0000), // FMOV (general), FCVTZS/FCVTZU/SCVTF/UCVTF/FCVTxS..., FJCVTZS
  masked("fp-dp1", 1500, 0xff20_7c00, 0x1e20_4000), // FMOV/FABS/FNEG/FSQRT/FCVT/FRINT* (scalar)
  masked("fp-dp2", 1500, 0xff20_0c00, 0x1e20_0800), // FMUL/FDIV/FADD/FSUB/FMAX/FMIN/FMAXNM/FMINNM/FNMUL
  masked("fp-dp3", 1500, 0xff00_0000, 0x1f00_0000), // FMADD/FMSUB/FNMADD/FNMSUB
  masked("fp-cmp", 800, 0xff20_fc07, 0x1e20_2000), // FCMP/FCMPE (sets NZCV)
  masked("fp-imm", 400, 0xff20_1fe0, 0x1e20_1000), // FMOV (scalar, immediate)
  masked("fp-cond", 800, 0xff20_0400, 0x1e20_0400), // FCCMP/FCCMPE (bits 11:10 = 01), FCSEL (11)
];
