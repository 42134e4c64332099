// Debug exception routing and enabling (Arm ARM "Routing debug exceptions", "Enabling debug exceptions",
// "The OS Lock"; aarch64-notes §3.4, each rule observed on QEMU by the scenario image).

/** MDSCR_EL1 bits used here. */
export const Mdscr = { SS: 1 << 0, KDE: 1 << 13, MDE: 1 << 15 } as const;
/** MDCR_EL2 bits used here. */
export const Mdcr = { TDE: 1 << 8, TDA: 1 << 9, TDOSA: 1 << 10, TDRA: 1 << 11 } as const;
/** OSLSR_EL1 reset value on QEMU (OSLK set, OSLM = 0b10): the OS lock is locked at cold reset. */
export const OSLSR_RESET = 0xa;

/**
 * ELd, the EL that debug exceptions are taken to: EL2 when EL2 is enabled and HCR_EL2.TGE or MDCR_EL2.TDE
 * is set, else EL1.
 */
export function debugTargetEl(el2Enabled: boolean, hcrTge: boolean, mdcrTde: boolean): number {
  return el2Enabled && (hcrTge || mdcrTde) ? 2 : 1;
}

/**
 * The EL a BRK executed at `currentEl` is taken to. BRK is never masked (not by PSTATE.D, KDE or the OS
 * lock): to ELd when currentEl <= ELd, else to the current EL (BRK at EL2 stays at EL2).
 */
export function brkTargetEl(currentEl: number, elD: number): number {
  return Math.max(currentEl, elD);
}

/**
 * Whether debug exceptions other than BRK (software step, hardware breakpoints, watchpoints) can be
 * generated at `currentEl`: the OS lock (OSLSR_EL1.OSLK) and the double lock must be clear, and either
 * currentEl < ELd, or currentEl == ELd with MDSCR_EL1.KDE = 1 and PSTATE.D = 0.
 */
export function debugExceptionsEnabled(
  currentEl: number,
  elD: number,
  osLocked: boolean,
  doubleLocked: boolean,
  kde: boolean,
  pstateD: boolean,
): boolean {
  if (osLocked || doubleLocked || currentEl > elD) return false;
  return currentEl < elD || (kde && !pstateD);
}

/** The software-step state machine (Arm ARM "The software step state machine"). */
export const StepState = {
  /** MDSCR_EL1.SS = 0, or debug exceptions disabled at the current EL */
  INACTIVE: 0,
  /** PSTATE.SS = 1: one instruction may execute */
  ACTIVE_NOT_PENDING: 1,
  /** PSTATE.SS = 0: the step exception is taken before the next instruction */
  ACTIVE_PENDING: 2,
} as const;
export type StepState = (typeof StepState)[keyof typeof StepState];

/**
 * The step state given MDSCR_EL1.SS, whether debug exceptions are enabled at the current EL
 * (`debugExceptionsEnabled`) and PSTATE.SS. After an ERET, PSTATE.SS = SPSR.SS: an ERET with SPSR.SS = 1
 * runs one instruction, one with SPSR.SS = 0 takes the step exception at once (ESR.ISV = 0).
 */
export function stepState(mdscrSs: boolean, enabled: boolean, pstateSs: boolean): StepState {
  if (!mdscrSs || !enabled) return StepState.INACTIVE;
  return pstateSs ? StepState.ACTIVE_NOT_PENDING : StepState.ACTIVE_PENDING;
}
