/**
 * The JIT's view of the region table: the wasm function that turns a BPF address into a wasm address
 * after checking it against the table, and the inline fast path in front of it.
 *
 * Fast path: two one-entry caches (the last region hit for reading and for writing) in wasm globals, copied
 * into each function's locals on entry, after calls and after a refill. A
 * cache holds the region's first BPF address, `length - 7` as the limit (so any access of up to 8 bytes
 * starting below it fits), and the region's wasm address. A limit of 0 means empty. The caches are emptied
 * at the start of every run and after every helper call, because the table may change then.
 */

import { CodeWriter, Op, ValType } from "./wasm-writer.ts";

/** Where the table lives in the shared wasm memory and how an entry is laid out (byte offsets). */
export interface RegionTableLayout {
  /** Wasm address of the u32 entry count; entries follow at `offset + entriesAt`. */
  readonly offset: number;
  readonly entriesAt: number;
  readonly entrySize: number;
  /** u64: first BPF address of the region. */
  readonly start: number;
  /** u32: region length in bytes. */
  readonly length: number;
  /** u32: wasm address of the region's first byte. */
  readonly wasmAddress: number;
  /** u32: permission bits (`flagRead`, `flagWrite`). */
  readonly flags: number;
  readonly flagRead: number;
  readonly flagWrite: number;
}

/** Global indices of the read and write caches. */
export interface CacheGlobals {
  readonly rStart: number;
  readonly rLimit: number;
  readonly rWasm: number;
  readonly wStart: number;
  readonly wLimit: number;
  readonly wWasm: number;
}

/** Adds the cache globals to a module being built. */
export function addCacheGlobals(add: (t: ValType) => number): CacheGlobals {
  return {
    rStart: add(ValType.i64),
    rLimit: add(ValType.i64),
    rWasm: add(ValType.i32),
    wStart: add(ValType.i64),
    wLimit: add(ValType.i64),
    wWasm: add(ValType.i32),
  };
}

/** Emits code that empties both caches. */
export function emitCacheReset(c: CodeWriter, g: CacheGlobals): void {
  c.i64Const(0, 0).globalSet(g.rLimit).i64Const(0, 0).globalSet(g.wLimit);
}

/**
 * Builds `xlate(addr: i64, size: i32, need: i32, pc: i32) -> i32`: scans the table for a region holding
 * `[addr, addr + size)` with the `need` permission bits and fills the caches from it. On a miss it returns
 * -1 when `pc` is -1, else calls `fault(pc, addrLo, addrHi, size, need)`, which throws.
 */
export function buildTranslate(t: RegionTableLayout, faultFn: number, g: CacheGlobals): CodeWriter {
  const c = new CodeWriter();
  const P_ADDR = 0;
  const P_SIZE = 1;
  const P_NEED = 2;
  const P_PC = 3;
  const L_I = 4; // i32 cursor (wasm address of the entry)
  const L_END = 5; // i32 end of entries
  const L_FLAGS = 6; // i32
  const L_REL = 7; // i64 addr - start
  const L_LEN = 8; // i64 region length
  c.i32Const(t.offset).mem(Op.i32_load, 2, 0).i32Const(t.entrySize).op(Op.i32_mul);
  c.i32Const(t.offset + t.entriesAt)
    .localTee(L_I)
    .op(Op.i32_add)
    .localSet(L_END);
  c.block().loop();
  c.localGet(L_I).localGet(L_END).op(Op.i32_ge_u).brIf(1);
  // rel = addr - start; hit when rel < length and rel + size <= length (rel may have wrapped below start).
  c.localGet(P_ADDR).localGet(L_I).mem(Op.i64_load, 3, t.start).op(Op.i64_sub).localTee(L_REL);
  c.localGet(P_SIZE).op(Op.i64_extend_i32_u).op(Op.i64_add);
  c.localGet(L_I).mem(Op.i64_load32_u, 2, t.length).localTee(L_LEN).op(Op.i64_le_u);
  c.localGet(L_REL).localGet(L_LEN).op(Op.i64_lt_u).op(Op.i32_and);
  c.localGet(L_I).mem(Op.i32_load, 2, t.flags).localTee(L_FLAGS).localGet(P_NEED).op(Op.i32_and);
  c.localGet(P_NEED).op(Op.i32_eq).op(Op.i32_and).if();
  // Hit: fill the caches this region can serve (only regions of 8 bytes or more).
  c.localGet(L_LEN).i64Const(8, 0).op(Op.i64_ge_u).if();
  // The write cache serves stores and atomics, so it only takes regions that are readable as well: a
  // write-only region is rare and always takes this slow path.
  for (const [flag, start, limit, wasm] of [
    [t.flagRead, g.rStart, g.rLimit, g.rWasm],
    [t.flagRead | t.flagWrite, g.wStart, g.wLimit, g.wWasm],
  ] as const) {
    c.localGet(L_FLAGS).i32Const(flag).op(Op.i32_and).i32Const(flag).op(Op.i32_eq).if();
    c.localGet(L_I).mem(Op.i64_load, 3, t.start).globalSet(start);
    c.localGet(L_LEN).i64Const(7, 0).op(Op.i64_sub).globalSet(limit);
    c.localGet(L_I).mem(Op.i32_load, 2, t.wasmAddress).globalSet(wasm);
    c.end();
  }
  c.end();
  c.localGet(L_I)
    .mem(Op.i32_load, 2, t.wasmAddress)
    .localGet(L_REL)
    .op(Op.i32_wrap_i64)
    .op(Op.i32_add)
    .return();
  c.end();
  c.localGet(L_I).i32Const(t.entrySize).op(Op.i32_add).localSet(L_I);
  c.br(0);
  c.end().end();
  c.localGet(P_PC).i32Const(-1).op(Op.i32_eq).if().i32Const(-1).return().end();
  c.localGet(P_PC).localGet(P_ADDR).op(Op.i32_wrap_i64);
  c.localGet(P_ADDR).i64Const(32, 0).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
  c.localGet(P_SIZE).localGet(P_NEED).call(faultFn).op(Op.unreachable);
  return c;
}

