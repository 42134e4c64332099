import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileJit, JitInstance } from "../src/jit/compile.ts";
import type { RegionTableLayout } from "../src/jit/memory-check.ts";
import { Wasm } from "../src/jit/wasm-api.ts";

// A self-contained host for the compiler alone: region table at wasm 0, stack at 0x1000, context at 0x2000.
const TABLE: RegionTableLayout = {
  offset: 0,
  entriesAt: 8,
  entrySize: 24,
  start: 0,
  length: 8,
  wasmAddress: 12,
  flags: 16,
  flagRead: 1,
  flagWrite: 2,
};
const STACK_W = 0x1000;
const STACK_V = 0x1_0000_0000n; // BPF addresses differ from wasm addresses on purpose
const CTX_W = 0x2000;
const CTX_V = 0x2_0000_0000n;

function insn(op: number, dst = 0, src = 0, off = 0, imm = 0): number[] {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint8(0, op);
  dv.setUint8(1, (src << 4) | dst);
  dv.setInt16(2, off, true);
  dv.setInt32(4, imm, true);
  return [...b];
}
function lddw(dst: number, v: bigint): number[] {
  const u = BigInt.asUintN(64, v);
  return [...insn(0x18, dst, 0, 0, Number(u & 0xffffffffn) | 0), ...insn(0, 0, 0, 0, Number(u >> 32n) | 0)];
}
const exit = () => insn(0x95);

interface RunResult {
  r0: bigint;
  ctx: Uint8Array;
  error?: { code: number; pc: number } | { fault: bigint; pc: number };
}

function run(prog: number[][], ctx: Uint8Array = new Uint8Array(0), budget = 1_000_000): RunResult {
  const memory = new Wasm.Memory({ initial: 1 });
  const dv = new DataView(memory.buffer);
  const u8 = new Uint8Array(memory.buffer);
  u8.set(ctx, CTX_W);
  dv.setUint32(0, 2, true);
  const entry = (k: number, v: bigint, len: number, w: number, flags: number) => {
    const e = 8 + k * 24;
    dv.setBigUint64(e, v, true);
    dv.setUint32(e + 8, len, true);
    dv.setUint32(e + 12, w, true);
    dv.setUint32(e + 16, flags, true);
  };
  entry(0, STACK_V, 512 * 8, STACK_W, 3);
  entry(1, CTX_V, ctx.length, CTX_W, 3);
  const code = new Uint8Array(prog.flat());
  const compiled = compileJit(code, {
    regionTable: TABLE,
    frameSize: 512,
    maxCallDepth: 8,
    helperIds: new Set([1, 2]),
  });
  class Stop extends Error {
    constructor(readonly info: NonNullable<RunResult["error"]>) {
      super("stop");
    }
  }
  const inst = new JitInstance(compiled, {
    memory,
    trap: (c, pc) => {
      throw new Stop({ code: c, pc });
    },
    fault: (pc, lo, hi) => {
      throw new Stop({ fault: (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0), pc });
    },
    helper: (id, _pc, r1, r2) => (id === 1 ? r1 + r2 : BigInt(id) * 1000n),
  });
  const out = new Int32Array(2);
  const r10 = STACK_V + 512n * 8n;
  try {
    const ctxArg = ctx.length > 0 ? CTX_V : 0n;
    inst.run(
      Number(ctxArg & 0xffffffffn),
      Number(ctxArg >> 32n),
      Number(r10 & 0xffffffffn),
      Number(r10 >> 32n),
      budget,
      out,
    );
  } catch (e) {
    if (e instanceof Stop) return { r0: 0n, ctx: u8.slice(CTX_W, CTX_W + ctx.length), error: e.info };
    throw e;
  }
  const r0 = (BigInt(out[1] ?? 0) << 32n) | BigInt((out[0] ?? 0) >>> 0);
  return { r0: BigInt.asUintN(64, r0), ctx: u8.slice(CTX_W, CTX_W + ctx.length) };
}

const u64 = (v: bigint) => BigInt.asUintN(64, v);

