/**
 * Disassembler: the bpf_conformance dialect (what `assemble` reads back: round-trips byte for byte), or
 * the C-like syntax of `llvm-objdump -d` for BPF.
 */

import { type DecodedInstruction, decodeInstructions } from "./decode.ts";

export interface DisassembleOptions {
  /** `"conformance"` (default) or `"llvm"` (as `llvm-objdump -d --mattr=+alu32` prints clang v3/v4 code). */
  readonly style?: "conformance" | "llvm";
  /** llvm style: print slot numbers (`      3:\t`) like llvm-objdump (default true). */
  readonly addresses?: boolean;
  /** llvm style: the function's symbol, to annotate jump targets as `<symbol+0xoffset>` like llvm-objdump. */
  readonly symbol?: string;
}

const sx = (n: number | bigint) =>
  n < 0 ? `-0x${(-BigInt(n)).toString(16)}` : `0x${BigInt(n).toString(16)}`;
const signed = (n: number) => (n < 0 ? `${n}` : `+${n}`);

/** One instruction in the conformance dialect. */
export function formatConformance(i: DecodedInstruction): string {
  const row = i.row;
  const r = (n: number) => `%r${n}`;
  const mem = (reg: number, off: number) => `[%r${reg}${off < 0 ? "-" : "+"}${Math.abs(off)}]`;
  if (row === undefined) return `.unknown 0x${i.op.toString(16).padStart(2, "0")}`;
  switch (row.kind) {
    case "alu":
    case "shift":
    case "divmod":
    case "mov":
      return row.source === "X"
        ? `${row.mnemonic} ${r(i.dst)}, ${r(i.src)}`
        : `${row.mnemonic} ${r(i.dst)}, ${i.imm}`;
    case "movsx":
      return `${row.mnemonic} ${r(i.dst)}, ${r(i.src)}`;
    case "neg":
    case "end":
      return `${row.mnemonic} ${r(i.dst)}`;
    case "ja":
      return `ja ${signed(i.off)}`;
    case "gotol":
      return `ja32 ${signed(i.imm)}`;
    case "jcond":
      return row.source === "X"
        ? `${row.mnemonic} ${r(i.dst)}, ${r(i.src)}, ${signed(i.off)}`
        : `${row.mnemonic} ${r(i.dst)}, ${i.imm}, ${signed(i.off)}`;
    case "call":
      return `call ${i.imm}`;
    case "call_local":
      return `call local ${signed(i.imm)}`;
    case "callx":
      return `call ${r(i.dst)}`;
    case "exit":
      return "exit";
    case "lddw": {
      const text = `lddw ${r(i.dst)}, 0x${(i.imm64 ?? 0n).toString(16)}`;
      return i.src === 0 ? text : `${text} # pseudo source ${i.src} (${row.name})`;
    }
    case "ldabs":
      return `${row.mnemonic} ${i.imm}`;
    case "ldind":
      return `${row.mnemonic} ${r(i.src)}, ${i.imm}`;
    case "ldx":
    case "ldxsx":
      return `${row.mnemonic} ${r(i.dst)}, ${mem(i.src, i.off)}`;
    case "st":
      return `${row.mnemonic} ${mem(i.dst, i.off)}, ${i.imm}`;
    case "stx":
    case "atomic":
      return `${row.mnemonic} ${mem(i.dst, i.off)}, ${r(i.src)}`;
    case "later":
      return `${row.mnemonic} ; unsupported (${row.name})`;
  }
}

const LLVM_ALU: Readonly<Record<string, string>> = {
  add: "+=",
  sub: "-=",
  mul: "*=",
  div: "/=",
  sdiv: "s/=",
  or: "|=",
  and: "&=",
  lsh: "<<=",
  rsh: ">>=",
  mod: "%=",
  smod: "s%=",
  xor: "^=",
  arsh: "s>>=",
  mov: "=",
};
const LLVM_JMP: Readonly<Record<string, string>> = {
  jeq: "==",
  jgt: ">",
  jge: ">=",
  jset: "&",
  jne: "!=",
  jsgt: "s>",
  jsge: "s>=",
  jlt: "<",
  jle: "<=",
  jslt: "s<",
  jsle: "s<=",
};
const SIZE_NAME: Readonly<Record<number, string>> = { 1: "u8", 2: "u16", 4: "u32", 8: "u64" };

/** One instruction in llvm-objdump's BPF syntax; `symbol` annotates jump targets. */
export function formatLlvm(i: DecodedInstruction, symbol?: string): string {
  const text = formatLlvmBare(i);
  const k = i.row?.kind;
  if (symbol === undefined || (k !== "ja" && k !== "gotol" && k !== "jcond")) return text;
  const target = i.pc + 1 + (k === "gotol" ? i.imm : i.off);
  return `${text} <${symbol}+0x${(target * 8).toString(16)}>`;
}