export const TRANSLATE_LOCALS: readonly (readonly [number, ValType])[] = [
  [3, ValType.i32],
  [2, ValType.i64],
];

export const TRANSLATE_PARAMS = [ValType.i64, ValType.i32, ValType.i32, ValType.i32] as const;
export const FAULT_PARAMS = [ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.i32] as const;

/** Emits code copying the caches from the globals into a function's locals. */
export function emitCacheLoad(c: CodeWriter, g: CacheGlobals, l: CacheGlobals): void {
  for (const k of ["rStart", "rLimit", "rWasm", "wStart", "wLimit", "wWasm"] as const) {
    c.globalGet(g[k]).localSet(l[k]);
  }
}

/** The stack region (entry 0 of the table, fixed by the memory model): checked first, inline. */
export interface StackRegion {
  /** First BPF address as [lo, hi]. */
  readonly start: readonly [number, number];
  readonly length: number;
  readonly wasmAddress: number;
}

/**
 * Emits the inline check: i64 BPF address on the stack → i32 wasm address. `addr` is an i64 scratch
 * local; the caches live in the function's locals `l` (registers, unlike globals) and are
 * reloaded from the globals after the slow path refills them. Order: the cache, then the stack region
 * (constant bounds, so a program alternating between stack pointers and the context keeps the context in
 * the cache instead of thrashing it), then the table scan.
 */
export function emitTranslate(
  c: CodeWriter,
  stack: StackRegion,
  g: CacheGlobals,
  l: CacheGlobals,
  translateFn: number,
  addr: number,
  size: number,
  need: number,
  write: boolean,
  pc: number,
): void {
  // One scratch local (a second live i64 here cost the arithmetic kernel 18%, through register pressure
  // in the whole function): the address is rebuilt from the offset when a check misses.
  const start = write ? l.wStart : l.rStart;
  c.localGet(start).op(Op.i64_sub).localTee(addr);
  c.localGet(write ? l.wLimit : l.rLimit)
    .op(Op.i64_lt_u)
    .ifValue(ValType.i32);
  c.localGet(write ? l.wWasm : l.rWasm)
    .localGet(addr)
    .op(Op.i32_wrap_i64)
    .op(Op.i32_add);
  c.else();
  c.localGet(addr).localGet(start).op(Op.i64_add);
  c.i64Const(stack.start[0], stack.start[1]).op(Op.i64_sub).localTee(addr);
  c.i64Const(stack.length - size + 1, 0)
    .op(Op.i64_lt_u)
    .ifValue(ValType.i32);
  c.i32Const(stack.wasmAddress).localGet(addr).op(Op.i32_wrap_i64).op(Op.i32_add);
  c.else();
  c.localGet(addr).i64Const(stack.start[0], stack.start[1]).op(Op.i64_add);
  c.i32Const(size).i32Const(need).i32Const(pc).call(translateFn);
  emitCacheLoad(c, g, l);
  c.end();
  c.end();
}
