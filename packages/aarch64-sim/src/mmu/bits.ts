// Bit positions of VMSAv8-64 translation table descriptors (4 KiB granule) and of the registers that
// control a walk, plus 64-bit helpers on 32-bit halves. Values: Arm ARM "Translation table descriptor
// formats", aarch64-notes §3.5.

/** Descriptor bits in the low word. */
export const DescLo = {
  VALID: 1 << 0,
  /** table (levels 0-2) or page (level 3); clear = block */
  TABLE: 1 << 1,
  /** stage 1: AttrIndx[2:0] at [4:2]; stage 2: MemAttr[3:0] at [5:2] */
  ATTR_SHIFT: 2,
  /** stage 1: AP[2:1]; stage 2: S2AP[1:0] */
  AP_SHIFT: 6,
  /** stage 1 AP[1] (EL0 access) / stage 2 S2AP[0] (read) */
  AP_LO: 1 << 6,
  /** stage 1 AP[2] (read-only) / stage 2 S2AP[1] (write) */
  AP_HI: 1 << 7,
  SH_SHIFT: 8,
  AF: 1 << 10,
  NG: 1 << 11,
  /** output address bits [31:12] */
  OA_MASK: 0xfffff000 | 0,
} as const;

/** Descriptor bits in the high word (bit n of the descriptor is bit n-32 here). */
export const DescHi = {
  /** output address bits [47:32] */
  OA_MASK: 0xffff,
  /** bits [51:48]: RES0 without FEAT_LPA (an address size fault when set) */
  OA52_MASK: 0xf0000,
  CONTIGUOUS: 1 << 20,
  /** stage 1 PXN (bit 53); stage 2 XN[0] with FEAT_XNX */
  PXN: 1 << 21,
  /** stage 1 UXN/XN (bit 54); stage 2 XN[1] */
  UXN: 1 << 22,
  /** table descriptors: PXNTable (59), UXNTable/XNTable (60), APTable[1:0] (62:61) */
  PXN_TABLE: 1 << 27,
  UXN_TABLE: 1 << 28,
  APT_NO_EL0: 1 << 29,
  APT_RO: 1 << 30,
} as const;

/** TCR_ELx / VTCR_EL2 fields used by the walk. */
export const Tcr = {
  TXSZ_MASK: 63,
  /** TCR_EL1 low word */
  EPD0: 1 << 7,
  EPD1: 1 << 23,
  A1: 1 << 22,
  T1SZ_SHIFT: 16,
  TG0_SHIFT: 14,
  TG1_SHIFT: 30,
  /** TCR_EL1 high word: IPS [34:32], AS (36), TBI0 (37), TBI1 (38) */
  IPS_MASK: 7,
  AS: 1 << 4,
  TBI0: 1 << 5,
  TBI1: 1 << 6,
  /** TCR_EL2 (non-VHE): PS [18:16], TBI (20) */
  EL2_PS_SHIFT: 16,
  EL2_TBI: 1 << 20,
  /** VTCR_EL2: SL0 [7:6], PS [18:16], VS (19) */
  SL0_SHIFT: 6,
  VS: 1 << 19,
} as const;

/** Physical address size in bits for TCR.IPS / TCR_EL2.PS / VTCR_EL2.PS (52 is not modelled: 48). */
export const PA_BITS = [32, 36, 40, 42, 44, 48, 48, 48] as const;

/** True when any bit at or above `n` (1..64) of the 64-bit value (lo, hi) is set. */
export function bitsAbove(lo: number, hi: number, n: number): boolean {
  if (n >= 64) return false;
  if (n >= 32) return hi >>> (n - 32) !== 0;
  return hi !== 0 || lo >>> n !== 0;
}

/** True when every bit at or above `n` (1..63) of (lo, hi) is set. */
export function onesAbove(lo: number, hi: number, n: number): boolean {
  if (n >= 32) return (hi | ((1 << (n - 32)) - 1) | 0) === -1;
  return (hi | 0) === -1 && (lo | ((1 << n) - 1) | 0) === -1;
}

/** (lo, hi) >> shift, low 32 bits (shift 12..39 here). */
export function shr(lo: number, hi: number, shift: number): number {
  if (shift >= 32) return hi >>> (shift - 32);
  return ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
}