function formatLlvmBare(i: DecodedInstruction): string {
  const row = i.row;
  if (row === undefined) return "<unknown>";
  const is32 = row.cls === "ALU" || row.cls === "JMP32";
  const reg = (n: number, w = is32) => `${w ? "w" : "r"}${n}`;
  const addr = (b: number, off: number) => `(r${b} ${off < 0 ? "-" : "+"} ${sx(Math.abs(off))})`;
  const base = row.mnemonic.replace(/32$/, "");
  switch (row.kind) {
    case "alu":
    case "shift":
    case "divmod":
    case "mov": {
      const op = LLVM_ALU[base] ?? base;
      return `${reg(i.dst)} ${op} ${row.source === "X" ? reg(i.src) : sx(i.imm)}`;
    }
    case "movsx": {
      const w = row.off ?? 8;
      return `${reg(i.dst)} = (s${w})${reg(i.src)}`;
    }
    case "neg":
      return `${reg(i.dst)} = -${reg(i.dst)}`;
    case "end":
      return `${reg(i.dst, false)} = ${row.mnemonic} ${reg(i.dst, false)}`;
    case "ja":
      return `goto ${i.off < 0 ? "-" : "+"}${sx(Math.abs(i.off))}`;
    case "gotol":
      return `gotol ${i.imm < 0 ? "-" : "+"}${sx(Math.abs(i.imm))}`;
    case "jcond": {
      const rhs = row.source === "X" ? reg(i.src) : sx(i.imm);
      return `if ${reg(i.dst)} ${LLVM_JMP[base] ?? base} ${rhs} goto ${i.off < 0 ? "-" : "+"}${sx(Math.abs(i.off))}`;
    }
    case "call":
    case "call_local":
      return `call ${sx(i.imm)}`;
    case "callx":
      return `callx r${i.dst}`;
    case "exit":
      return "exit";
    case "lddw":
      return `r${i.dst} = ${sx(BigInt.asIntN(64, i.imm64 ?? 0n))} ll`;
    case "ldabs":
      return `r0 = *(${SIZE_NAME[row.size ?? 1]} *)skb[${sx(i.imm)}]`;
    case "ldind":
      return `r0 = *(${SIZE_NAME[row.size ?? 1]} *)skb[r${i.src} + ${sx(i.imm)}]`;
    case "ldx":
      return `${reg(i.dst, row.size !== 8)} = *(${SIZE_NAME[row.size ?? 1]} *)${addr(i.src, i.off)}`;
    case "ldxsx":
      return `r${i.dst} = *(s${(row.size ?? 1) * 8} *)${addr(i.src, i.off)}`;
    case "st":
      return `*(${SIZE_NAME[row.size ?? 1]} *)${addr(i.dst, i.off)} = ${sx(i.imm)}`;
    case "stx":
      return `*(${SIZE_NAME[row.size ?? 1]} *)${addr(i.dst, i.off)} = ${reg(i.src, row.size !== 8)}`;
    case "atomic": {
      const w = row.size === 8;
      const v = (n: number) => `${w ? "r" : "w"}${n}`;
      const ptr = `r${i.dst} ${i.off < 0 ? "-" : "+"} ${sx(Math.abs(i.off))}`;
      const t = `${SIZE_NAME[row.size ?? 8]} *`;
      const imm = row.imm ?? 0;
      if (imm === 0xe1) return `${v(i.src)} = xchg${w ? "_64" : "32_32"}(${ptr}, ${v(i.src)})`;
      if (imm === 0xf1) return `${v(0)} = cmpxchg${w ? "_64" : "32_32"}(${ptr}, ${v(0)}, ${v(i.src)})`;
      const name = { 0: "add", 64: "or", 80: "and", 160: "xor" }[imm & ~1] ?? "?";
      if (imm & 1) return `${v(i.src)} = atomic_fetch_${name}((${t})(${ptr}), ${v(i.src)})`;
      const sym = { add: "+=", or: "|=", and: "&=", xor: "^=" }[name] ?? "?";
      return `lock *(${t})(${ptr}) ${sym} ${v(i.src)}`;
    }
    case "later":
      return `<${row.mnemonic}>`;
  }
}

/** Disassembles a whole program, one instruction per line. */
export function disassemble(bytes: Uint8Array, options: DisassembleOptions = {}): string {
  const insns = decodeInstructions(bytes);
  if (options.style === "llvm") {
    const addresses = options.addresses ?? true;
    return insns
      .map((i) => {
        const text = formatLlvm(i, options.symbol);
        return addresses ? `${String(i.pc).padStart(8)}:\t${text}` : text;
      })
      .join("\n");
  }
  return insns.map(formatConformance).join("\n");
}
