import { test } from "uvu";
import * as assert from "uvu/assert";
import { HelperId, HelperTable, ProgramMemory, RegionFlag, RuntimeError, Vm } from "../src/index.ts";

function fails(fn: () => unknown, code: string): RuntimeError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RuntimeError, String(e));
    assert.is(e.code, code, e.message);
    return e;
  }
  assert.unreachable(`no ${code}`);
  throw new Error("unreachable");
}

test("r1 points at the context, r2 holds its length, and writes reach the caller's bytes", () => {
  const vm = new Vm();
  const p = vm.load(`
    ldxb %r0, [%r1+1]
    stb [%r1+0], 0x7f
    add %r0, %r2
    exit`);
  const ctx = new Uint8Array([1, 2, 3]);
  const r = p.run({ context: ctx });
  assert.is(r.r0, 5n);
  assert.is(r.instructions, 4);
  assert.equal([...ctx], [0x7f, 2, 3]);
});

test("runs with and without a context alternate safely (regression: the context once overwrote the region table)", () => {
  for (const engine of ["interpreter", "jit"]) {
    const vm = new Vm({ engine });
    const p = vm.load("mov %r0, %r2\nexit");
    const small = new Uint8Array(8);
    const big = new Uint8Array(300);
    for (const ctx of [small, undefined, small, big, undefined, small, big]) {
      assert.is(p.run(ctx === undefined ? {} : { context: ctx }).r0, BigInt(ctx?.length ?? 0), engine);
    }
    assert.is(vm.memory.region(0).kind, "STACK");
  }
});

test("stacks are zeroed between runs", () => {
  const vm = new Vm();
  const write = vm.load("stdw [%r10-8], 77\nmov %r0, 0\nexit");
  const read = vm.load("ldxdw %r0, [%r10-8]\nexit");
  write.run();
  assert.is(read.run().r0, 0n);
});

test("an access outside every region is a run-time error naming pc and address", () => {
  const vm = new Vm();
  const p = vm.load(`
    mov %r0, 0
    ldxw %r0, [%r1+2]
    exit`);
  const e = fails(() => p.run({ context: new Uint8Array(4) }), "EBPF_MEMORY_FAULT");
  assert.is(e.pc, 1);
  assert.is(typeof e.address, "bigint");
  assert.match(e.message, /out-of-bounds read of 4 bytes at address 0x1[0-9a-f]{8} at pc 1/);
  assert.match(e.message, /runs 2 bytes past the end of the CONTEXT region/);
  assert.match(
    (() => {
      try {
        vm.load("mov %r1, 0\nldxb %r0, [%r1]\nexit").run();
      } catch (x) {
        return (x as Error).message;
      }
      return "";
    })(),
    /NULL or small integer/,
  );
  // NULL and small integers never reach memory; neither do writes to read-only regions.
  fails(() => vm.load("mov %r1, 0\nldxb %r0, [%r1]\nexit").run(), "EBPF_MEMORY_FAULT");
  const ro = vm.memory.map(new Uint8Array([9, 9]), RegionFlag.READ, "READ_ONLY_DATA");
  const w = vm.load("stb [%r1], 1\nldxb %r0, [%r1]\nexit");
  fails(() => w.run({ args: [ro.address] }), "EBPF_MEMORY_FAULT");
  assert.is(vm.load("ldxb %r0, [%r1+1]\nexit").run({ args: [ro.address] }).r0, 9n);
});

test("the instruction budget stops a runaway program and counts exactly", () => {
  const vm = new Vm({ budget: 1000 });
  const loop = vm.load("mov %r0, 0\nl:\nadd %r0, 1\nja l\nexit");
  const e = fails(() => loop.run(), "EBPF_BUDGET_EXCEEDED");
  assert.match(e.message, /budget of 1000/);
  const counted = vm.load("mov %r0, 0\nl:\nadd %r0, 1\njlt %r0, 10, l\nexit");
  assert.is(counted.run().instructions, 1 + 10 * 2 + 1);
  assert.is(counted.run({ budget: 22 }).r0, 10n);
  fails(() => counted.run({ budget: 21 }), "EBPF_BUDGET_EXCEEDED");
  fails(() => new Vm({ budget: 0 }), "EBPF_BAD_ARGUMENT");
  fails(() => vm.load(42 as unknown as string), "EBPF_BAD_ARGUMENT");
  fails(() => counted.run({ context: [1, 2] as unknown as Uint8Array }), "EBPF_BAD_ARGUMENT");
  fails(() => new Vm({ engine: "nope" }), "EBPF_ENGINE_UNAVAILABLE");
});

test("local calls: r6-r9 preserved, r1-r5 passed, own 512-byte frame, caller frame reachable by pointer", () => {
  const vm = new Vm();
  const p = vm.load(`
    mov %r6, 6
    stdw [%r10-8], 77
    mov %r1, %r10
    sub %r1, 8
    call local f
    add %r0, %r6
    ldxdw %r2, [%r10-8]
    add %r0, %r2
    exit
  f:
    mov %r6, 100
    ldxdw %r0, [%r1]
    stdw [%r10-8], 5
    ldxdw %r3, [%r10-8]
    add %r0, %r3
    mov %r4, %r10
    exit`);
  // f returns 77 + 5; caller adds r6 (6, restored) and its own slot (77, untouched by f's frame).
  assert.is(p.run().r0, 77n + 5n + 6n + 77n);
});

