import { test } from "uvu";
import * as assert from "uvu/assert";
import { HelperTable, JitProgram, type Program, RuntimeError, Vm } from "../src/index.ts";

// Programs are raw bytes built here, so these tests depend on neither the assembler nor the disassembler.
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
const u64 = (v: bigint) => BigInt.asUintN(64, v);

function helpers(): HelperTable {
  return new HelperTable()
    .register(1, "add", (c) => c.arg(1) + c.arg(2))
    .register(2, "thousand", () => 2000n)
    .register(7, "seven", () => 7000n);
}

interface Outcome {
  r0?: bigint;
  instructions?: number;
  code?: string;
  pc?: number | bigint | undefined;
  address?: bigint | undefined;
  ctx: number[];
}

function runIn(engine: string, prog: number[][], ctx?: Uint8Array, budget?: number): Outcome {
  const vm = new Vm({ engine, helpers: helpers() });
  const p: Program = vm.load(new Uint8Array(prog.flat()));
  const context = ctx?.slice();
  try {
    const r = p.run({ ...(context ? { context } : {}), ...(budget === undefined ? {} : { budget }) });
    return { r0: r.r0, instructions: r.instructions, ctx: [...(context ?? [])] };
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    return { code: e.code, pc: e.pc, address: e.address, ctx: [...(context ?? [])] };
  }
}

/** Runs in the JIT and the interpreter, asserts they agree on everything, returns the outcome. */
function run(prog: number[][], ctx?: Uint8Array, budget?: number): Outcome {
  const jit = runIn("jit", prog, ctx, budget);
  const interp = runIn("interpreter", prog, ctx, budget);
  assert.equal(jit, interp, "JIT and interpreter disagree");
  return jit;
}

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
    assert.is(r.code, undefined, `case ${k}`);
    assert.is(r.r0, want, `case ${k}`);
  });
});

test("a backward loop, and the budget stops at the exact instruction like the interpreter", () => {
  // r0 = 0; r1 = 100; loop: r0 += r1; r1 -= 1; if r1 != 0 goto loop; exit
  const p = [
    insn(0xb7, 0, 0, 0, 0),
    insn(0xb7, 1, 0, 0, 100),
    insn(0x0f, 0, 1),
    insn(0x17, 1, 0, 0, 1),
    insn(0x55, 1, 0, -3, 0),
    exit(),
  ];
  assert.equal(run(p).r0, 5050n);
  assert.is(run(p).instructions, 303);
  assert.is(run(p, undefined, 303).r0, 5050n);
  assert.equal(run(p, undefined, 302), { code: "EBPF_BUDGET_EXCEEDED", pc: 5, address: undefined, ctx: [] });
  assert.is(run(p, undefined, 300).pc, 3);
  assert.is(run(p, undefined, 1).pc, 1);
  // Stores before the stop are done; those after are not (the context is copied back on errors too).
  const st = [insn(0x72, 1, 0, 0, 1), insn(0x72, 1, 0, 1, 2), insn(0x72, 1, 0, 2, 3), exit()];
  const r = run(st, new Uint8Array(3), 2);
  assert.is(r.code, "EBPF_BUDGET_EXCEEDED");
  assert.equal(r.ctx, [1, 2, 0]);
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
  assert.is(r.code, undefined);
  assert.is(r.r0, u64(-256n + 0xff80n));
  assert.equal(r.ctx, [0x85, 0xff, 1, 2, 4, 3, 2, 1]);
  // cmpxchg compares with r0 and returns the old value in r0.
  const x = [insn(0xb7, 0, 0, 0, 0x80), insn(0xb7, 2, 0, 0, 9), insn(0xc3, 1, 2, 0, 0xf1), exit()];
  const rx = run(x, new Uint8Array([0x80, 0, 0, 0]));
  assert.is(rx.r0, 0x80n);
  assert.equal(rx.ctx, [9, 0, 0, 0]);
});

