// Load/store encoding groups (Arm ARM C4.1.4 "Loads and Stores"), general-purpose registers only.
// Each fixer points the base register so that the effective address lands in the scratch buffer.
import { CODE_BASE, CODE_SIZE } from "../golden-format.ts";
import {
  baseFor,
  chance,
  field,
  fromMask,
  type Group,
  MASK64,
  type Overrides,
  pick,
  pickEA,
  type Rng,
  regVal,
  scratchValue,
  sext,
} from "./common.ts";

const rt = (w: number) => field(w, 0, 5);
const rn = (w: number) => field(w, 5, 5);

/** Writeback with Rt (or Rt2) equal to a non-SP base is CONSTRAINED UNPREDICTABLE: never generate it. */
const wbClash = (n: number, ...ts: number[]) => n !== 31 && ts.includes(n);

/** Single register, immediate offset forms: unsigned scaled, unscaled, unprivileged, pre- and post-index. */
function immForm(name: string, count: number, value: number, mode: "uimm" | "simm" | "pre" | "post"): Group {
  const mask = mode === "uimm" ? 0x3f00_0000 : 0x3f20_0c00;
  return {
    name,
    count,
    gen: (r) => {
      const w = fromMask(r, mask, value);
      const size = field(w, 30, 2);
      const n = rn(w);
      const wb = mode === "pre" || mode === "post";
      if (wb && wbClash(n, rt(w))) return null;
      const off =
        mode === "uimm"
          ? BigInt(field(w, 10, 12) << size)
          : mode === "post"
            ? 0n
            : BigInt(sext(field(w, 12, 9), 9));
      return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1), off) };
    },
  };
}

/** Register offset: LDR/STR Xt, [Xn|SP, Rm{, extend {#amount}}]. */
const regOffset: Group = {
  name: "ldst-regoff",
  count: 4000,
  gen: (r) => {
    const w = fromMask(r, 0x3f20_0c00, 0x3820_0800);
    const size = field(w, 30, 2);
    const n = rn(w);
    const m = field(w, 16, 5);
    if (m === n && n !== 31) return null;
    const option = field(w, 13, 3);
    const shift = BigInt(field(w, 12, 1) ? size : 0);
    return {
      words: [w],
      fix: (s, r2) => {
        let v = regVal(s, m);
        if (option === 0b010)
          v &= 0xffffffffn; // UXTW
        else if (option === 0b110) v = BigInt.asUintN(64, BigInt.asIntN(32, v & 0xffffffffn)); // SXTW
        return baseFor(n, pickEA(r2, 1), (v << shift) & MASK64);
      },
    };
  },
};

/** LDR (literal), LDRSW (literal), PRFM (literal): targets inside the code region. */
const literal: Group = {
  name: "ldst-literal",
  count: 2000,
  gen: (r, pc) => {
    const target = CODE_BASE + 4 * (r() % ((CODE_SIZE - 16) / 4));
    const imm19 = ((target - pc) / 4) & 0x7ffff;
    const w = (fromMask(r, 0x3f00_0000, 0x1800_0000) & ~(0x7ffff << 5)) | (imm19 << 5);
    return { words: [w >>> 0] };
  },
};

/** LDP/STP/LDPSW (offset, pre, post) and LDNP/STNP. */
function pair(name: string, count: number, value: number, mode: "off" | "pre" | "post"): Group {
  return {
    name,
    count,
    gen: (r) => {
      const w = fromMask(r, 0x3f80_0000, value);
      const opc = field(w, 30, 2);
      const load = field(w, 22, 1) === 1;
      const t = rt(w);
      const t2 = field(w, 10, 5);
      const n = rn(w);
      if (load && t === t2) return null;
      if (mode !== "off" && wbClash(n, t, t2)) return null;
      const scale = opc === 2 ? 3 : 2;
      const off = mode === "post" ? 0n : BigInt(sext(field(w, 15, 7), 7) * (1 << scale));
      return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1), off) };
    },
  };
}

const ZR = 31;
/** Exclusive family word: size, o2 L o1, Rs, o0, Rt2, Rn, Rt (C4.1.4 "Load/store exclusive"). */
const exWord = (
  size: number,
  l: number,
  o1: number,
  s: number,
  o0: number,
  t2: number,
  n: number,
  t: number,
) =>
  ((size << 30) |
    0x0800_0000 |
    (l << 22) |
    (o1 << 21) |
    (s << 16) |
    (o0 << 15) |
    (t2 << 10) |
    (n << 5) |
    t) >>>
  0;

const randReg = (r: Rng, ...avoid: number[]) => {
  for (;;) {
    const x = r() % 32;
    if (!avoid.includes(x)) return x;
  }
};

/**
 * Exclusives: a lone load-exclusive, a lone store-exclusive (fails: the monitor is clear), a
 * load-exclusive + store-exclusive pair on the same address (succeeds), or the pair with CLREX between.
 */
