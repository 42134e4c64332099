import type { Cpu } from "../cpu.ts";

/** An instruction handler: 0 = go on with the next instruction, 1 = branch (it set `cpu.pc`),
 * 2 = stop with `cpu.stop` set (exception). */
export type Exec = (cpu: Cpu) => number;

/** One decoded instruction. */
export interface Insn {
  /** the encoding's row name, e.g. `ADD_i`, `LDR_ui`; `UNDEFINED` for unallocated words */
  readonly name: string;
  readonly word: number;
  readonly exec: Exec;
  /** objdump-style text; `target` formats PC-relative addresses (default `0x<hex>`) */
  readonly asm: (target?: (addr: bigint) => string) => string;
  /**
   * The handler's body as JS statements for compiled blocks (block.ts), with the constants of this
   * instruction inlined: may use `s` (the Cpu), `x` (`s.x`) and `H` (block helpers); a taken branch
   * sets `s.pc` and `return 1`. Absent: the block calls `exec`. Must behave exactly as `exec`.
   */
  readonly js?: string;
  /** true when `js` may throw a bus fault (the block records which instruction was running) */
  readonly jsFaults?: boolean;
}

/** A row of a decode table: a QEMU-style bit pattern (`0`, `1`, anything else = field bit) and a builder
 * that returns undefined when a field value is unallocated. */
export interface Row {
  readonly name: string;
  readonly pattern: string;
  readonly build: (w: number, pc: number, name: string) => Insn | undefined;
}

export interface CompiledRow extends Row {
  readonly mask: number;
  readonly value: number;
}

export function compile(rows: readonly Row[]): CompiledRow[] {
  return rows.map((r) => {
    const bits = r.pattern.replace(/\s+/g, "");
    if (bits.length !== 32) throw new Error(`decode row ${r.name}: pattern has ${bits.length} bits`);
    let mask = 0;
    let value = 0;
    for (let i = 0; i < 32; i++) {
      const ch = bits[i];
      const bit = 31 - i;
      if (ch === "0" || ch === "1") {
        mask |= 1 << bit;
        if (ch === "1") value |= 1 << bit;
      }
    }
    return { ...r, mask: mask | 0, value: value | 0 };
  });
}

/** First row whose fixed bits match and whose builder accepts the word. */
export function lookup(rows: readonly CompiledRow[], w: number, pc: number): Insn | undefined {
  for (const r of rows) {
    if ((w & r.mask) === r.value) {
      const insn = r.build(w, pc, r.name);
      if (insn !== undefined) return insn;
    }
  }
  return undefined;
}
