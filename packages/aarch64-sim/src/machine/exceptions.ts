// Core stops → architectural exceptions: entry through VBAR_ELx with ESR/FAR/ELR/SPSR/HPFAR as the
// exception module builds them, routing by HCR_EL2/MDCR_EL2, ERET, the system instructions the core
// leaves to us (MSR to PSTATE fields, TLBI, AT, IC, WFI/WFE), semihosting, interrupts and software step.
import {
  debugExceptionsEnabled,
  debugTargetEl,
  Mdcr,
  Mdscr,
  StepState,
  stepState,
} from "../exception/debug.ts";
import { hpfarHi, hpfarLo } from "../exception/fault-address.ts";
import { FaultStatus } from "../exception/fsc.ts";
import { packSpsr, spsrEl, spsrSpSel } from "../exception/pstate.ts";
import { RouteSource, routeSync } from "../exception/routing.ts";
import {
  AbortFlag,
  esrBrk,
  esrCall,
  esrDataAbort,
  esrInstructionAbort,
  esrPcAlignment,
  esrSoftwareStep,
  esrSysregTrap,
  esrUnknown,
  esrWfx,
} from "../exception/syndrome.ts";
import { VectorKind, vectorOffset } from "../exception/vectors.ts";
import { AtResult } from "../mmu/mmu.ts";
import { SYS_OPS, sysOpIndexOfWord } from "../mmu/ops.ts";
import { StopReason } from "../stop.ts";
import { SysregId } from "../sysreg/table.ts";
import { dataAbortIssOf } from "./decode-abort.ts";
import type { Machine } from "./machine.ts";
import { Refusal } from "./sysreg-port.ts";

const TWO32 = 4294967296;
const HCR = {
  VM: 1 << 0,
  IMO: 1 << 4,
  VI: 1 << 7,
  TWI: 1 << 13,
  TWE: 1 << 14,
  TSC: 1 << 19,
  TTLB: 1 << 25,
  TGE: 1 << 27,
  HCD: 1 << 29,
  RW: 1 << 31,
} as const;
const SCTLR_NTWI = 1 << 16;
const SCTLR_NTWE = 1 << 18;
const ERET_WORD = 0xd69f03e0;
const SEMIHOST_IMM = 0xf000;

/** What a hook sees: the exception about to be taken (values as they would be written). */
export interface ExceptionInfo {
  /** exception class (ESR.EC) */
  ec: number;
  esr: number;
  /** EL it is taken to, and from */
  targetEl: number;
  fromEl: number;
  /** preferred return address (ELR) and fault address (FAR; 0 when none) */
  elr: bigint;
  far: bigint;
}

/**
 * Host code run instead of, or before, an exception entry. Return "take" to let the guest's vector run,
 * "handled" when the host emulated it (PC and registers are then whatever the hook set; the default PC is
 * the preferred return address), or "break" to stop `run` with the exception not taken.
 */
export type ExceptionHook = (info: ExceptionInfo, machine: Machine) => "take" | "handled" | "break";

// QEMU's exception numbers and names for its `-d int` log, by ESR class (everything else is its EXCP_UDEF)
function qemuExcp(ec: number): string {
  switch (ec) {
    case 0x15:
      return "2 [SVC]";
    case 0x16:
      return "11 [Hypervisor Call]";
    case 0x17:
      return "13 [Secure Monitor Call]";
    case 0x3c:
      return "7 [Breakpoint]";
    case 0x20:
    case 0x21:
      return "3 [Prefetch Abort]";
    case 0x24:
    case 0x25:
      return "4 [Data Abort]";
  }
  return "1 [Undefined Instruction]";
}

