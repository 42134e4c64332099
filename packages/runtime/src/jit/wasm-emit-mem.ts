/** Lowering of loads, stores, atomics, lddw and the legacy packet loads, all through the region checks. */

import { AluEmitter } from "./wasm-emit-alu.ts";
import { type Access, type EmitEnv, L_FW, L_REM, L_T0, L_W0, reg, TrapCode } from "./wasm-frame.ts";
import { type CodeWriter, Op } from "./wasm-writer.ts";

/** Emits a call to the `trap` import (which throws) for `code` at `pc`. */
export function trap(c: CodeWriter, env: EmitEnv, code: number, pc: number): void {
  c.i32Const(code).i32Const(pc).i32Const(0).i32Const(0).call(env.trapFunction).op(Op.unreachable);
}

export abstract class MemEmitter extends AluEmitter {
  constructor(
    c: CodeWriter,
    protected readonly env: EmitEnv,
  ) {
    super(c, env.cfg.slots);
  }

  protected ldx(i: number, op: number): void {
    const c = this.c;
    const s = this.env.cfg.slots;
    const mode = op & 0xe0;
    const size = SIZE_BYTES[(op >>> 3) & 3] ?? 0;
    if (mode !== 0x60 && mode !== 0x80) {
      this.bad(i);
      return;
    }
    const signed = mode === 0x80;
    const o = (signed ? LOAD_S : LOAD_U)[size];
    if (o === undefined) {
      this.bad(i);
      return;
    }
    const imm = this.address(i, s.src[i] ?? 0, size, "read");
    c.mem(o, 0, imm).localSet(reg(s.dst[i] ?? 0));
  }

  /**
   * Pushes the checked wasm address of `base + off` and returns the constant to put in the access's
   * offset immediate (non-zero only on the r10 fast path).
   */
  private address(i: number, baseReg: number, size: number, access: Access): number {
    const c = this.c;
    const off = this.env.cfg.slots.off[i] ?? 0;
    const fs = this.env.frameSize;
    if (baseReg === 10 && off >= -fs && off <= -size) {
      c.localGet(L_FW);
      return fs + off;
    }
    c.localGet(reg(baseReg));
    if (off !== 0) c.i64ConstS32(off).op(Op.i64_add);
    this.env.emitTranslate(c, size, access, i);
    return 0;
  }

  protected store(i: number, op: number): void {
    const c = this.c;
    const s = this.env.cfg.slots;
    const mode = op & 0xe0;
    const size = SIZE_BYTES[(op >>> 3) & 3] ?? 0;
    const isStx = (op & 7) === 0x03;
    if (isStx && mode === 0xc0) {
      this.atomic(i, size);
      return;
    }
    if (mode !== 0x60) {
      this.bad(i);
      return;
    }
    const st = STORE[size];
    if (st === undefined) {
      this.bad(i);
      return;
    }
    const at = this.address(i, s.dst[i] ?? 0, size, "write");
    if (isStx) c.localGet(reg(s.src[i] ?? 0));
    else c.i64ConstS32(s.imm[i] ?? 0);
    c.mem(st, 0, at);
  }

