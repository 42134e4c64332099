/** The public face of the machine: a Vm owns a memory, helpers and an engine; programs load into it. */

import type { Engine, ExecEnv, PreparedProgram } from "./engine.ts";
import { DEFAULT_ENGINE, ENGINES } from "./engines.ts";
import { RuntimeError } from "./errors.ts";
import { HelperCall, HelperTable } from "./helpers/helper-table.ts";
import { assemble } from "./isa/asm.ts";
import { RegionFlag } from "./memory/layout.ts";
import { ProgramMemory } from "./memory/program-memory.ts";
import { type PseudoSource, type VerifiedProgram, verifyProgram } from "./verifier/verify.ts";

export const DEFAULT_BUDGET = 1_000_000;

export interface VmOptions {
  /** `"interpreter"` (default), `"jit"` when available, or any `Engine`. */
  readonly engine?: string | Engine;
  /** Instructions per run before `EBPF_BUDGET_EXCEEDED` (default 1,000,000). */
  readonly budget?: number;
  readonly helpers?: HelperTable;
  readonly memory?: ProgramMemory;
}

export interface LoadOptions {
  /** Resolves `lddw` pseudo sources (maps, globals, functions) to 64-bit values; see ARCHITECTURE.md §5. */
  readonly resolvePseudo?: (
    src: PseudoSource,
    imm: number,
    nextImm: number,
    pc: number,
  ) => bigint | undefined;
}

export interface RunOptions {
  /** Bytes the program sees at r1 (length in r2); the program's writes are copied back into this array. */
  readonly context?: Uint8Array;
  /** Overrides r1..r5 (after `context` has set r1 and r2). */
  readonly args?: readonly (bigint | undefined)[];
  readonly budget?: number;
}

export interface RunResult {
  /** r0, unsigned 64-bit. */
  readonly r0: bigint;
  /** Instructions executed. */
  readonly instructions: number;
}

/** A program array for tail calls (Linux `BPF_MAP_TYPE_PROG_ARRAY`): index → program of the same Vm. */
export interface ProgramArray {
  get(index: number): Program | undefined;
}

export function engineByName(name: string): Engine {
  const e = ENGINES[name];
  if (e === undefined) {
    throw new RuntimeError(
      "EBPF_ENGINE_UNAVAILABLE",
      `engine "${name}" is not available (have: ${Object.keys(ENGINES).join(", ")})`,
    );
  }
  return e;
}

export class Vm {
  readonly memory: ProgramMemory;
  readonly helpers: HelperTable;
  readonly engine: Engine;
  budget: number;
  private readonly env: ExecEnv;
  /** Program arrays by the high, then the low half of their handle (numbers: no bigint on the call path). */
  private readonly programArrays = new Map<number, Map<number, ProgramArray>>();
  private contextRegion = -1;
  /** The context area: reused across runs, replaced by a larger one when a context does not fit. */
  private contextArea = 0;
  private contextCapacity = 0;
  /** Length the context region has now (skips rewriting the table when the next run's context is as long). */
  private contextSpan = -1;
  /** Deepest call chain of any program loaded here: how many frames a run may touch, so how many to zero. */
  private framesInUse = 1;

  constructor(options: VmOptions = {}) {
    this.memory = options.memory ?? new ProgramMemory();
    this.helpers = options.helpers ?? new HelperTable();
    this.engine =
      typeof options.engine === "object" ? options.engine : engineByName(options.engine ?? DEFAULT_ENGINE);
    this.budget = checkBudget(options.budget ?? DEFAULT_BUDGET);
    const arrays = this.programArrays;
    this.env = {
      memory: this.memory,
      helpers: this.helpers,
      call: new HelperCall(this.memory),
      contextWasm: 0,
      contextLength: 0,
      tailCall(mapLo: number, mapHi: number, index: number): VerifiedProgram | undefined {
        return arrays
          .get(mapHi >>> 0)
          ?.get(mapLo >>> 0)
          ?.get(index >>> 0)?.verified;
      },
    };
  }

  /** Verifies (once) and prepares a program given as bytes or as assembler text. */
  load(program: Uint8Array | string, options: LoadOptions = {}): Program {
    if (typeof program !== "string" && !(program instanceof Uint8Array)) {
      throw new RuntimeError(
        "EBPF_BAD_ARGUMENT",
        "a program is a Uint8Array of instructions or assembler text",
      );
    }
    const bytes = typeof program === "string" ? assemble(program) : program;
    const verified = verifyProgram(bytes, {
      helperIds: this.helperIdsForVerifier(),
      ...(options.resolvePseudo === undefined ? {} : { resolvePseudo: options.resolvePseudo }),
    });
    this.framesInUse = Math.max(this.framesInUse, verified.maxFrames);
    return new Program(this, verified, this.engine.prepare(verified, this.env));
  }

