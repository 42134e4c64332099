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
  emitCacheLoad,
  emitCacheReset,
  emitTranslate,
  FAULT_PARAMS,
  type RegionTableLayout,
  type StackRegion,
  TRANSLATE_LOCALS,
  TRANSLATE_PARAMS,
} from "./memory-check.ts";
import { Wasm, type WasmModule } from "./wasm-api.ts";
import { emitSubprogram } from "./wasm-emit.ts";
import {
  CACHE_LOCALS,
  L_TA,
  LOCALS,
  PARAM_TYPES,
  RESULT_TYPES,
  TAIL_CALL_HELPER,
  TrapCode,
} from "./wasm-frame.ts";
import { CodeWriter, ModuleWriter, Op, ValType } from "./wasm-writer.ts";

/**
 * Largest function body the JIT emits: V8 refuses functions over 7,654,321 bytes; keep a margin for the
 * locals header. Around 25,000–35,000 BPF instructions per subprogram, depending on the mix.
 */
export const MAX_FUNCTION_BYTES = 7_500_000;

export interface JitCompileOptions {
  readonly regionTable: RegionTableLayout;
  /** Stack bytes per call frame. */
  readonly frameSize: number;
  /** Maximum call frames (the entry frame counts). */
  readonly maxCallDepth: number;
  /** Helper ids imported one by one; calls to other ids go through the dynamic import (`hx`). */
  readonly helperIds: ReadonlySet<number>;
  /** The stack region, checked inline before the caches (the memory model fixes it as entry 0). */
  readonly stack: StackRegion;
  /** r10 of the entry frame as [lo, hi] halves. */
  readonly entryFrameTop: readonly [number, number];
  /** Whether `call 12` is the engine's tail call (true unless the helper table registers id 12). */
  readonly tailCalls: boolean;
}

export interface CompiledJit {
  readonly bytes: Uint8Array;
  readonly module: WasmModule;
  /** Helper ids the module imports, as `env.h<id>`. */
  readonly helperIds: readonly number[];
  readonly subprograms: number;
}

