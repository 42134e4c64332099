/**
 * Lowers one BPF subprogram to one WebAssembly function.
 *
 * Registers are i64 locals. Control flow is a `loop` around nested `block`s, one per jump target, in slot
 * order: a forward jump is a plain `br` to the end of the target's block (no dispatch), and only backward
 * jumps go through the loop head's `br_table`, which maps a compact loop-head number to its block. This is
 * sound for any control-flow graph (irreducible ones too), needs no relooper, and costs one `br_table` per
 * loop iteration.
 */

import { RuntimeError } from "../errors.ts";
import { branchTarget, type ControlFlow, isLddw, isLocalCall, type Subprogram } from "./cfg.ts";
import { AluEmitter } from "./wasm-emit-alu.ts";

import {
  L_FW,
  L_LABEL,
  L_REM,
  L_T0,
  L_TA,
  L_W0,
  P_DEPTH,
  RESULT_TYPES,
  reg,
  TAIL_CALL_HELPER,
  TrapCode,
} from "./wasm-frame.ts";
import { type CodeWriter, Op } from "./wasm-writer.ts";

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
  readonly emitTranslate: (c: CodeWriter, size: number, write: boolean, pc: number, scratch: number) => void;
  /** Function index of `xlate(addr, size, need, pc) -> i32` (pc -1: return -1 instead of faulting). */
  readonly translateFunction: number;
  /** Permission bits of a read+write access, for the frame lookup at entry. */
  readonly needReadWrite: number;
  /** Emits what must follow a helper call (the region table may have changed). */
  readonly emitAfterHelper: (c: CodeWriter) => void;
  /** Emits the copy of the region caches into the function's locals (entry, after local calls). */
  readonly emitCacheLoad: (c: CodeWriter) => void;
}

export const HELPER_LOCALS = {
  r1: reg(1),
  r2: reg(2),
  r3: reg(3),
  r4: reg(4),
  r5: reg(5),
  rem: L_REM,
} as const;

interface Layout {
  /** Jump-target slots in ascending order; `blockOf` maps a slot to its index here. */
  readonly targets: readonly number[];
  readonly blockOf: ReadonlyMap<number, number>;
  /** Loop head slot → dispatch label. */
  readonly labelOf: ReadonlyMap<number, number>;
  /** Dispatch label → target index. */
  readonly dispatch: readonly number[];
}

function layout(sub: Subprogram): Layout {
  // One block per leader: blocks cost nothing at run time, and each leader starts a budget charge.
  const { loopHeads } = sub;
  const targets = sub.leaders;
  const blockOf = new Map<number, number>();
  targets.forEach((t, i) => {
    blockOf.set(t, i);
  });
  const labelOf = new Map<number, number>([[sub.start, 0]]);
  const dispatch = [0];
  for (const h of [...loopHeads].sort((a, b) => a - b)) {
    if (labelOf.has(h)) continue;
    labelOf.set(h, dispatch.length);
    dispatch.push(blockOf.get(h) ?? 0);
  }
  return { targets, blockOf, labelOf, dispatch };
}

/** Emits subprogram `k` of `env.cfg` into `c`. */
export function emitSubprogram(c: CodeWriter, env: EmitEnv, k: number): void {
  const sub = env.cfg.subprograms[k];
  if (sub === undefined) throw new RuntimeError("EBPF_JIT_INTERNAL", `no subprogram ${k}`);
  const s = env.cfg.slots;
  const lay = layout(sub);
  const m = lay.targets.length;

  c.globalGet(env.remainingGlobal).localSet(L_REM);
  env.emitCacheLoad(c);
  // The frame [r10 - frameSize, r10) is one region by construction of the memory model; translating it
  // once lets r10-relative accesses with a constant offset inside the frame skip the check.
  c.localGet(reg(10)).i64ConstS32(env.frameSize).op(Op.i64_sub);
  c.i32Const(env.frameSize).i32Const(env.needReadWrite).i32Const(-1).call(env.translateFunction);
  c.localTee(L_FW).i32Const(-1).op(Op.i32_eq).if();
  trap(c, env, TrapCode.stackFrame, sub.start);
  c.end();
  c.loop();
  for (let j = m - 1; j >= 0; j--) c.block();
  // Dispatcher: label → depth of the target's block (block j sits at depth j here).
  c.block();
  c.localGet(L_LABEL).brTable(
    lay.dispatch.map((j) => j + 1),
    1,
  );
  c.end();

  let seg = -1; // index of the open code segment
  const emitter = new InsnEmitter(c, env, lay, () => seg);
  for (let i = sub.start; i < sub.end; i++) {
    const bi = lay.blockOf.get(i);
    if (bi !== undefined) {
      c.end(); // close block `bi`: code at slot i follows
      seg = bi;
      chargeBudget(c, env, sub, lay, i, emitter);
    }
    emitter.insn(i);
    if (isLddw(s, i)) i++;
  }
  c.end(); // loop
  trap(c, env, TrapCode.fellOff, sub.end - 1);
  // Unreachable, but the validator wants the declared results on the stack.
  for (let r = 0; r < RESULT_TYPES.length; r++) c.i64Const(0, 0);
}

