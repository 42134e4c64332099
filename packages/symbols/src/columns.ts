// The packed layout every reader produces and `SymbolTable` serves lookups from: one row per
// symbol in typed arrays, names as [start, end) ranges of one string.
import { SymbolsError } from "./errors.ts";

export interface SymbolColumns {
  readonly count: number;
  /** Address halves, ascending by (hi, lo) once built; equal addresses keep input order. */
  readonly addrHi: Uint32Array;
  readonly addrLo: Uint32Array;
  /** The string table; each name is `strings.slice(nameStart[i], nameEnd[i])`. */
  readonly strings: string;
  readonly nameStart: Uint32Array;
  readonly nameEnd: Uint32Array;
  /** nm type character codes (`T`, `t`, `D`, ...). */
  readonly types: Uint8Array;
  /** Explicit sizes (ELF `st_size`); NaN where unknown. Absent when no symbol has one. */
  readonly sizes: Float64Array | undefined;
  /** 1-based index into `modules` (/proc/kallsyms `[module]`), 0 for none. Absent when no symbol has one. */
  readonly moduleIndex: Uint16Array | undefined;
  readonly modules: readonly string[];
}

/** True when the string holds a UTF-16 unit whose order differs from UTF-8 byte order. */
export function needsCodePointOrder(s: string): boolean {
  return /[\uD800-\uFFFF]/.test(s);
}

// Surrogates (D800–DFFF) sort after E000–FFFF in code-point (= UTF-8 byte) order.
function fixUnit(u: number): number {
  return u >= 0xd800 ? (u <= 0xdfff ? u + 0x2000 : u - 0x800) : u;
}

/**
 * Compares `a` with `text[start, end)` in UTF-8 byte order (the order kallsyms `seqs` use),
 * without slicing. `cp` false means every unit is below U+D800, where unit order is byte order.
 */
export function compareToRange(a: string, text: string, start: number, end: number, cp: boolean): number {
  const la = a.length;
  const lb = end - start;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = text.charCodeAt(start + i);
    if (x !== y) {
      if (cp) {
        x = fixUnit(x);
        y = fixUnit(y);
      }
      return x - y;
    }
  }
  return la - lb;
}

export function compareRanges(
  text: string,
  as: number,
  ae: number,
  bs: number,
  be: number,
  cp: boolean,
): number {
  const la = ae - as;
  const lb = be - bs;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    let x = text.charCodeAt(as + i);
    let y = text.charCodeAt(bs + i);
    if (x !== y) {
      if (cp) {
        x = fixUnit(x);
        y = fixUnit(y);
      }
      return x - y;
    }
  }
  return la - lb;
}

function isSorted(hi: Uint32Array, lo: Uint32Array): boolean {
  for (let i = 1; i < hi.length; i++) {
    const h0 = hi[i - 1] as number;
    const h1 = hi[i] as number;
    if (h1 < h0 || (h1 === h0 && (lo[i] as number) < (lo[i - 1] as number))) return false;
  }
  return true;
}

function permute<T extends Uint32Array | Uint8Array | Uint16Array | Float64Array>(
  a: T,
  perm: Uint32Array,
): T {
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let i = 0; i < perm.length; i++) out[i] = a[perm[i] as number] as number;
  return out;
}

/** Returns the columns in address order (stable: equal addresses keep their input order). */
export function sortByAddress(c: SymbolColumns): SymbolColumns {
  if (isSorted(c.addrHi, c.addrLo)) return c;
  const hi = c.addrHi;
  const lo = c.addrLo;
  const order = Array.from({ length: c.count }, (_, i) => i);
  order.sort(
    (a, b) => (hi[a] as number) - (hi[b] as number) || (lo[a] as number) - (lo[b] as number) || a - b,
  );
  const perm = Uint32Array.from(order);
  return {
    count: c.count,
    addrHi: permute(c.addrHi, perm),
    addrLo: permute(c.addrLo, perm),
    strings: c.strings,
    nameStart: permute(c.nameStart, perm),
    nameEnd: permute(c.nameEnd, perm),
    types: permute(c.types, perm),
    sizes: c.sizes && permute(c.sizes, perm),
    moduleIndex: c.moduleIndex && permute(c.moduleIndex, perm),
    modules: c.modules,
  };
}

function compareIndices(c: SymbolColumns, cp: boolean): (a: number, b: number) => number {
  const { strings, nameStart, nameEnd } = c;
  return (a, b) =>
    compareRanges(
      strings,
      nameStart[a] as number,
      nameEnd[a] as number,
      nameStart[b] as number,
      nameEnd[b] as number,
      cp,
    ) || a - b;
}

/**
 * Address-order indices sorted by (name in UTF-8 byte order, address order).
 *
 * Names below U+00FF go through a most-significant-first radix pass: a few characters from `depth` on
 * and the index are packed into one exact double (8 bits a character, 0 past the end), so a
 * native numeric sort does the work; runs that share those characters go one window deeper. A
 * run whose window reached every name's end holds equal names, already in index order. Small
 * runs and other tables use a comparator.
 */
export function nameOrder(c: SymbolColumns, cp: boolean): Uint32Array {
  const n = c.count;
  const idxBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const chars = Math.floor((53 - idxBits) / 8);
  const cmp = compareIndices(c, cp);
  if (cp || chars < 1 || /[\u00ff-\uffff]/.test(c.strings)) {
    return Uint32Array.from(Array.from({ length: n }, (_, i) => i).sort(cmp));
  }
  const { strings, nameStart, nameEnd } = c;
  const scale = 2 ** idxBits;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const refine = (from: number, to: number, depth: number): void => {
    const len = to - from;
    if (len < 32) {
      order.set(Array.from(order.subarray(from, to)).sort(cmp), from);
      return;
    }
    const keys = new Float64Array(len);
    for (let j = 0; j < len; j++) {
      const i = order[from + j] as number;
      const s = (nameStart[i] as number) + depth;
      const e = nameEnd[i] as number;
      let k = 0;
      for (let q = 0; q < chars; q++) k = k * 256 + (s + q < e ? strings.charCodeAt(s + q) + 1 : 0);
      keys[j] = k * scale + i;
    }
    keys.sort();
    for (let j = 0; j < len; j++) order[from + j] = (keys[j] as number) % scale;
    let runStart = 0;
    let runKey = Math.floor((keys[0] as number) / scale);
    for (let j = 1; j <= len; j++) {
      const key = j < len ? Math.floor((keys[j] as number) / scale) : -1;
      if (key === runKey) continue;
      // A last byte of 0 means the names ended inside this window: the run is one name.
      if (j - runStart > 1 && runKey % 256 !== 0) refine(from + runStart, from + j, depth + chars);
      runStart = j;
      runKey = key;
    }
  };
  if (n > 1) refine(0, n, 0);
  return order;
}

/** Checks a type character (one printable ASCII char) and returns its code. */
export function typeCode(type: string, where: string): number {
  const c = type.charCodeAt(0);
  if (type.length !== 1 || c < 0x21 || c > 0x7e) {
    throw new SymbolsError(
      "SYMBOLS_INVALID_ARGUMENT",
      `${where}: type must be one printable ASCII character, got ${JSON.stringify(type)}`,
    );
  }
  return c;
}