  private atomic(i: number, size: number): void {
    const c = this.c;
    const s = this.env.cfg.slots;
    const imm = s.imm[i] ?? 0;
    if (size !== 4 && size !== 8) {
      this.bad(i);
      return;
    }
    const ld = size === 8 ? Op.i64_load : Op.i64_load32_u;
    const st = size === 8 ? Op.i64_store : Op.i64_store32;
    const sr = reg(s.src[i] ?? 0);
    // One wasm thread runs the program, so a plain load/modify/store is atomic.
    const at = this.address(i, s.dst[i] ?? 0, size, "rw");
    if (at !== 0) c.i32Const(at).op(Op.i32_add);
    c.localTee(L_W0).mem(ld, 0, 0).localSet(L_T0); // old value
    const fetch = (imm & 0x01) !== 0;
    const base = imm & ~0x01;
    const arith: Record<number, Op> = { 0: Op.i64_add, 64: Op.i64_or, 80: Op.i64_and, 160: Op.i64_xor };
    const a = arith[base];
    if (a !== undefined) {
      c.localGet(L_W0).localGet(L_T0).localGet(sr).op(a).mem(st, 0, 0);
      if (fetch) c.localGet(L_T0).localSet(sr);
      return;
    }
    if (imm === 0xe1) {
      c.localGet(L_W0).localGet(sr).mem(st, 0, 0);
      c.localGet(L_T0).localSet(sr);
      return;
    }
    if (imm === 0xf1) {
      // cmpxchg: compare with r0 (low 32 bits for W), store src if equal; r0 = old value (zero-extended).
      c.localGet(L_T0).localGet(reg(0));
      if (size === 4) c.i64Const(-1, 0).op(Op.i64_and);
      c.op(Op.i64_eq).if();
      c.localGet(L_W0).localGet(sr).mem(st, 0, 0);
      c.end();
      c.localGet(L_T0).localSet(reg(0));
      return;
    }
    this.bad(i);
  }

  protected ld(i: number, op: number): void {
    const c = this.c;
    const s = this.env.cfg.slots;
    if (op !== 0x18) {
      this.legacyLoad(i, op);
      return;
    }
    c.i64Const(s.imm[i] ?? 0, s.nextImm[i] ?? 0).localSet(reg(s.dst[i] ?? 0));
  }

  /**
   * `ld_abs` / `ld_ind`: r0 = big-endian load from the run's context at `imm` (+ 32-bit `src`); out of
   * bounds ends the whole run with r0 = 0, like the interpreter (and Linux).
   */
  private legacyLoad(i: number, op: number): void {
    const c = this.c;
    const env = this.env;
    const s = env.cfg.slots;
    const size = SIZE_BYTES[(op >>> 3) & 3] ?? 0;
    const mode = op & 0xe0;
    if (mode !== 0x20 && mode !== 0x40) {
      this.bad(i);
      return;
    }
    const [ctxWasm, ctxLength] = env.contextGlobals;
    // o = imm or (src + imm) as a signed 32-bit value; out of bounds when o < 0 or o + size > length.
    if (mode === 0x40)
      c.localGet(reg(s.src[i] ?? 0))
        .op(Op.i32_wrap_i64)
        .i32Const(s.imm[i] ?? 0)
        .op(Op.i32_add);
    else c.i32Const(s.imm[i] ?? 0);
    c.localTee(L_W0).op(Op.i64_extend_i32_s).i64Const(size, 0).op(Op.i64_add);
    c.globalGet(ctxLength).op(Op.i64_extend_i32_u).op(Op.i64_gt_s);
    c.localGet(L_W0).i32Const(0).op(Op.i32_lt_s).op(Op.i32_or).if();
    c.localGet(L_REM).globalSet(env.remainingGlobal);
    trap(c, env, TrapCode.stopWithZero, i);
    c.end();
    c.globalGet(ctxWasm).localGet(L_W0).op(Op.i32_add);
    const r0 = reg(0);
    if (size === 1) c.mem(Op.i64_load8_u, 0, 0).localSet(r0);
    else if (size === 2) {
      c.mem(Op.i64_load16_u, 0, 0).localSet(r0);
      this.bswap(r0, 16);
    } else if (size === 4) {
      c.mem(Op.i64_load32_u, 0, 0).localSet(r0);
      this.bswap(r0, 32);
    } else {
      c.mem(Op.i64_load, 0, 0).localSet(r0);
      this.bswap(r0, 64);
    }
  }
}

const SIZE_BYTES = [4, 2, 1, 8] as const;

const LOAD_U: Record<number, Op> = {
  1: Op.i64_load8_u,
  2: Op.i64_load16_u,
  4: Op.i64_load32_u,
  8: Op.i64_load,
};
const LOAD_S: Record<number, Op> = { 1: Op.i64_load8_s, 2: Op.i64_load16_s, 4: Op.i64_load32_s };
const STORE: Record<number, Op> = { 1: Op.i64_store8, 2: Op.i64_store16, 4: Op.i64_store32, 8: Op.i64_store };
