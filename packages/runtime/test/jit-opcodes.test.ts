/**
 * Every row of the opcode table that the verifier accepts compiles in the JIT and behaves as in the
 * interpreter, with operands chosen to reach the interesting cases (a zero divisor, -1, sign bits).
 * Rows the verifier refuses (`kind: "later"`) are refused for both engines alike.
 */

import { test } from "uvu";
import * as assert from "uvu/assert";
import { HelperTable, OPCODE_ROWS, type OpcodeRow, RuntimeError, Vm } from "../src/index.ts";
import { compileJit } from "../src/jit/compile.ts";
import { REGION_TABLE_LAYOUT } from "../src/memory/layout.ts";

function slot(op: number, dst: number, src: number, off: number, imm: number): number[] {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint8(0, op);
  dv.setUint8(1, (src << 4) | dst);
  dv.setInt16(2, off, true);
  dv.setInt32(4, imm, true);
  return [...b];
}

/** r1 = context (set by the run), r2..r4 = interesting values, r6 = a stack pointer. */
const PROLOGUE = [
  slot(0x18, 2, 0, 0, 0x89abcdef | 0),
  slot(0, 0, 0, 0, 0x80000001 | 0),
  slot(0xb7, 3, 0, 0, -1),
  slot(0xb7, 4, 0, 0, 0),
  slot(0xb7, 0, 0, 0, 7),
  slot(0xbf, 6, 10, 0, 0),
  slot(0x07, 6, 0, 0, -16),
  slot(0x7b, 10, 2, -8, 0),
  slot(0x7b, 10, 3, -16, 0),
];

/** Bodies for a row: usually one instruction per interesting operand choice. */
function bodies(r: OpcodeRow): number[][][] {
  const off = r.off ?? 0;
  const src = r.src ?? 0;
  switch (r.kind) {
    case "alu":
    case "shift":
    case "divmod":
    case "mov":
    case "movsx":
      // dst r0 = 7 and dst r2 = 0x89abcdef_80000001 (sign bits set in both halves), then r0 = dst
      return [0, 2].flatMap((d) =>
        r.source === "X"
          ? [2, 3, 4, 0].map((s) => [slot(r.op, d, s, off, 0), slot(0xbf, 0, d, 0, 0)])
          : [0, -1, 5, 0x7fffffff, -0x80000000].map((imm) => [
              slot(r.op, d, 0, off, imm),
              slot(0xbf, 0, d, 0, 0),
            ]),
      );
    case "neg":
      return [[slot(r.op, 2, 0, 0, 0), slot(0xbf, 0, 2, 0, 0)]];
    case "end":
      return [[slot(r.op, 2, 0, 0, r.imm ?? 0), slot(0xbf, 0, 2, 0, 0)]];
    case "jcond":
      // if taken, r0 = 1; else r0 = 2
      return [2, 3, 4].map((s) => [
        r.source === "X" ? slot(r.op, 2, s, 1, 0) : slot(r.op, 2, 0, 1, s === 2 ? -1 : s === 3 ? 0x7f : 0),
        slot(0xb7, 0, 0, 0, 2),
        slot(0x05, 0, 0, 1, 0),
        slot(0xb7, 0, 0, 0, 1),
      ]);
    case "ja":
      return [[slot(r.op, 0, 0, 1, 0), slot(0xb7, 0, 0, 0, 9)]];
    case "gotol":
      return [[slot(r.op, 0, 0, 0, 1), slot(0xb7, 0, 0, 0, 9)]];
    case "lddw":
      return src === 0 ? [[slot(r.op, 0, 0, 0, -2), slot(0, 0, 0, 0, 0x12345678)]] : [];
    case "ldx":
    case "ldxsx":
      return [-8, -16, -12].map((o) => [slot(r.op, 0, 10, o, 0)]);
    case "st":
      return [[slot(r.op, 6, 0, 4, -3), slot(0x79, 0, 6, 0, 0)]];
    case "stx":
      return [[slot(r.op, 6, 2, 2, 0), slot(0x79, 0, 6, 0, 0)]];
    case "atomic":
      return [2, 3].map((s) => [
        slot(0xbf, 0, s, 0, 0),
        slot(r.op, 6, 3, 0, r.imm ?? 0),
        slot(0x0f, 0, 3, 0, 0),
      ]);
    case "ldabs":
      return [[slot(r.op, 0, 0, 0, 1)], [slot(r.op, 0, 0, 0, 60)]];
    case "ldind":
      return [[slot(0xb7, 5, 0, 0, 2), slot(r.op, 0, 5, 0, 1)]];
    case "call":
      return [[slot(r.op, 0, 0, 0, 1)]];
    case "callx":
      return [[slot(0xb7, 5, 0, 0, 1), slot(r.op, 5, 0, 0, 0)]];
    case "call_local":
      return [
        [slot(r.op, 0, 1, 0, 1), slot(0x95, 0, 0, 0, 0), slot(0x0f, 0, 2, 0, 0), slot(0x95, 0, 0, 0, 0)],
      ];
    case "exit":
      return [[]];
    default:
      return [[slot(r.op, 0, src, off, r.imm ?? 0)]];
  }
}

