import {
  compareToRange,
  nameOrder,
  needsCodePointOrder,
  type SymbolColumns,
  sortByAddress,
  typeCode,
} from "./columns.ts";
import { SymbolsError } from "./errors.ts";
import { compileGlob, globMatches } from "./glob.ts";
import { buildNameHash, hashString } from "./name-hash.ts";
import { diffU64, hex16, joinU64, splitU64 } from "./u64.ts";

/** A half-open address range `[start, end)`; `end` may be 2^64 (no upper bound). */
export interface AddressRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** One symbol to put into a table. */
export interface SymbolInput {
  readonly address: bigint;
  readonly name: string;
  /** nm type character; default `T`. */
  readonly type?: string | undefined;
  /** Known size (ELF `st_size`); otherwise sizes come from the next symbol's address. */
  readonly size?: bigint | undefined;
  /** Owning module, as /proc/kallsyms prints `[module]`. */
  readonly module?: string | undefined;
}

/** A symbol of a table. */
export interface SymbolEntry {
  /** Position in address order. */
  readonly index: number;
  readonly name: string;
  readonly address: bigint;
  readonly type: string;
  /**
   * The explicit size, or the distance to the next higher symbol address, or to the end of the
   * lookup range for the last one; `undefined` when the table has no upper bound to measure to.
   */
  readonly size: bigint | undefined;
  readonly module: string | undefined;
}

/** The answer to an address lookup: the symbol that contains the address. */
export interface SymbolLookup extends SymbolEntry {
  /** `address queried - symbol address`. */
  readonly offset: bigint;
  /** How many symbols share this start address (1 when there is no alias); see `aliasesOf`. */
  readonly aliases: number;
}

export interface SymbolTableOptions {
  /** Address lookups answer only inside `[start, end)`. Default: all of 0..2^64. */
  readonly range?: AddressRange;
  /** The kernel text range. Default: from the `_stext` and `_etext` symbols when both exist. */
  readonly text?: AddressRange;
}

export interface SearchOptions {
  /** Stop after this many results (default: no limit). */
  readonly limit?: number;
}

const TWO_POW_64 = 1n << 64n;

// The packed columns of each table, for the package's own writers; not part of the public type.
const INTERNALS = new WeakMap<SymbolTable, Shared>();

/** The packed columns and name index of a table (package-internal; not exported from index.ts). */
export function tableColumns(t: SymbolTable): { readonly c: SymbolColumns; readonly byName: Uint32Array } {
  return INTERNALS.get(t) as Shared;
}

interface Shared {
  readonly c: SymbolColumns;
  readonly byName: Uint32Array;
  readonly cp: boolean;
  /** Exact-name hash index (see name-hash.ts). */
  readonly hash: Int32Array;
  readonly text: AddressRange | undefined;
}

/**
 * A symbol table in packed typed arrays: addresses as sorted u32 halves, names as ranges of one
 * string, and a name-order index. Lookups never use `bigint` inside; `bigint` appears only in the
 * arguments and results of the convenience methods.
 *
 * Aliases (several names at one address) are reported consistently: an address lookup always
 * answers with the first of them in table order (input order), wherever in the symbol the address
 * falls; `aliasesOf(index)` lists all of them.
 */
export class SymbolTable implements Iterable<SymbolEntry> {
  readonly #s: Shared;
  readonly #c: SymbolColumns;
  // Lookup range as halves; endHi may be 2^32 (meaning 2^64).
  readonly #startHi: number;
  readonly #startLo: number;
  readonly #endHi: number;
  readonly #endLo: number;
  readonly #bounded: boolean;

  /** @internal Use `SymbolTable.from` or a reader (`parseSystemMap`, `readKallsymsBlob`, ...). */
  constructor(shared: Shared, range: AddressRange | undefined) {
    this.#s = shared;
    this.#c = shared.c;
    INTERNALS.set(this, shared);
    const start = range?.start ?? 0n;
    const end = range?.end ?? TWO_POW_64;
    if (start < 0n || end > TWO_POW_64 || start > end) {
      throw new SymbolsError("SYMBOLS_INVALID_ARGUMENT", `bad lookup range [${start}, ${end})`);
    }
    this.#startHi = Number(start >> 32n);
    this.#startLo = Number(start & 0xffff_ffffn);
    this.#endHi = Number(end >> 32n);
    this.#endLo = Number(end & 0xffff_ffffn);
    this.#bounded = end !== TWO_POW_64;
  }

