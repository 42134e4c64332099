// SPSR_ELx / PSTATE layout for AArch64 state (Arm ARM "SPSR_EL2"), as 32-bit numbers.

/** PSTATE.M[3:0] (SPSR.M) values: EL and stack pointer choice; bit 4 (nRW) is 0 for AArch64. */
export const Mode = {
  EL0t: 0b0000,
  EL1t: 0b0100,
  EL1h: 0b0101,
  EL2t: 0b1000,
  EL2h: 0b1001,
  EL3t: 0b1100,
  EL3h: 0b1101,
} as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

/** SPSR bit positions. NZCV are bits 31..28. */
export const Spsr = {
  N: 1 << 31,
  Z: 1 << 30,
  C: 1 << 29,
  V: 1 << 28,
  /** software step */
  SS: 1 << 21,
  /** illegal execution state */
  IL: 1 << 20,
  D: 1 << 9,
  A: 1 << 8,
  I: 1 << 7,
  F: 1 << 6,
  /** 1 = AArch32 */
  NRW: 1 << 4,
  /** DAIF all set, as on exception entry: 0x3C0 */
  DAIF: 0xf << 6,
} as const;

/** PSTATE.M for an EL and SP selection: `mode(2, 1)` = EL2h (9). */
export function mode(el: number, spSel: number): number {
  return ((el & 3) << 2) | (spSel & 1);
}

/** The EL in an SPSR value (M[3:2]). */
export function spsrEl(spsr: number): number {
  return (spsr >>> 2) & 3;
}

/** The SP selection in an SPSR value (M[0]). */
export function spsrSpSel(spsr: number): number {
  return spsr & 1;
}

/**
 * Packs PSTATE into an SPSR value: `nzcv` (4 bits, N at bit 3), `daif` (4 bits, D at bit 3), `ss`, `il`,
 * EL and SP selection. A guest at EL1h with Z, C set and DAIF masked → 0x600003C5.
 */
export function packSpsr(
  nzcv: number,
  daif: number,
  ss: number,
  il: number,
  el: number,
  spSel: number,
): number {
  return (
    (((nzcv & 15) << 28) | ((ss & 1) << 21) | ((il & 1) << 20) | ((daif & 15) << 6) | mode(el, spSel)) >>> 0
  );
}
