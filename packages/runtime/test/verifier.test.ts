import { test } from "uvu";
import * as assert from "uvu/assert";
import { assemble, encodeProgram, type Instruction, RuntimeError, verifyProgram } from "../src/index.ts";

const I = (op: number, dst = 0, src = 0, off = 0, imm = 0): Instruction => ({ op, dst, src, off, imm });
const EXIT = I(0x95);

function rejects(program: Uint8Array, code: string, pc: number, text?: RegExp, opts = {}): void {
  try {
    verifyProgram(program, opts);
  } catch (e) {
    assert.ok(e instanceof RuntimeError, String(e));
    assert.is(e.code, code, e.message);
    assert.is(e.pc, pc, e.message);
    if (text) assert.match(e.message, text);
    if (pc !== undefined) assert.match(e.message, new RegExp(`instruction ${pc}`));
    return;
  }
  assert.unreachable(`accepted, expected ${code}`);
}

test("accepts a well-formed program and reports its subprograms and call depth", () => {
  const v = verifyProgram(
    assemble(`
      mov %r1, 1
      call local f
      exit
    f:
      call local g
      exit
    g:
      mov %r0, 2
      exit`),
  );
  assert.equal(v.subprograms, [0, 3, 5]);
  assert.is(v.maxFrames, 3);
});

test("rejects malformed programs, naming the instruction and the reason", () => {
  const enc = (...i: Instruction[]) => encodeProgram(i);
  rejects(enc(I(0xff), EXIT), "EBPF_VERIFY_UNKNOWN_OPCODE", 0, /unknown opcode 0xff/);
  rejects(enc(I(0xb7, 0), I(0x3f, 0, 1, 2), EXIT), "EBPF_VERIFY_UNKNOWN_OPCODE", 1, /off 2/);
  rejects(enc(I(0xb7, 10, 0, 0, 1), EXIT), "EBPF_VERIFY_R10_WRITE", 0, /read-only/);
  rejects(enc(I(0xb7, 11, 0, 0, 1), EXIT), "EBPF_VERIFY_BAD_REGISTER", 0, /r11/);
  rejects(enc(I(0xdb, 1, 10, 0, 0x01), EXIT), "EBPF_VERIFY_R10_WRITE", 0, /old value into r10/);
  rejects(enc(I(0xc3, 1, 10, 0, 0xe1), EXIT), "EBPF_VERIFY_R10_WRITE", 0);
  verifyProgram(enc(I(0xdb, 1, 10, 0, 0x00), EXIT)); // a plain atomic add only reads r10
  rejects(enc(I(0xbf, 0, 12), EXIT), "EBPF_VERIFY_BAD_REGISTER", 0, /r12/);
  rejects(enc(I(0x07, 0, 1, 0, 1), EXIT), "EBPF_VERIFY_RESERVED_FIELD", 0, /src field/);
  rejects(enc(I(0x0f, 0, 1, 0, 1), EXIT), "EBPF_VERIFY_RESERVED_FIELD", 0, /immediate must be 0/);
  rejects(enc(I(0x95, 0, 0, 0, 1)), "EBPF_VERIFY_RESERVED_FIELD", 0);
  rejects(enc(I(0xd4, 0, 0, 0, 8), EXIT), "EBPF_VERIFY_UNKNOWN_OPCODE", 0);
  rejects(enc(I(0x05, 0, 0, 5), EXIT), "EBPF_VERIFY_JUMP_TARGET", 0, /outside the program/);
  rejects(enc(I(0x05, 0, 0, -2), EXIT), "EBPF_VERIFY_JUMP_TARGET", 0);
  rejects(
    enc(I(0x05, 0, 0, 1), { op: 0x18, dst: 0, src: 0, off: 0, imm: 0, imm64: 5n }, EXIT),
    "EBPF_VERIFY_JUMP_TARGET",
    0,
    /second half of an lddw/,
  );
  rejects(enc(I(0xb7, 0)), "EBPF_VERIFY_FALL_THROUGH", 0, /fall off the end/);
  rejects(enc(I(0x85, 0, 1, 0, 1), EXIT, I(0xb7)), "EBPF_VERIFY_FALL_THROUGH", 2, /function 1/);
  rejects(enc(I(0x85, 0, 1, 0, 5), EXIT), "EBPF_VERIFY_CALL_TARGET", 0);
  rejects(enc(I(0x85, 0, 1, 0, -1), EXIT), "EBPF_VERIFY_CALL_DEPTH", 0, /recursive/);
  rejects(enc(I(0x85, 0, 0, 0, 77), EXIT), "EBPF_VERIFY_UNKNOWN_HELPER", 0, /helper 77/, {
    helperIds: new Set([1]),
  });
  rejects(enc(I(0x7b, 10, 1, 0), EXIT), "EBPF_VERIFY_STACK", 0, /outside the 512-byte frame/);
  rejects(enc(I(0x79, 0, 10, -520), EXIT), "EBPF_VERIFY_STACK", 0);
  // lddw: truncated, bad second half, pseudo sources without a resolver.
  const lddw = enc({ op: 0x18, dst: 0, src: 0, off: 0, imm: 0, imm64: 1n }, EXIT);
  rejects(lddw.slice(0, 8), "EBPF_VERIFY_LDDW", 0, /missing its second half/);
  const bad = lddw.slice();
  bad[8] = 0x07;
  rejects(bad, "EBPF_VERIFY_LDDW", 0);
  rejects(
    enc({ op: 0x18, dst: 1, src: 1, off: 0, imm: 3, imm64: 3n }, EXIT),
    "EBPF_VERIFY_PSEUDO",
    0,
    /pseudo source 1/,
  );
});

