// `System.map` and `/proc/kallsyms` text: `<hex address> <type> <name>` per line; /proc/kallsyms
// adds `\t[module]` for module symbols. Names stay ranges of the input string (no copy).
import type { SymbolColumns } from "./columns.ts";
import { SymbolsError, type SymbolsErrorCode } from "./errors.ts";
import { type SymbolTable, type SymbolTableOptions, tableFromColumns } from "./symbol-table.ts";

export type SymbolTextFormat = "system.map" | "kallsyms";

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

function fail(
  code: SymbolsErrorCode,
  what: string,
  line: number,
  lineStart: number,
  at: number,
): SymbolsError {
  const column = at - lineStart + 1;
  return new SymbolsError(code, `line ${line}, column ${column} (offset ${at}): ${what}`, {
    line,
    column,
    offset: at,
  });
}

function grow<T extends Uint32Array | Uint8Array | Uint16Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Parses `System.map` or `/proc/kallsyms` text into columns. */
export function parseSymbolColumns(text: string, format: SymbolTextFormat): SymbolColumns {
  // Roughly 40 characters a line in real maps; arrays grow if that guess is low.
  let cap = Math.max(16, (text.length / 32) | 0);
  let addrHi = new Uint32Array(cap);
  let addrLo = new Uint32Array(cap);
  let nameStart = new Uint32Array(cap);
  let nameEnd = new Uint32Array(cap);
  let types = new Uint8Array(cap);
  let moduleIndex: Uint16Array | undefined;
  const modules: string[] = [""];
  const moduleIds = new Map<string, number>();
  let n = 0;
  let lineNo = 0;
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    lineNo++;
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = len;
    const ls = pos;
    let end = eol;
    pos = eol + 1;
    while (end > ls && (isSpace(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === 0x0d)) end--;
    let i = ls;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i === end) continue; // blank line
    // address
    const a0 = i;
    while (i < end && !isSpace(text.charCodeAt(i))) i++;
    const digits = i - a0;
    if (digits > 16)
      throw fail("SYMBOLS_TEXT_BAD_ADDRESS", "address longer than 16 hex digits", lineNo, ls, a0);
    let hi = 0;
    let lo = 0;
    for (let k = a0; k < i; k++) {
      const v = hexValue(text.charCodeAt(k));
      if (v < 0) throw fail("SYMBOLS_TEXT_BAD_ADDRESS", "address is not hexadecimal", lineNo, ls, k);
      if (i - k > 8) hi = hi * 16 + v;
      else lo = lo * 16 + v;
    }
    // type
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const t0 = i;
    while (i < end && !isSpace(text.charCodeAt(i))) i++;
    const tc = text.charCodeAt(t0);
    if (i - t0 !== 1 || tc < 0x21 || tc > 0x7e) {
      throw fail("SYMBOLS_TEXT_BAD_TYPE", "type must be one printable character", lineNo, ls, t0);
    }
    // name (the rest; /proc/kallsyms may end with a tab and [module])
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const n0 = i;
    let n1 = end;
    let mod = 0;
    if (format === "kallsyms") {
      const tab = text.indexOf("\t[", t0 + 1);
      if (tab >= 0 && tab < end) {
        if (text.charCodeAt(end - 1) !== 0x5d || end - tab < 4) {
          throw fail("SYMBOLS_TEXT_BAD_MODULE", "module must be [name]", lineNo, ls, tab + 1);
        }
        const m = text.slice(tab + 2, end - 1);
        let id = moduleIds.get(m);
        if (id === undefined) {
          id = modules.length;
          if (id > 0xffff)
            throw fail("SYMBOLS_TEXT_BAD_MODULE", "more than 65535 modules", lineNo, ls, tab + 1);
          moduleIds.set(m, id);
          modules.push(m);
        }
        mod = id;
        n1 = tab;
        while (n1 > n0 && isSpace(text.charCodeAt(n1 - 1))) n1--;
      }
    }
    if (n1 <= n0) throw fail("SYMBOLS_TEXT_BAD_NAME", "missing name", lineNo, ls, n0);
    if (n === cap) {
      cap *= 2;
      addrHi = grow(addrHi, cap);
      addrLo = grow(addrLo, cap);
      nameStart = grow(nameStart, cap);
      nameEnd = grow(nameEnd, cap);
      types = grow(types, cap);
      if (moduleIndex) moduleIndex = grow(moduleIndex, cap);
    }
    if (mod !== 0) {
      moduleIndex ??= new Uint16Array(cap);
      moduleIndex[n] = mod;
    }
    addrHi[n] = hi;
    addrLo[n] = lo;
    nameStart[n] = n0;
    nameEnd[n] = n1;
    types[n] = tc;
    n++;
  }
  return {
    count: n,
    addrHi: addrHi.slice(0, n),
    addrLo: addrLo.slice(0, n),
    strings: text,
    nameStart: nameStart.slice(0, n),
    nameEnd: nameEnd.slice(0, n),
    types: types.slice(0, n),
    sizes: undefined,
    moduleIndex: moduleIndex?.slice(0, n),
    modules,
  };
}

/**
 * Reads a `System.map` (`nm -n` output of vmlinux): one `<hex address> <type> <name>` per line,
 * fields separated by spaces or tabs, blank lines ignored. The name is the rest of the line.
 */
export function parseSystemMap(text: string, options: SymbolTableOptions = {}): SymbolTable {
  return tableFromColumns(parseSymbolColumns(text, "system.map"), options);
}

/**
 * Reads `/proc/kallsyms` text: like `System.map`, plus an optional `\t[module]` after the name.
 * (With `kptr_restrict` every address reads as zero; the table then holds all names at 0.)
 */
export function parseProcKallsyms(text: string, options: SymbolTableOptions = {}): SymbolTable {
  return tableFromColumns(parseSymbolColumns(text, "kallsyms"), options);
}