const hex = (v: number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
const hex64 = (lo: number, hi: number): string =>
  `0x${((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16)}`;

/** Outcome codes of `handleStop`: 0 go on, 1 stop (hook break), 2 halt. */
export class ExceptionUnit {
  private readonly m: Machine;
  private readonly hooks = new Map<number, ExceptionHook[]>();
  /** exceptions taken (entries through a vector) since reset */
  taken = 0;
  /** instructions the machine completed itself (ERET, MSR to PSTATE, TLBI, AT, IC, WFI, semihosting HLT) */
  emulated = 0;
  /** the last instruction completed by the machine was ERET */
  lastEret = false;

  constructor(m: Machine) {
    this.m = m;
  }

  addHook(ec: number, el: number, hook: ExceptionHook): () => void {
    const k = ec * 4 + el;
    const list = this.hooks.get(k) ?? [];
    list.push(hook);
    this.hooks.set(k, list);
    return () => {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    };
  }

  private hcr(): number {
    return this.m.sys.lo[SysregId.hcr_el2] as number;
  }

  /**
   * Takes a synchronous exception (or IRQ when `kind` is VectorKind.IRQ) to `target` with preferred return
   * `elr`. Returns 0 (taken or handled by a hook) or 1 (a hook asked to break).
   */
  enter(
    target: number,
    syndrome: number,
    elr: number,
    kind: VectorKind,
    farLo = -1,
    farHi = 0,
    hpfar = false,
  ): number {
    const m = this.m;
    const from = m.el;
    if (kind === VectorKind.SYNC) {
      const list = this.hooks.get(((syndrome >>> 26) & 0x3f) * 4 + target);
      if (list !== undefined && list.length > 0) {
        const info: ExceptionInfo = {
          ec: (syndrome >>> 26) & 0x3f,
          esr: syndrome,
          targetEl: target,
          fromEl: from,
          elr: BigInt.asUintN(64, BigInt(elr)),
          far: farLo === -1 ? 0n : (BigInt(farHi >>> 0) << 32n) | BigInt(farLo >>> 0),
        };
        m.cpu.pc = elr;
        for (const h of list) {
          const r = h(info, m);
          if (r === "handled") return 0;
          if (r === "break") return 1;
        }
      }
    }
    const sys = m.sys;
    const spsr = packSpsr(m.cpu.nzcv, m.daif >>> 6, m.ss, m.il, from, m.spSel);
    const ids =
      target === 2
        ? [SysregId.esr_el2, SysregId.elr_el2, SysregId.spsr_el2, SysregId.far_el2, SysregId.vbar_el2]
        : [SysregId.esr_el1, SysregId.elr_el1, SysregId.spsr_el1, SysregId.far_el1, SysregId.vbar_el1];
    if (kind === VectorKind.SYNC) sys.set(ids[0] as number, syndrome, 0);
    // floor, not truncation: a top-half PC is negative and its high word must borrow
    const elrHi = Math.floor(elr / TWO32);
    sys.set(ids[1] as number, elr - elrHi * TWO32, elrHi);
    sys.set(ids[2] as number, spsr, 0);
    if (farLo !== -1) sys.set(ids[3] as number, farLo, farHi);
    if (hpfar) {
      const b = m.bus;
      sys.set(SysregId.hpfar_el2, hpfarLo(b.ipaLo, b.ipaHi), hpfarHi(b.ipaHi));
    }
    const spSel = m.spSel;
    m.saveSp();
    m.el = target;
    m.spSel = 1;
    m.loadSp();
    m.daif = 0x3c0;
    m.ss = 0;
    m.il = 0;
    const vbar = ids[4] as number;
    // PCs are signed numbers (a top-half VBAR is negative): see Machine.pc
    const base = ((sys.hi32[vbar] as number) | 0) * TWO32 + (((sys.lo[vbar] as number) & ~0x7ff) >>> 0);
    m.cpu.pc = base + vectorOffset(from, spSel, target, kind);
    const log = m.log;
    if (log !== undefined) {
      // the lines of QEMU's `-d int` log: PSTATE without NZCV (QEMU keeps it apart); IRQ without the ESR line
      // QEMU prints with a stale value
      const ec = (syndrome >>> 26) & 0x3f;
      log(`Taking exception ${kind === VectorKind.IRQ ? "5 [IRQ]" : qemuExcp(ec)} on CPU 0`);
      log(`...from EL${from} to EL${target}`);
      if (kind === VectorKind.SYNC) {
        log(`...with ESR ${hex(ec)}/${hex(syndrome >>> 0)}`);
        if (farLo !== -1 && ec >= 0x20 && ec <= 0x25 && ec !== 0x22)
          log(`...with FAR ${hex64(farLo, farHi)}`);
      }
      log(`...with ELR ${hex(elr)}`);
      log(`...to EL${target} PC ${hex(m.cpu.pc)} PSTATE ${hex(packSpsr(0, 15, 0, 0, target, 1))}`);
    }
    m.cpu.exclActive = false;
    this.taken++;
    return 0;
  }

  /** ERET at EL1/EL2. */
  private eret(): void {
    const m = this.m;
    const e = m.el;
    const sys = m.sys;
    const spsr = sys.lo[e === 2 ? SysregId.spsr_el2 : SysregId.spsr_el1] as number;
    const ei = e === 2 ? SysregId.elr_el2 : SysregId.elr_el1;
    const elr = ((sys.hi32[ei] as number) | 0) * TWO32 + (sys.lo[ei] as number);
    const target = spsrEl(spsr);
    // illegal return: a higher EL, AArch32, EL1 while HCR_EL2.TGE, or EL0 with SPSel 1
    const illegal =
      target > e ||
      (spsr & 0x10) !== 0 ||
      (target === 1 && (this.hcr() & HCR.TGE) !== 0) ||
      (target === 0 && (spsr & 1) !== 0);
    m.cpu.nzcv = spsr >>> 28;
    m.cpu.exclActive = false;
    if (illegal) {
      m.il = 1;
      m.cpu.pc = elr;
      return;
    }
    m.log?.(`Exception return from AArch64 EL${e} to AArch64 EL${target} PC ${hex(elr)}`);
    m.saveSp();
    m.el = target;
    m.spSel = spsrSpSel(spsr);
    m.loadSp();
    m.daif = spsr & 0x3c0;
    m.il = (spsr >>> 20) & 1;
    m.ss = (spsr >>> 21) & 1;
    m.cpu.pc = elr;
  }

  // ---- software step ----

  private debugEnabled(): { enabled: boolean; elD: number } {
    const m = this.m;
    const sys = m.sys;
    const hcr = this.hcr();
    const mdcr = sys.lo[SysregId.mdcr_el2] as number;
    const mdscr = sys.lo[SysregId.mdscr_el1] as number;
    const elD = debugTargetEl(m.hasEl2, (hcr & HCR.TGE) !== 0, (mdcr & Mdcr.TDE) !== 0);
    const osLocked = ((sys.lo[SysregId.oslsr_el1] as number) & 2) !== 0;
    const enabled = debugExceptionsEnabled(
      m.el,
      elD,
      osLocked,
      false,
      (mdscr & Mdscr.KDE) !== 0,
      (m.daif & 0x200) !== 0,
    );
    return { enabled, elD };
  }

  /** Software step state now: 0 inactive, 1 active-not-pending (run one instruction), 2 active-pending. */
  stepActive(): number {
    const mdscr = this.m.sys.lo[SysregId.mdscr_el1] as number;
    if ((mdscr & Mdscr.SS) === 0) return 0;
    const st = stepState(true, this.debugEnabled().enabled, this.m.ss === 1);
    return st === StepState.INACTIVE ? 0 : st === StepState.ACTIVE_NOT_PENDING ? 1 : 2;
  }

  /** Takes the software step exception; `isv`: an instruction was just stepped. Returns 1 on a hook break. */
  softwareStep(isv: boolean): number {
    const m = this.m;
    const { elD } = this.debugEnabled();
    const target = routeSync(RouteSource.DEBUG, m.el, (this.hcr() & HCR.TGE) !== 0, elD);
    return this.enter(target, esrSoftwareStep(target > m.el, isv, false), m.cpu.pc, VectorKind.SYNC);
  }

  // ---- interrupts ----

  virtualIrqPending(): boolean {
    return (this.hcr() & HCR.VI) !== 0 || this.m.devices.gicv.virq !== 0;
  }

  /** Takes a pending, unmasked IRQ (physical or virtual). Returns true if one was taken. */
  takeInterrupt(): boolean {
    const m = this.m;
    const hcr = this.hcr();
    const imo = (hcr & HCR.IMO) !== 0 || (hcr & HCR.TGE) !== 0;
    const masked = (m.daif & 0x80) !== 0;
    if (m.devices.gic.irq[0]) {
      if (m.el < 2 && imo) return this.irq(2);
      if (m.el === 2 && imo && !masked) return this.irq(2);
      if (!imo && m.el < 2 && !masked) return this.irq(1);
    }
    if (m.el < 2 && imo && (hcr & HCR.TGE) === 0 && !masked && this.virtualIrqPending()) return this.irq(1);
    return false;
  }

  private irq(target: number): boolean {
    this.enter(target, 0, this.m.cpu.pc, VectorKind.IRQ);
    return true;
  }

  // ---- core stops ----

  /** Turns the core's stop into the exception it means. 0: go on; 1: a hook asked to stop; 2: halt. */
  handleStop(stop: StopReason, stepped: boolean): number {
    const m = this.m;
    const cpu = m.cpu;
    const from = m.el;
    const tge = (this.hcr() & HCR.TGE) !== 0;
    const pc = cpu.pc;
    this.lastEret = false;
    switch (stop) {
      case StopReason.NONE:
        if (stepped) {
          m.ss = 0;
          if (this.stepActive() === 2) return this.softwareStep(true);
        }
        return 0;
      case StopReason.SVC:
        // SVC/HVC/SMC complete before their exception: a stepped one leaves SPSR.SS = 0
        if (m.ss === 1 && this.stepActive() === 1) m.ss = 0;
        return this.enter(
          routeSync(RouteSource.SVC, from, tge, 0),
          esrCall(0x15, cpu.excImm),
          pc,
          VectorKind.SYNC,
        );
      case StopReason.HVC:
        // HCR_EL2.HCD disables HVC at EL1
        if (from === 0 || !m.hasEl2 || (from === 1 && this.hcr() & HCR.HCD)) return this.undefinedAt(pc - 4);
        if (m.ss === 1 && this.stepActive() === 1) m.ss = 0;
        return this.enter(2, esrCall(0x16, cpu.excImm), pc, VectorKind.SYNC);
      case StopReason.SMC:
        if (from === 1 && this.hcr() & HCR.TSC)
          return this.enter(2, esrCall(0x17, cpu.excImm), pc - 4, VectorKind.SYNC);
        return this.undefinedAt(pc - 4);
      case StopReason.BRK: {
        const { elD } = this.debugEnabled();
        return this.enter(
          routeSync(RouteSource.DEBUG, from, tge, Math.max(elD, from === 0 && !tge ? 1 : 0)),
          esrBrk(cpu.excImm),
          pc,
          VectorKind.SYNC,
        );
      }
      case StopReason.HLT:
        if (cpu.excImm === SEMIHOST_IMM) return this.semihosting();
        return this.undefinedAt(pc);
      case StopReason.DATA_ABORT:
        return this.dataAbort(pc);
      case StopReason.INSN_ABORT:
        return this.insnAbort(pc);
      case StopReason.DATA_ALIGNMENT:
        return this.enter(
          routeSync(RouteSource.OTHER, from, tge, 0),
          esrDataAbort(from === 0, FaultStatus.ALIGNMENT, cpu.faultWrite ? AbortFlag.WNR : 0, 0),
          pc,
          VectorKind.SYNC,
          cpu.faultLo,
          cpu.faultHi,
        );
      case StopReason.PC_ALIGNMENT:
        return this.enter(
          routeSync(RouteSource.OTHER, from, tge, 0),
          esrPcAlignment(),
          pc,
          VectorKind.SYNC,
          cpu.faultLo,
          cpu.faultHi,
        );
      case StopReason.UNDEFINED:
        return this.system(cpu.excWord >>> 0, pc);
      case StopReason.WFI:
        return this.wfx(false, pc);
      case StopReason.WFE:
        return this.wfx(true, pc);
    }
    return this.undefinedAt(pc);
  }

  private undefinedAt(pc: number): number {
    const from = this.m.el;
    return this.enter(
      routeSync(RouteSource.OTHER, from, (this.hcr() & HCR.TGE) !== 0, 0),
      esrUnknown(),
      pc,
      VectorKind.SYNC,
    );
  }

  private semihosting(): number {
    const m = this.m;
    const cpu = m.cpu;
    const sh = m.devices.semihosting;
    const bus = m.bus;
    if (m.log !== undefined) {
      m.log("Taking exception 16 [Semihosting call] on CPU 0");
      m.log(`...from EL${m.el} to EL${m.el}`);
      m.log(`...handling as semihosting call ${hex(cpu.x[0] as number)}`);
    }
    const read = (lo: number, hi: number): number => {
      try {
        return bus.read8(lo | 0, hi | 0);
      } catch (e) {
        if (e !== bus.fault) throw e;
        return -1;
      }
    };
    sh.call(cpu.x[0] as number, cpu.x[2] as number, cpu.x[3] as number, read);
    cpu.x[0] = sh.retLo;
    cpu.x[1] = sh.retHi;
    cpu.pc += 4;
    this.emulated++;
    if (sh.exited) {
      m.exited = true;
      m.exitCode = sh.exitCode;
    }
    return 0;
  }

  private dataAbort(pc: number): number {
    const m = this.m;
    const cpu = m.cpu;
    const b = m.bus;
    const from = m.el;
    const stage2 = b.stage === 2 && from < 2;
    const target = stage2 ? 2 : routeSync(RouteSource.OTHER, from, (this.hcr() & HCR.TGE) !== 0, 0);
    let flags = b.s1ptw ? AbortFlag.S1PTW : 0;
    if (cpu.faultWrite && !b.s1ptw) flags |= AbortFlag.WNR;
    // QEMU reports the instruction details (ISV...) only for aborts taken to EL2, not on S1PTW
    let access = 0;
    if (target === 2 && !b.s1ptw) access = dataAbortIssOf(this.wordAt(pc));
    const syn = esrDataAbort(target > from, b.fsc, flags, access);
    return this.enter(target, syn, pc, VectorKind.SYNC, cpu.faultLo, cpu.faultHi, stage2);
  }

  private insnAbort(pc: number): number {
    const m = this.m;
    const cpu = m.cpu;
    const b = m.bus;
    const from = m.el;
    const stage2 = b.stage === 2 && from < 2;
    const target = stage2 ? 2 : routeSync(RouteSource.OTHER, from, (this.hcr() & HCR.TGE) !== 0, 0);
    const syn = esrInstructionAbort(target > from, b.fsc, b.s1ptw ? AbortFlag.S1PTW : 0);
    return this.enter(target, syn, pc, VectorKind.SYNC, cpu.faultLo, cpu.faultHi, stage2);
  }

  // The instruction word at `pc` through the current regime (0 if it cannot be read).
  private wordAt(pc: number): number {
    const b = this.m.bus;
    const keep = [b.fsc, b.stage, b.s1ptw, b.ipaLo, b.ipaHi] as const;
    let w = 0;
    try {
      w = b.fetch32((pc % TWO32) | 0, Math.floor(pc / TWO32)) >>> 0;
    } catch (e) {
      if (e !== b.fault) throw e;
    }
    [b.fsc, b.stage, b.s1ptw, b.ipaLo, b.ipaHi] = keep;
    return w;
  }

  // UNDEFINED stops: the system instructions the core leaves to the machine, else EC 0x00.
  private system(w: number, pc: number): number {
    const m = this.m;
    const from = m.el;
    if (w === ERET_WORD) {
      if (from === 0) return this.undefinedAt(pc);
      this.eret();
      this.emulated++;
      this.lastEret = true;
      return 0;
    }
    if ((w & 0xffc00000) >>> 0 !== 0xd5000000) return this.undefinedAt(pc);
    const l = (w >>> 21) & 1;
    const op0 = (w >>> 19) & 3;
    const op1 = (w >>> 16) & 7;
    const crn = (w >>> 12) & 15;
    const crm = (w >>> 8) & 15;
    const op2 = (w >>> 5) & 7;
    const rt = w & 31;
    if (op0 === 0 && l === 0 && crn === 4 && rt === 31) return this.msrImm(op1, crm, op2, pc);
    if (op0 >= 2) {
      const r = m.port.refusal;
      if (r === Refusal.TRAP_EL2)
        return this.enter(2, esrSysregTrap(op0, op1, crn, crm, op2, rt, l === 1), pc, VectorKind.SYNC);
      if (r === Refusal.TRAP_EL1)
        return this.enter(1, esrSysregTrap(op0, op1, crn, crm, op2, rt, l === 1), pc, VectorKind.SYNC);
      return this.undefinedAt(pc);
    }
    if (op0 === 1 && l === 0) {
      const i = sysOpIndexOfWord(w);
      const need = op1 === 4 ? 2 : 1;
      if (from < need) return this.undefinedAt(pc);
      const xlo = rt === 31 ? 0 : (m.cpu.x[2 * rt] as number);
      const xhi = rt === 31 ? 0 : (m.cpu.x[2 * rt + 1] as number);
      if (i >= 0) {
        const op = SYS_OPS[i] as (typeof SYS_OPS)[number];
        if ("tlbi" in op) {
          // HCR_EL2.TTLB: EL1 TLB maintenance traps to EL2 (EC 0x18)
          if (from === 1 && this.hcr() & HCR.TTLB)
            return this.enter(2, esrSysregTrap(1, op1, crn, crm, op2, rt, false), pc, VectorKind.SYNC);
          m.mmu.tlbi(op.tlbi, xlo, xhi);
          m.tlbChanged();
        } else if ("at" in op) {
          if (op.at.el === 2 && from < 2) return this.undefinedAt(pc);
          if (m.mmu.at(xlo, xhi, op.at.write, op.at.el, op.at.stage1Only) === AtResult.S2_ABORT) {
            const b = m.bus;
            const r = m.mmu.r;
            b.fsc = r.fault;
            b.stage = 2;
            b.s1ptw = true;
            b.ipaLo = r.ipaLo;
            b.ipaHi = r.ipaHi;
            const syn = esrDataAbort(true, r.fault, AbortFlag.S1PTW | AbortFlag.CM, 0);
            return this.enter(2, syn, pc, VectorKind.SYNC, xlo, xhi, true);
          }
          m.sys.set(SysregId.par_el1, m.mmu.parLo, m.mmu.parHi);
        }
        m.cpu.pc = pc + 4;
        this.emulated++;
        return 0;
      }
      if (op1 === 0 && crn === 7) {
        // IC IALLU / IALLUIS: drop decoded code; DC set/way and IVAC: nothing cached to clean
        if ((crm === 5 || crm === 1) && op2 === 0) m.flushCode();
        else if (!((crm === 6 || crm === 10 || crm === 14) && (op2 === 1 || op2 === 2)))
          return this.undefinedAt(pc);
        m.cpu.pc = pc + 4;
        this.emulated++;
        return 0;
      }
    }
    return this.undefinedAt(pc);
  }

  // MSR SPSel / DAIFSet / DAIFClr (EL0 DAIF access needs SCTLR_EL1.UMA)
  private msrImm(op1: number, crm: number, op2: number, pc: number): number {
    const m = this.m;
    const field = (op1 << 3) | op2;
    if (field === 5) {
      if (m.el === 0) return this.undefinedAt(pc);
      m.setSpSel(crm & 1);
    } else if (field === 30 || field === 31) {
      if (m.el === 0 && ((m.sys.lo[SysregId.sctlr_el1] as number) & (1 << 9)) === 0) {
        // QEMU reports Op1 and Op2 swapped for the MSR (immediate) trap (see esrSysregTrap)
        return this.enter(1, esrSysregTrap(0, op2, 4, crm, op1, 31, false), pc, VectorKind.SYNC);
      }
      if (field === 30) m.daif |= crm << 6;
      else m.daif &= ~(crm << 6);
    } else return this.undefinedAt(pc);
    m.cpu.pc = pc + 4;
    this.emulated++;
    return 0;
  }

  // WFI / WFE: trapped by SCTLR_EL1.nTWx at EL0 or HCR_EL2.TWx below EL2; else wait for the next event.
  private wfx(wfe: boolean, pc: number): number {
    const m = this.m;
    const from = m.el;
    const sctlr = m.sys.lo[SysregId.sctlr_el1] as number;
    const tge = (this.hcr() & HCR.TGE) !== 0;
    if (from === 0 && (sctlr & (wfe ? SCTLR_NTWE : SCTLR_NTWI)) === 0)
      return this.enter(tge ? 2 : 1, esrWfx(wfe), pc, VectorKind.SYNC);
    if (from < 2 && this.hcr() & (wfe ? HCR.TWE : HCR.TWI))
      return this.enter(2, esrWfx(wfe), pc, VectorKind.SYNC);
    m.cpu.pc = pc + 4;
    this.emulated++;
    if (wfe) return 0;
    if (m.devices.gic.irq[0] || this.virtualIrqPending()) return 0;
    const t = m.devices.timer;
    const next = t.ticksToNextEvent();
    if (next === Number.POSITIVE_INFINITY) {
      // nothing can wake the CPU; the guest may still be woken by host code, so PC stays at the WFI
      m.cpu.pc = pc;
      this.emulated--;
      return 2;
    }
    t.advance(next);
    return 0;
  }
}
