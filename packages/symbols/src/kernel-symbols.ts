// The original crate's `symbols` module face (spec §1.1) as an object instead of a global:
// init once from a kallsyms blob, then look up symbols and addresses and search names.
import { SymbolsError } from "./errors.ts";
import { compileGlob, globMatches } from "./glob.ts";
import { readKallsymsBlob } from "./kallsyms-reader.ts";
import { type SymbolTable, tableColumns } from "./symbol-table.ts";

/** What the original `lookup_symbol` returns. */
export interface KernelSymbol {
  readonly name: string;
  readonly size: bigint;
  readonly offset: bigint;
  readonly type: string;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/**
 * One hypervisor's symbol table, with the original API's behaviour and its weak spots fixed: a
 * failed `init` leaves the object uninitialised so it can be retried (weak spot 4), lookups never
 * wrap or underflow, and `searchSymbols` scans names in place instead of building the whole dump.
 */
export class KernelSymbols {
  #table: SymbolTable | undefined;

  /**
   * Reads the blob (`readKallsymsBlob`) with lookups limited to `[stext, etext)`. Throws the
   * reader's `SymbolsError` on a bad blob, `SYMBOLS_ALREADY_INITIALIZED` after a successful init.
   */
  init(blob: Uint8Array, stext: bigint, etext: bigint): void {
    if (this.#table !== undefined) {
      throw new SymbolsError("SYMBOLS_ALREADY_INITIALIZED", "Symbol table already initialized");
    }
    this.#table = readKallsymsBlob(blob, { stext, etext });
  }

  get initialized(): boolean {
    return this.#table !== undefined;
  }

  /** The table, once initialised. */
  get table(): SymbolTable | undefined {
    return this.#table;
  }

  /** Name, size, offset and type of the symbol containing `address` inside the text range. */
  lookupSymbol(address: bigint): KernelSymbol | undefined {
    const hit = this.#table?.lookup(address);
    if (hit === undefined) return undefined;
    return { name: hit.name, size: hit.size ?? 0n, offset: hit.offset, type: hit.type };
  }

  /** Lowest address of `name`. */
  lookupAddr(name: string): bigint | undefined {
    return this.#table?.lookupName(name);
  }

  /**
   * Up to `maxResults` symbols whose name contains `pattern` (case-sensitive), in address order,
   * as the original returns them; the names are matched in place.
   */
  searchSymbols(pattern: string, maxResults: number): { name: string; address: bigint }[] {
    const t = this.#table;
    const out: { name: string; address: bigint }[] = [];
    if (t === undefined || !(maxResults > 0)) return out;
    const g = compileGlob(`*${escapeGlob(pattern)}*`);
    const { c } = tableColumns(t);
    for (let i = 0; i < c.count && out.length < maxResults; i++) {
      if (globMatches(g, c.strings, c.nameStart[i] as number, c.nameEnd[i] as number)) {
        out.push({ name: t.nameAt(i), address: t.addressAt(i) });
      }
    }
    return out;
  }
}
