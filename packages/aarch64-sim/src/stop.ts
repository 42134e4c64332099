// Constants shared by the executor and the decode tables (kept apart from cpu.ts to avoid an import cycle).

/** Why `Cpu.run` / `Cpu.step` stopped. Values are stable; `NONE` means the budget ran out. */
export const StopReason = {
  NONE: 0,
  /** unallocated or not implemented encoding (UNDEFINED) */
  UNDEFINED: 1,
  BRK: 2,
  SVC: 3,
  HVC: 4,
  SMC: 5,
  HLT: 6,
  /** data access to an unmapped address or without permission */
  DATA_ABORT: 7,
  /** instruction fetch from an unmapped or non-executable address */
  INSN_ABORT: 8,
  /** misaligned exclusive / acquire-release / atomic access */
  DATA_ALIGNMENT: 9,
  /** branch to a PC that is not a multiple of 4 */
  PC_ALIGNMENT: 10,
  /** WFI / WFE reached with `Cpu.trapWfx` set; `pc` is its address (it did not retire) */
  WFI: 11,
  WFE: 12,
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

/** Register slots in `Cpu.x` (each slot is two int32 words: lo at 2*i, hi at 2*i+1). */
export const Slot = {
  /** X0..X30 are slots 0..30 */
  SP: 31,
  /** always zero: what register 31 reads as in XZR forms */
  ZR: 32,
  /** where writes to XZR go */
  DISCARD: 33,
  /** scratch for instructions that must read everything before writing (LDP) */
  TMP: 34,
} as const;
