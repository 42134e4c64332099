// ESR_ELx.EC, the exception class: the one table of this number space (Arm ARM "ESR_EL1/ESR_EL2";
// the names follow Linux arch/arm64/include/asm/esr.h without the ESR_ELx_EC_ prefix).

/** Exception classes (ESR_ELx[31:26]) an AArch64-only EL0-EL2 machine can report. */
export const ExceptionClass = {
  /** UNDEFINED instruction, or anything without a more specific class; ISS = 0 */
  UNKNOWN: 0x00,
  /** WFI/WFE trapped by HCR_EL2.TWI/TWE or SCTLR_EL1.nTWI/nTWE */
  WFX: 0x01,
  /** SVE, Advanced SIMD or FP access trapped by CPACR_EL1.FPEN / CPTR_EL2.TFP */
  FP_ASIMD: 0x07,
  /** illegal execution state (PSTATE.IL set, e.g. by a bad ERET) */
  ILL: 0x0e,
  SVC64: 0x15,
  HVC64: 0x16,
  /** SMC, or SMC trapped by HCR_EL2.TSC */
  SMC64: 0x17,
  /** trapped MSR, MRS or System instruction */
  SYS64: 0x18,
  /** instruction abort from a lower EL (a guest's stage-2 IABT lands here) */
  IABT_LOW: 0x20,
  /** instruction abort taken without a change of EL */
  IABT_CUR: 0x21,
  PC_ALIGN: 0x22,
  DABT_LOW: 0x24,
  DABT_CUR: 0x25,
  SP_ALIGN: 0x26,
  SERROR: 0x2f,
  BREAKPT_LOW: 0x30,
  BREAKPT_CUR: 0x31,
  SOFTSTP_LOW: 0x32,
  SOFTSTP_CUR: 0x33,
  WATCHPT_LOW: 0x34,
  WATCHPT_CUR: 0x35,
  /** BRK instruction; ISS[15:0] = imm16 */
  BRK64: 0x3c,
} as const;
export type ExceptionClass = (typeof ExceptionClass)[keyof typeof ExceptionClass];

const NAMES = new Map<number, string>(Object.entries(ExceptionClass).map(([k, v]) => [v, k]));

/** The table name of an EC value (`"BRK64"`), or `undefined` for a class this machine never reports. */
export function exceptionClassName(ec: number): string | undefined {
  return NAMES.get(ec);
}

/** Where ELR_ELx points for an exception of a class (Arm ARM "Preferred exception return address"). */
export const ReturnAddress = {
  /** the instruction that caused it (BRK, aborts, traps: the handler must skip it itself) */
  THIS: 0,
  /** the next instruction (SVC, HVC, SMC) */
  NEXT: 4,
  /** the next instruction to execute when it was taken (software step, interrupts) */
  PENDING: 0,
} as const;

/**
 * Byte offset from the address of the instruction that raised a synchronous exception of class `ec` to
 * the preferred return address: 4 for SVC/HVC/SMC, 0 for everything else (for software step the "faulting"
 * address is already the next instruction to be stepped).
 */
export function returnOffset(ec: number): number {
  return ec === ExceptionClass.SVC64 || ec === ExceptionClass.HVC64 || ec === ExceptionClass.SMC64
    ? ReturnAddress.NEXT
    : ReturnAddress.THIS;
}
