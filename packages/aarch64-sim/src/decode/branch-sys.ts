// C4.1.89 Branches, Exception Generating and System instructions.
import type { Cpu } from "../cpu.ts";
import { T } from "../exec/alu.ts";
import { condHolds } from "../exec/flags.ts";
import { StopReason } from "../stop.ts";
import { sysregKey, sysregName } from "../sysregs.ts";
import { addrBig, bits, COND_NAMES, defaultTarget, rz, sext, wn, wz, xn } from "./fields.ts";
import type { Insn, Row } from "./types.ts";

type Exec = Insn["exec"];
const TWO32 = 4294967296;

/** Makes an UNDEFINED-stopping instruction (for encodings that decode but may not run here). */
export function undefinedExec(word: number): Exec {
  return (s) => {
    s.stop = StopReason.UNDEFINED;
    s.excWord = word;
    return 2;
  };
}

function uncondImm(w: number, pc: number, name: string): Insn {
  const link = w >>> 31;
  const target = pc + sext(bits(w, 0, 26), 26) * 4;
  const retLo = ((pc + 4) % TWO32) | 0;
  const retHi = Math.floor((pc + 4) / TWO32) | 0;
  const exec: Exec = link
    ? (s) => {
        s.x[60] = retLo;
        s.x[61] = retHi;
        s.pc = target;
        return 1;
      }
    : (s) => {
        s.pc = target;
        return 1;
      };
  const js = `${link ? `x[60] = ${retLo}; x[61] = ${retHi}; ` : ""}s.pc = ${target}; return 1;`;
  return {
    name,
    word: w,
    exec,
    js,
    asm: (f = defaultTarget) => `${link ? "bl" : "b"}\t${f(addrBig(target))}`,
  };
}

function condBranch(w: number, pc: number, name: string): Insn | undefined {
  if (bits(w, 4, 1)) return undefined; // BC.cond (FEAT_HBC) is not implemented
  const cond = bits(w, 0, 4);
  const target = pc + sext(bits(w, 5, 19), 19) * 4;
  const exec: Exec = (s) => {
    if (!condHolds(s, cond)) return 0;
    s.pc = target;
    return 1;
  };
  const js = `if (H.condHolds(s, ${cond})) { s.pc = ${target}; return 1; }`;
  return {
    name,
    word: w,
    exec,
    js,
    asm: (f = defaultTarget) => `b.${COND_NAMES[cond]}\t${f(addrBig(target))}`,
  };
}

function compareBranch(w: number, pc: number, name: string): Insn {
  const sf = w >>> 31;
  const nz = bits(w, 24, 1);
  const rt = bits(w, 0, 5);
  const t = rz(rt);
  const target = pc + sext(bits(w, 5, 19), 19) * 4;
  const exec: Exec = (s) => {
    const x = s.x;
    const zero = sf ? ((x[t] as number) | (x[t + 1] as number)) === 0 : x[t] === 0;
    if (zero === (nz === 1)) return 0;
    s.pc = target;
    return 1;
  };
  return {
    name,
    word: w,
    exec,
    js: `if (((${sf ? `x[${t}] | x[${t + 1}]` : `x[${t}]`}) === 0) !== ${nz === 1}) { s.pc = ${target}; return 1; }`,
    asm: (f = defaultTarget) => `${nz ? "cbnz" : "cbz"}\t${sf ? xn(rt) : wn(rt)}, ${f(addrBig(target))}`,
  };
}

function testBranch(w: number, pc: number, name: string): Insn {
  const bit = (bits(w, 31, 1) << 5) | bits(w, 19, 5);
  const nz = bits(w, 24, 1);
  const rt = bits(w, 0, 5);
  const t = rz(rt) + (bit >= 32 ? 1 : 0);
  const sh = bit & 31;
  const target = pc + sext(bits(w, 5, 14), 14) * 4;
  const exec: Exec = (s) => {
    if ((((s.x[t] as number) >>> sh) & 1) !== nz) return 0;
    s.pc = target;
    return 1;
  };
  return {
    name,
    word: w,
    exec,
    js: `if (((x[${t}] >>> ${sh}) & 1) === ${nz}) { s.pc = ${target}; return 1; }`,
    asm: (f = defaultTarget) =>
      `${nz ? "tbnz" : "tbz"}\t${bit >= 32 ? xn(rt) : wn(rt)}, #${bit}, ${f(addrBig(target))}`,
  };
}

