/**
 * Compiles a BPF program (raw 8-byte slots, already verified) to a WebAssembly module, once per program.
 * The module imports the shared memory and the runtime's helpers, and exports `run`.
 */

import { RuntimeError } from "../errors.ts";
import { decodeProgram } from "../isa/decode.ts";
import { analyse, type ControlFlow, type Slots } from "./cfg.ts";
import {
  addCacheGlobals,
  buildTranslate,
  emitCacheReset,
  emitTranslate,
  FAULT_PARAMS,
  type RegionTableLayout,
  TRANSLATE_LOCALS,
  TRANSLATE_PARAMS,
} from "./memory-check.ts";
import { Wasm, type WasmGlobal, type WasmMemory, type WasmModule } from "./wasm-api.ts";
import { emitSubprogram } from "./wasm-emit.ts";
import { LOCALS, PARAM_TYPES, RESULT_TYPES, TrapCode } from "./wasm-frame.ts";
import { CodeWriter, ModuleWriter, Op, ValType } from "./wasm-writer.ts";

export interface JitCompileOptions {
  readonly regionTable: RegionTableLayout;
  /** Stack bytes per call frame. */
  readonly frameSize: number;
  /** Maximum call frames (the entry frame counts). */
  readonly maxCallDepth: number;
  /** Helper ids the runtime provides; a call to any other id traps at run time like the interpreter. */
  readonly helperIds: ReadonlySet<number>;
}

export interface CompiledJit {
  readonly bytes: Uint8Array;
  readonly module: WasmModule;
  /** Helper ids the module imports, as `env.h<id>`. */
  readonly helperIds: readonly number[];
  readonly subprograms: number;
}

const LEGACY_PACKET = new Set([0x20, 0x28, 0x30, 0x38, 0x40, 0x48, 0x50, 0x58]);

/** Why a program can't be compiled (and must run in the interpreter), or undefined when it can. */
export function jitUnsupportedReason(code: Uint8Array): string | undefined {
  for (let i = 0; i + 8 <= code.length; i += 8) {
    const op = code[i] ?? 0;
    if (LEGACY_PACKET.has(op)) return `legacy packet load (opcode 0x${op.toString(16)}) at pc ${i >>> 3}`;
    if (op === 0x18) i += 8;
  }
  return undefined;
}

/** Compiles raw program bytes or an already decoded program. */
export function compileJit(program: Uint8Array | Slots, opts: JitCompileOptions): CompiledJit {
  const cfg: ControlFlow = analyse(program instanceof Uint8Array ? decodeProgram(program) : program);
  const s = cfg.slots;
  const m = new ModuleWriter();
  const { i32, i64 } = ValType;

  // Imports: functions first (they take the low function indices), then memory.
  const trapFn = m.importFunction("env", "trap", m.type([i32, i32, i32, i32], []));
  const faultFn = m.importFunction("env", "fault", m.type([...FAULT_PARAMS], []));
  const helperType = m.type([i64, i64, i64, i64, i64, i32], [i64]);
  const used = new Set<number>();
  for (let i = 0; i < s.count; i++) {
    if (s.opcode[i] === 0x85 && s.src[i] === 0 && opts.helperIds.has(s.imm[i] ?? 0)) used.add(s.imm[i] ?? 0);
    if (s.opcode[i] === 0x18) i++;
  }
  const helperIds = [...used].sort((a, b) => a - b);
  const helperFn = new Map<number, number>();
  for (const id of helperIds) helperFn.set(id, m.importFunction("env", `h${id}`, helperType));
  const dynamicFn = m.importFunction("env", "hx", m.type([i64, i64, i64, i64, i64, i64, i32], [i64]));
  m.importMemory("env", "memory", 1);

  const remaining = m.addGlobal(i32, true);
  const r0hi = m.addGlobal(i32, true);
  const cache = addCacheGlobals((t) => m.addGlobal(t, true));

  const translateFn = m.nextFunctionIndex;
  const firstSub = translateFn + 1;
  const subType = m.type([...PARAM_TYPES], [...RESULT_TYPES]);
  m.addFunction(
    m.type([...TRANSLATE_PARAMS], [i32]),
    TRANSLATE_LOCALS,
    buildTranslate(opts.regionTable, faultFn, cache),
  );
  const { flagRead, flagWrite } = opts.regionTable;

  cfg.subprograms.forEach((_, k) => {
    const c = new CodeWriter();
    emitSubprogram(
      c,
      {
        cfg,
        functionOf: (j) => firstSub + j,
        helperFunction: (id) => helperFn.get(id),
        dynamicHelperFunction: dynamicFn,
        trapFunction: trapFn,
        remainingGlobal: remaining,
        frameSize: opts.frameSize,
        maxCallDepth: opts.maxCallDepth,
        emitTranslate: (cw, size, write, pc, scratch) => {
          emitTranslate(cw, cache, translateFn, scratch, size, write ? flagWrite : flagRead, write, pc);
        },
        translateFunction: translateFn,
        needReadWrite: flagRead | flagWrite,
        emitAfterHelper: (cw) => emitCacheReset(cw, cache),
      },
      k,
    );
    m.addFunction(subType, LOCALS, c);
  });

  // run(r1lo, r1hi, r10lo, r10hi) -> r0lo; r0's high half goes to the exported `r0hi` global.
  const run = new CodeWriter();
  emitCacheReset(run, cache);
  const joined = (lo: number, hi: number) => {
    run.localGet(lo).op(Op.i64_extend_i32_u).localGet(hi).op(Op.i64_extend_i32_u).i64Const(32, 0);
    run.op(Op.i64_shl).op(Op.i64_or);
  };
  joined(0, 1);
  for (let r = 2; r <= 5; r++) run.i64Const(0, 0);
  joined(2, 3);
  run.i32Const(0).call(firstSub);
  for (let r = 0; r < 5; r++) run.op(Op.drop); // r5..r1
  run.localTee(4).i64Const(32, 0).op(Op.i64_shr_u).op(Op.i32_wrap_i64).globalSet(r0hi);
  run.localGet(4).op(Op.i32_wrap_i64);
  const runFn = m.addFunction(m.type([i32, i32, i32, i32], [i32]), [[1, i64]], run);
  m.exportFunction("run", runFn);
  m.exportGlobal("remaining", remaining);
  m.exportGlobal("r0hi", r0hi);

  const bytes = m.toBytes();
  let module: WasmModule;
  try {
    module = new Wasm.Module(bytes);
  } catch (e) {
    throw new RuntimeError("EBPF_JIT_INTERNAL", `JIT produced an invalid module: ${String(e)}`, { cause: e });
  }
  return { bytes, module, helperIds, subprograms: cfg.subprograms.length };
}

