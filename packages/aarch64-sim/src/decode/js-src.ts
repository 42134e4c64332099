// Source fragments for compiled blocks (Insn.js): 64-bit shifts of register halves by a constant, as
// JS expressions, matching exec/alu.ts exactly.

/** [lo, hi] expressions of (lo, hi) shifted by constant `s` (0..63); type 0 LSL, 1 LSR, 2 ASR, 3 ROR. */
export function shift64Src(type: number, lo: string, hi: string, s: number): [string, string] {
  if (s === 0) return [lo, hi];
  if (type === 0) {
    if (s < 32) return [`(${lo} << ${s})`, `((${hi} << ${s}) | (${lo} >>> ${32 - s}))`];
    return ["0", s === 32 ? lo : `(${lo} << ${s - 32})`];
  }
  if (type === 1 || type === 2) {
    const hiShift = type === 1 ? ">>>" : ">>";
    if (s < 32) return [`((${lo} >>> ${s}) | (${hi} << ${32 - s}))`, `(${hi} ${hiShift} ${s})`];
    const top = type === 1 ? "0" : `(${hi} >> 31)`;
    return [s === 32 ? (type === 1 ? `(${hi} | 0)` : hi) : `(${hi} ${hiShift} ${s - 32})`, top];
  }
  if (s < 32)
    return [`((${lo} >>> ${s}) | (${hi} << ${32 - s}))`, `((${hi} >>> ${s}) | (${lo} << ${32 - s}))`];
  if (s === 32) return [hi, lo];
  const t = s - 32;
  return [`((${hi} >>> ${t}) | (${lo} << ${32 - t}))`, `((${lo} >>> ${t}) | (${hi} << ${32 - t}))`];
}

/** Expression of the 32-bit value `v` shifted by constant `s` (0..31), as exec/alu.ts `shift32`. */
export function shift32Src(type: number, v: string, s: number): string {
  if (s === 0) return v;
  if (type === 0) return `(${v} << ${s})`;
  if (type === 1) return `(${v} >>> ${s})`;
  if (type === 2) return `(${v} >> ${s})`;
  return `((${v} >>> ${s}) | (${v} << ${32 - s}))`;
}
