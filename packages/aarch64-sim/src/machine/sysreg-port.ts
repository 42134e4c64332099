// MRS/MSR of the machine: the `SysregPort` the core calls, backed by `SysregFile` with its EL and EL2 trap
// checks; PSTATE fields and banked stack pointers live in `MachineState`, counters and timers in the
// timer device, ISR_EL1 in the GIC. A refused access returns false (the core stops UNDEFINED) and leaves
// in `refusal` where the exception goes, for the machine's UNDEFINED handler.
import type { Cpu } from "../cpu.ts";
import { T } from "../exec/alu.ts";
import { SysregAccess, type SysregFile, sysregIndexOfWord } from "../sysreg/file.ts";
import { Effect, SYSREGS, type SysregDef, SysregId } from "../sysreg/table.ts";

/** Where a refused MRS/MSR goes. */
export const Refusal = {
  /** UNDEFINED (EC 0x00) */
  UNDEFINED: 0,
  /** trapped to EL1 (EC 0x18): an EL0 access SCTLR_EL1/CNTKCTL_EL1 forbids */
  TRAP_EL1: 1,
  /** trapped to EL2 (EC 0x18): HCR_EL2/MDCR_EL2/CNTHCTL_EL2 */
  TRAP_EL2: 2,
} as const;
export type Refusal = (typeof Refusal)[keyof typeof Refusal];

/** What the port needs from the machine (implemented by `Machine`). */
export interface SysregHost {
  readonly sys: SysregFile;
  el: number;
  /** PSTATE.DAIF as bits [9:6] */
  daif: number;
  spSel: number;
  /** changes SPSel, swapping the stack pointer */
  setSpSel(v: number): void;
  /** banked SP_ELn as halves (n = 0..2); the live one is read from the core */
  readSp(n: number): void;
  writeSp(n: number, lo: number, hi: number): void;
  /** after a write to a register with Effect.MMU */
  mmuChanged(): void;
  timerRead(i: number): number;
  timerHi(): number;
  timerWrite(i: number, lo: number, hi: number): boolean;
  /** ISR_EL1 value */
  isr(): number;
  /** machine has EL2 */
  readonly hasEl2: boolean;
}

const SCTLR_UMA = 1 << 9;
const SCTLR_UCT = 1 << 15;
// CNTKCTL_EL1: EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN
const KCTL_PCT = 1 << 0;
const KCTL_VCT = 1 << 1;
const KCTL_VT = 1 << 8;
const KCTL_PT = 1 << 9;

export class MachinePort {
  refusal: Refusal = Refusal.UNDEFINED;
  private readonly host: SysregHost;

  constructor(host: SysregHost) {
    this.host = host;
  }

  // EL0 controls of SCTLR_EL1 and CNTKCTL_EL1 (true = allowed)
  private el0Allowed(i: number): boolean {
    const sys = this.host.sys;
    const sctlr = sys.lo[SysregId.sctlr_el1] as number;
    const kctl = sys.lo[SysregId.cntkctl_el1] as number;
    switch (i) {
      case SysregId.daif:
        return (sctlr & SCTLR_UMA) !== 0;
      case SysregId.ctr_el0:
        return (sctlr & SCTLR_UCT) !== 0;
      case SysregId.cntpct_el0:
        return (kctl & KCTL_PCT) !== 0;
      case SysregId.cntvct_el0:
        return (kctl & KCTL_VCT) !== 0;
      case SysregId.cntp_ctl_el0:
      case SysregId.cntp_cval_el0:
      case SysregId.cntp_tval_el0:
        return (kctl & KCTL_PT) !== 0;
      case SysregId.cntv_ctl_el0:
      case SysregId.cntv_cval_el0:
      case SysregId.cntv_tval_el0:
        return (kctl & KCTL_VT) !== 0;
    }
    return true;
  }

