/** Lowering of ALU and ALU64 instructions (arithmetic, shifts, div/mod, moves, byte swaps). */

import type { Slots } from "./cfg.ts";
import { L_W0, L_W1, reg } from "./wasm-frame.ts";
import { type CodeWriter, Op } from "./wasm-writer.ts";

export abstract class AluEmitter {
  constructor(
    protected readonly c: CodeWriter,
    protected readonly s: Slots,
  ) {}

  /** Emits a trap for an instruction the JIT cannot lower (the verifier should have refused it). */
  protected abstract bad(i: number): void;

  protected src64(i: number): void {
    const s = this.s;
    if ((s.opcode[i] ?? 0) & 0x08) this.c.localGet(reg(s.src[i] ?? 0));
    else this.c.i64ConstS32(s.imm[i] ?? 0);
  }

  protected src32(i: number): void {
    const s = this.s;
    if ((s.opcode[i] ?? 0) & 0x08) this.c.localGet(reg(s.src[i] ?? 0)).op(Op.i32_wrap_i64);
    else this.c.i32Const(s.imm[i] ?? 0);
  }

  protected alu64(i: number, op: number): void {
    const c = this.c;
    const s = this.s;
    const d = reg(s.dst[i] ?? 0);
    const x = (op & 0x08) !== 0;
    const imm = s.imm[i] ?? 0;
    const off = s.off[i] ?? 0;
    const simple = (o: Op) => {
      c.localGet(d);
      this.src64(i);
      c.op(o).localSet(d);
    };
    switch (op & 0xf0) {
      case 0x00:
        simple(Op.i64_add);
        return;
      case 0x10:
        simple(Op.i64_sub);
        return;
      case 0x20:
        simple(Op.i64_mul);
        return;
      case 0x40:
        simple(Op.i64_or);
        return;
      case 0x50:
        simple(Op.i64_and);
        return;
      case 0x60:
        simple(Op.i64_shl);
        return;
      case 0x70:
        simple(Op.i64_shr_u);
        return;
      case 0xa0:
        simple(Op.i64_xor);
        return;
      case 0xc0:
        simple(Op.i64_shr_s);
        return;
      case 0x80:
        c.i64Const(0, 0).localGet(d).op(Op.i64_sub).localSet(d);
        return;
      case 0xb0:
        if (off === 0) {
          this.src64(i);
        } else {
          c.localGet(reg(s.src[i] ?? 0));
          c.op(off === 8 ? Op.i64_extend8_s : off === 16 ? Op.i64_extend16_s : Op.i64_extend32_s);
        }
        c.localSet(d);
        return;
      case 0x30:
        this.div64(i, d, x, imm, off === 1);
        return;
      case 0x90:
        this.mod64(i, d, x, imm, off === 1);
        return;
      case 0xd0:
        this.bswap(d, imm);
        return;
    }
    this.bad(i);
  }

  private div64(i: number, d: number, x: boolean, imm: number, signed: boolean): void {
    const c = this.c;
    const div = signed ? Op.i64_div_s : Op.i64_div_u;
    if (!x) {
      if (imm === 0) c.i64Const(0, 0).localSet(d);
      else if (signed && imm === -1) c.i64Const(0, 0).localGet(d).op(Op.i64_sub).localSet(d);
      else c.localGet(d).i64ConstS32(imm).op(div).localSet(d);
      return;
    }
    const sr = reg(this.s.src[i] ?? 0);
    c.localGet(sr).op(Op.i64_eqz).if();
    c.i64Const(0, 0).localSet(d);
    c.else();
    if (signed) {
      // INT64_MIN / -1 traps in wasm; BPF defines it as the wrapped negation.
      c.localGet(sr).i64Const(-1, -1).op(Op.i64_eq).if();
      c.i64Const(0, 0).localGet(d).op(Op.i64_sub).localSet(d);
      c.else();
      c.localGet(d).localGet(sr).op(div).localSet(d);
      c.end();
    } else {
      c.localGet(d).localGet(sr).op(div).localSet(d);
    }
    c.end();
  }

  private mod64(i: number, d: number, x: boolean, imm: number, signed: boolean): void {
    const c = this.c;
    const rem = signed ? Op.i64_rem_s : Op.i64_rem_u;
    if (!x) {
      if (imm !== 0) c.localGet(d).i64ConstS32(imm).op(rem).localSet(d); // by 0: unchanged
      return;
    }
    const sr = reg(this.s.src[i] ?? 0);
    // wasm rem_s(INT64_MIN, -1) is 0, as BPF wants; only the zero divisor needs a guard.
    c.localGet(sr).op(Op.i64_eqz).op(Op.i32_eqz).if();
    c.localGet(d).localGet(sr).op(rem).localSet(d);
    c.end();
  }

