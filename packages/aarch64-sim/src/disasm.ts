// Public disassembly: objdump's text for one word, and symbol-aware target labels for ELF listings.
import { decode } from "./decode/index.ts";
import { SimError } from "./errors.ts";

export interface DisassembleOptions {
  /** formats a PC-relative target (default `0x<hex>`, as `objdump -b binary` prints it) */
  readonly target?: (addr: bigint) => string;
}

/** objdump's text (mnemonic, a tab, operands; no trailing comment) for the instruction `word` at `pc`. */
export function disassemble(word: number, pc = 0n, options: DisassembleOptions = {}): string {
  if (!Number.isInteger(word) || word < -0x80000000 || word > 0xffffffff) {
    throw new SimError("SIM_BAD_ARGUMENT", `instruction word ${word} is not a 32-bit value`);
  }
  if (pc < 0n || pc >= 1n << 53n || pc % 4n !== 0n) {
    throw new SimError(
      "SIM_BAD_ARGUMENT",
      `pc 0x${pc.toString(16)} is not a 4-byte aligned address below 2^53`,
      {
        pc,
      },
    );
  }
  const insn = decode(word, Number(pc));
  return options.target ? insn.asm(options.target) : insn.asm();
}

/** The name of the decode row for `word` (e.g. `ADDSUB_i`, `LDST_pair`, `UNDEFINED`). */
export function encodingName(word: number): string {
  return decode(word | 0, 0).name;
}

/** A target formatter that labels addresses like `objdump -d` on an ELF: `400130 <main+0x10>`. */
export function symbolTargets(symbols: ReadonlyMap<string, number>): (addr: bigint) => string {
  const sorted = [...symbols]
    .filter(([, a]) => a > 0)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return (addr) => {
    const a = Number(addr);
    let lo = 0;
    let hi = sorted.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as [string, number])[1] <= a) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const hex = addr.toString(16);
    if (best < 0) {
      // before the first symbol: objdump counts back from it
      const first = sorted[0];
      return first === undefined ? hex : `${hex} <${first[0]}-0x${(first[1] - a).toString(16)}>`;
    }
    const [name, base] = sorted[best] as [string, number];
    return a === base ? `${hex} <${name}>` : `${hex} <${name}+0x${(a - base).toString(16)}>`;
  };
}
