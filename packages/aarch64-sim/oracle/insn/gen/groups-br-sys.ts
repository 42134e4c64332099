// Branch groups (C4.1.3 "Branches, Exception Generating and System instructions") and the system
// instructions that are safe at EL0 under Linux: NZCV and flag manipulation, EL0-readable system
// registers, barriers, hints, BRK/UDF/HLT.
import { CODE_BASE, CODE_SIZE } from "../golden-format.ts";
import {
  chance,
  codeTarget,
  field,
  fromMask,
  type Group,
  goodTarget,
  MASK64,
  pick,
  type Rng,
  regVal,
} from "./common.ts";

/** Replaces a branch's offset field (`width` bits at `lo`, in words) so it reaches `target` from `pc`. */
const withOffset = (w: number, lo: number, width: number, pc: number, target: number): number => {
  const m = ((1 << width) - 1) << lo;
  return ((w & ~m) | ((((target - pc) / 4) << lo) & m)) >>> 0;
};

/**
 * A branch with a random offset field, or (half of the time) one retargeted into the code region so it
 * lands on `brk #0`. Far targets fault with SIGSEGV at the target, which is recorded too.
 */
function immBranch(
  name: string,
  count: number,
  mask: number,
  value: number,
  lo: number,
  width: number,
): Group {
  return {
    name,
    count,
    gen: (r, pc) => {
      let w = fromMask(r, mask, value);
      if (chance(r, 50)) w = withOffset(w, lo, width, pc, codeTarget(r, pc, 1));
      const off = ((w << (32 - lo - width)) >> (32 - width)) * 4;
      const target = pc + off;
      if (!goodTarget(target, pc, 1)) return null;
      // the driver ELF lives at 0x400000: keep random far targets away from it
      if (target >= 0x3e_0000 && target < 0x60_0000) return null;
      if (name !== "br-cmp") return { words: [w] };
      // CBZ/CBNZ: make the tested register zero (or zero in its low half only) half of the time
      const t = field(w, 0, 5);
      return {
        words: [w],
        fix: (s, r2) => {
          if (t === 31 || chance(r2, 50)) return {};
          const v = regVal(s, t);
          return { [`x${t}`]: chance(r2, 50) ? 0n : v & ~0xffffffffn };
        },
      };
    },
  };
}

/** BR, BLR, RET: targets in the code region, sometimes misaligned. */
const regBranch: Group = {
  name: "br-reg",
  count: 3000,
  gen: (r, pc) => {
    const n = r() % 32;
    const w = (0xd61f_0000 | ((r() % 3) << 21) | (n << 5)) >>> 0;
    return {
      words: [w],
      fix: (_s, r2) => {
        if (n === 31) return {};
        let t = BigInt(codeTarget(r2, pc, 1));
        if (chance(r2, 10)) t += BigInt(1 + (r2() % 3)); // PC alignment fault at the target
        if (chance(r2, 10)) t += BigInt(CODE_SIZE) * BigInt(1 + (r2() % 64)); // unmapped
        return { [`x${n}`]: t & MASK64 };
      },
    };
  },
};

const sysreg = (l: number, op0: number, op1: number, crn: number, crm: number, op2: number, t: number) =>
  (0xd500_0000 |
    (l << 21) |
    ((op0 - 2) << 19) |
    (1 << 20) |
    (op1 << 16) |
    (crn << 12) |
    (crm << 8) |
    (op2 << 5) |
    t) >>>
  0;

/** NZCV access and the flag-manipulation instructions (FEAT_FlagM, FEAT_FlagM2). */
const flags: Group = {
  name: "sys-flags",
  count: 2000,
  gen: (r) => {
    const t = r() % 32;
    switch (r() % 6) {
      case 0:
        return { words: [sysreg(1, 3, 3, 4, 2, 0, t)] }; // mrs xt, nzcv
      case 1:
        return { words: [sysreg(0, 3, 3, 4, 2, 0, t)] }; // msr nzcv, xt
      case 2:
        return {
          words: [pick(r, [0xd500401f /* cfinv */, 0xd500403f /* xaflag */, 0xd500405f /* axflag */])],
        };
      case 3:
        return { words: [(0xba00_0400 | ((r() & 63) << 15) | (t << 5) | (r() & 15)) >>> 0] }; // rmif
      case 4:
        return { words: [(0x3a00_080d | ((r() & 1) << 14) | (t << 5)) >>> 0] }; // setf8/setf16
      default:
        return { words: [fromMask(r, 0xffff_f01f, 0xd500_401f)] }; // the MSR (immediate) space with op1=0
    }
  },
};

/** Registers EL0 may read or write under Linux, and whose values do not change with time. */
const sysregs: Group = {
  name: "sys-sysreg",
  count: 2000,
  gen: (r) => {
    const t = r() % 32;
    const regs: readonly (readonly [number, number, number, number, number, boolean])[] = [
      [3, 3, 13, 0, 2, true], // TPIDR_EL0 (read/write)
      [3, 3, 13, 0, 3, false], // TPIDRRO_EL0
      [3, 3, 0, 0, 1, false], // CTR_EL0
      [3, 3, 0, 0, 7, false], // DCZID_EL0
      [3, 3, 14, 0, 0, false], // CNTFRQ_EL0
      [3, 3, 4, 4, 0, false], // FPCR
      [3, 3, 4, 4, 1, false], // FPSR
    ];
    const [op0, op1, crn, crm, op2, writable] = pick(r, regs);
    const write = writable && chance(r, 50);
    return { words: [sysreg(write ? 0 : 1, op0, op1, crn, crm, op2, t)] };
  },
};

/** Barriers and CLREX (CRm:op2 random in the barrier space), hints (the whole HINT space). */
const barrierHint: Group = {
  name: "sys-barrier-hint",
  count: 3000,
  gen: (r) =>
    chance(r, 50)
      ? { words: [fromMask(r, 0xffff_f01f, 0xd503_301f)] }
      : { words: [fromMask(r, 0xffff_f01f, 0xd503_201f)] },
};

/** BRK (stops at itself), UDF and HLT (UNDEFINED at EL0 under Linux). */
const exc: Group = {
  name: "sys-exception",
  count: 1000,
  gen: (r: Rng) => {
    const imm = r() & 0xffff;
    const k = r() % 3;
    return {
      words: [k === 0 ? (0xd420_0000 | (imm << 5)) >>> 0 : k === 1 ? imm : (0xd440_0000 | (imm << 5)) >>> 0],
    };
  },
};

export const BR_SYS_GROUPS: readonly Group[] = [
  immBranch("br-imm", 3000, 0x7c00_0000, 0x1400_0000, 0, 26), // B, BL
  immBranch("br-cond", 3000, 0xff00_0010, 0x5400_0000, 5, 19), // B.cond
  immBranch("br-cmp", 3000, 0x7e00_0000, 0x3400_0000, 5, 19), // CBZ, CBNZ
  immBranch("br-test", 3000, 0x7e00_0000, 0x3600_0000, 5, 14), // TBZ, TBNZ
  regBranch,
  flags,
  sysregs,
  barrierHint,
  exc,
];

export const CODE_END = CODE_BASE + CODE_SIZE;
