// Basic blocks: straight-line runs of decoded instructions ending at a branch, an exception or system
// instruction, a page end or 32 instructions, compiled into one JS function that calls each
// instruction's handler from its own call site. Every site then sees one target, so V8 can inline the
// handlers into the block: the same handlers as the interpreter, without the per-instruction dispatch.
import type { Cpu } from "./cpu.ts";
import { decode, groupOf } from "./decode/index.ts";
import type { Exec, Insn } from "./decode/types.ts";
import { mul64, mulhiU32, smulh, T, umulh } from "./exec/alu.ts";
import { addFlags32, addFlags64, condHolds, nz32, nz64 } from "./exec/flags.ts";

/** A compiled block: returns 0 (ran to its end), 1 (its last instruction branched: `cpu.pc` set) or
 * 2 (instruction `cpu.blockIndex` stopped); a thrown bus fault happened at `cpu.blockIndex`. */
export interface Block {
  readonly run: (cpu: Cpu) => number;
  /** number of instructions */
  readonly count: number;
}

export const BLOCK_MAX = 32;
const PAGE = 4096;

/** What generated block code may call (`H` in `Insn.js`). */
const HELPERS = { T, addFlags32, addFlags64, condHolds, mul64, mulhiU32, nz32, nz64, smulh, umulh } as const;

// The source names the block's address, so every block is its own script (V8 caches compiled code by
// source): its call sites keep their own feedback and stay monomorphic. Instructions with a `js` body
// are inlined as source; the others are called.
function compile(pc: number, insns: readonly Insn[]): (cpu: Cpu) => number {
  const count = insns.length;
  const params = ["H", ...insns.map((_, i) => `e${i}`)];
  // top-half PCs are negative: `n` instead of a minus sign keeps the name an identifier
  let body = `return function block_${pc < 0 ? `n${(-pc).toString(16)}` : pc.toString(16)}(s) {\n  const x = s.x;\n  let r;\n`;
  for (let i = 0; i < count; i++) {
    const insn = insns[i] as Insn;
    const last = i === count - 1;
    if (insn.js !== undefined) {
      if (insn.jsFaults) body += `  s.blockIndex = ${i};\n`;
      body += `  ${insn.js}\n`;
      if (last) body += "  return 0;\n";
    } else if (last) {
      body += `  s.blockIndex = ${i}; return e${i}(s);\n`;
    } else {
      body += `  s.blockIndex = ${i}; r = e${i}(s); if (r !== 0) return r;\n`;
    }
  }
  body += "};";
  const make = new Function(...params, body) as (h: typeof HELPERS, ...f: Exec[]) => (cpu: Cpu) => number;
  return make(HELPERS, ...insns.map((i) => i.exec));
}

/**
 * Decodes the block starting at `pc` (fetching through the bus) and compiles it. Returns undefined when
 * the first fetch faults (the interpreter then raises the abort).
 */
export function buildBlock(cpu: Cpu, pc: number): Block | undefined {
  const fns: Insn[] = [];
  const pageEnd = pc - (((pc % PAGE) + PAGE) % PAGE) + PAGE; // floor: top-half PCs are negative
  for (let a = pc; a < pageEnd && fns.length < BLOCK_MAX; a += 4) {
    let word: number;
    try {
      word = cpu.bus.fetch32((a % 4294967296) | 0, Math.floor(a / 4294967296));
    } catch (e) {
      if (e !== cpu.bus.fault) throw e;
      break;
    }
    const insn = decode(word, a);
    fns.push(insn);
    if (insn.name === "UNDEFINED" || groupOf(word) === "branch-sys") break;
  }
  if (fns.length === 0) return undefined;
  return { run: compile(pc, fns), count: fns.length };
}
