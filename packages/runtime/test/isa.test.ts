import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  assemble,
  dataFileProgram,
  decodeInstructions,
  disassemble,
  encodeProgram,
  HelperTable,
  InsnClass,
  type Instruction,
  lookupOpcode,
  OPCODE_ROWS,
  OPCODES,
  type OpcodeRow,
  parseDataFile,
  RuntimeError,
  Vm,
} from "../src/index.ts";
import { corpusDir, vectors } from "./conformance-harness.ts";

test("the opcode table: class bits match, forms sharing a byte are distinguishable, names unique", () => {
  const seen = new Set<string>();
  for (const r of OPCODE_ROWS) {
    assert.is(r.op & 7, InsnClass[r.cls], `${r.name} class`);
    const key = `${r.op}/${r.off}/${r.imm}/${r.src}`;
    assert.not.ok(seen.has(key), `${r.name} duplicates another form`);
    seen.add(key);
    assert.is(lookupOpcode(r.op, r.src ?? 0, r.off ?? 0, r.imm ?? 0)?.name, r.name);
  }
  assert.is(Object.keys(OPCODES).length, OPCODE_ROWS.length);
  // RFC 9669 Appendix A forms plus v4, callx, and the named later additions.
  assert.ok(OPCODE_ROWS.length >= 170, `${OPCODE_ROWS.length} rows`);
});

/** A minimal valid instance of a row, with what it needs around it. */
function sample(r: OpcodeRow): Instruction[] {
  const mov = (dst: number, imm: number): Instruction => ({ op: 0xb7, dst, src: 0, off: 0, imm });
  const exit: Instruction = { op: 0x95, dst: 0, src: 0, off: 0, imm: 0 };
  const x = r.source === "X";
  const base = { op: r.op, dst: 0, src: r.src ?? 0, off: r.off ?? 0, imm: r.imm ?? 0 };
  const pre = [mov(0, 0), mov(1, 1), mov(2, 3)];
  switch (r.kind) {
    case "alu":
    case "shift":
    case "divmod":
    case "mov":
      return [...pre, { ...base, dst: 1, src: x ? 2 : 0, imm: x ? 0 : 3 }, exit];
    case "movsx":
      return [...pre, { ...base, dst: 1, src: 2 }, exit];
    case "neg":
    case "end":
      return [...pre, { ...base, dst: 1 }, exit];
    case "ja":
    case "gotol":
      return [...pre, base, exit];
    case "jcond":
      return [...pre, { ...base, dst: 1, src: x ? 2 : 0, imm: x ? 0 : 1 }, exit];
    case "call":
      return [...pre, { ...base, imm: 1 }, exit];
    case "call_local":
      return [{ ...base, src: 1, imm: 1 }, exit, mov(0, 0), exit];
    case "callx":
      return [...pre, { ...base, dst: 1 }, exit];
    case "exit":
      return [mov(0, 0), exit];
    case "lddw":
      return [{ ...base, dst: 0, src: r.src ?? 0, imm64: 5n }, exit];
    case "ldabs":
    case "ldind":
      return [...pre, { ...base, src: r.kind === "ldind" ? 2 : 0, imm: 1 }, exit];
    case "ldx":
    case "ldxsx":
      return [...pre, { ...base, dst: 0, src: 10, off: -8 }, exit];
    case "st":
      return [...pre, { ...base, dst: 10, off: -8, imm: 1 }, exit];
    case "stx":
    case "atomic":
      return [...pre, { ...base, dst: 10, src: 1, off: -8 }, exit];
    case "later":
      return [base, exit];
  }
}

test("every supported form verifies, runs in the interpreter, disassembles and re-assembles", () => {
  const helpers = new HelperTable().register(1, "one", () => 1);
  const vm = new Vm({ helpers });
  for (const r of OPCODE_ROWS) {
    const bytes = encodeProgram(sample(r));
    if (r.kind === "later") {
      try {
        vm.load(bytes);
        assert.unreachable(`${r.name} was accepted`);
      } catch (e) {
        assert.is((e as RuntimeError).code, "EBPF_VERIFY_UNSUPPORTED", r.name);
      }
      continue;
    }
    const program = vm.load(bytes, { resolvePseudo: () => 0x1234n });
    program.run({ context: new Uint8Array(16) });
    const text = disassemble(bytes);
    // The conformance dialect has no syntax for lddw pseudo sources; the listing names them in a comment.
    if (r.kind === "lddw" && (r.src ?? 0) !== 0) assert.match(text, /# pseudo source/);
    else assert.equal(assemble(text), bytes, `${r.name}: ${text}`);
    assert.not.match(disassemble(bytes, { style: "llvm" }), /unknown/, r.name);
  }
});

test("encode and decode are inverse, lddw pairs its halves", () => {
  const insns: Instruction[] = [
    { op: 0x18, dst: 3, src: 0, off: 0, imm: 0, imm64: 0xfedc_ba98_7654_3210n },
    { op: 0x7b, dst: 10, src: 3, off: -8, imm: 0 },
    { op: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
  ];
  const bytes = encodeProgram(insns);
  assert.is(bytes.length, 32);
  const back = decodeInstructions(bytes);
  assert.is(back.length, 3);
  assert.is(back[0]?.imm64, 0xfedc_ba98_7654_3210n);
  assert.is(back[0]?.slots, 2);
  assert.is(back[1]?.pc, 2);
  assert.is(back[1]?.row?.name, "STX_MEM_DW");
  try {
    encodeProgram([{ op: 0xb7, dst: 0, src: 0, off: 0x8000, imm: 0 }]);
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).code, "EBPF_ENCODE_RANGE");
  }
});

test("assembler errors carry a code, the line and the column", () => {
  const cases: [string, string, number][] = [
    ["mov %r0, 0\nfoo %r0", "EBPF_ASM_MNEMONIC", 2],
    ["mov %r0, %r16\nexit", "EBPF_ASM_REGISTER", 1],
    ["mov32 %r0, 0x100000000", "EBPF_ASM_RANGE", 1],
    ["ja nowhere", "EBPF_ASM_LABEL", 1],
    ["lock or [%r10-8]", "EBPF_ASM_OPERANDS", 1],
    ["ldxb %r0, %r1", "EBPF_ASM_OPERAND", 1],
    ["ldxb %r0, [%r1+0x10000]", "EBPF_ASM_RANGE", 1],
    ["x:\nx:\nexit", "EBPF_ASM_LABEL", 2],
  ];
  for (const [src, code, line] of cases) {
    try {
      assemble(src);
      assert.unreachable(src);
    } catch (e) {
      assert.ok(e instanceof RuntimeError);
      assert.is(e.code, code, `${src}: ${e.message}`);
      assert.is(e.line, line, src);
      assert.ok((e.column ?? 0) >= 1);
    }
  }
  // The column points at the offending operand.
  try {
    assemble("  mov %r0, 1\n  add %r0, %r16");
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).line, 2);
    assert.is((e as RuntimeError).column, 12);
  }
  assert.match(
    (() => {
      try {
        assemble("lock or [%r10-8]");
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })(),
    /Invalid number of operands for lock/,
  );
});

const dir = corpusDir();
if (dir !== undefined) {
  test("disassemble then assemble gives back every conformance program byte for byte", () => {
    let n = 0;
    for (const f of vectors(dir, "tests")) {
      const bytes = dataFileProgram(parseDataFile(readFileSync(f, "utf8")));
      const text = disassemble(bytes);
      assert.equal(assemble(text), bytes, basename(f));
      n++;
    }
    assert.ok(n >= 300);
  });
}

test.run();
