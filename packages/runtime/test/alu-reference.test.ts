/**
 * Differential test of ALU, ALU64, JMP and JMP32 against a BigInt reference model of RFC 9669, on edge values
 * and seeded random operands (AXEBPF_ALU_ITERS per form, default 60).
 */

import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodeProgram, type Instruction, OPCODE_ROWS, type OpcodeRow, Vm } from "../src/index.ts";

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u32 = (v: bigint) => BigInt.asUintN(32, v);
const s32 = (v: bigint) => BigInt.asIntN(32, v);

function alu(name: string, a: bigint, b: bigint, is64: boolean): bigint {
  if (is64) {
    switch (name) {
      case "add":
        return u64(a + b);
      case "sub":
        return u64(a - b);
      case "mul":
        return u64(a * b);
      case "div":
        return b === 0n ? 0n : a / b;
      case "sdiv":
        return b === 0n ? 0n : u64(s64(a) / s64(b));
      case "mod":
        return b === 0n ? a : a % b;
      case "smod":
        return b === 0n ? a : u64(s64(a) % s64(b));
      case "or":
        return a | b;
      case "and":
        return a & b;
      case "xor":
        return a ^ b;
      case "lsh":
        return u64(a << (b & 63n));
      case "rsh":
        return a >> (b & 63n);
      case "arsh":
        return u64(s64(a) >> (b & 63n));
      case "neg":
        return u64(-a);
      case "mov":
        return b;
    }
  }
  const x = u32(a);
  const y = u32(b);
  switch (name) {
    case "add":
      return u32(x + y);
    case "sub":
      return u32(x - y);
    case "mul":
      return u32(x * y);
    case "div":
      return y === 0n ? 0n : x / y;
    case "sdiv":
      return y === 0n ? 0n : u32(s32(x) / s32(y));
    case "mod":
      return y === 0n ? x : x % y;
    case "smod":
      return y === 0n ? x : u32(s32(x) % s32(y));
    case "or":
      return x | y;
    case "and":
      return x & y;
    case "xor":
      return x ^ y;
    case "lsh":
      return u32(x << (y & 31n));
    case "rsh":
      return x >> (y & 31n);
    case "arsh":
      return u32(s32(x) >> (y & 31n));
    case "neg":
      return u32(-x);
    case "mov":
      return y;
  }
  throw new Error(`no model for ${name}`);
}

function cond(name: string, a: bigint, b: bigint, is64: boolean): boolean {
  const [ua, ub] = is64 ? [a, b] : [u32(a), u32(b)];
  const [sa, sb] = is64 ? [s64(a), s64(b)] : [s32(a), s32(b)];
  switch (name) {
    case "jeq":
      return ua === ub;
    case "jne":
      return ua !== ub;
    case "jgt":
      return ua > ub;
    case "jge":
      return ua >= ub;
    case "jlt":
      return ua < ub;
    case "jle":
      return ua <= ub;
    case "jset":
      return (ua & ub) !== 0n;
    case "jsgt":
      return sa > sb;
    case "jsge":
      return sa >= sb;
    case "jslt":
      return sa < sb;
    case "jsle":
      return sa <= sb;
  }
  throw new Error(`no model for ${name}`);
}

let seed = 0x2545f491;
function rand32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const EDGE = [
  0n,
  1n,
  2n,
  3n,
  7n,
  31n,
  32n,
  63n,
  64n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x1_0000_0000n,
  M64,
];
EDGE.push(u64(-2n), 1n << 63n, (1n << 63n) - 1n, u64(-0x80000000n), 0x1234_5678_9abc_def0n);
function operand(i: number): bigint {
  if (i < EDGE.length * 2) return EDGE[i % EDGE.length] ?? 0n;
  const r = (BigInt(rand32()) << 32n) | BigInt(rand32());
  // Mix magnitudes so small-operand fast paths and 64-bit paths both run.
  const shift = BigInt(rand32() % 64);
  return rand32() % 3 === 0 ? r >> shift : r;
}

const ITERS = Number(process.env.AXEBPF_ALU_ITERS ?? 60);
const vm = new Vm();
const lddw = (dst: number, v: bigint): Instruction => ({ op: 0x18, dst, src: 0, off: 0, imm: 0, imm64: v });
const EXIT: Instruction = { op: 0x95, dst: 0, src: 0, off: 0, imm: 0 };

function run(insns: Instruction[]): bigint {
  return vm.load(encodeProgram(insns)).run().r0;
}

const aluRows = OPCODE_ROWS.filter((r) => ["alu", "shift", "divmod", "neg", "mov"].includes(r.kind));
const jmpRows = OPCODE_ROWS.filter((r) => r.kind === "jcond");

function baseName(r: OpcodeRow): string {
  return r.mnemonic.replace(/32$/, "");
}

test(`ALU and ALU64: every form against the BigInt model (${aluRows.length} forms)`, () => {
  for (const row of aluRows) {
    const is64 = row.cls === "ALU64";
    const name = baseName(row);
    const total = EDGE.length * 2 + ITERS;
    for (let i = 0; i < total; i++) {
      const a = operand(i);
      const bFull = operand(total - 1 - i);
      let program: Instruction[];
      let b: bigint;
      if (row.source === "X") {
        b = bFull;
        program = [lddw(1, a), lddw(2, b), { op: row.op, dst: 1, src: 2, off: row.off ?? 0, imm: 0 }];
      } else {
        const imm = Number(BigInt.asIntN(32, bFull));
        b = is64 ? u64(BigInt(imm)) : u32(BigInt(imm));
        program = [
          lddw(1, a),
          { op: row.op, dst: 1, src: 0, off: row.off ?? 0, imm: row.kind === "neg" ? 0 : imm },
        ];
      }
      program.push({ op: 0xbf, dst: 0, src: 1, off: 0, imm: 0 }, EXIT);
      const got = run(program);
      const want = alu(name, a, b, is64);
      if (got !== want) {
        assert.unreachable(
          `${row.name} a=0x${a.toString(16)} b=0x${b.toString(16)}: got 0x${got.toString(16)}, want 0x${want.toString(16)}`,
        );
      }
    }
  }
});

test(`JMP and JMP32: every condition against the BigInt model (${jmpRows.length} forms)`, () => {
  for (const row of jmpRows) {
    const is64 = row.cls === "JMP";
    const name = baseName(row);
    const total = EDGE.length * 2 + ITERS;
    for (let i = 0; i < total; i++) {
      const a = operand(i);
      const bFull = i % 5 === 0 ? a : operand(total - 1 - i);
      let b: bigint;
      const program: Instruction[] = [lddw(1, a)];
      if (row.source === "X") {
        b = bFull;
        program.push(lddw(2, b), { op: row.op, dst: 1, src: 2, off: 2, imm: 0 });
      } else {
        const imm = Number(BigInt.asIntN(32, bFull));
        // Immediates are sign-extended to 64 bits (Linux; the original zero-extended them).
        b = u64(BigInt(imm));
        program.push({ op: row.op, dst: 1, src: 0, off: 2, imm });
      }
      program.push(
        { op: 0xb7, dst: 0, src: 0, off: 0, imm: 0 },
        EXIT,
        { op: 0xb7, dst: 0, src: 0, off: 0, imm: 1 },
        EXIT,
      );
      const got = run(program) === 1n;
      if (got !== cond(name, a, b, is64)) {
        assert.unreachable(`${row.name} a=0x${a.toString(16)} b=0x${b.toString(16)}: taken=${got}`);
      }
    }
  }
});

test.run();