  /** Makes `array` reachable from `bpf_tail_call` through the 64-bit value `handle` (what r2 holds). */
  setProgramArray(handle: bigint, array: ProgramArray): void {
    const u = BigInt.asUintN(64, handle);
    const hi = Number(u >> 32n);
    let byLo = this.programArrays.get(hi);
    if (byLo === undefined) {
      byLo = new Map();
      this.programArrays.set(hi, byLo);
    }
    byLo.set(Number(u & 0xffffffffn), array);
  }

  private helperIdsForVerifier(): ReadonlySet<number> {
    const ids = new Set(this.helpers.ids);
    ids.add(12); // tail_call is built in
    return ids;
  }

  /** @internal Places a run's context and returns its BPF address (0 when empty). */
  placeContext(context: Uint8Array | undefined): bigint {
    const len = context?.length ?? 0;
    if (context === undefined || len === 0) {
      this.env.contextWasm = 0;
      this.env.contextLength = 0;
      if (this.contextRegion >= 0 && this.contextSpan !== 0)
        this.memory.setRegion(this.contextRegion, 0, 0, 0);
      this.contextSpan = 0;
      return 0n;
    }
    if (len > this.contextCapacity) {
      const cap = Math.max(len, 2 * this.contextCapacity, 64);
      this.contextArea = this.memory.allocate(cap);
      this.contextCapacity = cap;
    }
    const at = this.contextArea;
    this.env.contextWasm = at;
    this.memory.u8.set(context, at);
    this.env.contextLength = len;
    const flags = RegionFlag.READ | RegionFlag.WRITE;
    if (this.contextRegion < 0) this.contextRegion = this.memory.addRegion(at, len, flags, "CONTEXT");
    else if (this.contextSpan !== len) this.memory.setRegion(this.contextRegion, at, len, flags);
    this.contextSpan = len;
    return ProgramMemory.bpfAddress(at);
  }

  /** @internal Zeroes the frames any loaded program can reach, so no run sees an earlier run's stack. */
  clearStacks(): void {
    this.memory.clearStacks(this.framesInUse);
  }

  /** @internal Copies the context back after a run. */
  takeContext(context: Uint8Array | undefined): void {
    if (context === undefined || context.length === 0) return;
    const at = this.env.contextWasm;
    context.set(this.memory.u8.subarray(at, at + context.length));
  }
}

function checkBudget(b: number): number {
  if (!Number.isInteger(b) || b < 1 || b > 0x7fffffff) {
    throw new RuntimeError("EBPF_BAD_ARGUMENT", `instruction budget ${b} must be an integer in 1..2^31-1`);
  }
  return b;
}

export class Program {
  private readonly args = new Int32Array(10);
  private readonly out = new Int32Array(2);

  constructor(
    readonly vm: Vm,
    readonly verified: VerifiedProgram,
    readonly prepared: PreparedProgram,
  ) {}

  /** Number of 8-byte instruction slots. */
  get slots(): number {
    return this.verified.count;
  }

  run(options: RunOptions = {}): RunResult {
    const vm = this.vm;
    const args = this.args;
    args.fill(0);
    const ctx = options.context;
    if (ctx !== undefined && !(ctx instanceof Uint8Array)) {
      throw new RuntimeError("EBPF_BAD_ARGUMENT", "the context must be a Uint8Array");
    }
    const base = vm.placeContext(ctx);
    if (base !== 0n) {
      args[0] = Number(base & 0xffffffffn) | 0;
      args[1] = Number(base >> 32n) | 0;
      args[2] = ctx?.length ?? 0;
    }
    options.args?.forEach((v, i) => {
      if (v === undefined || i > 4) return;
      const u = BigInt.asUintN(64, v);
      args[2 * i] = Number(u & 0xffffffffn) | 0;
      args[2 * i + 1] = Number(u >> 32n) | 0;
    });
    vm.clearStacks();
    const budget = options.budget === undefined ? vm.budget : checkBudget(options.budget);
    try {
      const instructions = this.prepared.run(args, budget, this.out);
      const r0 = (BigInt((this.out[1] ?? 0) >>> 0) << 32n) | BigInt((this.out[0] ?? 0) >>> 0);
      return { r0, instructions };
    } finally {
      vm.takeContext(ctx);
    }
  }
}
