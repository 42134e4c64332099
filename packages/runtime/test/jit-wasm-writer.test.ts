import { test } from "uvu";
import * as assert from "uvu/assert";
import { Wasm, type WasmGlobal, type WasmImports } from "../src/jit/wasm-api.ts";
import { ByteWriter, CodeWriter, ModuleWriter, Op, ValType } from "../src/jit/wasm-writer.ts";

const { i32, i64 } = ValType;

type Exports = Record<string, unknown>;

function instantiate(m: ModuleWriter, imports: WasmImports = {}): Exports {
  const bytes = m.toBytes();
  assert.ok(Wasm.validate(bytes), "module validates");
  return new Wasm.Instance(new Wasm.Module(bytes), imports).exports;
}

function fn<T>(exports: Exports, name: string): T {
  return exports[name] as T;
}

test("unsigned and signed LEB128 match the spec's examples", () => {
  const hex = (w: ByteWriter) => Buffer.from(w.view()).toString("hex");
  assert.is(hex(new ByteWriter().u32(0)), "00");
  assert.is(hex(new ByteWriter().u32(624485)), "e58e26");
  assert.is(hex(new ByteWriter().u32(0xffffffff)), "ffffffff0f");
  assert.is(hex(new ByteWriter().s32(-123456)), "c0bb78");
  assert.is(hex(new ByteWriter().s32(63)), "3f");
  assert.is(hex(new ByteWriter().s32(64)), "c000");
  assert.is(hex(new ByteWriter().s32(-64)), "40");
  assert.is(hex(new ByteWriter().s32(-65)), "bf7f");
  assert.is(hex(new ByteWriter().s64(0, 0)), "00");
  assert.is(hex(new ByteWriter().s64(-1, -1)), "7f");
  assert.is(hex(new ByteWriter().s64(0, 0x80000000)), "8080808080808080807f");
});

test("i64.const round-trips edge values through an instantiated module", () => {
  const values = [
    0n,
    1n,
    -1n,
    63n,
    64n,
    -64n,
    -65n,
    0x7fffffffn,
    0x80000000n,
    0xffffffffn,
    -0x80000000n,
    0x123456789abcdef0n,
    0x7fffffffffffffffn,
    -0x8000000000000000n,
    -0x123456789n,
  ];
  const m = new ModuleWriter();
  const t = m.type([], [i64]);
  values.forEach((v, i) => {
    const c = new CodeWriter();
    const u = BigInt.asUintN(64, v);
    c.i64Const(Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
    m.exportFunction(`v${i}`, m.addFunction(t, [], c));
  });
  const ex = instantiate(m);
  values.forEach((v, i) => {
    assert.is(fn<() => bigint>(ex, `v${i}`)(), v, `value ${v}`);
  });
});

test("a loop with locals computes a sum; br_table dispatches", () => {
  const m = new ModuleWriter();
  // sum(n) = 0 + 1 + ... + (n-1), i64 accumulator
  const c = new CodeWriter();
  const n = 0;
  const i = 1;
  const acc = 2;
  c.block().loop();
  c.localGet(i).localGet(n).op(Op.i32_ge_u).brIf(1);
  c.localGet(acc).localGet(i).op(Op.i64_extend_i32_u).op(Op.i64_add).localSet(acc);
  c.localGet(i).i32Const(1).op(Op.i32_add).localSet(i);
  c.br(0).end().end();
  c.localGet(acc);
  m.exportFunction("sum", m.addFunction(m.type([i32], [i64]), [[1, i32] as const, [1, i64] as const], c));

  // pick(k): br_table over three blocks, default 99
  const d = new CodeWriter();
  d.block().block().block().block();
  d.localGet(0).brTable([0, 1, 2], 3);
  d.end().i32Const(10).return();
  d.end().i32Const(20).return();
  d.end().i32Const(30).return();
  d.end().i32Const(99);
  m.exportFunction("pick", m.addFunction(m.type([i32], [i32]), [], d));

  const ex = instantiate(m);
  assert.is(fn<(n: number) => bigint>(ex, "sum")(1000), 499500n);
  const pick = fn<(k: number) => number>(ex, "pick");
  assert.equal([0, 1, 2, 3, 7].map(pick), [10, 20, 30, 99, 99]);
});

test("imported memory, imported function and a mutable global work together", () => {
  const m = new ModuleWriter();
  const hostT = m.type([i64], [i64]);
  const host = m.importFunction("env", "double", hostT);
  m.importMemory("env", "mem", 1);
  const g = m.addGlobal(i64, true, 5, 0);
  const c = new CodeWriter();
  // mem[8] = host(load64(mem[0])) + g
  c.i32Const(8);
  c.i32Const(0).mem(Op.i64_load, 3, 0).call(host);
  c.globalGet(g).op(Op.i64_add);
  c.mem(Op.i64_store, 3, 0);
  c.i32Const(8).mem(Op.i64_load32_s, 2, 0);
  m.exportFunction("run", m.addFunction(m.type([], [i64]), [], c));
  m.exportGlobal("g", g);

  const mem = new Wasm.Memory({ initial: 1 });
  const dv = new DataView(mem.buffer);
  dv.setBigInt64(0, -21n, true);
  const ex = instantiate(m, { env: { mem, double: (x: bigint) => x * 2n } });
  assert.is(fn<() => bigint>(ex, "run")(), -37n);
  assert.is(dv.getBigInt64(8, true), -37n);
  assert.is((ex.g as WasmGlobal).value, 5n);
});

test("sign-extension ops and if/else encode correctly", () => {
  const m = new ModuleWriter();
  const c = new CodeWriter();
  c.localGet(0).op(Op.i64_extend8_s);
  m.exportFunction("ext8", m.addFunction(m.type([i64], [i64]), [], c));
  const d = new CodeWriter();
  d.localGet(0).op(Op.i32_eqz).if().i32Const(7).localSet(1).else().i32Const(9).localSet(1).end();
  d.localGet(1);
  m.exportFunction("ifelse", m.addFunction(m.type([i32], [i32]), [[1, i32] as const], d));
  const ex = instantiate(m);
  assert.is(fn<(x: bigint) => bigint>(ex, "ext8")(0x1ffn), -1n);
  assert.is(fn<(x: bigint) => bigint>(ex, "ext8")(0x17fn), 127n);
  assert.is(fn<(x: number) => number>(ex, "ifelse")(0), 7);
  assert.is(fn<(x: number) => number>(ex, "ifelse")(3), 9);
});

test("importing a function after defining one is refused with a typed error", () => {
  const m = new ModuleWriter();
  const t = m.type([], []);
  m.addFunction(t, [], new CodeWriter());
  try {
    m.importFunction("env", "f", t);
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, "EBPF_JIT_INTERNAL");
  }
});

test.run();
