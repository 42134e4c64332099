/**
 * Assembler for the text dialect of the bpf_conformance / uBPF test vectors (one instruction per line,
 * `%rN` registers, `[%rN+off]` memory operands, `+N`/`-N`/label jump targets, `#` comments). Errors are
 * `RuntimeError`s with code `EBPF_ASM_*`, `line` and `column`.
 */

import { RuntimeError, type RuntimeErrorCode } from "../errors.ts";
import type { Instruction } from "./decode.ts";
import { encodeProgram } from "./encode.ts";
import { OPCODE_ROWS, type OpcodeRow } from "./opcodes.ts";

/** Mnemonic → rows (K and X forms); `lock ...` forms keyed by their full text, e.g. `lock fetch add32`. */
const BY_MNEMONIC: ReadonlyMap<string, readonly OpcodeRow[]> = (() => {
  const m = new Map<string, OpcodeRow[]>();
  for (const r of OPCODE_ROWS) {
    if (r.kind === "later") continue;
    const list = m.get(r.mnemonic) ?? [];
    list.push(r);
    m.set(r.mnemonic, list);
  }
  // uBPF spells the ALU64 byte swaps `swapNN` too.
  for (const w of [16, 32, 64]) m.set(`swap${w}`, m.get(`bswap${w}`) ?? []);
  return m;
})();

interface Line {
  readonly text: string;
  readonly line: number;
  /** Column (1-based) where the instruction text starts. */
  readonly column: number;
}

class AsmError {
  constructor(
    readonly code: RuntimeErrorCode,
    readonly why: string,
    /** The offending text, to point the column at it. */
    readonly token: string | undefined,
  ) {}
}

function fail(code: RuntimeErrorCode, why: string, token?: string): never {
  throw new AsmError(code, why, token?.trim());
}

const REG = /^%r(\d+)$/;

function register(tok: string | undefined): number {
  const m = REG.exec(tok?.trim() ?? "");
  if (m === null) fail("EBPF_ASM_REGISTER", `Invalid register "${tok?.trim() ?? ""}"`, tok);
  const n = Number(m[1]);
  if (n > 15) fail("EBPF_ASM_REGISTER", `Invalid register "${tok?.trim()}"`, tok);
  return n;
}

function isRegister(tok: string | undefined): boolean {
  return REG.test(tok?.trim() ?? "");
}

/** Parses a decimal or 0x-hex integer, optionally negative, into a bigint. */
function integer(tok: string | undefined, what: string): bigint {
  const t = (tok ?? "").trim();
  const m = /^([+-]?)(0x[0-9a-fA-F]+|\d+)$/.exec(t);
  if (m === null) fail("EBPF_ASM_NUMBER", `Invalid ${what} "${t}"`, t);
  const v = BigInt(m[2] ?? "0");
  return m[1] === "-" ? -v : v;
}

/** A 32-bit immediate: -2^31 .. 2^32-1 (values above 2^31-1 are the bit pattern). */
function imm32(tok: string | undefined): number {
  const v = integer(tok, "immediate");
  if (v < -(1n << 31n) || v > 0xffffffffn)
    fail("EBPF_ASM_RANGE", `immediate ${tok?.trim()} does not fit 32 bits`, tok);
  return Number(BigInt.asIntN(32, v));
}

/** `[%rN+off]`, `[%rN-off]` or `[%rN]`. */
function memOperand(tok: string | undefined): { reg: number; off: number } {
  const t = (tok ?? "").trim();
  const m = /^\[\s*(%r\d+)\s*(?:([+-])\s*(0x[0-9a-fA-F]+|\d+))?\s*\]$/.exec(t);
  if (m === null) fail("EBPF_ASM_OPERAND", `Invalid memory operand "${t}" (expected [%rN+offset])`, t);
  const reg = register(m[1]);
  let off = m[3] === undefined ? 0 : Number(BigInt(m[3]));
  if (m[2] === "-") off = -off;
  if (off < -0x8000 || off > 0x7fff) fail("EBPF_ASM_RANGE", `offset ${off} does not fit 16 bits`, t);
  return { reg, off };
}

function splitOperands(rest: string): string[] {
  const t = rest.trim();
  if (t === "") return [];
  return t.split(",").map((s) => s.trim());
}