test("ALU64 and ALU32 arithmetic, including div/mod edge cases", () => {
  const cases: [number[][], bigint][] = [
    [[insn(0xb7, 0, 0, 0, -5), insn(0x07, 0, 0, 0, 3), exit()], u64(-2n)],
    [[insn(0xb4, 0, 0, 0, -5), exit()], 0xfffffffbn],
    [[insn(0xb7, 0, 0, 0, 7), insn(0x37, 0, 0, 0, 0), exit()], 0n],
    [[insn(0xb7, 0, 0, 0, 7), insn(0x97, 0, 0, 0, 0), exit()], 7n],
    [[lddw(0, -(1n << 63n)), insn(0xb7, 1, 0, 0, -1), insn(0x3f, 0, 1, 1), exit()], 1n << 63n],
    [[lddw(0, -13n), insn(0x97, 0, 0, 1, 3), exit()], u64(-1n)],
    [[lddw(0, 0x1_0000_0007n), insn(0xb4, 1, 0, 0, 0), insn(0x9c, 0, 1), exit()], 7n],
    [[insn(0xb4, 0, 0, 0, -0x80000000), insn(0x34, 0, 0, 1, -1), exit()], 0x80000000n],
    [[lddw(1, 0x8000_0000_0000_0000n), insn(0xbf, 0, 1, 0), insn(0xc7, 0, 0, 0, 63), exit()], u64(-1n)],
    [
      [lddw(1, 0x1234_5678_9abc_def0n), insn(0xbf, 0, 1, 0), insn(0xd7, 0, 0, 0, 64), exit()],
      0xf0de_bc9a_7856_3412n,
    ],
    [[lddw(0, 0x1234_5678_9abc_def0n), insn(0xdc, 0, 0, 0, 16), exit()], 0xf0den],
    [[lddw(0, 0x1234_5678_9abc_def0n), insn(0xdc, 0, 0, 0, 32), exit()], 0xf0de_bc9an],
    [[lddw(0, 0x1234_5678_9abc_def0n), insn(0xd4, 0, 0, 0, 16), exit()], 0xdef0n],
    [[insn(0xb7, 1, 0, 0, 0x80), insn(0xbf, 0, 1, 8), exit()], u64(-128n)],
    [[insn(0xb7, 1, 0, 0, 0x8000), insn(0xbc, 0, 1, 16), exit()], 0xffff8000n],
    [[insn(0xb7, 0, 0, 0, 1), insn(0x87, 0), exit()], u64(-1n)],
    [[insn(0xb7, 0, 0, 0, 1), insn(0x84, 0), exit()], 0xffffffffn],
  ];
  cases.forEach(([p, want], k) => {
    const r = run(p);
    assert.is(r.error, undefined, `case ${k}`);
    assert.is(r.r0, want, `case ${k}`);
  });
});

test("a backward loop sums 1..100 and the budget is charged per executed instruction", () => {
  // r0 = 0; r1 = 100; loop: r0 += r1; r1 -= 1; if r1 != 0 goto loop; exit
  const p = [
    insn(0xb7, 0, 0, 0, 0),
    insn(0xb7, 1, 0, 0, 100),
    insn(0x0f, 0, 1),
    insn(0x17, 1, 0, 0, 1),
    insn(0x55, 1, 0, -3, 0),
    exit(),
  ];
  assert.is(run(p).r0, 5050n);
  // 2 + 3*100 + 1 = 303 instructions
  assert.is(run(p, undefined, 303).error, undefined);
  // The budget stops at the exact instruction, inside a block, like the interpreter.
  assert.equal(run(p, undefined, 302).error, { code: 1, pc: 5 });
  assert.equal(run(p, undefined, 300).error, { code: 1, pc: 3 });
  assert.equal(run(p, undefined, 0).error, { code: 1, pc: 0 });
  // Stores before the stop are done; those after are not.
  const st = [insn(0x72, 1, 0, 0, 1), insn(0x72, 1, 0, 1, 2), insn(0x72, 1, 0, 2, 3), exit()];
  assert.equal([...run(st, new Uint8Array(3), 2).ctx], [1, 2, 0]);
  assert.equal(run(st, new Uint8Array(3), 2).error, { code: 1, pc: 2 });
});

test("forward jumps, JMP32 with a sign-extended immediate, jset", () => {
  const p = [
    lddw(1, 0xffff_ffff_ffff_fffen),
    insn(0xb7, 0, 0, 0, 1),
    insn(0x15, 1, 0, 1, -2), // jeq r1, -2 (sign-extended) -> +1
    insn(0xb7, 0, 0, 0, 99),
    insn(0x16, 1, 0, 1, -2), // jeq32 w1, -2 -> +1
    insn(0xb7, 0, 0, 0, 98),
    insn(0x45, 1, 0, 1, 1), // jset r1, 1 (not taken)
    insn(0x07, 0, 0, 0, 10),
    exit(),
  ];
  assert.is(run(p).r0, 11n);
});

