/** The seam between a Vm and the engines that run its programs (see ARCHITECTURE.md §3). */

import type { HelperCall, HelperTable } from "./helpers/helper-table.ts";
import type { ProgramMemory } from "./memory/program-memory.ts";
import type { VerifiedProgram } from "./verifier/verify.ts";

/** Everything an engine may touch while running; one per Vm, shared by its programs. */
export interface ExecEnv {
  readonly memory: ProgramMemory;
  readonly helpers: HelperTable;
  /** The reusable helper-call record. */
  readonly call: HelperCall;
  /** Wasm address and length of the current run's context (the packet of `ld_abs`/`ld_ind`). */
  contextWasm: number;
  contextLength: number;
  /** Program for `bpf_tail_call(ctx, map, index)`: `map` as halves, or undefined (the call falls through). */
  tailCall(mapLo: number, mapHi: number, index: number): VerifiedProgram | undefined;
}

export interface PreparedProgram {
  /**
   * Runs with r1..r5 as halves in `args[0..9]`, at most `budget` instructions; r0 goes to out[0] (lo) and
   * out[1] (hi). Returns the number of instructions executed. Throws `RuntimeError`.
   */
  run(args: Int32Array, budget: number, out: Int32Array): number;
}

export interface Engine {
  readonly name: string;
  /** Called once per program. */
  prepare(program: VerifiedProgram, env: ExecEnv): PreparedProgram;
}

/** At most this many tail calls per run (Linux `MAX_TAIL_CALL_CNT`). */
export const MAX_TAIL_CALLS = 33;
