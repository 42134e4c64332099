// ESR_ELx builders: `EC[31:26] | IL[25] | ISS[24:0]`, returned as uint32 numbers (no allocation, no bigint).
// IL is 1 for every A64 instruction. Field positions: Arm ARM "ESR_EL2"; the values were checked against
// QEMU 7.2 (aarch64-notes §3.2 and oracle/images/golden/*.exceptions.json).
import { ExceptionClass } from "./ec.ts";
import { FaultStatus } from "./fsc.ts";

/** ESR.IL: 32-bit instruction. */
export const ESR_IL = 1 << 25;
/** Mask of ESR.ISS. */
export const ISS_MASK = 0x1ffffff;

/** Single-bit ISS fields of instruction and data aborts (OR them into `flags`). */
export const AbortFlag = {
  /** data abort: the access was a write */
  WNR: 1 << 6,
  /** stage-2 fault on the stage-1 table walk of the access */
  S1PTW: 1 << 7,
  /** data abort: raised by a cache maintenance or AT instruction */
  CM: 1 << 8,
  /** external abort type */
  EA: 1 << 9,
  /** FAR is not valid (FnV) */
  FNV: 1 << 10,
} as const;

/** ISS bits of data aborts that describe the access (ISV and what it validates). */
export const DataAbortIss = {
  ISV: 1 << 24,
  SAS_SHIFT: 22,
  SSE: 1 << 21,
  SRT_SHIFT: 16,
  SF: 1 << 15,
  AR: 1 << 14,
} as const;

/** ISS bits of software step exceptions. */
export const StepIss = {
  /** EX is valid (always set for a step taken after an instruction completed) */
  ISV: 1 << 24,
  /** the stepped instruction was a load-exclusive */
  EX: 1 << 6,
} as const;

/** Builds an ESR from an exception class and ISS (IL = 1). */
export function esr(ec: number, iss: number): number {
  return ((ec << 26) | ESR_IL | (iss & ISS_MASK)) >>> 0;
}

/** ESR of an UNDEFINED instruction: 0x02000000. */
export function esrUnknown(): number {
  return esr(ExceptionClass.UNKNOWN, 0);
}

/** ESR of `BRK #imm16`: EC 0x3C, ISS[15:0] = the immediate (brk #4 → 0xF2000004). */
export function esrBrk(imm16: number): number {
  return esr(ExceptionClass.BRK64, imm16 & 0xffff);
}

/** ESR of SVC (0x15), HVC (0x16) or SMC (0x17) with their imm16 (hvc #0x55 → 0x5A000055). */
export function esrCall(ec: 0x15 | 0x16 | 0x17, imm16: number): number {
  return esr(ec, imm16 & 0xffff);
}

/** ESR of a trapped WFI (`wfe` false) or WFE: CV=1, COND=0xE, TI (WFI → 0x07E00000). */
export function esrWfx(wfe: boolean): number {
  return esr(ExceptionClass.WFX, (1 << 24) | (0xe << 20) | (wfe ? 1 : 0));
}

/**
 * ESR of a trapped MSR/MRS/System instruction (EC 0x18): Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10]
 * Rt[9:5] CRm[4:1] Direction[0] (1 = read, MRS). `msr sctlr_el1, x0` under HCR_EL2.TVM → 0x62300400.
 *
 * QEMU 7.2 quirk, seen in selftest.exceptions.json: for a trapped `MSR DAIFSet` (MSR immediate, op1=3
 * op2=6) it reports Op1=6 and Op2=3 (0x620793e4). To reproduce QEMU, pass op1 and op2 swapped for the
 * MSR-immediate forms.
 */
export function esrSysregTrap(
  op0: number,
  op1: number,
  crn: number,
  crm: number,
  op2: number,
  rt: number,
  read: boolean,
): number {
  return esr(
    ExceptionClass.SYS64,
    ((op0 & 3) << 20) |
      ((op2 & 7) << 17) |
      ((op1 & 7) << 14) |
      ((crn & 15) << 10) |
      ((rt & 31) << 5) |
      ((crm & 15) << 1) |
      (read ? 1 : 0),
  );
}

