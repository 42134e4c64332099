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

/** Address-order indices sorted by (name in UTF-8 byte order, address order). */
export function nameOrder(c: SymbolColumns, cp: boolean): Uint32Array {
  const { strings, nameStart, nameEnd } = c;
  const order = Array.from({ length: c.count }, (_, i) => i);
  if (!cp) {
    // Native string comparison is unit order, which equals byte order below U+D800.
    const names = order.map((i) => strings.slice(nameStart[i], nameEnd[i]));
    order.sort((a, b) => {
      const x = names[a] as string;
      const y = names[b] as string;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  } else {
    order.sort(
      (a, b) =>
        compareRanges(
          strings,
          nameStart[a] as number,
          nameEnd[a] as number,
          nameStart[b] as number,
          nameEnd[b] as number,
          true,
        ) || a - b,
    );
  }
  return Uint32Array.from(order);
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