function nested(frames: number): Uint8Array {
  const lines = frames > 1 ? ["call local f1", "exit"] : ["mov %r0, 0", "exit"];
  for (let k = 1; k < frames; k++)
    lines.push(`f${k}:`, k < frames - 1 ? `call local f${k + 1}` : "mov %r0, 0", "exit");
  return assemble(lines.join("\n"));
}

test("eight frames are allowed, nine exceed the limit", () => {
  assert.is(verifyProgram(nested(8)).maxFrames, 8);
  rejects(nested(9), "EBPF_VERIFY_CALL_DEPTH", 0, /9 frames/);
});

test("kernel additions after RFC 9669 and kfunc calls are decoded and refused by name", () => {
  const enc = (...i: Instruction[]) => encodeProgram(i);
  rejects(enc(I(0xe5, 0, 0, 0), EXIT), "EBPF_VERIFY_UNSUPPORTED", 0, /may_goto/);
  rejects(enc(I(0xdb, 1, 10, -8, 0x100), EXIT), "EBPF_VERIFY_UNSUPPORTED", 0, /load_acquire/);
  rejects(enc(I(0xc3, 10, 1, -8, 0x110), EXIT), "EBPF_VERIFY_UNSUPPORTED", 0, /store_release/);
  rejects(enc(I(0xbf, 1, 2, 1), EXIT), "EBPF_VERIFY_UNSUPPORTED", 0, /addr_space_cast/);
  rejects(enc(I(0x85, 0, 2, 0, 1234), EXIT), "EBPF_VERIFY_UNSUPPORTED", 0, /kfunc calls .* BTF id 1234/);
});

test("empty and ragged programs", () => {
  try {
    verifyProgram(new Uint8Array(0));
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).code, "EBPF_EMPTY_PROGRAM");
  }
  try {
    verifyProgram(new Uint8Array(12));
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).code, "EBPF_BAD_LENGTH");
    assert.is((e as RuntimeError).offset, 8);
  }
});

test("lddw pseudo sources are resolved once, at load time", () => {
  const prog = encodeProgram([{ op: 0x18, dst: 0, src: 2, off: 0, imm: 7, imm64: (4n << 32n) | 7n }, EXIT]);
  const seen: number[] = [];
  const v = verifyProgram(prog, {
    resolvePseudo: (src, imm, next) => {
      seen.push(src, imm, next);
      return 0x1_0000_9000n + BigInt(next);
    },
  });
  assert.equal(seen, [2, 7, 4]);
  assert.is(v.imm[0], 0x9004);
  assert.is(v.nextImm[0], 1);
  assert.is(v.src[0], 0);
});

test.run();
