// The instruction-specific part of a data abort syndrome (ISV, SAS, SSE, SRT, SF, AR) for the single
// general-register loads and stores QEMU reports it for; 0 (ISV = 0) for everything else (pairs,
// writeback forms, SIMD&FP, exclusives, atomics).
import { dataAbortAccess } from "../exception/syndrome.ts";

/** ISS access bits for the load/store `word`, or 0 when the syndrome carries no instruction details. */
export function dataAbortIssOf(word: number): number {
  const w = word >>> 0;
  // LDR/STR (immediate, unsigned offset): size 111 0 01 opc imm12 Rn Rt
  // LDR/STR (register offset / unscaled / unprivileged): size 111 0 00 opc ...
  if ((w & 0x3b000000) !== 0x39000000 && (w & 0x3b200c00) !== 0x38200800 && (w & 0x3b200c00) !== 0x38000000)
    return 0;
  if (w & (1 << 26)) return 0; // SIMD&FP register
  const size = w >>> 30;
  const opc = (w >>> 22) & 3;
  const rt = w & 31;
  if (opc === 0) return dataAbortAccess(size, false, rt, size === 3, false);
  if (opc === 1) return dataAbortAccess(size, false, rt, size === 3, false);
  if (size === 3) return 0; // PRFM
  // sign-extending loads: opc 10 → to 64 bits, 11 → to 32 bits
  if (size === 2 && opc === 3) return 0;
  return dataAbortAccess(size, true, rt, opc === 2, false);
}
