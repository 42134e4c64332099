// Fault address registers of stage-2 faults (Arm ARM "HPFAR_EL2"), computed on 32-bit halves.

/** Low 32 bits of HPFAR_EL2 for a faulting IPA: FIPA[43:4] = IPA[51:12]; IPA 0x40084000 → 0x400840. */
export function hpfarLo(ipaLo: number, ipaHi: number): number {
  return (((ipaLo >>> 12) << 4) | ((ipaHi & 0xff) << 24)) >>> 0;
}

/** High 32 bits of HPFAR_EL2 for a faulting IPA (IPA[51:40] in bits [43:32]). */
export function hpfarHi(ipaHi: number): number {
  return (ipaHi >>> 8) & 0xfff;
}
