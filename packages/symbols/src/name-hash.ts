// An open-addressing hash index over distinct names, in one Int32Array: exact name lookups in
// O(1) without slicing the string table or allocating per query.
import type { SymbolColumns } from "./columns.ts";

/** FNV-1a over UTF-16 units of `text[start, end)`. */
export function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function hashString(s: string): number {
  return hashRange(s, 0, s.length);
}

function rangesEqual(text: string, as: number, ae: number, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = 0; i < ae - as; i++) if (text.charCodeAt(as + i) !== text.charCodeAt(bs + i)) return false;
  return true;
}

/**
 * Slots hold `1 + position in name order` of the first symbol of each distinct name (0 = empty);
 * the table has at least twice as many slots as names, a power of two.
 */
export function buildNameHash(c: SymbolColumns, byName: Uint32Array): Int32Array {
  let size = 16;
  while (size < c.count * 2) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  const { strings, nameStart, nameEnd } = c;
  let ps = -1;
  let pe = -1;
  for (let k = 0; k < byName.length; k++) {
    const i = byName[k] as number;
    const s = nameStart[i] as number;
    const e = nameEnd[i] as number;
    // Equal names are adjacent in name order; only the first of a run goes in.
    if (ps >= 0 && rangesEqual(strings, s, e, ps, pe)) continue;
    ps = s;
    pe = e;
    let h = hashRange(strings, s, e) & mask;
    while (slots[h] !== 0) h = (h + 1) & mask;
    slots[h] = k + 1;
  }
  return slots;
}