const exclusive: Group = {
  name: "ldst-exclusive",
  count: 4000,
  gen: (r) => {
    const isPair = chance(r, 30);
    const size = isPair ? 2 + (r() & 1) : r() & 3;
    const align = isPair ? 2 << size : 1 << size;
    const n = r() % 32;
    const t = randReg(r, n);
    const t2 = isPair ? randReg(r, n, t) : ZR;
    const ld = exWord(size, 1, isPair ? 1 : 0, ZR, r() & 1, t2, n, t);
    const st = (status: number) =>
      exWord(size, 0, isPair ? 1 : 0, status, r() & 1, isPair ? randReg(r) : ZR, n, randReg(r));
    const fix = (_s: unknown, r2: Rng) => baseFor(n, pickEA(r2, align, 10), 0n);
    const kind = r() % 4;
    if (kind === 0) return { words: [ld], fix };
    const status = randReg(r, n, ZR);
    let stw = st(status);
    // Rs must differ from Rt, Rt2 and Rn of the store (CONSTRAINED UNPREDICTABLE otherwise)
    while (status === rt(stw) || (isPair && status === field(stw, 10, 5))) stw = st(status);
    if (kind === 1) return { words: [stw], fix };
    if (kind === 2) return { words: [ld, stw], fix };
    return { words: [ld, 0xd503305f /* clrex */, stw], fix };
  },
};

/** Load-acquire / store-release: LDAR/STLR/LDLAR/STLLR, LDAPR, LDAPUR/STLUR. */
const acqrel: Group = {
  name: "ldst-acqrel",
  count: 3000,
  gen: (r) => {
    const size = r() & 3;
    const n = r() % 32;
    const t = randReg(r, n);
    const kind = r() % 3;
    if (kind === 0) {
      const w = exWord(size, r() & 1, 0, ZR, r() & 1, ZR, n, t) | 0x0080_0000; // o2 = 1
      return { words: [w >>> 0], fix: (_s, r2) => baseFor(n, pickEA(r2, 1 << size, 10), 0n) };
    }
    if (kind === 1) {
      const w = ((size << 30) | 0x38bf_c000 | (n << 5) | t) >>> 0; // LDAPR
      return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1 << size, 10), 0n) };
    }
    const imm9 = r() & 0x1ff;
    const w = ((size << 30) | 0x1900_0000 | ((r() & 3) << 22) | (imm9 << 12) | (n << 5) | t) >>> 0; // LDAPUR/STLUR
    return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1 << size, 10), BigInt(sext(imm9, 9))) };
  },
};

/** LSE atomics: LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN} (and their ST aliases), SWP. */
const lse: Group = {
  name: "ldst-lse",
  count: 5000,
  gen: (r) => {
    const w = fromMask(r, 0x3f20_0c00, 0x3820_0000);
    const size = field(w, 30, 2);
    const n = rn(w);
    return { words: [w], fix: (_s, r2) => baseFor(n, pickEA(r2, 1 << size, 10), 0n) };
  },
};

/** CAS/CASA/CASL/CASAL (all sizes) and CASP; half of them with a compare value that matches memory. */
const cas: Group = {
  name: "ldst-cas",
  count: 4000,
  gen: (r) => {
    const isPair = chance(r, 30);
    const size = isPair ? 2 + (r() & 1) : r() & 3;
    const bytes = 1 << size;
    const n = r() % 32;
    let s = r() % 32;
    let t = r() % 32;
    if (isPair) {
      s &= 30;
      t &= 30;
    }
    // CAS: size 001000 1 L 1 Rs o0 11111 Rn Rt; CASP: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt
    const w = isPair
      ? exWord(size - 2, r() & 1, 1, s, r() & 1, ZR, n, t)
      : (exWord(size, r() & 1, 1, s, r() & 1, ZR, n, t) | 0x0080_0000) >>> 0;
    return {
      words: [w],
      fix: (st, r2) => {
        const ea = pickEA(r2, isPair ? 2 * bytes : bytes, 8);
        const o: Overrides = baseFor(n, ea, 0n);
        if (chance(r2, 50) && s !== 31 && s !== n) {
          // keep the register's upper bits: the comparison must ignore them
          const keep = size === 3 ? 0n : (regVal(st, s) >> BigInt(8 * bytes)) << BigInt(8 * bytes);
          o[`x${s}`] = keep | scratchValue(ea, bytes);
          if (isPair && s + 1 !== n && s + 1 !== 31) {
            const keep2 = size === 3 ? 0n : (regVal(st, s + 1) >> 32n) << 32n;
            o[`x${s + 1}`] = keep2 | scratchValue(ea + bytes, bytes);
          }
        }
        return o;
      },
    };
  },
};

/** DC ZVA (zeroes a 64-byte block) and the cache maintenance EL0 may use (no visible effect). */
const cache: Group = {
  name: "sys-cache",
  count: 1500,
  gen: (r) => {
    const t = r() % 31;
    const op = pick(
      r,
      [
        0xd50b7420 /* dc zva */, 0xd50b7b20 /* dc cvau */, 0xd50b7a20 /* dc cvac */,
        0xd50b7e20 /* dc civac */, 0xd50b7520 /* ic ivau */,
      ],
    );
    return { words: [(op | t) >>> 0], fix: (_s, r2) => baseFor(t, pickEA(r2, 1), 0n) };
  },
};

export const LDST_GROUPS: readonly Group[] = [
  immForm("ldst-uimm", 5000, 0x3900_0000, "uimm"),
  immForm("ldst-unscaled", 3000, 0x3800_0000, "simm"),
  immForm("ldst-unpriv", 2000, 0x3800_0800, "simm"),
  immForm("ldst-pre", 3000, 0x3800_0c00, "pre"),
  immForm("ldst-post", 3000, 0x3800_0400, "post"),
  regOffset,
  literal,
  pair("ldst-pair-off", 3000, 0x2900_0000, "off"),
  pair("ldst-pair-pre", 2000, 0x2980_0000, "pre"),
  pair("ldst-pair-post", 2000, 0x2880_0000, "post"),
  pair("ldst-pair-nt", 2000, 0x2800_0000, "off"),
  exclusive,
  acqrel,
  lse,
  cas,
  cache,
];
