/** Encoding instruction values into 8-byte slots (two for `lddw`), checking every field's range. */

import { RuntimeError } from "../errors.ts";
import { type Instruction, OP_LDDW } from "./decode.ts";

function check(ok: boolean, what: string, index: number): void {
  if (!ok) throw new RuntimeError("EBPF_ENCODE_RANGE", `instruction ${index}: ${what}`, { pc: index });
}

/** Encodes instructions to bytes; `lddw` (opcode 0x18) takes its value from `imm64` and fills two slots. */
export function encodeProgram(insns: readonly Instruction[]): Uint8Array {
  let slots = 0;
  for (const i of insns) slots += i.op === OP_LDDW ? 2 : 1;
  const out = new Uint8Array(slots * 8);
  const dv = new DataView(out.buffer);
  let at = 0;
  insns.forEach((insn, index) => {
    check(
      Number.isInteger(insn.op) && insn.op >= 0 && insn.op <= 0xff,
      `opcode ${insn.op} is not a byte`,
      index,
    );
    check(insn.dst >= 0 && insn.dst <= 15, `dst register ${insn.dst} does not fit 4 bits`, index);
    check(insn.src >= 0 && insn.src <= 15, `src register ${insn.src} does not fit 4 bits`, index);
    check(insn.off >= -0x8000 && insn.off <= 0x7fff, `offset ${insn.off} does not fit 16 bits`, index);
    dv.setUint8(at, insn.op);
    dv.setUint8(at + 1, (insn.src << 4) | insn.dst);
    dv.setInt16(at + 2, insn.off, true);
    if (insn.op === OP_LDDW) {
      const v = insn.imm64 ?? BigInt(insn.imm >>> 0);
      check(v >= -(1n << 63n) && v < 1n << 64n, `lddw immediate ${v} does not fit 64 bits`, index);
      const u = BigInt.asUintN(64, v);
      dv.setUint32(at + 4, Number(u & 0xffffffffn), true);
      dv.setUint32(at + 12, Number(u >> 32n), true);
      at += 16;
    } else {
      check(
        insn.imm >= -0x80000000 && insn.imm <= 0xffffffff,
        `immediate ${insn.imm} does not fit 32 bits`,
        index,
      );
      dv.setInt32(at + 4, insn.imm | 0, true);
      at += 8;
    }
  });
  return out;
}
