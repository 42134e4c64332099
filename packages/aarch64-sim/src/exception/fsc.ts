// Fault status codes (IFSC/DFSC, ISS[5:0] of aborts, also PAR_EL1.FST): 6-bit values whose low two bits
// are the translation level for the level-qualified kinds.

/** Level-qualified fault kinds: the code for level `n` is `kind | n` (n = 0..3). */
export const FaultKind = {
  ADDRESS_SIZE: 0x00,
  TRANSLATION: 0x04,
  ACCESS_FLAG: 0x08,
  PERMISSION: 0x0c,
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/** Fault status codes that carry no level. */
export const FaultStatus = {
  SYNC_EXTERNAL: 0x10,
  ALIGNMENT: 0x21,
  /** debug exception (software step uses it as IFSC) */
  DEBUG: 0x22,
  TLB_CONFLICT: 0x30,
} as const;

/** The FSC of a level-qualified fault: `fsc(FaultKind.TRANSLATION, 1)` = 0x05. */
export function fsc(kind: FaultKind, level: number): number {
  return kind | (level & 3);
}

/** The kind of a level-qualified FSC (0x00-0x0F), or -1 for the others. */
export function fscKind(code: number): number {
  return code < 0x10 ? code & 0x3c : -1;
}

/** The level of a level-qualified FSC (0x00-0x0F), or -1 for the others. */
export function fscLevel(code: number): number {
  return code < 0x10 ? code & 3 : -1;
}
