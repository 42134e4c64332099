/**
 * Type-feedback warm-up for the interpreter loop. V8 optimises `Interpreter.run` with the feedback the first
 * programs gave it; a later program reaching a `case` never run before deoptimises it, and after a few
 * rounds of that a long-running process can be left with a slow loop (measured: 8x slower on the second
 * benchmark kernel). Running every instruction form once, with operands that take both sides of each branch
 * inside the cases, before the first real program gives the optimiser complete feedback from the start.
 */

import { HelperCall, HelperTable } from "../helpers/helper-table.ts";
import type { Instruction } from "../isa/decode.ts";
import { encodeProgram } from "../isa/encode.ts";
import { OPCODE_ROWS, type OpcodeRow } from "../isa/opcodes.ts";
import { RegionFlag } from "../memory/layout.ts";
import { ProgramMemory } from "../memory/program-memory.ts";
import { verifyProgram } from "../verifier/verify.ts";
import type { Interpreter } from "./interpreter.ts";

const EXIT: Instruction = { op: 0x95, dst: 0, src: 0, off: 0, imm: 0 };
const lddw = (dst: number, v: bigint): Instruction => ({ op: 0x18, dst, src: 0, off: 0, imm: 0, imm64: v });

/** One instance of `row` with operands from `variant` (0: small, 1: large/negative/zero divisor). */
function body(r: OpcodeRow, variant: number): Instruction[] {
  const x = r.source === "X";
  const big = variant === 1;
  const base = { op: r.op, dst: 1, src: x ? 2 : 0, off: r.off ?? 0, imm: r.imm ?? 0 };
  const pre = [
    lddw(0, big ? 0x1_0000_0005n : 5n),
    lddw(1, big ? 0xffff_ffff_8000_0000n : 7n),
    lddw(2, big ? 40n : 3n),
    lddw(3, 0n),
  ];
  const kImm = big ? -40 : 3;
  switch (r.kind) {
    case "alu":
    case "shift":
    case "mov":
      return [...pre, { ...base, imm: x ? 0 : kImm }];
    case "divmod":
      return [...pre, { ...base, src: x ? (big ? 3 : 2) : 0, imm: x ? 0 : big ? 0 : 3 }];
    case "movsx":
      return [...pre, { ...base, src: 2 }];
    case "neg":
    case "end":
      return [...pre, { ...base, src: 0 }];
    case "ja":
    case "gotol":
      return [...pre, { ...base, dst: 0 }];
    case "jcond":
      return [...pre, { ...base, off: 1, imm: x ? 0 : kImm }, lddw(0, 9n)];
    case "atomic":
    case "stx":
      return [...pre, { ...base, dst: 10, src: 1, off: -8 }, { ...base, dst: 10, src: 1, off: -16 }];
    case "st":
      return [...pre, { ...base, dst: 10, src: 0, off: -8, imm: kImm }];
    case "ldx":
    case "ldxsx":
      // One load from the stack, one from the context: both the cache hit and the miss run.
      return [
        ...pre,
        { ...base, dst: 0, src: 10, off: -8 },
        { ...base, dst: 0, src: 6, off: 0 },
        { ...base, dst: 0, src: 10, off: -8 },
      ];
    case "ldabs":
    case "ldind":
      return [...pre, { ...base, dst: 0, src: x ? 3 : 0, imm: big ? 100 : 1 }];
    case "call":
      return [...pre, { ...base, dst: 0, imm: 1 }];
    case "callx":
      return [...pre, lddw(1, 1n), { ...base, dst: 1 }];
    default:
      return pre;
  }
}

let done = false;

/** Runs every form twice through a throwaway interpreter (once per process, ~10 ms). */
export function warmUp(
  make: (p: ReturnType<typeof verifyProgram>, env: import("../engine.ts").ExecEnv) => Interpreter,
): void {
  if (done) return;
  done = true;
  const memory = new ProgramMemory({ initialPages: 1 });
  const helpers = new HelperTable().register(1, "warm", (c) => c.arg(1));
  const ctx = memory.map(new Uint8Array(64), RegionFlag.READ | RegionFlag.WRITE, "CONTEXT");
  const env = {
    memory,
    helpers,
    call: new HelperCall(memory),
    contextWasm: ctx.wasmAddress,
    contextLength: 64,
    tailCall: () => undefined,
  };
  const args = new Int32Array(10);
  const out = new Int32Array(2);
  const ctxAddr = ctx.address;
  const programs: Instruction[][] = [];
  for (const r of OPCODE_ROWS) {
    if (r.kind === "later" || (r.kind === "lddw" && (r.src ?? 0) !== 0)) continue;
    for (const v of [0, 1]) programs.push([lddw(6, ctxAddr), ...body(r, v), EXIT]);
  }
  // Local calls and the return path, and a loop so backward jumps run.
  programs.push([
    { op: 0xb7, dst: 6, src: 0, off: 0, imm: 0 },
    { op: 0x07, dst: 6, src: 0, off: 0, imm: 1 },
    { op: 0x85, dst: 0, src: 1, off: 0, imm: 2 },
    { op: 0xa5, dst: 6, src: 0, off: -3, imm: 4 },
    EXIT,
    { op: 0xb7, dst: 0, src: 0, off: 0, imm: 1 },
    EXIT,
  ]);
  for (let round = 0; round < 2; round++) {
    for (const insns of programs) {
      try {
        make(verifyProgram(encodeProgram(insns), {}), env).run(args, 10_000, out);
      } catch {
        // Faults are part of the warm-up (an out-of-bounds ldabs ends the run; nothing else should throw).
      }
    }
  }
}
