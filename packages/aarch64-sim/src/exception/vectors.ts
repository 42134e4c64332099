// Vector table offsets from VBAR_ELx (Arm ARM "Exception vectors"): four groups of four 0x80-byte entries.

/** Which group of the table: where the exception came from. */
export const VectorGroup = {
  /** current EL, SP_EL0 selected (PSTATE.SP = 0) */
  CURRENT_SP0: 0x000,
  /** current EL, SP_ELx selected */
  CURRENT_SPX: 0x200,
  /** lower EL, that EL in AArch64 */
  LOWER_A64: 0x400,
  /** lower EL, AArch32 (never used here: the machine is AArch64-only) */
  LOWER_A32: 0x600,
} as const;

/** Which entry inside a group: the exception type. */
export const VectorKind = {
  SYNC: 0x000,
  IRQ: 0x080,
  FIQ: 0x100,
  SERROR: 0x180,
} as const;
export type VectorKind = (typeof VectorKind)[keyof typeof VectorKind];

/**
 * Offset from VBAR_<targetEl> of the vector for an exception of `kind` taken from `fromEl` (0-3) with
 * `spSel` (PSTATE.SP) to `targetEl`. Guest BRK to EL2 → 0x400; EL2's own BRK with SP_EL2 → 0x200.
 */
export function vectorOffset(fromEl: number, spSel: number, targetEl: number, kind: VectorKind): number {
  if (fromEl < targetEl) return VectorGroup.LOWER_A64 + kind;
  return (spSel ? VectorGroup.CURRENT_SPX : VectorGroup.CURRENT_SP0) + kind;
}
