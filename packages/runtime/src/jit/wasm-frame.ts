/** The shape of every emitted subprogram function: parameters, locals, register mapping, trap codes. */

import type { ControlFlow } from "./cfg.ts";
import { type CodeWriter, ValType } from "./wasm-writer.ts";

/** Numeric codes the module passes to its `trap` import; the engine turns them into `RuntimeError`s. */
export const TrapCode = {
  budget: 1,
  callDepth: 3,
  fellOff: 4,
  badInstruction: 5,
  stackFrame: 6,
  /** A legacy packet load out of bounds: the run ends with r0 = 0 (as the interpreter does). */
  stopWithZero: 7,
  /** Budget out inside a register-only block: pc = the block's start, the third argument = instructions that fit. */
  budgetInBlock: 8,
} as const;

/** Linux `bpf_tail_call`: handled by the engine unless the helper table overrides it (ARCHITECTURE.md §5). */
export const TAIL_CALL_HELPER = 12;

const { i32, i64 } = ValType;
/**
 * Parameters of every subprogram function: r0–r10 and the call depth. A callee starts with the caller's
 * registers, as in the interpreter's single register file; the caller's r6–r9 stay in its own locals.
 */
export const PARAM_TYPES = [i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i32] as const;
/** Results: r0, then r1–r5 as the callee left them. */
export const RESULT_TYPES = [i64, i64, i64, i64, i64, i64] as const;

export const P_DEPTH = 11;
// Locals after the 12 params.
export const L_T0 = 12; // i64 scratch
export const L_TA = 13; // i64 scratch of the address check (the address)
/** The region caches, copied from the module's globals into locals (see memory-check.ts). */
export const CACHE_LOCALS = { rStart: 14, rLimit: 15, wStart: 16, wLimit: 17, rWasm: 23, wWasm: 24 } as const;
/** i64 scratch of the address check (offset into a region); free then, as L_T0 is only used after it. */
export const L_TB = L_T0;
export const L_LABEL = 18; // i32: dispatcher label
export const L_REM = 19; // i32: remaining budget, mirrored in the `remaining` global around calls
export const L_W0 = 20; // i32 scratch
export const L_W1 = 21; // i32 scratch
export const L_FW = 22; // i32: wasm address of this frame's stack (r10 - frameSize)
export const LOCALS: readonly (readonly [number, ValType])[] = [
  [6, i64],
  [7, i32],
];

/** Local index of BPF register r (0..10): the parameters, in order. */
export function reg(r: number): number {
  return r;
}

/** What a memory access needs: loads read, stores write, atomics both. */
export type Access = "read" | "write" | "rw";

/** What the emitter needs from the module being built (indices of imports, globals, sibling functions). */
export interface EmitEnv {
  readonly cfg: ControlFlow;
  /** Function index of subprogram k. */
  readonly functionOf: (k: number) => number;
  /** Function index of the import for helper `id`, or undefined when the id is unknown. */
  readonly helperFunction: (id: number) => number | undefined;
  /** Function index of `hx(idLo, idHi, r1..r5 halves, pc) -> r0lo`, for callx and ids not imported. */
  readonly dynamicHelperFunction: number;
  /** Function index of the `tail` import (-1 when the program makes no tail call). */
  readonly tailCallFunction: number;
  /** Globals holding the run's context [wasm address, length] (for `ld_abs` / `ld_ind`). */
  readonly contextGlobals: readonly [number, number];
  /** Globals where the host leaves r0's halves after a helper or tail call: [lo, hi]. */
  readonly r0Globals: readonly [number, number];
  /** Function index of `trap(code: i32, pc: i32, addrLo: i32, addrHi: i32)`; it throws. */
  readonly trapFunction: number;
  /** Global holding the remaining instruction budget. */
  readonly remainingGlobal: number;
  /** Stack bytes per frame: a callee's r10 is the caller's minus this. */
  readonly frameSize: number;
  readonly maxCallDepth: number;
  /**
   * Emits the memory check: on entry the i64 BPF address is on the stack; on exit the i32 wasm address.
   * Traps (naming pc and address) when `[addr, addr + size)` is not inside a region allowing the access.
   */
  readonly emitTranslate: (c: CodeWriter, size: number, access: Access, pc: number) => void;
  /** Function index of `xlate(addr, size, need, pc) -> i32` (pc -1: return -1 instead of faulting). */
  readonly translateFunction: number;
  /** Permission bits of a read+write access, for the frame lookup at entry. */
  readonly needReadWrite: number;
  /** Emits what must follow a helper call (the region table may have changed). */
  readonly emitAfterHelper: (c: CodeWriter) => void;
  /** Emits the copy of the region caches into the function's locals (entry, after local calls). */
  readonly emitCacheLoad: (c: CodeWriter) => void;
}
