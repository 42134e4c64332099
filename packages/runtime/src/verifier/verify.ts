/**
 * The load-time verifier: structural checks, run once per program. Every rejection is a `RuntimeError`
 * with a `EBPF_VERIFY_*` code, the instruction index in `pc`, and the reason in the message.
 */

import { RuntimeError, type RuntimeErrorCode } from "../errors.ts";
import { HELPER_NAMES } from "../helpers/ids.ts";
import { type DecodedProgram, decodeProgram, instructionAt, OP_LDDW } from "../isa/decode.ts";
import { formatConformance } from "../isa/disasm.ts";
import { fieldRules, lookupOpcode, type OpcodeRow } from "../isa/opcodes.ts";
import { FRAME_SIZE, MAX_FRAMES } from "../memory/layout.ts";

export const MAX_INSTRUCTIONS = 1_000_000;

/** lddw pseudo sources other than 0, handed to the resolver: map by fd/index, map value, var/code address. */
export type PseudoSource = 1 | 2 | 3 | 4 | 5 | 6;

export interface VerifyOptions {
  /** Helper ids that exist; a `call` to another id is rejected. Omit to accept any id. */
  readonly helperIds?: ReadonlySet<number>;
  /**
   * Resolves `lddw` with a pseudo source to the 64-bit value the register gets (a map handle or a BPF
   * address). Return undefined to reject. Without a resolver, pseudo sources are rejected.
   */
  readonly resolvePseudo?: (
    src: PseudoSource,
    imm: number,
    nextImm: number,
    pc: number,
  ) => bigint | undefined;
}

/** A program the verifier accepted; what the engines run. */
export interface VerifiedProgram extends DecodedProgram {
  /** Entry slots of the subprograms, ascending; 0 first. */
  readonly subprograms: readonly number[];
  /** Deepest chain of local calls, in frames (1 = no calls). */
  readonly maxFrames: number;
}

type Reject = (code: RuntimeErrorCode, pc: number, why: string) => never;