test("stack and context loads/stores, sign-extending loads, atomics", () => {
  const ctx = new Uint8Array([0x80, 0xff, 1, 2, 3, 4, 5, 6]);
  const p = [
    insn(0x91, 0, 1, 0), // r0 = *(s8 *)(r1+0) = -128
    insn(0x7b, 10, 0, -8), // *(u64*)(r10-8) = r0
    insn(0x79, 2, 10, -8), // r2 = *(u64*)(r10-8)
    insn(0x0f, 0, 2), // r0 = -256
    insn(0x69, 3, 1, 0), // r3 = *(u16*)ctx = 0xff80
    insn(0x0f, 0, 3),
    insn(0xb7, 4, 0, 0, 5),
    insn(0xdb, 1, 4, 0, 0x01), // r4 = atomic_fetch_add((u64*)ctx, r4)
    insn(0x62, 1, 0, 4, 0x01020304), // *(u32*)(ctx+4) = imm
    exit(),
  ];
  const r = run(p, ctx);
  assert.is(r.error, undefined);
  assert.is(r.r0, u64(-256n + 0xff80n));
  assert.equal([...r.ctx], [0x85, 0xff, 1, 2, 4, 3, 2, 1]);
});

test("an out-of-region access faults with pc and address; a read past a region end faults", () => {
  const p = [insn(0xb7, 1, 0, 0, 16), insn(0x79, 0, 1, 0), exit()];
  assert.equal(run(p).error, { fault: 16n, pc: 1 });
  const q = [insn(0x79, 0, 1, 4), exit()];
  assert.equal(run(q, new Uint8Array(8)).error, { fault: CTX_V + 4n, pc: 0 });
  const ok = [insn(0x61, 0, 1, 4), exit()];
  assert.is(run(ok, new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0])).r0, 1n);
});

test("the region cache never lets an access past the region end through", () => {
  // r0 = 0; r2 = r1; loop: r3 = *(u8*)(r2+0); r0 += r3; r2 += 1; goto loop  (runs off the context's end)
  const p = [
    insn(0xb7, 0),
    insn(0xbf, 2, 1),
    insn(0x71, 3, 2, 0),
    insn(0x0f, 0, 3),
    insn(0x07, 2, 0, 0, 1),
    insn(0x05, 0, 0, -4),
    exit(),
  ];
  assert.equal(run(p, new Uint8Array(32).fill(1)).error, { fault: CTX_V + 32n, pc: 2 });
  const at = (off: number) => run([insn(0x79, 0, 1, off), exit()], new Uint8Array(32).fill(1));
  // Prime the cache with a hit, then read across the end.
  const two = (off: number) =>
    run([insn(0x79, 0, 1, 0), insn(0x79, 0, 1, off), exit()], new Uint8Array(32).fill(2));
  assert.is(at(24).r0, 0x0101010101010101n);
  assert.equal(at(25).error, { fault: CTX_V + 25n, pc: 0 });
  assert.is(two(24).r0, 0x0202020202020202n);
  assert.equal(two(25).error, { fault: CTX_V + 25n, pc: 1 });
  assert.equal(two(-1).error, { fault: CTX_V - 1n, pc: 1 });
  // Writes go through the write cache: a read-only hit must not let a write through.
  const ro = [insn(0x79, 0, 10, -8), insn(0x7a, 10, 0, 0, 1), exit()];
  assert.equal(run(ro).error, { fault: STACK_V + 4096n, pc: 1 });
});

test("bpf-to-bpf calls keep r6-r9, return r0, and use a fresh stack frame; depth is bounded", () => {
  const p = [
    insn(0xb7, 6, 0, 0, 7),
    insn(0x7b, 10, 6, -8),
    insn(0xb7, 1, 0, 0, 5),
    insn(0x85, 0, 1, 0, 3), // call +3
    insn(0x79, 2, 10, -8),
    insn(0x0f, 0, 2),
    exit(),
    // sub: r6 = 100; *(r10-8) = r6; r0 = r1 * 2
    insn(0xb7, 6, 0, 0, 100),
    insn(0x7b, 10, 6, -8),
    insn(0xbf, 0, 1),
    insn(0x27, 0, 0, 0, 2),
    exit(),
  ];
  assert.is(run(p).r0, 17n);
  const rec = [insn(0x85, 0, 1, 0, -1), exit()];
  assert.equal(run(rec).error, { code: 3, pc: 0 });
});

test("helpers are called through imports with r1-r5", () => {
  const p = [insn(0xb7, 1, 0, 0, 40), insn(0xb7, 2, 0, 0, 2), insn(0x85, 0, 0, 0, 1), exit()];
  assert.is(run(p).r0, 42n);
  const q = [insn(0x85, 0, 0, 0, 2), exit()];
  assert.is(run(q).r0, 2000n);
  // callx: the id comes from dst; ids the module does not import go through the dynamic import too.
  const x = [insn(0xb7, 3, 0, 0, 2), insn(0x8d, 3), exit()];
  assert.is(run(x).r0, 2000n);
  assert.is(run([insn(0x85, 0, 0, 0, 7), exit()]).r0, 7000n);
});

test.run();