/**
 * ESR of an instruction abort. `lowerEl`: taken from a lower EL (EC 0x20) or the same EL (0x21); `ifsc` from
 * `fsc()`; `flags` from `AbortFlag` (S1PTW, EA, FNV). A guest's stage-2 XN fetch → 0x8200000F.
 */
export function esrInstructionAbort(lowerEl: boolean, ifsc: number, flags: number): number {
  const f = flags & (AbortFlag.S1PTW | AbortFlag.EA | AbortFlag.FNV);
  return esr(lowerEl ? ExceptionClass.IABT_LOW : ExceptionClass.IABT_CUR, f | (ifsc & 0x3f));
}

/**
 * The ISV part of a data abort's ISS, for a single-register load/store whose syndrome a hypervisor can
 * emulate: `sizeLog2` (0 = byte .. 3 = doubleword) → SAS, `signExtend` → SSE, `rt` → SRT, `sf` (Rt is a
 * 64-bit register), `acqRel` → AR. Architecturally 0 for LDP/STP, writeback forms and SIMD/FP registers.
 * QEMU sets ISV only on aborts taken to EL2 from stage 2; stage-1 aborts have ISV=0 (goldens agree).
 */
export function dataAbortAccess(
  sizeLog2: number,
  signExtend: boolean,
  rt: number,
  sf: boolean,
  acqRel: boolean,
): number {
  return (
    DataAbortIss.ISV |
    ((sizeLog2 & 3) << DataAbortIss.SAS_SHIFT) |
    (signExtend ? DataAbortIss.SSE : 0) |
    ((rt & 31) << DataAbortIss.SRT_SHIFT) |
    (sf ? DataAbortIss.SF : 0) |
    (acqRel ? DataAbortIss.AR : 0)
  );
}

/**
 * ESR of a data abort (EC 0x24 lower EL / 0x25 same EL): `dfsc` from `fsc()` or `FaultStatus`, `flags` from
 * `AbortFlag`, `access` from `dataAbortAccess()` or 0. `str x22, [x1]` hitting a stage-2 read-only page →
 * `esrDataAbort(true, 0x0f, AbortFlag.WNR, dataAbortAccess(3, false, 22, true, false))` = 0x93D6804F.
 */
export function esrDataAbort(lowerEl: boolean, dfsc: number, flags: number, access: number): number {
  const f = flags & (AbortFlag.WNR | AbortFlag.S1PTW | AbortFlag.CM | AbortFlag.EA | AbortFlag.FNV);
  return esr(
    lowerEl ? ExceptionClass.DABT_LOW : ExceptionClass.DABT_CUR,
    (access & 0x1ffc000) | f | (dfsc & 0x3f),
  );
}

/**
 * ESR of a software step exception (EC 0x32 from a lower EL, 0x33 same EL). After a stepped instruction
 * completed, ISV=1 and EX tells whether it was a load-exclusive: `esrSoftwareStep(true, true, false)` =
 * 0xCB000022. When the step is taken before any instruction ran (ERET with SPSR.SS=0), ISV=0.
 */
export function esrSoftwareStep(lowerEl: boolean, isv: boolean, exclusive: boolean): number {
  const iss = (isv ? StepIss.ISV | (exclusive ? StepIss.EX : 0) : 0) | FaultStatus.DEBUG;
  return esr(lowerEl ? ExceptionClass.SOFTSTP_LOW : ExceptionClass.SOFTSTP_CUR, iss);
}

/** ESR of a PC alignment fault (EC 0x22, ISS 0): 0x8A000000. FAR holds the misaligned PC. */
export function esrPcAlignment(): number {
  return esr(ExceptionClass.PC_ALIGN, 0);
}

/** ESR of an SP alignment fault (EC 0x26, ISS 0). */
export function esrSpAlignment(): number {
  return esr(ExceptionClass.SP_ALIGN, 0);
}

/** ESR of an illegal execution state exception (EC 0x0E, ISS 0). */
export function esrIllegalState(): number {
  return esr(ExceptionClass.ILL, 0);
}

/** ESR.EC of an ESR value. */
export function esrClass(value: number): number {
  return (value >>> 26) & 0x3f;
}

/** ESR.ISS of an ESR value. */
export function esrIss(value: number): number {
  return value & ISS_MASK;
}