/** Rejections name the instruction by index and by its text (`instruction 3 (mov %r10, 1): ...`). */
function rejecter(p: DecodedProgram): Reject {
  return (code, pc, why) => {
    let text = "";
    if (pc >= 0 && pc < p.count) text = ` (${formatConformance(instructionAt(p, pc))})`;
    throw new RuntimeError(code, `instruction ${pc}${text}: ${why}`, { pc });
  };
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(2, "0")}`;

/** Verifies `bytes` (or an already decoded program). Throws on the first problem found, in slot order. */
export function verifyProgram(
  input: Uint8Array | DecodedProgram,
  options: VerifyOptions = {},
): VerifiedProgram {
  const p = input instanceof Uint8Array ? decodeProgram(input) : input;
  const n = p.count;
  const reject: Reject = rejecter(p);
  if (n === 0) throw new RuntimeError("EBPF_EMPTY_PROGRAM", "program has no instructions");
  if (n > MAX_INSTRUCTIONS) {
    throw new RuntimeError(
      "EBPF_VERIFY_TOO_LONG",
      `program has ${n} instructions (maximum ${MAX_INSTRUCTIONS})`,
      {
        pc: MAX_INSTRUCTIONS,
      },
    );
  }
  const imm = p.imm.slice();
  const nextImm = p.nextImm.slice();
  // Resolved lddw values are patched into a copy of the bytes too: the JIT compiles from the bytes.
  const bytes = p.bytes.slice();
  const bytesView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const secondHalf = new Uint8Array(n);
  const rows: (OpcodeRow | undefined)[] = new Array(n);
  const src0 = new Uint8Array(n);

  // Pass 1: each instruction on its own.
  for (let pc = 0; pc < n; pc++) {
    const op = p.opcode[pc] ?? 0;
    const dst = p.dst[pc] ?? 0;
    const src = p.src[pc] ?? 0;
    const off = p.off[pc] ?? 0;
    const im = p.imm[pc] ?? 0;
    const row = lookupOpcode(op, src, off, im);
    if (row === undefined) {
      const shared = lookupOpcode(op, 0, 0, 0) ?? lookupOpcode(op, 0, 1, 0x100);
      reject(
        "EBPF_VERIFY_UNKNOWN_OPCODE",
        pc,
        shared === undefined
          ? `unknown opcode ${hex(op)}`
          : `opcode ${hex(op)} with off ${off}, imm ${im}, src ${src} is no known instruction form`,
      );
    }
    rows[pc] = row;
    if (row.kind === "later") {
      const what =
        row.name === "JMP_CALL_KFUNC"
          ? `kfunc calls (call with src 2, BTF id ${im}) are not supported`
          : `${row.mnemonic} (${row.name}) is a kernel addition after RFC 9669 and is not supported`;
      reject("EBPF_VERIFY_UNSUPPORTED", pc, what);
    }
    const rules = fieldRules(row);
    if (dst > 10) reject("EBPF_VERIFY_BAD_REGISTER", pc, `destination register r${dst} does not exist`);
    if (src > 10 && rules.src === "r") {
      reject("EBPF_VERIFY_BAD_REGISTER", pc, `source register r${src} does not exist`);
    }
    if (rules.dst === "zero" && dst !== 0)
      reject("EBPF_VERIFY_RESERVED_FIELD", pc, `dst field must be 0, is ${dst}`);
    if (rules.dst === "w" && dst === 10)
      reject("EBPF_VERIFY_R10_WRITE", pc, `r10 (frame pointer) is read-only`);
    // Fetching atomics and xchg write the old value into src (cmpxchg writes r0): r10 must stay read-only.
    if (row.kind === "atomic" && src === 10 && ((im & 1) === 1 || im === 0xe1)) {
      reject("EBPF_VERIFY_R10_WRITE", pc, `writes the old value into r10, the read-only frame pointer`);
    }
    if (rules.src === "zero" && src !== 0)
      reject("EBPF_VERIFY_RESERVED_FIELD", pc, `src field must be 0, is ${src}`);
    if (rules.off === "zero" && off !== 0)
      reject("EBPF_VERIFY_RESERVED_FIELD", pc, `offset must be 0, is ${off}`);
    if (rules.imm === "zero" && im !== 0)
      reject("EBPF_VERIFY_RESERVED_FIELD", pc, `immediate must be 0, is ${im}`);
    // A stack access through r10 must stay inside the frame's 512 bytes.
    if (row.size !== undefined && row.kind !== "lddw" && row.kind !== "ldabs" && row.kind !== "ldind") {
      const base = row.kind === "ldx" || row.kind === "ldxsx" ? src : dst;
      if (base === 10 && (off < -FRAME_SIZE || off + row.size > 0)) {
        reject(
          "EBPF_VERIFY_STACK",
          pc,
          `stack access [r10${off < 0 ? off : `+${off}`}] of ${row.size} bytes outside the 512-byte frame`,
        );
      }
    }
    if (row.kind === "call" && options.helperIds !== undefined && !options.helperIds.has(im)) {
      reject(
        "EBPF_VERIFY_UNKNOWN_HELPER",
        pc,
        `call to helper ${im}${HELPER_NAMES[im] === undefined ? "" : ` (Linux ${HELPER_NAMES[im]})`}, which this Vm does not provide`,
      );
    }
    if (op === OP_LDDW) {
      if (pc + 1 >= n) reject("EBPF_VERIFY_LDDW", pc, "lddw is missing its second half (program ends)");
      const b = (pc + 1) * 8;
      if ((p.bytes[b] ?? 0) !== 0 || (p.bytes[b + 1] ?? 0) !== 0 || (p.off[pc + 1] ?? 0) !== 0) {
        reject("EBPF_VERIFY_LDDW", pc, "second half of lddw must have opcode, registers and offset 0");
      }
      if (src !== 0) {
        const v = options.resolvePseudo?.(src as PseudoSource, im, p.imm[pc + 1] ?? 0, pc);
        if (v === undefined)
          reject(
            "EBPF_VERIFY_PSEUDO",
            pc,
            `lddw with pseudo source ${src} (${row.name}) cannot be resolved here`,
          );
        const u = BigInt.asUintN(64, v);
        imm[pc] = Number(u & 0xffffffffn) | 0;
        nextImm[pc] = Number(u >> 32n) | 0;
        bytesView.setInt32(pc * 8 + 4, imm[pc] ?? 0, true);
        bytesView.setInt32(pc * 8 + 12, nextImm[pc] ?? 0, true);
        // The register gets a plain 64-bit value now: mark the slot as src 0 for every engine.
        bytes[pc * 8 + 1] = (bytes[pc * 8 + 1] ?? 0) & 0x0f;
        src0[pc] = 1;
      }
      secondHalf[pc + 1] = 1;
      pc++;
    }
  }

  // Subprograms: slot 0 and every local-call target.
  const entries = new Set<number>([0]);
  for (let pc = 0; pc < n; pc++) {
    const row = rows[pc];
    if (row === undefined) continue;
    if (row.kind === "call_local") {
      const t = pc + 1 + (p.imm[pc] ?? 0);
      if (t < 0 || t >= n)
        reject("EBPF_VERIFY_CALL_TARGET", pc, `local call target ${t} is outside the program (0..${n - 1})`);
      if (secondHalf[t])
        reject("EBPF_VERIFY_CALL_TARGET", pc, `local call target ${t} is the second half of an lddw`);
      entries.add(t);
    }
  }
  const subprograms = [...entries].sort((a, b) => a - b);
  const subOf = new Int32Array(n);
  for (let k = 0; k < subprograms.length; k++) {
    const end = subprograms[k + 1] ?? n;
    for (let i = subprograms[k] ?? 0; i < end; i++) subOf[i] = k;
  }

  // Pass 2: jump targets, fall-through, the call graph.
  const callees: Set<number>[] = subprograms.map(() => new Set<number>());
  for (let pc = 0; pc < n; pc++) {
    const row = rows[pc];
    if (row === undefined) continue;
    let t: number | undefined;
    if (row.kind === "ja" || row.kind === "jcond") t = pc + 1 + (p.off[pc] ?? 0);
    if (row.kind === "gotol") t = pc + 1 + (p.imm[pc] ?? 0);
    if (t !== undefined) {
      if (t < 0 || t >= n)
        reject("EBPF_VERIFY_JUMP_TARGET", pc, `jump target ${t} is outside the program (0..${n - 1})`);
      if (secondHalf[t])
        reject("EBPF_VERIFY_JUMP_TARGET", pc, `jump target ${t} is the second half of an lddw`);
      if (subOf[t] !== subOf[pc])
        reject("EBPF_VERIFY_JUMP_TARGET", pc, `jump target ${t} is in another function`);
    }
    if (row.kind === "call_local") callees[subOf[pc] ?? 0]?.add(subOf[pc + 1 + (p.imm[pc] ?? 0)] ?? 0);
  }
  for (let k = 0; k < subprograms.length; k++) {
    const end = (subprograms[k + 1] ?? n) - 1;
    const last = secondHalf[end] ? end - 1 : end;
    const kind = rows[last]?.kind;
    if (secondHalf[end] || (kind !== "exit" && kind !== "ja" && kind !== "gotol")) {
      reject(
        "EBPF_VERIFY_FALL_THROUGH",
        end,
        `execution can fall off the end of ${k === 0 ? "the program" : `function ${k}`} (last instruction is not exit or ja)`,
      );
    }
  }

  // Call depth: longest chain of frames; recursion is rejected (its depth is unbounded).
  const depth = new Int32Array(subprograms.length); // 0 = unvisited, -1 = on the stack
  const visit = (k: number): number => {
    if (depth[k] === -1) {
      reject(
        "EBPF_VERIFY_CALL_DEPTH",
        subprograms[k] ?? 0,
        `recursive call into function at instruction ${subprograms[k]}`,
      );
    }
    if ((depth[k] ?? 0) > 0) return depth[k] ?? 0;
    depth[k] = -1;
    let d = 1;
    for (const c of callees[k] ?? []) d = Math.max(d, 1 + visit(c));
    depth[k] = d;
    return d;
  };
  const maxFrames = visit(0);
  if (maxFrames > MAX_FRAMES) {
    reject("EBPF_VERIFY_CALL_DEPTH", 0, `local calls nest ${maxFrames} frames deep (maximum ${MAX_FRAMES})`);
  }
  // Unreachable subprograms are still checked for recursion.
  for (let k = 0; k < subprograms.length; k++) visit(k);

  const srcField = p.src.slice();
  for (let i = 0; i < n; i++) if (src0[i]) srcField[i] = 0;
  return { ...p, bytes, src: srcField, imm, nextImm, subprograms, maxFrames };
}