test("out-of-region accesses fault with pc and address, also after the region cache was primed", () => {
  const f = run([insn(0xb7, 1, 0, 0, 16), insn(0x79, 0, 1, 0), exit()]);
  assert.equal([f.code, f.pc, f.address], ["EBPF_MEMORY_FAULT", 1, 16n]);
  // A byte loop running off the end of the context.
  const loop = [
    insn(0xb7, 0),
    insn(0xbf, 3, 1),
    insn(0x71, 4, 3, 0),
    insn(0x0f, 0, 4),
    insn(0x07, 3, 0, 0, 1),
    insn(0x05, 0, 0, -4),
    exit(),
  ];
  const r = run(loop, new Uint8Array(32).fill(1));
  assert.is(r.code, "EBPF_MEMORY_FAULT");
  assert.is(r.pc, 2);
  // Reads across the end after a hit, and below the start.
  const two = (off: number) =>
    run([insn(0x79, 0, 1, 0), insn(0x79, 0, 1, off), exit()], new Uint8Array(32).fill(2));
  assert.is(two(24).r0, 0x0202020202020202n);
  assert.equal([two(25).code, two(25).pc], ["EBPF_MEMORY_FAULT", 1]);
  assert.equal([two(-1).code, two(-1).pc], ["EBPF_MEMORY_FAULT", 1]);
  // The stack region ends at r10: a store just above faults even right after a stack access.
  const above = run([insn(0x79, 0, 10, -8), insn(0xbf, 2, 10), insn(0x7a, 2, 0, 0, 1), exit()]);
  assert.equal([above.code, above.pc], ["EBPF_MEMORY_FAULT", 2]);
  // Through a computed pointer the whole stack region (all 8 frames) is reachable, and nothing below it.
  const low = (off: number) =>
    run([insn(0xbf, 2, 10), insn(0x07, 2, 0, 0, -4096), insn(0x79, 0, 2, off), exit()]);
  assert.is(low(0).r0, 0n);
  assert.is(low(4088).r0, 0n);
  assert.equal([low(-1).code, low(-1).pc], ["EBPF_MEMORY_FAULT", 2]);
  assert.equal([low(4089).code, low(4089).pc], ["EBPF_MEMORY_FAULT", 2]);
});

test("region permissions: loads need READ, stores WRITE, atomics both, also after cache hits", () => {
  // Helper 20 maps a 16-byte region with the flags in r1 and returns its address.
  const withRegion = (flags: number, access: number[][]) => {
    const out: Outcome[] = [];
    for (const engine of ["jit", "interpreter"]) {
      const vm = new Vm({
        engine,
        helpers: new HelperTable().register(
          20,
          "map",
          (c) => c.memory.map(new Uint8Array(16), c.argLo(1), "USER").address,
        ),
      });
      const prog = [insn(0xb7, 1, 0, 0, flags), insn(0x85, 0, 0, 0, 20), insn(0xbf, 6, 0), ...access, exit()];
      try {
        const r = vm.load(new Uint8Array(prog.flat())).run();
        out.push({ r0: r.r0, instructions: r.instructions, ctx: [] });
      } catch (e) {
        out.push({ code: (e as RuntimeError).code, pc: (e as RuntimeError).pc, ctx: [] });
      }
    }
    assert.equal(out[0], out[1], "JIT and interpreter disagree");
    return out[0]?.code ?? "ok";
  };
  const load = [insn(0x79, 0, 6, 0), insn(0x79, 0, 6, 8)];
  const store = [insn(0x7a, 6, 0, 0, 1), insn(0x7a, 6, 0, 8, 1)];
  const atomic = [insn(0x7a, 6, 0, 0, 1), insn(0xb7, 2, 0, 0, 1), insn(0xdb, 6, 2, 8, 0)];
  assert.is(withRegion(1, load), "ok");
  assert.is(withRegion(1, store), "EBPF_MEMORY_FAULT");
  assert.is(withRegion(2, store), "ok");
  assert.is(withRegion(2, load), "EBPF_MEMORY_FAULT");
  assert.is(withRegion(2, atomic), "EBPF_MEMORY_FAULT"); // the first store hit the write-only region
  assert.is(withRegion(3, atomic), "ok");
  assert.is(withRegion(1, atomic), "EBPF_MEMORY_FAULT");
});