  // Index of an accessible register, or -1 with `refusal` set.
  private index(key: number, write: boolean): number {
    const i = sysregIndexOfWord(key << 5);
    if (i < 0) {
      this.refusal = Refusal.UNDEFINED;
      return -1;
    }
    const h = this.host;
    const c = h.sys.check(i, h.el, write, h.hasEl2);
    if (c === SysregAccess.UNDEFINED) {
      this.refusal = Refusal.UNDEFINED;
      return -1;
    }
    if (c === SysregAccess.TRAP_EL2) {
      this.refusal = Refusal.TRAP_EL2;
      return -1;
    }
    if (h.el === 0 && !this.el0Allowed(i)) {
      this.refusal = Refusal.TRAP_EL1;
      return -1;
    }
    // SP_EL0 is not accessible through MRS/MSR while it is the current stack pointer
    if (i === SysregId.sp_el0 && h.spSel === 0) {
      this.refusal = Refusal.UNDEFINED;
      return -1;
    }
    return i;
  }

  read(cpu: Cpu, key: number): boolean {
    const i = this.index(key, false);
    if (i < 0) return false;
    const h = this.host;
    const def = SYSREGS[i] as SysregDef;
    let lo = 0;
    let hi = 0;
    switch (def.effect) {
      case Effect.CORE:
        switch (i) {
          case SysregId.nzcv:
            lo = cpu.nzcv << 28;
            break;
          case SysregId.daif:
            lo = h.daif;
            break;
          case SysregId.currentel:
            lo = h.el << 2;
            break;
          case SysregId.spsel:
            lo = h.spSel;
            break;
          case SysregId.fpcr:
            lo = cpu.fpcr;
            break;
          case SysregId.fpsr:
            lo = cpu.fpsr;
            break;
          case SysregId.tpidr_el0:
            lo = cpu.tpidrLo;
            hi = cpu.tpidrHi;
            break;
          case SysregId.sp_el0:
          case SysregId.sp_el1:
          case SysregId.sp_el2:
            h.readSp(i === SysregId.sp_el0 ? 0 : i === SysregId.sp_el1 ? 1 : 2);
            lo = T[0] as number;
            hi = T[1] as number;
            break;
          default:
            lo = h.sys.read(i);
            hi = h.sys.hi;
        }
        break;
      case Effect.TIMER: {
        const v = h.timerRead(i);
        if (v === -1) {
          lo = h.sys.read(i);
          hi = h.sys.hi;
        } else {
          lo = v;
          hi = h.timerHi();
        }
        break;
      }
      case Effect.IRQ:
        lo = h.isr();
        break;
      default:
        lo = h.sys.read(i);
        hi = h.sys.hi;
    }
    T[0] = lo | 0;
    T[1] = hi | 0;
    return true;
  }

  write(cpu: Cpu, key: number, lo: number, hi: number): boolean {
    const i = this.index(key, true);
    if (i < 0) return false;
    const h = this.host;
    const def = SYSREGS[i] as SysregDef;
    switch (def.effect) {
      case Effect.CORE:
        switch (i) {
          case SysregId.nzcv:
            cpu.nzcv = (lo >>> 28) & 0xf;
            return true;
          case SysregId.daif:
            h.daif = lo & 0x3c0;
            return true;
          case SysregId.spsel:
            h.setSpSel(lo & 1);
            return true;
          case SysregId.fpcr:
          case SysregId.fpsr:
          case SysregId.tpidr_el0:
            return writeUser(cpu, i, lo, hi);
          case SysregId.sp_el0:
          case SysregId.sp_el1:
          case SysregId.sp_el2:
            h.writeSp(i === SysregId.sp_el0 ? 0 : i === SysregId.sp_el1 ? 1 : 2, lo, hi);
            return true;
        }
        h.sys.write(i, lo, hi);
        return true;
      case Effect.TIMER:
        if (!h.timerWrite(i, lo, hi)) h.sys.write(i, lo, hi);
        return true;
      case Effect.IRQ:
        return true;
      case Effect.MMU:
        h.sys.write(i, lo, hi);
        h.mmuChanged();
        return true;
      default:
        h.sys.write(i, lo, hi);
        return true;
    }
  }
}

function writeUser(cpu: Cpu, i: number, lo: number, hi: number): boolean {
  if (i === SysregId.fpcr) cpu.fpcr = lo & 0x07ff9f00;
  else if (i === SysregId.fpsr) cpu.fpsr = lo & 0xf800009f;
  else {
    cpu.tpidrLo = lo;
    cpu.tpidrHi = hi;
  }
  return true;
}
