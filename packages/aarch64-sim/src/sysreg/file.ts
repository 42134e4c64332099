// Storage for the registers of `SYSREGS`: two Uint32Array halves indexed by table index. Reads and writes
// take and return 32-bit halves (the high half of a read is left in `hi`), so the MRS/MSR path has no bigint.
import { Access, Effect, SYSREGS, type SysregDef, SysregId, sysregKey, TrapGroup } from "./table.ts";

const N = SYSREGS.length;
const lo32 = (v: bigint): number => Number(v & 0xffffffffn) >>> 0;
const hi32 = (v: bigint): number => Number((v >> 32n) & 0xffffffffn) >>> 0;

// Derived tables, built once: key → index, and masks as halves.
const INDEX = new Int16Array(65536).fill(-1);
const KEEP_LO = new Uint32Array(N); // QEMU: everything but `ignored`
const KEEP_HI = new Uint32Array(N);
const ARCH_KEEP_LO = new Uint32Array(N); // architectural: also clear RES0
const ARCH_KEEP_HI = new Uint32Array(N);
const SET_LO = new Uint32Array(N);
const SET_HI = new Uint32Array(N);
const RESET_LO = new Uint32Array(N);
const RESET_HI = new Uint32Array(N);
const ALL = 0xffffffff_ffffffffn;
for (let i = 0; i < N; i++) {
  const r: SysregDef = SYSREGS[i] as SysregDef;
  const key = sysregKey(r.op0, r.op1, r.crn, r.crm, r.op2);
  if (INDEX[key] !== -1) throw new Error(`sysreg table: ${r.name} repeats an encoding`);
  INDEX[key] = i;
  const keep = ~(r.ignored ?? 0n) & ALL;
  const arch = ~((r.ignored ?? 0n) | (r.res0 ?? 0n)) & ALL;
  KEEP_LO[i] = lo32(keep);
  KEEP_HI[i] = hi32(keep);
  ARCH_KEEP_LO[i] = lo32(arch);
  ARCH_KEEP_HI[i] = hi32(arch);
  SET_LO[i] = lo32(r.res1 ?? 0n);
  SET_HI[i] = hi32(r.res1 ?? 0n);
  RESET_LO[i] = lo32(r.reset);
  RESET_HI[i] = hi32(r.reset);
}

/** Table index of the register with this op0:op1:CRn:CRm:op2, or -1 (the core raises UNDEFINED). */
export function sysregIndex(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return INDEX[sysregKey(op0, op1, crn, crm, op2)] as number;
}

/** Table index from an MRS/MSR instruction word (bits [20:5]), or -1. */
export function sysregIndexOfWord(word: number): number {
  return INDEX[(word >>> 5) & 0xffff] as number;
}

/** Outcome of an access check. */
export const SysregAccess = {
  OK: 0,
  /** UNDEFINED at this EL (EC 0x00 to the current EL, or EL1 from EL0) */
  UNDEFINED: 1,
  /** trapped to EL2 (EC 0x18, `esrSysregTrap`) */
  TRAP_EL2: 2,
} as const;
export type SysregAccess = (typeof SysregAccess)[keyof typeof SysregAccess];

const HCR_TID1 = 1 << 16;
const HCR_TID2 = 1 << 17;
const HCR_TID3 = 1 << 18;
const HCR_TACR = 1 << 21;
const HCR_TVM = 1 << 26;
const HCR_TRVM = 1 << 30;
const MDCR_TDE = 1 << 8;
const MDCR_TDA = 1 << 9;
const MDCR_TDOSA = 1 << 10;

/** Options of `SysregFile`. */
export interface SysregFileOptions {
  /**
   * Apply the architectural RES0/RES1 masks on MSR writes (RES1 bits of SCTLR_ELx, CPTR_EL2, TCR_EL2,
   * VTCR_EL2 read as one, RES0 bits as zero). Default false: writes behave as on QEMU, which stores most
   * registers whole, so images print the same values on both.
   */
  readonly architectural?: boolean;
}

/** One CPU's system registers. */
export class SysregFile {
  readonly lo = new Uint32Array(N);
  readonly hi32 = new Uint32Array(N);
  /** high half of the last `read` */
  hi = 0;
  private readonly keepLo: Uint32Array;
  private readonly keepHi: Uint32Array;
  private readonly setLo: Uint32Array;
  private readonly setHi: Uint32Array;

  constructor(options: SysregFileOptions = {}) {
    const arch = options.architectural ?? false;
    this.keepLo = arch ? ARCH_KEEP_LO : KEEP_LO;
    this.keepHi = arch ? ARCH_KEEP_HI : KEEP_HI;
    this.setLo = arch ? SET_LO : new Uint32Array(N);
    this.setHi = arch ? SET_HI : new Uint32Array(N);
    this.reset();
  }