  /** Builds a table from a list of symbols (any order; equal addresses keep list order). */
  static from(symbols: Iterable<SymbolInput>, options: SymbolTableOptions = {}): SymbolTable {
    const list = [...symbols];
    const n = list.length;
    const addrHi = new Uint32Array(n);
    const addrLo = new Uint32Array(n);
    const nameStart = new Uint32Array(n);
    const nameEnd = new Uint32Array(n);
    const types = new Uint8Array(n);
    let sizes: Float64Array | undefined;
    let moduleIndex: Uint16Array | undefined;
    const modules: string[] = [""];
    const moduleIds = new Map<string, number>();
    const names: string[] = [];
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const s = list[i] as SymbolInput;
      const where = `symbol ${i}`;
      const [hi, lo] = splitU64(s.address, `${where} address`);
      addrHi[i] = hi;
      addrLo[i] = lo;
      if (typeof s.name !== "string")
        throw new SymbolsError("SYMBOLS_INVALID_ARGUMENT", `${where}: name must be a string`);
      names.push(s.name);
      nameStart[i] = pos;
      pos += s.name.length;
      nameEnd[i] = pos;
      types[i] = typeCode(s.type ?? "T", where);
      if (s.size !== undefined) {
        splitU64(s.size, `${where} size`);
        sizes ??= new Float64Array(n).fill(Number.NaN);
        sizes[i] = Number(s.size);
      }
      if (s.module !== undefined) {
        let id = moduleIds.get(s.module);
        if (id === undefined) {
          id = modules.length;
          if (id > 0xffff)
            throw new SymbolsError("SYMBOLS_INVALID_ARGUMENT", `${where}: more than 65535 modules`);
          moduleIds.set(s.module, id);
          modules.push(s.module);
        }
        moduleIndex ??= new Uint16Array(n);
        moduleIndex[i] = id;
      }
    }
    const strings = names.join("");
    if (strings.length > 0xffff_ffff)
      throw new SymbolsError("SYMBOLS_INVALID_ARGUMENT", "names exceed 4 GiB");
    return tableFromColumns(
      { count: n, addrHi, addrLo, strings, nameStart, nameEnd, types, sizes, moduleIndex, modules },
      options,
    );
  }

  /** Number of symbols. */
  get length(): number {
    return this.#c.count;
  }

  /** The kernel text range (`_stext`..`_etext`, or as given), if known. */
  get textRange(): AddressRange | undefined {
    return this.#s.text;
  }

  /** The range address lookups answer for. */
  get range(): AddressRange {
    return {
      start: joinU64(this.#startHi, this.#startLo),
      end: this.#bounded ? joinU64(this.#endHi, this.#endLo) : TWO_POW_64,
    };
  }

  /** The same symbols (shared, not copied) with another lookup range, e.g. `t.withRange(t.textRange)`. */
  withRange(range: AddressRange): SymbolTable {
    return new SymbolTable(this.#s, range);
  }

  // ---- address order ----------------------------------------------------------------------

  /** First index whose address is > (hi:lo). */
  #upper(hi: number, lo: number): number {
    const H = this.#c.addrHi;
    const L = this.#c.addrLo;
    let l = 0;
    let r = this.#c.count;
    while (l < r) {
      const m = (l + r) >>> 1;
      const h = H[m] as number;
      if (h < hi || (h === hi && (L[m] as number) <= lo)) l = m + 1;
      else r = m;
    }
    return l;
  }

  /** First index whose address is >= (hi:lo). */
  #lower(hi: number, lo: number): number {
    const H = this.#c.addrHi;
    const L = this.#c.addrLo;
    let l = 0;
    let r = this.#c.count;
    while (l < r) {
      const m = (l + r) >>> 1;
      const h = H[m] as number;
      if (h < hi || (h === hi && (L[m] as number) < lo)) l = m + 1;
      else r = m;
    }
    return l;
  }

  /**
   * The hot path of address lookup: the index of the symbol containing `hi:lo` (the first alias
   * at its start), or -1. No `bigint`, no allocation.
   */
  lookupIndexHalves(hi: number, lo: number): number {
    if (hi < this.#startHi || (hi === this.#startHi && lo < this.#startLo)) return -1;
    if (hi > this.#endHi || (hi === this.#endHi && lo >= this.#endLo)) return -1;
    const up = this.#upper(hi, lo);
    if (up === 0) return -1; // below the first symbol
    const c = this.#c;
    const sh = c.addrHi[up - 1] as number;
    const sl = c.addrLo[up - 1] as number;
    // Walk back over a few aliases; a long run of them costs one more binary search, not O(run).
    let first = up - 1;
    const H = c.addrHi;
    const L = c.addrLo;
    for (let steps = 0; first > 0 && H[first - 1] === sh && L[first - 1] === sl; steps++, first--) {
      if (steps === 8) {
        first = this.#lower(sh, sl);
        break;
      }
    }
    const sizes = c.sizes;
    if (sizes !== undefined) {
      const size = sizes[first] as number;
      // A symbol with a known size covers [address, address + size) only.
      if (size > 0 && (hi - sh) * 0x1_0000_0000 + (lo - sl) >= size) return -1;
    }
    return first;
  }

  /** Index of the symbol containing `address` (first alias), or -1. */
  lookupIndex(address: bigint): number {
    const [hi, lo] = splitU64(address, "address");
    return this.lookupIndexHalves(hi, lo);
  }

  /** The symbol containing `address`, with the offset into it; `undefined` outside the range or below every symbol. */
  lookup(address: bigint): SymbolLookup | undefined {
    const [hi, lo] = splitU64(address, "address");
    const i = this.lookupIndexHalves(hi, lo);
    if (i < 0) return undefined;
    const c = this.#c;
    const sh = c.addrHi[i] as number;
    const sl = c.addrLo[i] as number;
    const next = this.#upper(sh, sl);
    const e = this.#entry(i, next);
    return {
      index: i,
      name: e.name,
      address: e.address,
      type: e.type,
      size: e.size,
      module: e.module,
      offset: diffU64(hi, lo, sh, sl),
      aliases: next - i,
    };
  }

  /** Every name at the start address of symbol `index`, in table order. */
  aliasesOf(index: number): string[] {
    const c = this.#c;
    this.#check(index);
    const sh = c.addrHi[index] as number;
    const sl = c.addrLo[index] as number;
    const out: string[] = [];
    for (let j = this.#lower(sh, sl), end = this.#upper(sh, sl); j < end; j++) out.push(this.nameAt(j));
    return out;
  }

  #check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.#c.count) {
      throw new SymbolsError(
        "SYMBOLS_INVALID_ARGUMENT",
        `symbol index ${index} outside 0..${this.#c.count - 1}`,
      );
    }
  }

  nameAt(index: number): string {
    return this.#c.strings.slice(this.#c.nameStart[index], this.#c.nameEnd[index]);
  }

  addressAt(index: number): bigint {
    return joinU64(this.#c.addrHi[index] as number, this.#c.addrLo[index] as number);
  }

  /** The symbol at `index` in address order. */
  at(index: number): SymbolEntry {
    this.#check(index);
    const c = this.#c;
    return this.#entry(index, this.#upper(c.addrHi[index] as number, c.addrLo[index] as number));
  }

  /** Symbol `index`, given `next`, the first index at a higher address. */
  #entry(index: number, next: number): SymbolEntry {
    const c = this.#c;
    const sh = c.addrHi[index] as number;
    const sl = c.addrLo[index] as number;
    let size: bigint | undefined;
    const explicit = c.sizes?.[index];
    if (explicit !== undefined && !Number.isNaN(explicit)) size = BigInt(explicit);
    else if (next < c.count) size = diffU64(c.addrHi[next] as number, c.addrLo[next] as number, sh, sl);
    else if (this.#bounded && (this.#endHi > sh || (this.#endHi === sh && this.#endLo >= sl))) {
      size = diffU64(this.#endHi, this.#endLo, sh, sl);
    }
    const m = c.moduleIndex?.[index] ?? 0;
    return {
      index,
      name: this.nameAt(index),
      address: joinU64(sh, sl),
      type: String.fromCharCode(c.types[index] as number),
      size,
      module: m === 0 ? undefined : c.modules[m],
    };
  }

  /** All symbols in address order. */
  *[Symbol.iterator](): IterableIterator<SymbolEntry> {
    for (let i = 0; i < this.#c.count; i++) yield this.at(i);
  }

  // ---- name order -------------------------------------------------------------------------

  /** Position in name order of the first name >= `name`. */
  #nameLower(name: string): number {
    const { strings, nameStart, nameEnd } = this.#c;
    const byName = this.#s.byName;
    const cp = this.#s.cp;
    let l = 0;
    let r = byName.length;
    while (l < r) {
      const m = (l + r) >>> 1;
      const i = byName[m] as number;
      if (compareToRange(name, strings, nameStart[i] as number, nameEnd[i] as number, cp) > 0) l = m + 1;
      else r = m;
    }
    return l;
  }

  #nameEquals(name: string, i: number): boolean {
    const s = this.#c.nameStart[i] as number;
    return (this.#c.nameEnd[i] as number) - s === name.length && this.#c.strings.startsWith(name, s);
  }

  /** Position in name order of the first symbol called `name`, or -1 (hash index, no allocation). */
  #nameFirst(name: string): number {
    const slots = this.#s.hash;
    const mask = slots.length - 1;
    const byName = this.#s.byName;
    for (let h = hashString(name) & mask; ; h = (h + 1) & mask) {
      const k = slots[h] as number;
      if (k === 0) return -1;
      if (this.#nameEquals(name, byName[k - 1] as number)) return k - 1;
    }
  }

  /** Index (address order) of the lowest-addressed symbol called `name`, or -1. No allocation. */
  indexOfName(name: string): number {
    const k = this.#nameFirst(name);
    return k < 0 ? -1 : (this.#s.byName[k] as number);
  }

  /** The lowest address of a symbol called `name`. */
  lookupName(name: string): bigint | undefined {
    const i = this.indexOfName(name);
    return i < 0 ? undefined : this.addressAt(i);
  }

  /** Every address of symbols called `name`, ascending (empty when there is none). */
  addressesOf(name: string): bigint[] {
    const out: bigint[] = [];
    const byName = this.#s.byName;
    const first = this.#nameFirst(name);
    for (let k = first; first >= 0 && k < byName.length; k++) {
      const i = byName[k] as number;
      if (!this.#nameEquals(name, i)) break;
      out.push(this.addressAt(i));
    }
    return out;
  }

  /**
   * Symbols whose whole name matches the glob (`*`, `?`, `[a-z]`, `[!x]`, `\` escapes), lazily, in
   * name order (equal names by address). A literal prefix narrows the scan to that name range; the
   * table is never copied. For a substring search use `*text*`.
   */
  *search(pattern: string, options: SearchOptions = {}): IterableIterator<SymbolEntry> {
    const g = compileGlob(pattern);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (!(limit >= 0)) throw new SymbolsError("SYMBOLS_INVALID_ARGUMENT", `limit must be >= 0, got ${limit}`);
    const { strings, nameStart, nameEnd } = this.#c;
    const byName = this.#s.byName;
    let found = 0;
    for (let k = this.#nameLower(g.prefix); k < byName.length && found < limit; k++) {
      const i = byName[k] as number;
      const s = nameStart[i] as number;
      const e = nameEnd[i] as number;
      if (e - s < g.prefix.length || !strings.startsWith(g.prefix, s)) break;
      if (globMatches(g, strings, s, e)) {
        found++;
        yield this.at(i);
      }
    }
  }

  // ---- text -------------------------------------------------------------------------------

  /**
   * The table as text in address order: `System.map` lines (`<16 hex> <type> <name>`), or
   * /proc/kallsyms lines, which add `\t[module]` for module symbols.
   */
  toText(format: "system.map" | "kallsyms" = "system.map"): string {
    const c = this.#c;
    const parts: string[] = [];
    for (let i = 0; i < c.count; i++) {
      let line = `${hex16(c.addrHi[i] as number, c.addrLo[i] as number)} ${String.fromCharCode(c.types[i] as number)} ${this.nameAt(i)}`;
      const m = c.moduleIndex?.[i] ?? 0;
      if (format === "kallsyms" && m !== 0) line += `\t[${c.modules[m]}]`;
      parts.push(line, "\n");
    }
    return parts.join("");
  }
}

/** Builds a table from reader columns (sorted here unless already in address order). Package-internal. */
export function tableFromColumns(
  columns: SymbolColumns,
  options: SymbolTableOptions = {},
  byName?: Uint32Array,
): SymbolTable {
  const c = byName ? columns : sortByAddress(columns);
  const cp = needsCodePointOrder(c.strings);
  const order = byName ?? nameOrder(c, cp);
  const shared0 = { c, byName: order, cp, hash: buildNameHash(c, order), text: undefined };
  let text = options.text;
  if (text === undefined) {
    const probe = new SymbolTable(shared0, undefined);
    const s = probe.lookupName("_stext");
    const e = probe.lookupName("_etext");
    if (s !== undefined && e !== undefined && s <= e) text = { start: s, end: e };
  }
  return new SymbolTable({ ...shared0, text }, options.range);
}
