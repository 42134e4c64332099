/**
 * Lowers one BPF subprogram to one WebAssembly function.
 *
 * Registers are i64 locals. Control flow is a `loop` around nested `block`s, one per block leader, in slot
 * order: a forward jump is a plain `br` to the end of the target's block (no dispatch), and only backward
 * jumps go through the loop head's `br_table`, which maps a compact loop-head number to its block. This is
 * sound for any control-flow graph (irreducible ones too), needs no relooper, and costs one `br_table` per
 * loop iteration.
 */

import { RuntimeError } from "../errors.ts";
import { branchTarget, isLddw, isLocalCall, type Subprogram } from "./cfg.ts";
import { MemEmitter, trap } from "./wasm-emit-mem.ts";
import {
  type EmitEnv,
  L_FW,
  L_LABEL,
  L_REM,
  P_DEPTH,
  RESULT_TYPES,
  reg,
  TAIL_CALL_HELPER,
  TrapCode,
} from "./wasm-frame.ts";
import { type CodeWriter, Op } from "./wasm-writer.ts";

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
  // A block whose instructions before the last only compute on registers (ALU, lddw) leaves nothing
  // observable when the budget stops it part-way: registers are not reported after an error. So it needs
  // no stepped copy; the host finds the pc from the number of instructions that fitted (rem + n).
  if (n > 1 && slots.slice(0, -1).every((j) => registerOnly(s.opcode[j] ?? 0))) {
    c.i32Const(TrapCode.budgetInBlock).i32Const(i);
    c.localGet(L_REM).i32Const(n).op(Op.i32_add).i32Const(0).call(env.trapFunction).op(Op.unreachable);
    c.end();
    return;
  }
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

/** ALU, ALU64 and lddw: instructions that cannot fault, call out or touch memory. */
function registerOnly(op: number): boolean {
  const cls = op & 7;
  return cls === 0x04 || cls === 0x07 || op === 0x18;
}

class InsnEmitter extends MemEmitter {
  constructor(
    c: CodeWriter,
    env: EmitEnv,
    private readonly lay: Layout,
    private readonly seg: () => number,
  ) {
    super(c, env);
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
}

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
