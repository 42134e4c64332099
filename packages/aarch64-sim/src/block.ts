// Basic blocks: straight-line runs of decoded instructions ending at a branch, an exception or system
// instruction, a page end or 32 instructions, compiled into one JS function that calls each
// instruction's handler from its own call site. Every site then sees one target, so V8 can inline the
// handlers into the block: the same handlers as the interpreter, without the per-instruction dispatch.
import type { Cpu } from "./cpu.ts";
import { decode, groupOf } from "./decode/index.ts";
import type { Exec } from "./decode/types.ts";

/** A compiled block: returns 0 (ran to its end), 1 (its last instruction branched: `cpu.pc` set) or
 * 2 (instruction `cpu.blockIndex` stopped); a thrown bus fault happened at `cpu.blockIndex`. */
export interface Block {
  readonly run: (cpu: Cpu) => number;
  /** number of instructions */
  readonly count: number;
}

export const BLOCK_MAX = 32;
const PAGE = 4096;

// The source names the block's address, so every block is its own script (V8 caches compiled code by
// source): its call sites keep their own feedback and stay monomorphic.
function compile(pc: number, fns: readonly Exec[]): (cpu: Cpu) => number {
  const count = fns.length;
  const params = Array.from({ length: count }, (_, i) => `e${i}`);
  let body = `return function block_${pc.toString(16)}(s) {\n  let r;\n`;
  for (let i = 0; i < count - 1; i++) body += `  s.blockIndex = ${i}; r = e${i}(s); if (r !== 0) return r;\n`;
  body += `  s.blockIndex = ${count - 1}; return e${count - 1}(s);\n};`;
  const make = new Function(...params, body) as (...f: Exec[]) => (cpu: Cpu) => number;
  return make(...fns);
}

/**
 * Decodes the block starting at `pc` (fetching through the bus) and compiles it. Returns undefined when
 * the first fetch faults (the interpreter then raises the abort).
 */
export function buildBlock(cpu: Cpu, pc: number): Block | undefined {
  const fns: Exec[] = [];
  const pageEnd = pc - (pc % PAGE) + PAGE;
  for (let a = pc; a < pageEnd && fns.length < BLOCK_MAX; a += 4) {
    let word: number;
    try {
      word = cpu.bus.fetch32((a % 4294967296) | 0, Math.floor(a / 4294967296));
    } catch (e) {
      if (e !== cpu.bus.fault) throw e;
      break;
    }
    const insn = decode(word, a);
    fns.push(insn.exec);
    if (insn.name === "UNDEFINED" || groupOf(word) === "branch-sys") break;
  }
  if (fns.length === 0) return undefined;
  return { run: compile(pc, fns), count: fns.length };
}
