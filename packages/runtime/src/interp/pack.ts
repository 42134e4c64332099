/** The interpreter's packed form of a program, built once per program. */

import type { VerifiedProgram } from "../verifier/verify.ts";

/**
 * The program packed for dispatch: two int32 per slot. Word 0 = opcode | dst << 8 | src << 12 | off << 16,
 * word 1 = imm; for lddw, word 1 of the second slot holds the upper half (read as `code[2 pc + 3]`).
 */
const packedCache = new WeakMap<VerifiedProgram, Int32Array>();

export function packProgram(p: VerifiedProgram): Int32Array {
  let code = packedCache.get(p);
  if (code !== undefined) return code;
  code = new Int32Array(p.count * 2);
  for (let i = 0; i < p.count; i++) {
    code[2 * i] =
      (p.opcode[i] ?? 0) | ((p.dst[i] ?? 0) << 8) | ((p.src[i] ?? 0) << 12) | ((p.off[i] ?? 0) << 16);
    code[2 * i + 1] = p.imm[i] ?? 0;
    if (p.opcode[i] === 0x18 && i + 1 < p.count) code[2 * i + 3] = p.nextImm[i] ?? 0;
  }
  packedCache.set(p, code);
  return code;
}