  /** Cold reset: every register to its table reset value (OSLSR_EL1 = 0xA: OS lock set). */
  reset(): void {
    this.lo.set(RESET_LO);
    this.hi32.set(RESET_HI);
  }

  /** Reads register `i`: returns the low half as uint32, leaves the high half in `hi`. */
  read(i: number): number {
    this.hi = this.hi32[i] as number;
    return this.lo[i] as number;
  }

  /**
   * Writes register `i` as an MSR would: the bits QEMU ignores are kept (plus RES0/RES1 with
   * `architectural`), read-only registers unchanged.
   * OSLAR_EL1 sets OSLSR_EL1.OSLK (bit 1) from its bit 0.
   */
  write(i: number, lo: number, hi: number): void {
    const r = SYSREGS[i] as SysregDef | undefined;
    if (r === undefined || r.access === Access.RO) return;
    this.lo[i] = ((lo & (this.keepLo[i] as number)) | (this.setLo[i] as number)) >>> 0;
    this.hi32[i] = ((hi & (this.keepHi[i] as number)) | (this.setHi[i] as number)) >>> 0;
    if (r.effect === Effect.OSLOCK) {
      const s = SysregId.oslsr_el1;
      this.lo[s] = ((this.lo[s] as number) & ~2) | ((lo & 1) << 1);
    }
  }

  /** Sets register `i` as hardware does (ESR, FAR, PAR, ISR, read-only IDs): no masks, no read-only check. */
  set(i: number, lo: number, hi: number): void {
    this.lo[i] = lo >>> 0;
    this.hi32[i] = hi >>> 0;
  }

  /** Reads a register by name as a bigint (API boundary, not for the MRS path). */
  get(name: keyof typeof SysregId): bigint {
    const i = SysregId[name];
    return (BigInt(this.hi32[i] as number) << 32n) | BigInt(this.lo[i] as number);
  }

  /** Writes a register by name through the MSR masks (API boundary). */
  put(name: keyof typeof SysregId, v: bigint): void {
    this.write(SysregId[name], lo32(v), hi32(v));
  }

  /**
   * Whether an MRS (`write` false) or MSR at `el` may access register `i`, given the EL2 controls read from
   * this file: HCR_EL2 TVM/TRVM/TID1-3/TACR, MDCR_EL2 TDA/TDOSA (TDE implies both), CNTHCTL_EL2
   * EL1PCEN/EL1PCTEN. `el2Enabled` is false when the machine has no EL2 (then nothing traps to it).
   * EL0 controls in SCTLR_EL1 (UCT, UMA, ...) and CNTKCTL_EL1 are the core's to apply.
   */
  check(i: number, el: number, write: boolean, el2Enabled: boolean): SysregAccess {
    const r = SYSREGS[i] as SysregDef | undefined;
    if (r === undefined || el < r.el) return SysregAccess.UNDEFINED;
    if ((write && r.access === Access.RO) || (!write && r.access === Access.WO))
      return SysregAccess.UNDEFINED;
    if (!el2Enabled || el >= 2 || r.trap === undefined) return SysregAccess.OK;
    const hcr = this.lo[SysregId.hcr_el2] as number;
    const mdcr = this.lo[SysregId.mdcr_el2] as number;
    const cnthctl = this.lo[SysregId.cnthctl_el2] as number;
    let trapped = false;
    switch (r.trap) {
      case TrapGroup.TVM:
        trapped = (hcr & (write ? HCR_TVM : HCR_TRVM)) !== 0;
        break;
      case TrapGroup.TID3:
        trapped = (hcr & HCR_TID3) !== 0;
        break;
      case TrapGroup.TID2:
        trapped = (hcr & HCR_TID2) !== 0;
        break;
      case TrapGroup.TID1:
        trapped = (hcr & HCR_TID1) !== 0;
        break;
      case TrapGroup.TACR:
        trapped = (hcr & HCR_TACR) !== 0;
        break;
      case TrapGroup.TDA:
        trapped = (mdcr & (MDCR_TDA | MDCR_TDE)) !== 0;
        break;
      case TrapGroup.TDOSA:
        trapped = (mdcr & (MDCR_TDOSA | MDCR_TDE)) !== 0;
        break;
      case TrapGroup.EL1PCEN:
        trapped = (cnthctl & 2) === 0;
        break;
      case TrapGroup.EL1PCTEN:
        trapped = (cnthctl & 1) === 0;
        break;
    }
    return trapped ? SysregAccess.TRAP_EL2 : SysregAccess.OK;
  }
}
