// System registers reachable from EL0 in a Linux user process, keyed by op0:op1:CRn:CRm:op2. The table
// is what MRS/MSR consult; part 2 replaces `Cpu.sysregs` with a file that knows the exception levels.
import type { Cpu } from "./cpu.ts";
import { T } from "./exec/alu.ts";
import { SYSREGS } from "./sysreg/table.ts";

const TABLE_INDEX = new Map<number, number>(
  SYSREGS.map((r, i) => [((r.op0 & 3) << 14) | (r.op1 << 11) | (r.crn << 7) | (r.crm << 3) | r.op2, i]),
);

/** op0:op1:CRn:CRm:op2 packed as in the MRS/MSR encoding bits 20:5 (o0 bit is op0-2). */
export const sysregKey = (op0: number, op1: number, crn: number, crm: number, op2: number): number =>
  ((op0 & 3) << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;

/** Names objdump prints, by key, for registers the shared sysreg table (../sysreg) does not list. */
export const SYSREG_NAMES: Readonly<Record<number, string>> = {
  [sysregKey(3, 3, 4, 2, 0)]: "nzcv",
  [sysregKey(3, 3, 4, 2, 1)]: "daif",
  [sysregKey(3, 3, 4, 4, 0)]: "fpcr",
  [sysregKey(3, 3, 4, 4, 1)]: "fpsr",
  [sysregKey(3, 3, 4, 2, 5)]: "dit",
  [sysregKey(3, 3, 4, 2, 6)]: "ssbs",
  [sysregKey(3, 3, 13, 0, 2)]: "tpidr_el0",
  [sysregKey(3, 3, 13, 0, 3)]: "tpidrro_el0",
  [sysregKey(3, 3, 0, 0, 1)]: "ctr_el0",
  [sysregKey(3, 3, 0, 0, 7)]: "dczid_el0",
  [sysregKey(3, 3, 14, 0, 0)]: "cntfrq_el0",
  [sysregKey(3, 3, 14, 0, 1)]: "cntpct_el0",
  [sysregKey(3, 3, 14, 0, 2)]: "cntvct_el0",
  [sysregKey(3, 0, 0, 0, 0)]: "midr_el1",
  [sysregKey(3, 0, 0, 0, 5)]: "mpidr_el1",
  [sysregKey(3, 0, 4, 2, 2)]: "currentel",
  [sysregKey(3, 0, 1, 0, 0)]: "sctlr_el1",
  [sysregKey(3, 0, 12, 0, 0)]: "vbar_el1",
  [sysregKey(3, 0, 4, 0, 1)]: "elr_el1",
  [sysregKey(3, 0, 4, 0, 0)]: "spsr_el1",
  [sysregKey(3, 0, 5, 2, 0)]: "esr_el1",
  [sysregKey(3, 0, 6, 0, 0)]: "far_el1",
  [sysregKey(3, 0, 13, 0, 4)]: "tpidr_el1",
  [sysregKey(2, 0, 0, 2, 2)]: "mdscr_el1",
  [sysregKey(3, 4, 1, 1, 0)]: "hcr_el2",
  [sysregKey(3, 4, 12, 0, 0)]: "vbar_el2",
  [sysregKey(3, 4, 5, 2, 0)]: "esr_el2",
  [sysregKey(3, 4, 4, 0, 1)]: "elr_el2",
  [sysregKey(3, 4, 4, 0, 0)]: "spsr_el2",
  [sysregKey(3, 4, 6, 0, 0)]: "far_el2",
  [sysregKey(3, 4, 6, 0, 4)]: "hpfar_el2",
};

/** objdump's name for a system register: a known name or `s<op0>_<op1>_c<n>_c<m>_<op2>`. */
export function sysregName(key: number): string {
  const i = TABLE_INDEX.get(key);
  if (i !== undefined) return (SYSREGS[i] as { name: string }).name;
  const n = SYSREG_NAMES[key];
  if (n !== undefined) return n;
  const op0 = (key >> 14) & 3;
  return `s${op0}_${(key >> 11) & 7}_c${(key >> 7) & 15}_c${(key >> 3) & 15}_${key & 7}`;
}

/** How MRS/MSR reach system registers. `read` leaves the value in T[0], T[1]; both return false when
 * the register is not accessible (the instruction is then UNDEFINED). */
export interface SysregPort {
  read(cpu: Cpu, key: number): boolean;
  write(cpu: Cpu, key: number, lo: number, hi: number): boolean;
}

const K = {
  NZCV: sysregKey(3, 3, 4, 2, 0),
  FPCR: sysregKey(3, 3, 4, 4, 0),
  FPSR: sysregKey(3, 3, 4, 4, 1),
  TPIDR_EL0: sysregKey(3, 3, 13, 0, 2),
  TPIDRRO_EL0: sysregKey(3, 3, 13, 0, 3),
  CTR_EL0: sysregKey(3, 3, 0, 0, 1),
  DCZID_EL0: sysregKey(3, 3, 0, 0, 7),
  CNTFRQ_EL0: sysregKey(3, 3, 14, 0, 0),
  CNTVCT_EL0: sysregKey(3, 3, 14, 0, 2),
} as const;

/** Values QEMU 7.2 `-cpu max` shows a user process (oracle/README.md). */
export const USER_SYSREG_VALUES = {
  CTR_EL0: 0x80038003,
  /** DC ZVA block = 4 << 7 = 512 bytes */
  DCZID_EL0: 7,
  CNTFRQ_EL0: 62_500_000,
} as const;

/** FPCR bits that are writable (AHP, DN, FZ, RMode, Stride, FZ16, Len, IDE..IXE). */
const FPCR_MASK = 0x07ff9f00;
/** FPSR: N Z C V QC and the cumulative exception flags. */
const FPSR_MASK = 0xf800009f;

/** EL0 view: the registers a Linux user process may touch. */
export class UserSysregs implements SysregPort {
  read(cpu: Cpu, key: number): boolean {
    let lo = 0;
    let hi = 0;
    switch (key) {
      case K.NZCV:
        lo = cpu.nzcv << 28;
        break;
      case K.FPCR:
        lo = cpu.fpcr;
        break;
      case K.FPSR:
        lo = cpu.fpsr;
        break;
      case K.TPIDR_EL0:
        lo = cpu.tpidrLo;
        hi = cpu.tpidrHi;
        break;
      case K.TPIDRRO_EL0:
        break;
      case K.CTR_EL0:
        lo = USER_SYSREG_VALUES.CTR_EL0 | 0;
        break;
      case K.DCZID_EL0:
        lo = USER_SYSREG_VALUES.DCZID_EL0;
        break;
      case K.CNTFRQ_EL0:
        lo = USER_SYSREG_VALUES.CNTFRQ_EL0;
        break;
      case K.CNTVCT_EL0: {
        // a deterministic counter: instructions retired
        const r = cpu.retired;
        lo = (r % 4294967296) | 0;
        hi = Math.floor(r / 4294967296) | 0;
        break;
      }
      default:
        return false;
    }
    T[0] = lo;
    T[1] = hi;
    return true;
  }

  write(cpu: Cpu, key: number, lo: number, hi: number): boolean {
    switch (key) {
      case K.NZCV:
        cpu.nzcv = (lo >>> 28) & 0xf;
        return true;
      case K.FPCR:
        cpu.fpcr = lo & FPCR_MASK;
        return true;
      case K.FPSR:
        cpu.fpsr = lo & FPSR_MASK;
        return true;
      case K.TPIDR_EL0:
        cpu.tpidrLo = lo;
        cpu.tpidrHi = hi;
        return true;
      default:
        return false;
    }
  }
}