function outcome(engine: string, prog: Uint8Array): string {
  const vm = new Vm({ engine, helpers: new HelperTable().register(1, "sum", (c) => c.arg(1) + c.arg(2)) });
  try {
    const r = vm.load(prog).run({ context: new Uint8Array(32).map((_, i) => i * 7) });
    return `r0=${r.r0.toString(16)} n=${r.instructions}`;
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    return `${e.code}@${String(e.pc)}`;
  }
}

test("every opcode row agrees between the JIT and the interpreter", () => {
  let compiled = 0;
  const kinds = new Set<string>();
  for (const r of OPCODE_ROWS) {
    for (const body of bodies(r)) {
      const prog = new Uint8Array([...PROLOGUE, ...body, slot(0x95, 0, 0, 0, 0)].flat());
      const a = outcome("interpreter", prog);
      const b = outcome("jit", prog);
      assert.is(b, a, `${r.name}`);
      assert.not.ok(b.startsWith("EBPF_JIT"), `${r.name}: ${b}`);
      if (!a.startsWith("EBPF_VERIFY")) {
        compiled++;
        kinds.add(r.kind);
      } else assert.is(r.kind, "later", `${r.name} was refused by the verifier: ${a}`);
    }
  }
  for (const k of [
    "alu",
    "divmod",
    "movsx",
    "end",
    "jcond",
    "gotol",
    "ldxsx",
    "atomic",
    "ldabs",
    "ldind",
    "callx",
  ]) {
    assert.ok(kinds.has(k), `no ${k} row ran`);
  }
  assert.ok(compiled > 300, `only ${compiled} programs ran`);
});

test("the JIT re-checks what would make its module invalid, naming the pc", () => {
  const opts = {
    regionTable: REGION_TABLE_LAYOUT,
    frameSize: 512,
    maxCallDepth: 8,
    helperIds: new Set<number>(),
    tailCalls: true,
    entryFrameTop: [0x9000, 1] as const,
    stack: { start: [0x8000, 1] as const, length: 4096, wasmAddress: 0x8000 },
  };
  const bad = (hex: string) => {
    try {
      compileJit(Buffer.from(hex, "hex"), opts);
      return "compiled";
    } catch (e) {
      return `${(e as RuntimeError).code}@${String((e as RuntimeError).pc)}`;
    }
  };
  // jump into the second half of an lddw (the fuzz regression), jump off the end, lddw cut in half
  assert.is(
    bad("7d27010000000000180600000000000000000000000000009500000000000000"),
    "EBPF_JIT_BAD_PROGRAM@0",
  );
  assert.is(bad("05000500000000009500000000000000"), "EBPF_JIT_BAD_PROGRAM@0");
  assert.is(bad("1800000000000000"), "EBPF_JIT_BAD_PROGRAM@0");
});

test.run();