/** The JS side of a module's imports. Every function here either returns normally or throws. */
export interface JitHostImports {
  readonly memory: WasmMemory;
  /** Called with a `TrapCode` and the pc; must throw. */
  readonly trap: (code: number, pc: number) => never;
  /** Called on a failed region check; must throw. */
  readonly fault: (pc: number, addrLo: number, addrHi: number, size: number, need: number) => never;
  /** Helper `id` (-1 when the id does not fit 32 bits) with r1–r5 as bigint; returns r0 or throws. */
  readonly helper: (
    id: number,
    pc: number,
    r1: bigint,
    r2: bigint,
    r3: bigint,
    r4: bigint,
    r5: bigint,
  ) => bigint;
}

/** One instantiation of a compiled program against a memory and helper set. */
export class JitInstance {
  private readonly runFn: (r1lo: number, r1hi: number, r10lo: number, r10hi: number) => number;
  private readonly remaining: WasmGlobal;
  private readonly r0hi: WasmGlobal;

  constructor(compiled: CompiledJit, host: JitHostImports) {
    const env: Record<string, unknown> = {
      memory: host.memory,
      trap: host.trap,
      fault: host.fault,
    };
    env.hx = (id: bigint, r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint, pc: number) =>
      host.helper(id >= 0n && id <= 0xffffffffn ? Number(id) : -1, pc, r1, r2, r3, r4, r5);
    for (const id of compiled.helperIds) {
      env[`h${id}`] = (r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint, pc: number) =>
        host.helper(id, pc, r1, r2, r3, r4, r5);
    }
    const inst = new Wasm.Instance(compiled.module, { env });
    this.runFn = inst.exports.run as JitInstance["runFn"];
    this.remaining = inst.exports.remaining as WasmGlobal;
    this.r0hi = inst.exports.r0hi as WasmGlobal;
  }

  /**
   * Runs the program with r1 and r10 given as 32-bit halves and `budget` instructions; writes r0's halves
   * to `out[0]` (lo) and `out[1]` (hi) and returns the instructions left.
   */
  run(r1lo: number, r1hi: number, r10lo: number, r10hi: number, budget: number, out: Int32Array): number {
    this.remaining.value = budget;
    out[0] = this.runFn(r1lo, r1hi, r10lo, r10hi);
    out[1] = this.r0hi.value as number;
    return this.remaining.value as number;
  }

  /** Instructions left after the last run (also valid after a trap). */
  get remainingBudget(): number {
    return this.remaining.value as number;
  }
}

export { TrapCode };