test("a helper that grows the memory: the program keeps running against the grown memory", () => {
  for (const engine of ["jit", "interpreter"]) {
    const vm = new Vm({
      engine,
      helpers: new HelperTable().register(21, "big", (c) => {
        const r = c.memory.map(new Uint8Array(1 << 20).fill(7), 3, "USER");
        return r.address + BigInt((1 << 20) - 8);
      }),
    });
    const before = vm.memory.wasm.buffer.byteLength;
    // r6 = ctx; r0 = big(); *(u64*)(r0) += 1 (atomic); r0 = *(u64*)(r0) + *(u8*)(r6)
    const prog = [
      insn(0xbf, 6, 1),
      insn(0x85, 0, 0, 0, 21),
      insn(0xb7, 2, 0, 0, 1),
      insn(0xdb, 0, 2, 0, 0),
      insn(0x79, 3, 0, 0),
      insn(0x71, 4, 6, 0),
      insn(0xbf, 0, 3),
      insn(0x0f, 0, 4),
      exit(),
    ];
    const r = vm.load(new Uint8Array(prog.flat())).run({ context: new Uint8Array([5]) });
    assert.ok(vm.memory.wasm.buffer.byteLength > before, engine);
    assert.is(r.r0, 0x0707070707070708n + 5n, engine);
  }
});

test("bpf-to-bpf calls keep r6-r9, pass r1-r5 back, use a fresh frame; the depth is bounded", () => {
  const p = [
    insn(0xb7, 6, 0, 0, 7),
    insn(0x7b, 10, 6, -8),
    insn(0xb7, 1, 0, 0, 5),
    insn(0x85, 0, 1, 0, 4), // call +4
    insn(0x79, 2, 10, -8),
    insn(0x0f, 0, 2),
    insn(0x0f, 0, 1), // r1 as the callee left it
    exit(),
    // sub: r6 = 100; *(r10-8) = r6; r0 = r1 * 2; r1 = 1000
    insn(0xb7, 6, 0, 0, 100),
    insn(0x7b, 10, 6, -8),
    insn(0xbf, 0, 1),
    insn(0x27, 0, 0, 0, 2),
    insn(0xb7, 1, 0, 0, 1000),
    exit(),
  ];
  assert.is(run(p).r0, 1017n);
  // The callee starts with the caller's registers (one register file in the interpreter).
  const q = [insn(0xb7, 7, 0, 0, 42), insn(0x85, 0, 1, 0, 1), exit(), insn(0xbf, 0, 7), exit()];
  assert.is(run(q).r0, 42n);
  // Eight frames deep is refused at run time by both engines (the verifier allows the chain of 8 calls
  // only when it is not recursive, so build a straight chain of 8 calls).
  const chain: number[][] = [];
  for (let k = 0; k < 8; k++) chain.push(insn(0x85, 0, 1, 0, 1), exit());
  chain.push(insn(0xb7, 0, 0, 0, 1), exit());
  const deep = (() => {
    try {
      return run(chain);
    } catch (e) {
      return { code: (e as RuntimeError).code };
    }
  })();
  assert.ok(deep.code === "EBPF_CALL_DEPTH" || deep.code === "EBPF_VERIFY_CALL_DEPTH", String(deep.code));
});

test("helpers are called through imports with r1-r5; callx and late-registered ids work", () => {
  assert.is(run([insn(0xb7, 1, 0, 0, 40), insn(0xb7, 2, 0, 0, 2), insn(0x85, 0, 0, 0, 1), exit()]).r0, 42n);
  assert.is(run([insn(0x85, 0, 0, 0, 2), exit()]).r0, 2000n);
  assert.is(run([insn(0xb7, 3, 0, 0, 7), insn(0x8d, 3), exit()]).r0, 7000n);
  const unknown = run([insn(0xb7, 3, 0, 0, 99), insn(0x8d, 3), exit()]);
  assert.equal([unknown.code, unknown.pc], ["EBPF_UNKNOWN_HELPER", 1]);
});