function pick(rows: readonly OpcodeRow[], source: "K" | "X" | "none"): OpcodeRow {
  const r = rows.find((x) => x.source === source) ?? rows.find((x) => x.source === "none");
  if (r === undefined)
    fail("EBPF_ASM_OPERAND", `no ${source === "X" ? "register" : "immediate"} form of ${rows[0]?.mnemonic}`);
  return r;
}

function expectCount(ops: readonly string[], n: number, mnemonic: string): void {
  if (ops.length !== n) {
    const what = mnemonic.startsWith("lock") ? "lock" : mnemonic;
    fail("EBPF_ASM_OPERANDS", `Invalid number of operands for ${what} (expected ${n}, got ${ops.length})`);
  }
}

/** Assembles `source` into program bytes. */
export function assemble(source: string): Uint8Array {
  const lines: Line[] = [];
  const labels = new Map<string, number>();
  let slot = 0;
  let firstExit = -1;
  source.split("\n").forEach((raw, i) => {
    let text = raw.replace(/\r$/, "");
    const hash = text.indexOf("#");
    if (hash >= 0) text = text.slice(0, hash);
    let column = text.length - text.trimStart().length + 1;
    text = text.trim();
    const label = /^([A-Za-z_.$][\w.$]*)\s*:\s*/.exec(text);
    if (label !== null) {
      const name = label[1] ?? "";
      if (labels.has(name)) {
        throw new RuntimeError("EBPF_ASM_LABEL", `line ${i + 1}: label "${name}" defined twice`, {
          line: i + 1,
          column,
        });
      }
      labels.set(name, slot);
      column += label[0].length;
      text = text.slice(label[0].length);
    }
    if (text === "") return;
    const mnemonic = text.split(/\s+/, 1)[0] ?? "";
    if (mnemonic === "exit" && firstExit < 0) firstExit = slot;
    lines.push({ text, line: i + 1, column });
    slot += mnemonic === "lddw" ? 2 : 1;
  });
  if (firstExit >= 0 && !labels.has("exit")) labels.set("exit", firstExit);

  const insns: Instruction[] = [];
  slot = 0;
  for (const l of lines) {
    try {
      const insn = assembleLine(l.text, slot, labels);
      insns.push(insn);
      slot += insn.op === 0x18 ? 2 : 1;
    } catch (e) {
      if (e instanceof AsmError) {
        const at = e.token ? l.text.indexOf(e.token) : -1;
        const column = l.column + Math.max(at, 0);
        throw new RuntimeError(e.code, `line ${l.line}, column ${column}: ${e.why}: "${l.text}"`, {
          line: l.line,
          column,
        });
      }
      throw e;
    }
  }
  return encodeProgram(insns);
}

function target(
  tok: string | undefined,
  slot: number,
  labels: ReadonlyMap<string, number>,
  bits: 16 | 32,
): number {
  const t = (tok ?? "").trim();
  let off: number;
  if (/^[+-]/.test(t)) off = Number(integer(t, "jump offset"));
  else {
    const at = labels.get(t);
    if (at === undefined) fail("EBPF_ASM_LABEL", `Invalid label "${t}"`, t);
    off = at - slot - 1;
  }
  const lim = bits === 16 ? 0x8000 : 0x8000_0000;
  if (off < -lim || off >= lim) fail("EBPF_ASM_RANGE", `jump offset ${off} does not fit ${bits} bits`, t);
  return off;
}