function branchReg(w: number, pc: number, name: string): Insn | undefined {
  const opc = bits(w, 21, 4);
  const op2 = bits(w, 16, 5);
  const op3 = bits(w, 10, 6);
  const rn = bits(w, 5, 5);
  const op4 = bits(w, 0, 5);
  if (op2 !== 31 || op4 !== 0) return undefined;
  if (opc === 4 && op3 === 0 && rn === 31) {
    // ERET: not available at EL0
    return { name: "ERET", word: w, exec: undefinedExec(w), asm: () => "eret" };
  }
  if (op3 !== 0 || opc > 2) return undefined;
  const n = rz(rn);
  const link = opc === 1;
  const retLo = ((pc + 4) % TWO32) | 0;
  const retHi = Math.floor((pc + 4) / TWO32) | 0;
  const exec: Exec = (s) => {
    const x = s.x;
    // signed: a TTBR1 (top-half) target becomes a negative PC, exact within 2^53 of zero
    const target = ((x[n + 1] as number) | 0) * TWO32 + ((x[n] as number) >>> 0);
    if (link) {
      x[60] = retLo;
      x[61] = retHi;
    }
    s.pc = target;
    return 1;
  };
  const mn = ["br", "blr", "ret"][opc] as string;
  return { name, word: w, exec, asm: () => (opc === 2 && rn === 30 ? "ret" : `${mn}\t${xn(rn)}`) };
}

function exceptionGen(w: number, pc: number, name: string): Insn | undefined {
  const opc = bits(w, 21, 3);
  const imm = bits(w, 5, 16);
  const ll = bits(w, 0, 2);
  if (bits(w, 2, 3) !== 0) return undefined;
  let stop: StopReason;
  let mn: string;
  if (opc === 0 && ll !== 0) {
    stop = ([0, StopReason.SVC, StopReason.HVC, StopReason.SMC] as const)[ll] as StopReason;
    mn = ["", "svc", "hvc", "smc"][ll] as string;
  } else if (opc === 1 && ll === 0) {
    stop = StopReason.BRK;
    mn = "brk";
  } else if (opc === 2 && ll === 0) {
    stop = StopReason.HLT;
    mn = "hlt";
  } else return undefined;
  const after = stop === StopReason.SVC || stop === StopReason.HVC || stop === StopReason.SMC;
  const exec: Exec = (s) => {
    s.excImm = imm;
    s.excWord = w;
    s.stop = stop;
    s.pc = after ? pc + 4 : pc;
    return 2;
  };
  return { name, word: w, exec, asm: () => `${mn}\t#0x${imm.toString(16)}` };
}

const HINTS: Readonly<Record<number, string>> = {
  0: "nop",
  1: "yield",
  2: "wfe",
  3: "wfi",
  4: "sev",
  5: "sevl",
  7: "xpaclri",
  8: "pacia1716",
  10: "pacib1716",
  12: "autia1716",
  14: "autib1716",
  16: "esb",
  17: "psb\tcsync",
  18: "tsb\tcsync",
  20: "csdb",
  22: "clearbhb",
  24: "paciaz",
  25: "paciasp",
  26: "pacibz",
  27: "pacibsp",
  28: "autiaz",
  29: "autiasp",
  30: "autibz",
  31: "autibsp",
  32: "bti",
  34: "bti\tc",
  36: "bti\tj",
  38: "bti\tjc",
};
const BARRIER_OPTS: Readonly<Record<number, string>> = {
  15: "sy",
  14: "st",
  13: "ld",
  11: "ish",
  10: "ishst",
  9: "ishld",
  7: "nsh",
  6: "nshst",
  5: "nshld",
  3: "osh",
  2: "oshst",
  1: "oshld",
};