/**
 * Charges the basic block starting at `i` against the budget in one step. When the block does not fit in
 * what is left, a stepped copy of the block runs instead: it charges instruction by instruction and traps
 * at the exact pc where the interpreter would stop, so both engines leave the same memory behind. The
 * copy never reaches the block's last instruction (the budget is gone by then), so it holds no branch.
 */
function chargeBudget(
  c: CodeWriter,
  env: EmitEnv,
  sub: Subprogram,
  lay: Layout,
  i: number,
  emitter: InsnEmitter,
): void {
  const s = env.cfg.slots;
  const slots: number[] = [];
  for (let j = i; j < sub.end; j++) {
    if (j !== i && lay.blockOf.has(j)) break;
    slots.push(j);
    const ends = branchTarget(s, j) !== undefined || s.opcode[j] === 0x95;
    if (isLddw(s, j)) j++;
    if (ends) break;
  }
  const n = slots.length;
  c.localGet(L_REM).i32Const(n).op(Op.i32_sub).localTee(L_REM).i32Const(0).op(Op.i32_lt_s).if();
  if (n > 1) {
    c.localGet(L_REM).i32Const(n).op(Op.i32_add).localSet(L_REM);
    for (const j of slots.slice(0, -1)) {
      c.localGet(L_REM).op(Op.i32_eqz).if();
      trap(c, env, TrapCode.budget, j);
      c.end();
      c.localGet(L_REM).i32Const(1).op(Op.i32_sub).localSet(L_REM);
      emitter.insn(j);
    }
  }
  trap(c, env, TrapCode.budget, slots[n - 1] ?? i);
  c.end();
}

function trap(c: CodeWriter, env: EmitEnv, code: number, pc: number): void {
  c.i32Const(code).i32Const(pc).i32Const(0).i32Const(0).call(env.trapFunction).op(Op.unreachable);
}

class InsnEmitter extends AluEmitter {
  constructor(
    c: CodeWriter,
    private readonly env: EmitEnv,
    private readonly lay: Layout,
    private readonly seg: () => number,
  ) {
    super(c, env.cfg.slots);
  }

  /** Branch to slot `t` from the current segment, nested `inner` levels deeper than the segment. */
  private jump(t: number, inner: number): void {
    const c = this.c;
    const j = this.lay.blockOf.get(t);
    if (j === undefined) throw new RuntimeError("EBPF_JIT_INTERNAL", `no block for target ${t}`);
    const k = this.seg();
    const m = this.lay.targets.length;
    if (j > k) {
      c.br(j - k - 1 + inner);
      return;
    }
    const label = this.lay.labelOf.get(t);
    if (label === undefined) throw new RuntimeError("EBPF_JIT_INTERNAL", `no loop label for ${t}`);
    c.i32Const(label)
      .localSet(L_LABEL)
      .br(m - 1 - k + inner);
  }

  insn(i: number): void {
    const s = this.env.cfg.slots;
    const op = s.opcode[i] ?? 0;
    const cls = op & 7;
    switch (cls) {
      case 0x07:
        this.alu64(i, op);
        return;
      case 0x04:
        this.alu32(i, op);
        return;
      case 0x05:
      case 0x06:
        this.jmp(i, op, cls === 0x06);
        return;
      case 0x01:
        this.ldx(i, op);
        return;
      case 0x02:
      case 0x03:
        this.store(i, op);
        return;
      case 0x00:
        this.ld(i, op);
        return;
    }
  }