/** Compiles raw program bytes or an already decoded program. */
export function compileJit(program: Uint8Array | Slots, opts: JitCompileOptions): CompiledJit {
  const cfg: ControlFlow = analyse(program instanceof Uint8Array ? decodeProgram(program) : program);
  const s = cfg.slots;
  const m = new ModuleWriter();
  const { i32, i64 } = ValType;

  // Imports: functions first (they take the low function indices), then memory. Helpers take r1–r5 as
  // ten i32 halves and the pc, and return r0's low half (the host puts the high half in the `r0hi` global):
  // no bigint crosses the boundary.
  const trapFn = m.importFunction("env", "trap", m.type([i32, i32, i32, i32], []));
  const faultFn = m.importFunction("env", "fault", m.type([...FAULT_PARAMS], []));
  const halves = [i32, i32, i32, i32, i32, i32, i32, i32, i32, i32] as const;
  const helperType = m.type([...halves, i32], [i32]);
  const used = new Set<number>();
  let tails = false;
  for (let i = 0; i < s.count; i++) {
    const id = s.imm[i] ?? 0;
    if (s.opcode[i] === 0x85 && s.src[i] === 0) {
      if (id === TAIL_CALL_HELPER && opts.tailCalls) tails = true;
      else if (opts.helperIds.has(id)) used.add(id);
    }
    if (s.opcode[i] === 0x8d && opts.tailCalls) tails = true;
    if (s.opcode[i] === 0x18) i++;
  }
  const helperIds = [...used].sort((a, b) => a - b);
  const helperFn = new Map<number, number>();
  for (const id of helperIds) helperFn.set(id, m.importFunction("env", `h${id}`, helperType));
  const dynamicFn = m.importFunction("env", "hx", m.type([i32, i32, ...halves, i32], [i32]));
  // tail(r0lo, r0hi, ..., r10lo, r10hi, depth, pc) -> 1 when a target ran (its r0 in r0lo/r0hi).
  const allHalves = [...halves, ...halves, i32, i32] as const; // r0..r10
  const tailFn = tails ? m.importFunction("env", "tail", m.type([...allHalves, i32, i32], [i32])) : -1;
  m.importMemory("env", "memory", 1);

  const remaining = m.addGlobal(i32, true);
  const r0lo = m.addGlobal(i32, true);
  const r0hi = m.addGlobal(i32, true);
  const cache = addCacheGlobals((t) => m.addGlobal(t, true));
  const ctxWasm = m.addGlobal(i32, true);
  const ctxLength = m.addGlobal(i32, true);

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
        tailCallFunction: tailFn,
        r0Globals: [r0lo, r0hi],
        contextGlobals: [ctxWasm, ctxLength],
        trapFunction: trapFn,
        remainingGlobal: remaining,
        frameSize: opts.frameSize,
        maxCallDepth: opts.maxCallDepth,
        emitTranslate: (cw, size, access, pc) => {
          const need = access === "read" ? flagRead : access === "write" ? flagWrite : flagRead | flagWrite;
          emitTranslate(
            cw,
            opts.stack,
            cache,
            CACHE_LOCALS,
            translateFn,
            L_TA,
            size,
            need,
            access !== "read",
            pc,
          );
        },
        translateFunction: translateFn,
        needReadWrite: flagRead | flagWrite,
        emitAfterHelper: (cw) => {
          emitCacheReset(cw, cache);
          emitCacheLoad(cw, cache, CACHE_LOCALS);
        },
        emitCacheLoad: (cw) => emitCacheLoad(cw, cache, CACHE_LOCALS),
      },
      k,
    );
    if (c.w.length > MAX_FUNCTION_BYTES) {
      const start = cfg.subprograms[k]?.start ?? 0;
      throw new RuntimeError(
        "EBPF_JIT_TOO_LARGE",
        `subprogram at pc ${start} compiles to ${c.w.length} bytes of WebAssembly, over the ${MAX_FUNCTION_BYTES}-byte limit per function`,
        { pc: start },
      );
    }
    m.addFunction(subType, LOCALS, c);
  });

  // run(r0lo, r0hi, ..., r10lo, r10hi, depth) -> r0lo; r0's high half goes to the `r0hi` global.
  const run = new CodeWriter();
  emitCacheReset(run, cache);
  for (let k = 0; k <= 10; k++) {
    run.localGet(2 * k).op(Op.i64_extend_i32_u);
    run
      .localGet(2 * k + 1)
      .op(Op.i64_extend_i32_u)
      .i64Const(32, 0)
      .op(Op.i64_shl)
      .op(Op.i64_or);
  }
  run.localGet(22).call(firstSub);
  for (let r = 0; r < 5; r++) run.op(Op.drop); // r5..r1
  run.localTee(23).i64Const(32, 0).op(Op.i64_shr_u).op(Op.i32_wrap_i64).globalSet(r0hi);
  run.localGet(23).op(Op.i32_wrap_i64);
  const runFn = m.addFunction(m.type([...allHalves, i32], [i32]), [[1, i64]], run);
  m.exportFunction("run", runFn);

  // start(r1lo, r1hi, ..., r5lo, r5hi, budget, ctxWasm, ctxLength) -> r0lo: the entry of a fresh run, with
  // everything it sets passed as parameters (setting wasm globals from JS costs more than a call argument).
  const st = new CodeWriter();
  emitCacheReset(st, cache);
  st.localGet(10).globalSet(remaining).localGet(11).globalSet(ctxWasm).localGet(12).globalSet(ctxLength);
  st.i64Const(0, 0);
  for (let k = 0; k < 5; k++) {
    st.localGet(2 * k).op(Op.i64_extend_i32_u);
    st.localGet(2 * k + 1)
      .op(Op.i64_extend_i32_u)
      .i64Const(32, 0)
      .op(Op.i64_shl)
      .op(Op.i64_or);
  }
  for (let r = 6; r <= 9; r++) st.i64Const(0, 0);
  st.i64Const(opts.entryFrameTop[0], opts.entryFrameTop[1]).i32Const(0).call(firstSub);
  for (let r = 0; r < 5; r++) st.op(Op.drop);
  st.localTee(13).i64Const(32, 0).op(Op.i64_shr_u).op(Op.i32_wrap_i64).globalSet(r0hi);
  st.localGet(13).op(Op.i32_wrap_i64);
  const startFn = m.addFunction(m.type([...halves, i32, i32, i32], [i32]), [[1, i64]], st);
  m.exportFunction("start", startFn);
  m.exportGlobal("remaining", remaining);
  m.exportGlobal("r0lo", r0lo);
  m.exportGlobal("r0hi", r0hi);
  m.exportGlobal("contextWasm", ctxWasm);
  m.exportGlobal("contextLength", ctxLength);

  const bytes = m.toBytes();
  let module: WasmModule;
  try {
    module = new Wasm.Module(bytes);
  } catch (e) {
    throw new RuntimeError("EBPF_JIT_INTERNAL", `JIT produced an invalid module: ${String(e)}`, { cause: e });
  }
  return { bytes, module, helperIds, subprograms: cfg.subprograms.length };
}

export { TrapCode };