  protected alu32(i: number, op: number): void {
    const c = this.c;
    const s = this.s;
    const d = reg(s.dst[i] ?? 0);
    const x = (op & 0x08) !== 0;
    const imm = s.imm[i] ?? 0;
    const off = s.off[i] ?? 0;
    const simple = (o: Op) => {
      c.localGet(d).op(Op.i32_wrap_i64);
      this.src32(i);
      c.op(o).op(Op.i64_extend_i32_u).localSet(d);
    };
    switch (op & 0xf0) {
      case 0x00:
        simple(Op.i32_add);
        return;
      case 0x10:
        simple(Op.i32_sub);
        return;
      case 0x20:
        simple(Op.i32_mul);
        return;
      case 0x40:
        simple(Op.i32_or);
        return;
      case 0x50:
        simple(Op.i32_and);
        return;
      case 0x60:
        simple(Op.i32_shl);
        return;
      case 0x70:
        simple(Op.i32_shr_u);
        return;
      case 0xa0:
        simple(Op.i32_xor);
        return;
      case 0xc0:
        simple(Op.i32_shr_s);
        return;
      case 0x80:
        c.i32Const(0).localGet(d).op(Op.i32_wrap_i64).op(Op.i32_sub).op(Op.i64_extend_i32_u).localSet(d);
        return;
      case 0xb0:
        if (!x) c.i64Const(imm, 0);
        else if (off === 0)
          c.localGet(reg(s.src[i] ?? 0))
            .op(Op.i32_wrap_i64)
            .op(Op.i64_extend_i32_u);
        else {
          c.localGet(reg(s.src[i] ?? 0)).op(Op.i32_wrap_i64);
          c.op(off === 8 ? Op.i32_extend8_s : Op.i32_extend16_s).op(Op.i64_extend_i32_u);
        }
        c.localSet(d);
        return;
      case 0x30:
        this.divmod32(i, d, x, imm, off === 1, true);
        return;
      case 0x90:
        this.divmod32(i, d, x, imm, off === 1, false);
        return;
      case 0xd0:
        this.endian(d, x, imm);
        return;
    }
    this.bad(i);
  }

  /** 32-bit div/mod: divisor 0 gives 0 (div) or the truncated dividend (mod); INT32_MIN / -1 wraps. */
  private divmod32(i: number, d: number, x: boolean, imm: number, signed: boolean, isDiv: boolean): void {
    const c = this.c;
    const o = isDiv ? (signed ? Op.i32_div_s : Op.i32_div_u) : signed ? Op.i32_rem_s : Op.i32_rem_u;
    const zeroCase = () => {
      if (isDiv) c.i64Const(0, 0).localSet(d);
      else c.localGet(d).op(Op.i32_wrap_i64).op(Op.i64_extend_i32_u).localSet(d);
    };
    const minusOneCase = () => {
      if (isDiv) c.i32Const(0).localGet(d).op(Op.i32_wrap_i64).op(Op.i32_sub);
      else c.i32Const(0);
      c.op(Op.i64_extend_i32_u).localSet(d);
    };
    const general = (pushDivisor: () => void) => {
      c.localGet(d).op(Op.i32_wrap_i64);
      pushDivisor();
      c.op(o).op(Op.i64_extend_i32_u).localSet(d);
    };
    if (!x) {
      if (imm === 0) zeroCase();
      else if (signed && imm === -1) minusOneCase();
      else general(() => c.i32Const(imm));
      return;
    }
    c.localGet(reg(this.s.src[i] ?? 0))
      .op(Op.i32_wrap_i64)
      .localTee(L_W0)
      .op(Op.i32_eqz)
      .if();
    zeroCase();
    c.else();
    if (signed) {
      c.localGet(L_W0).i32Const(-1).op(Op.i32_eq).if();
      minusOneCase();
      c.else();
      general(() => c.localGet(L_W0));
      c.end();
    } else general(() => c.localGet(L_W0));
    c.end();
  }

  /** ALU `le`/`be` (host is little-endian: `le` truncates, `be` swaps). */
  private endian(d: number, toBe: boolean, imm: number): void {
    const c = this.c;
    if (toBe) {
      this.bswap(d, imm);
      return;
    }
    if (imm === 16) c.localGet(d).i64Const(0xffff, 0).op(Op.i64_and).localSet(d);
    else if (imm === 32) c.localGet(d).op(Op.i32_wrap_i64).op(Op.i64_extend_i32_u).localSet(d);
  }

  /** Byte swap of the low `imm` bits, zero-extended (ALU64 `bswap` and ALU `be`). */
  protected bswap(d: number, imm: number): void {
    const c = this.c;
    if (imm === 16) {
      c.localGet(d)
        .op(Op.i32_wrap_i64)
        .localTee(L_W0)
        .i32Const(8)
        .op(Op.i32_shl)
        .i32Const(0xff00)
        .op(Op.i32_and);
      c.localGet(L_W0).i32Const(8).op(Op.i32_shr_u).i32Const(0xff).op(Op.i32_and).op(Op.i32_or);
      c.op(Op.i64_extend_i32_u).localSet(d);
      return;
    }
    if (imm === 32) {
      c.localGet(d).op(Op.i32_wrap_i64).localSet(L_W0);
      this.bswap32(L_W0);
      c.op(Op.i64_extend_i32_u).localSet(d);
      return;
    }
    // 64: swap each half and exchange them.
    c.localGet(d).op(Op.i32_wrap_i64).localSet(L_W0);
    c.localGet(d).i64Const(32, 0).op(Op.i64_shr_u).op(Op.i32_wrap_i64).localSet(L_W1);
    this.bswap32(L_W0);
    c.op(Op.i64_extend_i32_u).i64Const(32, 0).op(Op.i64_shl);
    this.bswap32(L_W1);
    c.op(Op.i64_extend_i32_u).op(Op.i64_or).localSet(d);
  }

  /** Pushes bswap32(local w): rotl(w & 0xff00ff00, 8) | rotr(w & 0x00ff00ff, 8). */
  private bswap32(w: number): void {
    const c = this.c;
    c.localGet(w)
      .i32Const(0xff00ff00 | 0)
      .op(Op.i32_and)
      .i32Const(8)
      .op(Op.i32_rotl);
    c.localGet(w).i32Const(0x00ff00ff).op(Op.i32_and).i32Const(8).op(Op.i32_rotr);
    c.op(Op.i32_or);
  }
}