test("helpers: called by id with r1-r5, return r0, read and write program memory", () => {
  const helpers = new HelperTable().register(HelperId.probe_read_kernel, "probe_read_kernel", (c) => {
    const data = c.memory.read(c.arg(3), c.argNumber(2));
    c.memory.write(c.arg(1), data);
    return 0;
  });
  helpers.register(
    HelperId.get_prandom_u32,
    "sum",
    (c) => c.arg(1) + c.arg(2) + c.arg(3) + c.arg(4) + c.arg(5),
  );
  const vm = new Vm({ helpers });
  const p = vm.load(`
    mov %r6, %r1
    mov %r1, %r10
    sub %r1, 8
    mov %r2, 4
    mov %r3, %r6
    call 113
    ldxw %r0, [%r10-8]
    exit`);
  assert.is(p.run({ context: new Uint8Array([1, 2, 3, 4]) }).r0, 0x04030201n);
  const sum = vm.load("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, -1\ncall 7\nexit");
  assert.is(sum.run().r0, 9n);
  const bad = new HelperTable().register(1, "boom", () => {
    throw new Error("boom");
  });
  const e = fails(() => new Vm({ helpers: bad }).load("call 1\nexit").run(), "EBPF_HELPER_FAILED");
  assert.is(e.pc, 0);
  fails(() => new Vm().load("call 1\nexit"), "EBPF_VERIFY_UNKNOWN_HELPER");
});

test("tail calls through a program array, at most 33 per run", () => {
  const vm = new Vm();
  const handle = 0xabcn;
  // Each program bumps a counter in the context and tail-calls itself; the 34th call falls through.
  const self = vm.load(`
    ldxdw %r0, [%r1]
    add %r0, 1
    stxdw [%r1], %r0
    lddw %r2, 0xabc
    mov %r3, 0
    call 12
    ldxdw %r0, [%r1]
    exit`);
  vm.setProgramArray(handle, { get: (i) => (i === 0 ? self : undefined) });
  const ctx = new Uint8Array(8);
  assert.is(self.run({ context: ctx }).r0, 34n);
  const miss = vm.load("lddw %r2, 0xabc\nmov %r3, 5\nmov %r0, 9\ncall 12\nexit");
  assert.is(miss.run().r0, 9n);
});

test("atomics: add/or/and/xor with and without fetch, xchg, cmpxchg, 32 and 64 bit", () => {
  const vm = new Vm();
  const run = (body: string) => vm.load(`${body}\nexit`).run().r0;
  assert.is(run("stdw [%r10-8], 5\nmov %r1, 3\nlock add [%r10-8], %r1\nldxdw %r0, [%r10-8]"), 8n);
  assert.is(run("stdw [%r10-8], 5\nmov %r1, 3\nlock fetch add [%r10-8], %r1\nmov %r0, %r1"), 5n);
  assert.is(run("stdw [%r10-8], -1\nmov %r1, 1\nlock fetch add32 [%r10-8], %r1\nmov %r0, %r1"), 0xffffffffn);
  assert.is(run("stdw [%r10-8], 6\nmov %r1, 3\nlock fetch xor [%r10-8], %r1\nldxdw %r0, [%r10-8]"), 5n);
  assert.is(
    run("stdw [%r10-8], 6\nmov %r0, 6\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1\nldxdw %r0, [%r10-8]"),
    9n,
  );
  assert.is(run("stdw [%r10-8], 6\nmov %r0, 7\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1"), 6n);
  assert.is(run("stdw [%r10-8], -1\nmov %r1, 2\nlock xchg32 [%r10-8], %r1\nmov %r0, %r1"), 0xffffffffn);
});

test("jump immediates are sign-extended (the original zero-extended them)", () => {
  const vm = new Vm();
  assert.is(vm.load("mov %r1, -1\nmov %r0, 0\njeq %r1, -1, +1\nexit\nmov %r0, 1\nexit").run().r0, 1n);
  assert.is(vm.load("mov %r1, 0\nmov %r0, 0\njgt %r1, -1, +1\nexit\nmov %r0, 1\nexit").run().r0, 0n);
});

test("legacy packet loads read big-endian from the context; out of bounds ends the run with 0", () => {
  const vm = new Vm();
  const ctx = new Uint8Array([0x12, 0x34, 0x56, 0x78]);
  assert.is(vm.load("ldabsh 1\nexit").run({ context: ctx }).r0, 0x3456n);
  assert.is(vm.load("mov %r2, 2\nldindb %r2, 1\nexit").run({ context: ctx }).r0, 0x78n);
  assert.is(vm.load("mov %r0, 5\nldabsw 2\nmov %r0, 7\nexit").run({ context: ctx }).r0, 0n);
});

test("memory grows on demand; pointers into new regions work", () => {
  const memory = new ProgramMemory({ initialPages: 1 });
  const vm = new Vm({ memory });
  const big = new Uint8Array(200_000);
  big[199_999] = 42;
  const region = memory.map(big, RegionFlag.READ | RegionFlag.WRITE, "MAP_VALUE");
  const p = vm.load("lddw %r2, 199999\nadd %r1, %r2\nldxb %r0, [%r1]\nexit");
  assert.is(p.run({ args: [region.address] }).r0, 42n);
  assert.is(memory.region(region.index).kind, "MAP_VALUE");
});

test.run();
