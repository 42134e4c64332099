/**
 * Decoding: raw 8-byte slots into the typed-array form the engines consume, and into instruction objects
 * for tools (assembler, disassembler, verifier messages). `lddw` takes two slots; its halves are paired here.
 */

import { RuntimeError } from "../errors.ts";
import { lookupOpcode, type OpcodeRow } from "./opcodes.ts";

export const OP_LDDW = 0x18;

/**
 * A program as the engines see it: one entry per 8-byte slot, fields unpacked into typed arrays (no objects
 * per instruction). For an `lddw` at slot i, `nextImm[i]` holds the upper 32 bits from slot i + 1.
 */
export interface DecodedProgram {
  /** The program bytes (a private copy, never mutated). */
  readonly bytes: Uint8Array;
  /** Number of 8-byte slots. */
  readonly count: number;
  readonly opcode: Uint8Array;
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly off: Int16Array;
  readonly imm: Int32Array;
  readonly nextImm: Int32Array;
}

/** One instruction as a value. `imm64` is set for `lddw` (both halves joined, unsigned). */
export interface Instruction {
  readonly op: number;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
  readonly imm: number;
  /** `lddw` only: the full 64-bit immediate. */
  readonly imm64?: bigint;
}

/** A decoded instruction with where it sits and what the opcode table says about it. */
export interface DecodedInstruction extends Instruction {
  /** Slot index. */
  readonly pc: number;
  /** Slots taken (2 for `lddw`). */
  readonly slots: 1 | 2;
  /** The table row, or undefined for an unknown opcode. */
  readonly row: OpcodeRow | undefined;
}

/** Unpacks the slots. Throws `EBPF_BAD_LENGTH` when the length is not a multiple of 8. */
export function decodeProgram(bytes: Uint8Array): DecodedProgram {
  if (bytes.length % 8 !== 0) {
    throw new RuntimeError(
      "EBPF_BAD_LENGTH",
      `program length ${bytes.length} is not a multiple of 8 (an instruction is 8 bytes)`,
      { offset: bytes.length - (bytes.length % 8) },
    );
  }
  const copy = bytes.slice();
  const count = copy.length >>> 3;
  const dv = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  const p = {
    bytes: copy,
    count,
    opcode: new Uint8Array(count),
    dst: new Uint8Array(count),
    src: new Uint8Array(count),
    off: new Int16Array(count),
    imm: new Int32Array(count),
    nextImm: new Int32Array(count),
  };
  for (let i = 0; i < count; i++) {
    const b = i * 8;
    p.opcode[i] = copy[b] ?? 0;
    const regs = copy[b + 1] ?? 0;
    p.dst[i] = regs & 0x0f;
    p.src[i] = regs >>> 4;
    p.off[i] = dv.getInt16(b + 2, true);
    p.imm[i] = dv.getInt32(b + 4, true);
  }
  for (let i = 0; i + 1 < count; i++) if (p.opcode[i] === OP_LDDW) p.nextImm[i] = p.imm[i + 1] ?? 0;
  return p;
}

/** The instruction at slot `pc` (pairing an `lddw` with its second half when present). */
export function instructionAt(p: DecodedProgram, pc: number): DecodedInstruction {
  const op = p.opcode[pc] ?? 0;
  const src = p.src[pc] ?? 0;
  const off = p.off[pc] ?? 0;
  const imm = p.imm[pc] ?? 0;
  const base = { pc, op, dst: p.dst[pc] ?? 0, src, off, imm, row: lookupOpcode(op, src, off, imm) };
  if (op === OP_LDDW && pc + 1 < p.count) {
    const imm64 = (BigInt((p.imm[pc + 1] ?? 0) >>> 0) << 32n) | BigInt(imm >>> 0);
    return { ...base, slots: 2, imm64 };
  }
  return { ...base, slots: 1 };
}

/** Every instruction in order, `lddw` counted once. */
export function decodeInstructions(bytes: Uint8Array): DecodedInstruction[] {
  const p = decodeProgram(bytes);
  const out: DecodedInstruction[] = [];
  for (let pc = 0; pc < p.count; ) {
    const insn = instructionAt(p, pc);
    out.push(insn);
    pc += insn.slots;
  }
  return out;
}
