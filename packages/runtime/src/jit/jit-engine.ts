/**
 * The JIT as an `Engine` (ARCHITECTURE.md §3): compiles each verified program to a WebAssembly module once,
 * instantiates it against the Vm's memory and helpers, and turns the module's traps into the same
 * `RuntimeError`s the interpreter throws.
 */

import type { Engine, ExecEnv, PreparedProgram } from "../engine.ts";
import { MAX_TAIL_CALLS } from "../engine.ts";
import { RuntimeError } from "../errors.ts";
import { interpreterEngine } from "../interp/interpreter.ts";
import {
  BPF_ADDRESS_HI,
  FRAME_SIZE,
  MAX_FRAMES,
  REGION_TABLE_LAYOUT,
  RegionFlag,
  STACK_OFFSET,
  STACK_SIZE,
} from "../memory/layout.ts";
import { memoryFault, ProgramMemory } from "../memory/program-memory.ts";
import type { VerifiedProgram } from "../verifier/verify.ts";
import { type CompiledJit, compileJit } from "./compile.ts";
import { Wasm, type WasmGlobal } from "./wasm-api.ts";
import { TAIL_CALL_HELPER, TrapCode } from "./wasm-frame.ts";

/** The largest budget the JIT's 32-bit counter holds; a larger one is refused, never cut short. */
export const JIT_MAX_BUDGET = 0x7fff_ffff;

type RunExport = (...regs: number[]) => number;
type N = number;
type StartExport = (
  r1lo: number,
  r1hi: number,
  r2lo: number,
  r2hi: number,
  r3lo: number,
  r3hi: number,
  r4lo: number,
  r4hi: number,
  r5lo: number,
  r5hi: number,
  budget: number,
  contextWasm: number,
  contextLength: number,
) => number;

const FRAME_TOP = ProgramMemory.frameTop(0);
const STACK_REGION = {
  start: [STACK_OFFSET, BPF_ADDRESS_HI],
  length: STACK_SIZE,
  wasmAddress: STACK_OFFSET,
} as const;
const ENTRY_FRAME_TOP: readonly [number, number] = [
  Number(FRAME_TOP & 0xffffffffn) | 0,
  Number(FRAME_TOP >> 32n) | 0,
];

/** Thrown by the `trap` import to end a run with r0 = 0 (legacy packet load out of bounds). */
class StopWithZero {}

/** Per-env state shared by all JIT programs of one Vm: the run in progress and compiled tail-call targets. */
class JitEnvState {
  /** The budget the outermost run started with (budget errors name it, as the interpreter's do). */
  budget = 0;
  tailCalls = 0;
  readonly prepared = new WeakMap<VerifiedProgram, PreparedProgram>();

  constructor(readonly env: ExecEnv) {}

  /**
   * The compiled program, or the interpreter for a subprogram too large for one wasm function (V8's limit):
   * the only case the JIT falls back, and the result is the same, only slower.
   */
  program(p: VerifiedProgram): PreparedProgram {
    let jp = this.prepared.get(p);
    if (jp === undefined) {
      try {
        jp = new JitProgram(p, this);
      } catch (e) {
        if (!(e instanceof RuntimeError) || e.code !== "EBPF_JIT_TOO_LARGE") throw e;
        jp = interpreterEngine.prepare(p, this.env);
      }
      this.prepared.set(p, jp);
    }
    return jp;
  }
}

const states = new WeakMap<ExecEnv, JitEnvState>();

function stateOf(env: ExecEnv): JitEnvState {
  let s = states.get(env);
  if (s === undefined) {
    s = new JitEnvState(env);
    states.set(env, s);
  }
  return s;
}

/** One compiled program instantiated for one env. */
export class JitProgram implements PreparedProgram {
  readonly compiled: CompiledJit;
  private readonly runFn: RunExport;
  private readonly startFn: StartExport;
  private readonly remaining: WasmGlobal;
  private readonly r0lo: WasmGlobal;
  private readonly r0hi: WasmGlobal;
  private readonly ctxWasm: WasmGlobal;
  private readonly ctxLength: WasmGlobal;

  constructor(
    private readonly program: VerifiedProgram,
    private readonly state: JitEnvState,
  ) {
    const env = state.env;
    const tailCalls = !env.helpers.has(TAIL_CALL_HELPER);
    this.compiled = compileJit(program, {
      regionTable: REGION_TABLE_LAYOUT,
      frameSize: FRAME_SIZE,
      maxCallDepth: MAX_FRAMES,
      helperIds: env.helpers.ids,
      tailCalls,
      entryFrameTop: ENTRY_FRAME_TOP,
      stack: STACK_REGION,
    });
    const imports: Record<string, unknown> = {
      memory: env.memory.wasm,
      trap: (code: number, pc: number, arg: number) => this.trap(code, pc, arg),
      fault: (pc: number, lo: number, hi: number, size: number, need: number) => {
        const addr = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
        throw memoryFault((need & RegionFlag.WRITE) !== 0 ? "write" : "read", addr, size, pc);
      },
      // Like the interpreter, callx uses the low 32 bits of the register as the helper id.
      hx: (
        lo: number,
        _hi: number,
        a0: N,
        a1: N,
        a2: N,
        a3: N,
        a4: N,
        a5: N,
        a6: N,
        a7: N,
        a8: N,
        a9: N,
        pc: N,
      ) => this.helper(lo, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, pc),
    };
    for (const id of this.compiled.helperIds) {
      imports[`h${id}`] = (a0: N, a1: N, a2: N, a3: N, a4: N, a5: N, a6: N, a7: N, a8: N, a9: N, pc: N) =>
        this.helper(id, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, pc);
    }
    if (tailCalls) imports.tail = (...a: number[]) => this.tail(a);
    const inst = new Wasm.Instance(this.compiled.module, { env: imports });
    this.runFn = inst.exports.run as RunExport;
    this.startFn = inst.exports.start as StartExport;
    this.remaining = inst.exports.remaining as WasmGlobal;
    this.r0lo = inst.exports.r0lo as WasmGlobal;
    this.r0hi = inst.exports.r0hi as WasmGlobal;
    this.ctxWasm = inst.exports.contextWasm as WasmGlobal;
    this.ctxLength = inst.exports.contextLength as WasmGlobal;
  }