  protected bad(i: number): void {
    trap(this.c, this.env, TrapCode.badInstruction, i);
  }

  private jmp(i: number, op: number, is32: boolean): void {
    const c = this.c;
    const s = this.env.cfg.slots;
    const code = op & 0xf0;
    if (code === 0x00) {
      const t = branchTarget(s, i);
      if (t === undefined) {
        this.bad(i);
        return;
      }
      this.jump(t, 0);
      return;
    }
    if (code === 0x80) {
      this.call(i, op);
      return;
    }
    if (code === 0x90) {
      if (op !== 0x95) {
        this.bad(i);
        return;
      }
      c.localGet(L_REM).globalSet(this.env.remainingGlobal);
      for (let r = 0; r <= 5; r++) c.localGet(reg(r));
      c.return();
      return;
    }
    const cmp = is32 ? CMP32[code] : CMP64[code];
    if (cmp === undefined) {
      this.bad(i);
      return;
    }
    const d = reg(s.dst[i] ?? 0);
    if (is32) {
      c.localGet(d).op(Op.i32_wrap_i64);
      this.src32(i);
    } else {
      c.localGet(d);
      this.src64(i);
    }
    if (code === 0x40) {
      // jset: (dst & src) != 0
      if (is32) c.op(Op.i32_and);
      else c.op(Op.i64_and).op(Op.i64_eqz).op(Op.i32_eqz);
    } else c.op(cmp);
    const t = branchTarget(s, i);
    if (t === undefined) {
      this.bad(i);
      return;
    }
    const j = this.lay.blockOf.get(t) ?? -1;
    if (j > this.seg()) c.brIf(j - this.seg() - 1);
    else {
      c.if();
      this.jump(t, 1);
      c.end();
    }
  }

  private call(i: number, op: number): void {
    const c = this.c;
    const env = this.env;
    const s = env.cfg.slots;
    if (op === 0x8d) {
      // callx: helper id in dst (the bpf_conformance `call %rN` form); resolved by the host at run time.
      const d = reg(s.dst[i] ?? 0);
      if (env.tailCallFunction >= 0) {
        // callx with id 12 is a tail call in the interpreter too (it reads the low 32 bits).
        c.localGet(d).op(Op.i32_wrap_i64).i32Const(TAIL_CALL_HELPER).op(Op.i32_eq).if();
        this.tailCall(i);
        c.else();
        this.helperCall(i, env.dynamicHelperFunction, d);
        c.end();
      } else this.helperCall(i, env.dynamicHelperFunction, d);
      return;
    }
    if (op !== 0x85) {
      this.bad(i);
      return;
    }
    if (isLocalCall(s, i)) {
      const target = i + 1 + (s.imm[i] ?? 0);
      const k = env.cfg.subprogramAt.get(target);
      if (k === undefined) {
        this.bad(i);
        return;
      }
      c.localGet(P_DEPTH)
        .i32Const(env.maxCallDepth - 1)
        .op(Op.i32_ge_u)
        .if();
      trap(c, env, TrapCode.callDepth, i);
      c.end();
      c.localGet(L_REM).globalSet(env.remainingGlobal);
      for (let r = 0; r <= 9; r++) c.localGet(reg(r));
      c.localGet(reg(10)).i64ConstS32(env.frameSize).op(Op.i64_sub);
      c.localGet(P_DEPTH).i32Const(1).op(Op.i32_add);
      c.call(env.functionOf(k));
      for (let r = 5; r >= 0; r--) c.localSet(reg(r));
      c.globalGet(env.remainingGlobal).localSet(L_REM);
      env.emitCacheLoad(c); // the callee may have refilled or emptied the caches
      return;
    }
    if (s.src[i] !== 0) {
      this.bad(i);
      return;
    }
    const id = s.imm[i] ?? 0;
    if (id === TAIL_CALL_HELPER && env.tailCallFunction >= 0) {
      // Without a registered helper 12 the engine owns tail calls (ARCHITECTURE.md §5).
      this.tailCall(i);
      return;
    }
    const fn = env.helperFunction(id);
    if (fn !== undefined) this.helperCall(i, fn, -1);
    else this.helperCall(i, env.dynamicHelperFunction, -1, id);
  }