const nop: Exec = () => 0;

// WFI/WFE: a NOP unless `trapWfx`; then stop before it retires, pc at it (hints end compiled blocks,
// so a block stops here exactly as the interpreter does).
function wfxExec(w: number, pc: number, wfi: boolean): Exec {
  const stop = wfi ? StopReason.WFI : StopReason.WFE;
  return (s) => {
    if (!s.trapWfx) return 0;
    s.excWord = w;
    s.stop = stop;
    s.pc = pc;
    return 2;
  };
}

function system(w: number, pc: number, name: string): Insn | undefined {
  const isRead = bits(w, 21, 1);
  const op0 = bits(w, 19, 2);
  const op1 = bits(w, 16, 3);
  const crn = bits(w, 12, 4);
  const crm = bits(w, 8, 4);
  const op2 = bits(w, 5, 3);
  const rt = bits(w, 0, 5);
  const key = sysregKey(op0, op1, crn, crm, op2);
  const generic = () =>
    isRead ? `mrs\t${xn(rt)}, ${sysregName(key)}` : `msr\t${sysregName(key)}, ${xn(rt)}`;
  const undef = (text: () => string): Insn => ({ name, word: w, exec: undefinedExec(w), asm: text });
  if (op0 === 0 && !isRead) {
    if (crn === 2 && rt === 31) {
      const h = (crm << 3) | op2;
      // hints: NOPs here (PAC treated as disabled, BTI not enforced); WFI/WFE stop when the Cpu traps them
      const text = HINTS[h] ?? `hint\t#0x${h.toString(16)}`;
      if (h === 2 || h === 3)
        return { name: "HINT", word: w, exec: wfxExec(w, pc, h === 3), asm: () => text };
      return { name: "HINT", word: w, exec: nop, asm: () => text };
    }
    if (crn === 3 && op1 === 3 && rt === 31) {
      if (op2 === 2) {
        const exec: Exec = (s) => {
          s.exclActive = false;
          return 0;
        };
        return {
          name: "CLREX",
          word: w,
          exec,
          asm: () => (crm === 15 ? "clrex" : `clrex\t#0x${crm.toString(16)}`),
        };
      }
      if (op2 === 4 || op2 === 5) {
        const mn = op2 === 4 ? "dsb" : "dmb";
        const text =
          op2 === 4 && crm === 0
            ? "ssbb"
            : op2 === 4 && crm === 4
              ? "pssbb"
              : `${mn}\t${BARRIER_OPTS[crm] ?? `#0x${crm.toString(16).padStart(2, "0")}`}`;
        return { name: mn.toUpperCase(), word: w, exec: nop, asm: () => text };
      }
      if (op2 === 6)
        return {
          name: "ISB",
          word: w,
          exec: nop,
          asm: () => (crm === 15 ? "isb" : `isb\t#0x${crm.toString(16)}`),
        };
      if (op2 === 7 && crm === 0) return { name: "SB", word: w, exec: nop, asm: () => "sb" };
      if (op2 === 1 && (crm & 3) === 2) {
        // DSB nXS: QEMU 7.2 lacks FEAT_XS
        const opt = ["osh", "nsh", "ish", "sy"][crm >> 2];
        return undef(() => `dsb\t${opt}nxs`);
      }
      return undef(generic);
    }
    if (crn === 4 && rt === 31) {
      if (op1 === 0 && op2 === 0 && crm === 0) {
        const exec: Exec = (s) => {
          s.cf ^= 1;
          return 0;
        };
        return { name: "CFINV", word: w, exec, asm: () => "cfinv" };
      }
      if (op1 === 0 && op2 === 1 && crm === 0) {
        // XAFLAG: N = !C & !Z, Z = Z & C, C = C | Z, V = !C & Z
        const exec: Exec = (s) => {
          const z = s.zf;
          const c = s.cf;
          s.nf = (c | z) ^ 1;
          s.zf = z & c;
          s.cf = c | z;
          s.vf = z & (c ^ 1);
          return 0;
        };
        return { name: "XAFLAG", word: w, exec, asm: () => "xaflag" };
      }
      if (op1 === 0 && op2 === 2 && crm === 0) {
        // AXFLAG: Z = Z | V, C = C & !V, N = V = 0
        const exec: Exec = (s) => {
          const v = s.vf;
          s.zf |= v;
          s.cf &= v ^ 1;
          s.nf = 0;
          s.vf = 0;
          return 0;
        };
        return { name: "AXFLAG", word: w, exec, asm: () => "axflag" };
      }
      // MSR (immediate): PSTATE fields an EL0 process may not write here
      const field = (op1 << 3) | op2;
      const names: Record<number, string> = {
        5: "spsel",
        3: "uao",
        4: "pan",
        30: "daifset",
        31: "daifclr",
        26: "dit",
        25: "ssbs",
        28: "tco",
      };
      const fname = names[field];
      const ok = fname !== undefined && (field === 30 || field === 31 || crm <= 1);
      return undef(() => (ok ? `msr\t${fname}, #0x${crm.toString(16)}` : generic()));
    }
    return undef(generic);
  }
  if (op0 === 1) {
    const n = rz(rt);
    // SYS / SYSL: only DC ZVA/CVAU/CVAC/CVADP/CIVAC and IC IVAU are EL0 operations
    if (!isRead && op1 === 3 && crn === 7) {
      if (crm === 4 && op2 === 1) {
        const exec: Exec = (s) => dcZva(s, s.x[n] as number, s.x[n + 1] as number);
        return { name: "DC_ZVA", word: w, exec, asm: () => `dc\tzva, ${xn(rt)}` };
      }
      const ops: Record<number, string> = {
        177: "cvau",
        161: "cvac",
        209: "cvadp",
        225: "civac",
        193: "cvap",
        81: "ivau",
      };
      const op = ops[(crm << 4) | op2];
      if (op !== undefined && op !== "cvap") {
        return {
          name: "DC_IC",
          word: w,
          exec: nop,
          asm: () => `${op === "ivau" ? "ic" : "dc"}\t${op}, ${xn(rt)}`,
        };
      }
    }
    return undef(() =>
      isRead
        ? `sysl\t${xn(rt)}, #${op1}, C${crn}, C${crm}, #${op2}`
        : `sys\t#${op1}, C${crn}, C${crm}, #${op2}${rt === 31 ? "" : `, ${xn(rt)}`}`,
    );
  }
  if (op0 >= 2) {
    if (isRead) {
      const d = wz(rt);
      const exec: Exec = (s) => {
        if (!s.sysregs.read(s, key)) return undefinedExec(w)(s);
        s.x[d] = T[0] as number;
        s.x[d + 1] = T[1] as number;
        return 0;
      };
      return { name: "MRS", word: w, exec, asm: generic };
    }
    const n = rz(rt);
    const exec: Exec = (s) =>
      s.sysregs.write(s, key, s.x[n] as number, s.x[n + 1] as number) ? 0 : undefinedExec(w)(s);
    return { name: "MSR", word: w, exec, asm: generic };
  }
  return undefined;
}

/** DC ZVA: zero the 512-byte block (DCZID_EL0.BS = 7) holding the address. */
function dcZva(s: Cpu, lo: number, hi: number): number {
  const blo = lo & ~511;
  s.bus.probe(blo, hi, 512, true);
  for (let i = 0; i < 512; i += 8) s.bus.write64(blo + i, hi, 0, 0);
  return 0;
}

export const BRANCH_SYS_ROWS: readonly Row[] = [
  { name: "B", pattern: ".00101 ..........................", build: uncondImm },
  { name: "CB", pattern: ".011010 .........................", build: compareBranch },
  { name: "TB", pattern: ".011011 .........................", build: testBranch },
  { name: "B_cond", pattern: "0101010 0 ........................", build: condBranch },
  { name: "EXC", pattern: "11010100 ........................", build: exceptionGen },
  { name: "SYS", pattern: "1101010100 ......................", build: system },
  { name: "BR", pattern: "1101011 .........................", build: branchReg },
];