  run(args: Int32Array, budget: number, out: Int32Array): number {
    if (!Number.isInteger(budget) || budget < 0 || budget > JIT_MAX_BUDGET) {
      throw new RuntimeError(
        "EBPF_BAD_ARGUMENT",
        `budget ${budget} is outside what the JIT counts (0 to ${JIT_MAX_BUDGET} instructions)`,
      );
    }
    const st = this.state;
    st.budget = budget;
    st.tailCalls = 0;
    const env = st.env;
    try {
      out[0] = this.startFn(
        args[0] ?? 0,
        args[1] ?? 0,
        args[2] ?? 0,
        args[3] ?? 0,
        args[4] ?? 0,
        args[5] ?? 0,
        args[6] ?? 0,
        args[7] ?? 0,
        args[8] ?? 0,
        args[9] ?? 0,
        budget,
        env.contextWasm,
        env.contextLength,
      );
      out[1] = this.r0hi.value as number;
    } catch (e) {
      if (!(e instanceof StopWithZero)) throw e;
      out[0] = 0;
      out[1] = 0;
    }
    return budget - (this.remaining.value as number);
  }

  /** Runs with all registers given (r0..r10 halves, depth); leaves r0 in `out`. */
  private enter(regs: readonly number[], remaining: number, out: Int32Array): void {
    const env = this.state.env;
    this.remaining.value = remaining;
    this.ctxWasm.value = env.contextWasm;
    this.ctxLength.value = env.contextLength;
    out[0] = this.runFn(...regs);
    out[1] = this.r0hi.value as number;
  }

  /** A helper import: r1–r5 as halves, then the pc. Fixed parameters, so no array per call. */
  private helper(
    id: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    a4: number,
    a5: number,
    a6: number,
    a7: number,
    a8: number,
    a9: number,
    pc: number,
  ): number {
    const env = this.state.env;
    const call = env.call;
    const args = call.args;
    args[0] = a0;
    args[1] = a1;
    args[2] = a2;
    args[3] = a3;
    args[4] = a4;
    args[5] = a5;
    args[6] = a6;
    args[7] = a7;
    args[8] = a8;
    args[9] = a9;
    call.pc = pc;
    call.id = id;
    env.helpers.invoke(call);
    this.r0hi.value = call.r0hi;
    return call.r0lo;
  }

  /** The `tail` import: r0..r10 halves, depth, pc. Returns 1 when a target ran (its r0 in r0lo/r0hi). */
  private tail(a: readonly number[]): number {
    const st = this.state;
    const depth = a[22] ?? 0;
    if (depth !== 0 || st.tailCalls >= MAX_TAIL_CALLS) return 0;
    const target = st.env.tailCall(a[4] ?? 0, a[5] ?? 0, a[6] ?? 0);
    if (target === undefined) return 0;
    st.tailCalls++;
    const jp = st.program(target);
    if (!(jp instanceof JitProgram)) {
      throw new RuntimeError(
        "EBPF_JIT_TOO_LARGE",
        `tail call at pc ${a[23] ?? 0} into a program too large for the JIT; run this program array in the interpreter`,
        { pc: a[23] ?? 0 },
      );
    }
    const out = new Int32Array(2);
    try {
      jp.enter(a.slice(0, 23), this.remaining.value as number, out);
    } finally {
      // Also when the target ends the run early (a packet load out of bounds): the count stays exact.
      this.remaining.value = jp.remaining.value;
    }
    this.r0lo.value = out[0] ?? 0;
    this.r0hi.value = out[1] ?? 0;
    return 1;
  }

  private trap(code: number, pc: number, arg: number): never {
    if (code === TrapCode.budgetInBlock) {
      // Step over the `arg` instructions that fitted (an lddw takes two slots).
      const op = this.program.opcode;
      for (let k = 0; k < arg; k++) pc += op[pc] === 0x18 ? 2 : 1;
      code = TrapCode.budget;
    }
    switch (code) {
      case TrapCode.budget:
        throw new RuntimeError(
          "EBPF_BUDGET_EXCEEDED",
          `instruction budget of ${this.state.budget} exhausted at pc ${pc} (raise it with the budget option if the program is meant to run this long)`,
          { pc },
        );
      case TrapCode.callDepth:
        throw new RuntimeError(
          "EBPF_CALL_DEPTH",
          `too many nested calls at pc ${pc} (maximum ${MAX_FRAMES} frames)`,
          { pc },
        );
      case TrapCode.stopWithZero:
        throw new StopWithZero();
      default:
        // Only reachable for programs the verifier should have refused.
        throw new RuntimeError("EBPF_JIT_INTERNAL", `JIT trap ${code} at pc ${pc}`, { pc });
    }
  }
}

/** The JIT engine: `Vm` option `engine: "jit"`. */
export const jitEngine: Engine = {
  name: "jit",
  prepare(program: VerifiedProgram, env: ExecEnv): PreparedProgram {
    return stateOf(env).program(program);
  },
};