  /**
   * Calls a helper import with r1–r5 as halves and the pc; r0 = result (low half) | `r0hi` global (high).
   * With `idLocal` (or `constId`) the import is the dynamic one, which takes the helper id's halves first.
   */
  private helperCall(i: number, fn: number, idLocal: number, constId?: number): void {
    const c = this.c;
    const env = this.env;
    c.localGet(L_REM).globalSet(env.remainingGlobal);
    if (idLocal >= 0) this.pushHalves(idLocal);
    else if (constId !== undefined) c.i32Const(constId).i32Const(0);
    for (let r = 1; r <= 5; r++) this.pushHalves(reg(r));
    c.i32Const(i).call(fn).op(Op.i64_extend_i32_u);
    c.globalGet(env.r0Globals[1]).op(Op.i64_extend_i32_u).i64Const(32, 0).op(Op.i64_shl).op(Op.i64_or);
    c.localSet(reg(0));
    c.globalGet(env.remainingGlobal).localSet(L_REM);
    env.emitAfterHelper(c);
  }

  private pushHalves(local: number): void {
    this.c.localGet(local).op(Op.i32_wrap_i64);
    this.c.localGet(local).i64Const(32, 0).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
  }

  /**
   * `bpf_tail_call(ctx, map, index)`: the host runs the target in this frame with every register as it is
   * (the interpreter keeps its register file), sharing the budget; on success this function returns the
   * target's r0 as if it had exited here. On failure execution continues with r0 unchanged.
   */
  private tailCall(i: number): void {
    const c = this.c;
    const env = this.env;
    c.localGet(L_REM).globalSet(env.remainingGlobal);
    for (let r = 0; r <= 10; r++) this.pushHalves(reg(r));
    c.localGet(P_DEPTH).i32Const(i).call(env.tailCallFunction);
    c.globalGet(env.remainingGlobal).localSet(L_REM);
    env.emitAfterHelper(c);
    c.if();
    c.globalGet(env.r0Globals[0]).op(Op.i64_extend_i32_u);
    c.globalGet(env.r0Globals[1]).op(Op.i64_extend_i32_u).i64Const(32, 0).op(Op.i64_shl).op(Op.i64_or);
    for (let r = 1; r <= 5; r++) c.localGet(reg(r));
    c.return();
    c.end();
  }

  private ldx(i: number, op: number): void {
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
    const imm = this.address(i, s.src[i] ?? 0, size, false);
    c.mem(o, 0, imm).localSet(reg(s.dst[i] ?? 0));
  }

  /**
   * Pushes the checked wasm address of `base + off` and returns the constant to put in the access's
   * offset immediate (non-zero only on the r10 fast path).
   */
  private address(i: number, baseReg: number, size: number, write: boolean): number {
    const c = this.c;
    const off = this.env.cfg.slots.off[i] ?? 0;
    const fs = this.env.frameSize;
    if (baseReg === 10 && off >= -fs && off <= -size) {
      c.localGet(L_FW);
      return fs + off;
    }
    c.localGet(reg(baseReg));
    if (off !== 0) c.i64ConstS32(off).op(Op.i64_add);
    this.env.emitTranslate(c, size, write, i, L_TA);
    return 0;
  }

  private store(i: number, op: number): void {
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
    const at = this.address(i, s.dst[i] ?? 0, size, true);
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
    const at = this.address(i, s.dst[i] ?? 0, size, true);
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

  private ld(i: number, op: number): void {
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

const CMP64: Record<number, Op> = {
  16: Op.i64_eq,
  32: Op.i64_gt_u,
  48: Op.i64_ge_u,
  64: Op.i64_and,
  80: Op.i64_ne,
  96: Op.i64_gt_s,
  112: Op.i64_ge_s,
  160: Op.i64_lt_u,
  176: Op.i64_le_u,
  192: Op.i64_lt_s,
  208: Op.i64_le_s,
};
const CMP32: Record<number, Op> = {
  16: Op.i32_eq,
  32: Op.i32_gt_u,
  48: Op.i32_ge_u,
  64: Op.i32_and,
  80: Op.i32_ne,
  96: Op.i32_gt_s,
  112: Op.i32_ge_s,
  160: Op.i32_lt_u,
  176: Op.i32_le_u,
  192: Op.i32_lt_s,
  208: Op.i32_le_s,
};
