/** The shape of every emitted subprogram function: parameters, locals, register mapping, trap codes. */

import { ValType } from "./wasm-writer.ts";

/** Numeric codes the module passes to its `trap` import; `compile.ts` turns them into `RuntimeError`s. */
export const TrapCode = {
  budget: 1,
  memory: 2,
  callDepth: 3,
  fellOff: 4,
  badInstruction: 5,
  stackFrame: 6,
} as const;

/** Parameters of every subprogram function: r1–r5, r10 (frame pointer), call depth. */
export const PARAM_TYPES = [
  ValType.i64,
  ValType.i64,
  ValType.i64,
  ValType.i64,
  ValType.i64,
  ValType.i64,
  ValType.i32,
] as const;
/** Results: r0, then r1–r5 as the callee left them (the interpreter shares one register file). */
export const RESULT_TYPES = [
  ValType.i64,
  ValType.i64,
  ValType.i64,
  ValType.i64,
  ValType.i64,
  ValType.i64,
] as const;

export const P_DEPTH = 6;
// Locals after the 7 params.
export const L_R0 = 7;
export const L_R6 = 8; // r6..r9 = 8..11
export const L_T0 = 12; // i64 scratch
export const L_TA = 13; // i64 scratch of the address check
export const L_LABEL = 14; // i32: dispatcher label
export const L_REM = 15; // i32: remaining budget, mirrored in the `remaining` global around calls
export const L_W0 = 16; // i32 scratch
export const L_W1 = 17; // i32 scratch
export const L_FW = 18; // i32: wasm address of this frame's stack (r10 - frameSize)
export const LOCALS: readonly (readonly [number, ValType])[] = [
  [7, ValType.i64],
  [5, ValType.i32],
];

/** Local index of BPF register r (0..10). */
export function reg(r: number): number {
  if (r === 0) return L_R0;
  if (r <= 5) return r - 1;
  if (r <= 9) return L_R6 + r - 6;
  return 5; // r10
}
