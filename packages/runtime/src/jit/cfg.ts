/**
 * Control-flow analysis for the JIT, over raw 8-byte instruction slots: subprogram boundaries (targets of
 * local calls) and basic-block leaders inside each. Backend-neutral; `wasm-emit.ts` consumes it.
 */

import { RuntimeError } from "../errors.ts";
import type { DecodedProgram } from "../isa/decode.ts";

/** The fields the JIT reads: the decoder's typed-array form of a program (`DecodedProgram` fits). */
export type Slots = Pick<DecodedProgram, "count" | "opcode" | "dst" | "src" | "off" | "imm" | "nextImm">;

const CLS_JMP = 0x05;
const CLS_JMP32 = 0x06;
const OP_LDDW = 0x18;
const OP_CALL = 0x85;
const OP_EXIT = 0x95;
const OP_JA = 0x05;
const OP_JA32 = 0x06; // gotol: JMP32 | JA, target in imm

/** Is slot `i` a control transfer that ends a basic block, and where does it go? */
export function branchTarget(s: Slots, i: number): number | undefined {
  const op = s.opcode[i] ?? 0;
  const cls = op & 7;
  if (cls !== CLS_JMP && cls !== CLS_JMP32) return undefined;
  if (op === OP_CALL || op === OP_EXIT) return undefined;
  if ((op & 0xf0) === 0x80 || (op & 0xf0) === 0x90) return undefined; // call/exit variants (refused by the verifier)
  if (op === OP_JA32) return i + 1 + (s.imm[i] ?? 0);
  return i + 1 + (s.off[i] ?? 0);
}

export function isLocalCall(s: Slots, i: number): boolean {
  return s.opcode[i] === OP_CALL && s.src[i] === 1;
}

export function isLddw(s: Slots, i: number): boolean {
  return s.opcode[i] === OP_LDDW;
}

export function isUnconditional(s: Slots, i: number): boolean {
  const op = s.opcode[i];
  return op === OP_JA || op === OP_JA32 || op === OP_EXIT;
}

/**
 * Instructions after which the JIT starts a new budget charge even without a jump: `exit`, local calls
 * (the callee must see exactly the budget the interpreter would leave it), calls that may be tail calls
 * (helper 12, `callx`) and legacy packet loads (which may end the run). So a block is never left in the
 * middle except by an error.
 */
function endsCharge(s: Slots, i: number): boolean {
  const op = s.opcode[i] ?? 0;
  if (op === OP_EXIT || op === 0x8d) return true;
  if (op === OP_CALL) return s.src[i] === 1 || s.imm[i] === 12;
  return (op & 0x07) === 0 && op !== OP_LDDW; // LD class: ld_abs / ld_ind
}

export interface Subprogram {
  /** First slot. */
  readonly start: number;
  /** One past the last slot. */
  readonly end: number;
  /** Sorted basic-block leaders (slot indices), the first is `start`. */
  readonly leaders: readonly number[];
  /** Leaders that some branch reaches from a later (or the same) slot: these need the dispatcher. */
  readonly loopHeads: ReadonlySet<number>;
}

export interface ControlFlow {
  readonly slots: Slots;
  readonly subprograms: readonly Subprogram[];
  /** Map from entry slot to subprogram index. */
  readonly subprogramAt: ReadonlyMap<number, number>;
}

/**
 * Splits the program. Assumes the verifier accepted it (targets in range, not into an lddw's second half);
 * still re-checks what would make the emitted module invalid, and throws `EBPF_JIT_BAD_PROGRAM` naming pc.
 */
export function analyse(s: Slots): ControlFlow {
  const n = s.count;
  const entries = new Set<number>([0]);
  const secondHalf = new Uint8Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (isLddw(s, i)) {
      if (i + 1 >= n) bad(i, "lddw without its second half");
      secondHalf[++i] = 1;
    }
  }
  for (let i = 0; i < n; i++) {
    if (isLocalCall(s, i)) {
      const t = i + 1 + (s.imm[i] ?? 0);
      if (t < 0 || t >= n || secondHalf[t]) bad(i, `call target ${t} outside the program or inside an lddw`);
      entries.add(t);
    }
    if (isLddw(s, i)) i++;
  }
  const starts = [...entries].sort((a, b) => a - b);
  const subprogramAt = new Map<number, number>();
  const subprograms: Subprogram[] = [];
  starts.forEach((start, k) => {
    const end = starts[k + 1] ?? n;
    subprogramAt.set(start, k);
    const leaderSet = new Set<number>([start]);
    const loopHeads = new Set<number>();
    for (let i = start; i < end; i++) {
      const t = branchTarget(s, i);
      if (t !== undefined) {
        if (t < start || t >= end) bad(i, `jump target ${t} leaves its subprogram [${start}, ${end})`);
        if (secondHalf[t]) bad(i, `jump target ${t} is the second half of an lddw`);
        leaderSet.add(t);
        if (t <= i) loopHeads.add(t);
        if (i + 1 < end) leaderSet.add(i + 1);
      } else if (endsCharge(s, i) && i + 1 < end) {
        leaderSet.add(i + 1);
      }
      if (isLddw(s, i)) i++;
    }
    subprograms.push({ start, end, leaders: [...leaderSet].sort((a, b) => a - b), loopHeads });
  });
  return { slots: s, subprograms, subprogramAt };
}

function bad(pc: number, what: string): never {
  throw new RuntimeError("EBPF_JIT_BAD_PROGRAM", `JIT: ${what} at pc ${pc}`, { pc });
}
