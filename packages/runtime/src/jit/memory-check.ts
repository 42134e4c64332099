/**
 * The JIT's view of the region table: emits the wasm function that turns a BPF address into a wasm
 * address after checking it against the table, and the inline fast path in front of it.
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

/**
 * Builds `xlate(addr: i64, size: i32, need: i32, pc: i32) -> i32`: scans the table for a region holding
 * `[addr, addr + size)` with the `need` permission bits; on a miss calls `fault(pc, addrLo, addrHi, size,
 * need)`, which throws.
 */
export function buildTranslate(t: RegionTableLayout, faultFn: number): CodeWriter {
  const c = new CodeWriter();
  const P_ADDR = 0;
  const P_SIZE = 1;
  const P_NEED = 2;
  const P_PC = 3;
  const L_I = 4; // i32 cursor (wasm address of the entry)
  const L_END = 5; // i32 end of entries
  const L_REL = 6; // i64 addr - start
  c.i32Const(t.offset).mem(Op.i32_load, 2, 0).i32Const(t.entrySize).op(Op.i32_mul);
  c.i32Const(t.offset + t.entriesAt)
    .localTee(L_I)
    .op(Op.i32_add)
    .localSet(L_END);
  c.block().loop();
  c.localGet(L_I).localGet(L_END).op(Op.i32_ge_u).brIf(1);
  // rel = addr - start; hit when rel + size <= length (unsigned, no wrap: length < 2^32, size <= 8)
  c.localGet(P_ADDR).localGet(L_I).mem(Op.i64_load, 3, t.start).op(Op.i64_sub).localTee(L_REL);
  c.localGet(P_SIZE).op(Op.i64_extend_i32_u).op(Op.i64_add);
  c.localGet(L_I).mem(Op.i64_load32_u, 2, t.length).op(Op.i64_le_u);
  c.localGet(L_REL).localGet(L_I).mem(Op.i64_load32_u, 2, t.length).op(Op.i64_lt_u).op(Op.i32_and);
  c.localGet(L_I).mem(Op.i32_load, 2, t.flags).localGet(P_NEED).op(Op.i32_and).localGet(P_NEED).op(Op.i32_eq);
  c.op(Op.i32_and).if();
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
  c.localGet(P_PC).localGet(P_ADDR).op(Op.i32_wrap_i64);
  c.localGet(P_ADDR).i64Const(32, 0).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
  c.localGet(P_SIZE).localGet(P_NEED).call(faultFn).op(Op.unreachable);
  return c;
}

export const TRANSLATE_LOCALS: readonly (readonly [number, ValType])[] = [
  [2, ValType.i32],
  [1, ValType.i64],
];

export const TRANSLATE_PARAMS = [ValType.i64, ValType.i32, ValType.i32, ValType.i32] as const;
export const FAULT_PARAMS = [ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.i32] as const;