function assembleLine(text: string, slot: number, labels: ReadonlyMap<string, number>): Instruction {
  const words = text.split(/\s+/);
  let mnemonic = words[0] ?? "";
  let restAt = mnemonic.length;
  if (mnemonic === "lock") {
    // lock [fetch] op[32] [%rD+off], %rS
    const m = /^lock\s+((?:fetch\s+)?[a-z]+\d*)\s*/.exec(text);
    if (m === null) fail("EBPF_ASM_MNEMONIC", "Invalid lock instruction");
    mnemonic = `lock ${(m[1] ?? "").replace(/\s+/g, " ")}`;
    restAt = m[0].length;
  }
  const ops = splitOperands(text.slice(restAt));
  if (mnemonic === "call") return assembleCall(ops, slot, labels);
  const rows = BY_MNEMONIC.get(mnemonic);
  if (rows === undefined) fail("EBPF_ASM_MNEMONIC", `Invalid mnemonic "${mnemonic}"`, mnemonic);
  const kind = rows[0]?.kind;
  const base = { dst: 0, src: 0, off: 0, imm: 0 };
  switch (kind) {
    case "alu":
    case "shift":
    case "divmod":
    case "mov": {
      expectCount(ops, 2, mnemonic);
      const x = isRegister(ops[1]);
      const row = pick(rows, x ? "X" : "K");
      return {
        ...base,
        op: row.op,
        dst: register(ops[0]),
        src: x ? register(ops[1]) : 0,
        off: row.off ?? 0,
        imm: x ? 0 : imm32(ops[1]),
      };
    }
    case "movsx": {
      expectCount(ops, 2, mnemonic);
      const row = pick(rows, "X");
      return { ...base, op: row.op, dst: register(ops[0]), src: register(ops[1]), off: row.off ?? 0 };
    }
    case "neg":
    case "end": {
      expectCount(ops, 1, mnemonic);
      const row = rows[0] as OpcodeRow;
      return { ...base, op: row.op, dst: register(ops[0]), imm: row.imm ?? 0 };
    }
    case "ja": {
      expectCount(ops, 1, mnemonic);
      return { ...base, op: 0x05, off: target(ops[0], slot, labels, 16) };
    }
    case "gotol": {
      expectCount(ops, 1, mnemonic);
      return { ...base, op: 0x06, imm: target(ops[0], slot, labels, 32) };
    }
    case "jcond": {
      expectCount(ops, 3, mnemonic);
      const x = isRegister(ops[1]);
      const row = pick(rows, x ? "X" : "K");
      return {
        op: row.op,
        dst: register(ops[0]),
        src: x ? register(ops[1]) : 0,
        imm: x ? 0 : imm32(ops[1]),
        off: target(ops[2], slot, labels, 16),
      };
    }
    case "exit":
      expectCount(ops, 0, mnemonic);
      return { ...base, op: 0x95 };
    case "lddw": {
      expectCount(ops, 2, mnemonic);
      const v = integer(ops[1], "immediate");
      if (v < -(1n << 63n) || v >= 1n << 64n)
        fail("EBPF_ASM_RANGE", `immediate ${ops[1]} does not fit 64 bits`, ops[1]);
      return { ...base, op: 0x18, dst: register(ops[0]), imm64: BigInt.asUintN(64, v) };
    }
    case "ldabs": {
      expectCount(ops, 1, mnemonic);
      return { ...base, op: (rows[0] as OpcodeRow).op, imm: imm32(ops[0]) };
    }
    case "ldind": {
      expectCount(ops, 2, mnemonic);
      return { ...base, op: (rows[0] as OpcodeRow).op, src: register(ops[0]), imm: imm32(ops[1]) };
    }
    case "ldx":
    case "ldxsx": {
      expectCount(ops, 2, mnemonic);
      const m = memOperand(ops[1]);
      return { ...base, op: (rows[0] as OpcodeRow).op, dst: register(ops[0]), src: m.reg, off: m.off };
    }
    case "st": {
      expectCount(ops, 2, mnemonic);
      const m = memOperand(ops[0]);
      return { ...base, op: (rows[0] as OpcodeRow).op, dst: m.reg, off: m.off, imm: imm32(ops[1]) };
    }
    case "stx":
    case "atomic": {
      expectCount(ops, 2, mnemonic);
      const m = memOperand(ops[0]);
      const row = rows[0] as OpcodeRow;
      return { op: row.op, dst: m.reg, src: register(ops[1]), off: m.off, imm: row.imm ?? 0 };
    }
    default:
      return fail("EBPF_ASM_MNEMONIC", `Invalid mnemonic "${mnemonic}"`);
  }
}

function assembleCall(
  ops: readonly string[],
  slot: number,
  labels: ReadonlyMap<string, number>,
): Instruction {
  expectCount(ops, 1, "call");
  const op0 = ops[0] ?? "";
  const base = { dst: 0, src: 0, off: 0, imm: 0 };
  if (isRegister(op0)) return { ...base, op: 0x8d, dst: register(op0) };
  const local = /^local\s+(\S+)$/.exec(op0);
  if (local !== null) return { ...base, op: 0x85, src: 1, imm: target(local[1], slot, labels, 32) };
  const runtime = /^runtime\s+(\S+)$/.exec(op0);
  if (runtime !== null) return { ...base, op: 0x85, src: 2, imm: imm32(runtime[1]) };
  return { ...base, op: 0x85, imm: imm32(op0) };
}
