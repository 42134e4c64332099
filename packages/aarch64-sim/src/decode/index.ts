// The A64 decoder: bits 28:25 pick the encoding group (Arm ARM C4.1), each group's table picks the row.
import { BRANCH_SYS_ROWS, undefinedExec } from "./branch-sys.ts";
import { DATA_IMM_ROWS } from "./data-imm.ts";
import { DATA_REG_ROWS } from "./data-reg.ts";
import { LDST_ROWS } from "./ldst.ts";
import { LDST_ATOMIC_ROWS } from "./ldst-atomic.ts";
import { SIMD_ROWS } from "./simd.ts";
import { SIMD_LDST_ROWS } from "./simd-ldst.ts";
import { type CompiledRow, compile, type Insn, lookup } from "./types.ts";

/** The decode tables, one per encoding group, in the order rows are tried. */
export const GROUPS = {
  "data-imm": compile(DATA_IMM_ROWS),
  "data-reg": compile(DATA_REG_ROWS),
  ldst: compile([...LDST_ATOMIC_ROWS, ...LDST_ROWS, ...SIMD_LDST_ROWS]),
  "branch-sys": compile(BRANCH_SYS_ROWS),
  simd: compile(SIMD_ROWS),
} as const satisfies Record<string, CompiledRow[]>;
export type GroupName = keyof typeof GROUPS;

/** The group of a word by op0 = bits 28:25, or undefined for unallocated/SVE/SME space. */
export function groupOf(w: number): GroupName | undefined {
  const op0 = (w >>> 25) & 0xf;
  if ((op0 & 0b1110) === 0b1000) return "data-imm";
  if ((op0 & 0b1110) === 0b1010) return "branch-sys";
  if ((op0 & 0b0101) === 0b0100) return "ldst";
  if ((op0 & 0b0111) === 0b0101) return "data-reg";
  if ((op0 & 0b0111) === 0b0111) return "simd";
  return undefined;
}

function undefinedInsn(w: number): Insn {
  const u = w >>> 0;
  const text =
    (u & 0xffff0000) === 0
      ? `udf\t#${u & 0xffff}`
      : `.inst\t0x${u.toString(16).padStart(8, "0")} ; undefined`;
  return { name: "UNDEFINED", word: u, exec: undefinedExec(u), asm: () => text };
}

/** Decodes one instruction word at `pc` (a number below 2^53). Never throws: unallocated or not
 * implemented words decode to an instruction whose handler stops with UNDEFINED. */
export function decode(word: number, pc: number): Insn {
  const w = word | 0;
  const g = groupOf(w);
  if (g === undefined) return undefinedInsn(w);
  return lookup(GROUPS[g], w, pc) ?? undefinedInsn(w);
}