test("tail calls replace the program, keep registers, share the budget, stop after 33", () => {
  for (const engine of ["jit", "interpreter"]) {
    const vm = new Vm({ engine });
    // target: r0 = r6 + 1 (r6 survives the tail call)
    const target = vm.load(new Uint8Array([insn(0xbf, 0, 6), insn(0x07, 0, 0, 0, 1), exit()].flat()));
    // caller: r6 = 41; tail_call(ctx, 0x77, 0); r0 = 5 (only reached when the call fails)
    const caller = vm.load(
      new Uint8Array(
        [
          insn(0xb7, 6, 0, 0, 41),
          lddw(2, 0x77n),
          insn(0xb7, 3, 0, 0, 0),
          insn(0x85, 0, 0, 0, 12),
          insn(0xb7, 0, 0, 0, 5),
          exit(),
        ].flat(),
      ),
    );
    vm.setProgramArray(0x77n, { get: (i) => (i === 0 ? target : undefined) });
    const r = caller.run();
    assert.is(r.r0, 42n, engine);
    assert.is(r.instructions, 4 + 3, engine);
    // A self tail call chain ends after 33 tail calls; the 34th falls through.
    const self = vm.load(
      new Uint8Array(
        [
          insn(0x07, 6, 0, 0, 1),
          lddw(2, 0x78n),
          insn(0xb7, 3, 0, 0, 0),
          insn(0x85, 0, 0, 0, 12),
          insn(0xbf, 0, 6),
          exit(),
        ].flat(),
      ),
    );
    vm.setProgramArray(0x78n, { get: () => self });
    assert.is(self.run().r0, 34n, engine);
  }
});

test("legacy packet loads read big-endian from the context; out of bounds ends the run with 0", () => {
  const ctx = new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
  assert.is(run([insn(0x28, 0, 0, 0, 2), exit()], ctx).r0, 0x5678n);
  assert.is(run([insn(0x20, 0, 0, 0, 4), exit()], ctx).r0, 0x9abcdef0n);
  assert.is(run([insn(0x38, 0, 0, 0, 0), exit()], ctx).r0, 0x123456789abcdef0n);
  assert.is(run([insn(0xb7, 3, 0, 0, 5), insn(0x50, 0, 3, 0, 1), exit()], ctx).r0, 0xden);
  const oob = run([insn(0xb7, 0, 0, 0, 9), insn(0x30, 0, 0, 0, 8), insn(0xb7, 0, 0, 0, 7), exit()], ctx);
  assert.equal([oob.r0, oob.instructions], [0n, 2]);
  assert.is(run([insn(0xb7, 3, 0, 0, -1), insn(0x50, 0, 3, 0, 0), exit()], ctx).r0, 0n);
});

test("a subprogram too large for one wasm function runs in the interpreter, with the same results", () => {
  // 40,000 cmpxchg through r1 compile to about 7.8 MB of wasm, over V8's 7,654,321-byte function limit.
  const body: number[][] = [insn(0xb7, 2, 0, 0, 5)];
  for (let k = 0; k < 40_000; k++) body.push(insn(0xdb, 1, 2, 0, 0xf1), insn(0x07, 0, 0, 0, 1));
  body.push(exit());
  const bytes = new Uint8Array(body.flat());
  const jit = new Vm({ engine: "jit" }).load(bytes);
  assert.not.ok(jit.prepared instanceof JitProgram);
  const ctx = () => new Uint8Array(8);
  const a = jit.run({ context: ctx() });
  const b = new Vm().load(bytes).run({ context: ctx() });
  assert.equal(a, b);
  // A small program in the same Vm is still compiled.
  assert.ok(jit.vm.load(new Uint8Array(exit())).prepared instanceof JitProgram);
});

test.run();
