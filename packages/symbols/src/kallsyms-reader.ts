import { compareRanges, nameOrder, needsCodePointOrder, type SymbolColumns } from "./columns.ts";
import { SymbolsError, type SymbolsErrorCode } from "./errors.ts";
import { alignUp, BlobAlign, MAX_TOKENS, RECORD_PREFIX, TOKEN_MARKER } from "./kallsyms-format.ts";
import { type SymbolTable, type SymbolTableOptions, tableFromColumns } from "./symbol-table.ts";

export interface KallsymsBlobOptions {
  /** Start of kernel text; with `etext`, address lookups answer only inside `[stext, etext)`. */
  readonly stext?: bigint;
  readonly etext?: bigint;
}

function blobError(code: SymbolsErrorCode, offset: number, what: string): SymbolsError {
  return new SymbolsError(code, `kallsyms blob, offset ${offset}: ${what}`, { offset });
}

/** Upper bound on (expanded names) / (blob size); a token-bomb guard. */
export const EXPANSION_LIMIT = 256;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a kallsyms blob (spec §1.2): symbol count, ascending addresses, record offsets, name-order
 * sequence, token-compressed names, token table and token index. Unlike the original, every
 * offset, token id, record length and the name order are checked, and a malformed blob throws a
 * `SymbolsError` naming the byte offset.
 */
export function readKallsymsBlob(blob: Uint8Array, options: KallsymsBlobOptions = {}): SymbolTable {
  const len = blob.byteLength;
  const dv = new DataView(blob.buffer, blob.byteOffset, len);
  let off = 0;
  const need = (size: number, field: string): void => {
    if (off + size > len) throw blobError("SYMBOLS_BLOB_TRUNCATED", off, `the ${field} is missing`);
  };
  const u64 = (field: string, align: number): number => {
    off = alignUp(off, align);
    need(8, field);
    const lo = dv.getUint32(off, true);
    const hi = dv.getUint32(off + 4, true);
    if (hi !== 0) throw blobError("SYMBOLS_BLOB_BAD_LENGTH", off, `the ${field} ${hi}:${lo} exceeds 2^32`);
    off += 8;
    return lo;
  };

  const n = u64("number of symbols", BlobAlign.NUM_SYMS);
  off = alignUp(off, BlobAlign.ADDRESSES);
  need(n * 8, "addresses array");
  const addrHi = new Uint32Array(n);
  const addrLo = new Uint32Array(n);
  for (let i = 0; i < n; i++, off += 8) {
    const lo = dv.getUint32(off, true);
    const hi = dv.getUint32(off + 4, true);
    if (i > 0) {
      const ph = addrHi[i - 1] as number;
      if (hi < ph || (hi === ph && lo < (addrLo[i - 1] as number))) {
        throw blobError("SYMBOLS_BLOB_UNSORTED", off, `address of symbol ${i} is below the one before`);
      }
    }
    addrHi[i] = hi;
    addrLo[i] = lo;
  }
  off = alignUp(off, BlobAlign.OFFSETS);
  need(n * 4, "offsets array");
  const offsetsAt = off;
  off += n * 4;
  off = alignUp(off, BlobAlign.SEQS);
  need(n * 4, "seqs array");
  const seqsAt = off;
  off += n * 4;
  const namesLen = u64("names length", BlobAlign.NAMES_LEN);
  need(namesLen, "names array");
  const namesAt = off;
  off += namesLen;
  const tableLen = u64("token table length", BlobAlign.TOKEN_TABLE_LEN);
  need(tableLen, "token table array");
  const tableAt = off;
  off += tableLen;
  const indexLen = u64("token index length", BlobAlign.TOKEN_INDEX_LEN);
  off = alignUp(off, BlobAlign.TOKEN_INDEX);
  need(indexLen * 4, "token index array");
  const indexAt = off;

  // Token t is token_table[index[t], index[t+1]) (the last one runs to the table's end).
  const tokStart = new Uint32Array(indexLen);
  const tokEnd = new Uint32Array(indexLen);
  for (let t = 0; t < indexLen; t++) {
    const s = dv.getUint32(indexAt + 4 * t, true);
    const e = t + 1 < indexLen ? dv.getUint32(indexAt + 4 * t + 4, true) : tableLen;
    if (s > e || e > tableLen) {
      throw blobError(
        "SYMBOLS_BLOB_BAD_TOKEN",
        indexAt + 4 * t,
        `token ${t} spans ${s}..${e} of a ${tableLen}-byte table`,
      );
    }
    tokStart[t] = tableAt + s;
    tokEnd[t] = tableAt + e;
  }

  // Expand every name into one byte buffer; decode it at once when it is all ASCII.
  const types = new Uint8Array(n);
  const nameStart = new Uint32Array(n);
  const nameEnd = new Uint32Array(n);
  let out = new Uint8Array(Math.max(64, namesLen * 2));
  let w = 0;
  let ascii = true;
  // Tokens let a small blob name huge strings; real blobs expand far less than this.
  const maxOut = EXPANSION_LIMIT * len + 65536;
  const put = (from: number, to: number): void => {
    const size = to - from;
    if (w + size > maxOut) {
      throw blobError("SYMBOLS_BLOB_BAD_TOKEN", from, `names expand past ${EXPANSION_LIMIT}x the blob size`);
    }
    if (w + size > out.length) {
      const bigger = new Uint8Array(Math.max(out.length * 2, w + size));
      bigger.set(out.subarray(0, w));
      out = bigger;
    }
    for (let k = from; k < to; k++) {
      const b = blob[k] as number;
      if (b >= 0x80) ascii = false;
      out[w++] = b;
    }
  };
  for (let i = 0; i < n; i++) {
    const rel = dv.getUint32(offsetsAt + 4 * i, true);
    if (rel + RECORD_PREFIX > namesLen) {
      throw blobError(
        "SYMBOLS_BLOB_BAD_RECORD",
        offsetsAt + 4 * i,
        `record offset ${rel} of symbol ${i} is outside the ${namesLen}-byte names array`,
      );
    }
    const rec = namesAt + rel;
    types[i] = blob[rec] as number;
    const plen = dv.getUint16(rec + 1, true);
    const p = rec + RECORD_PREFIX;
    if (rel + RECORD_PREFIX + plen > namesLen) {
      throw blobError(
        "SYMBOLS_BLOB_BAD_RECORD",
        rec + 1,
        `record of symbol ${i} (${plen} bytes) overruns the names array`,
      );
    }
    nameStart[i] = w;
    let raw = p;
    if (plen > 0 && blob[p] === TOKEN_MARKER) {
      let id = -1;
      // `FF id FF` or `FF hi lo FF`. A one-byte reading that would leave a raw 0xFF (never valid
      // UTF-8) is the two-byte form with lo = 0xFF: token 511 is `FF 01 FF FF`.
      if (plen > 3 && blob[p + 3] === TOKEN_MARKER) {
        id = ((blob[p + 1] as number) << 8) | (blob[p + 2] as number);
        raw = p + 4;
      } else if (plen > 2 && blob[p + 2] === TOKEN_MARKER) {
        id = blob[p + 1] as number;
        raw = p + 3;
      }
      if (id >= 0) {
        if (id >= indexLen || id > MAX_TOKENS) {
          throw blobError(
            "SYMBOLS_BLOB_BAD_TOKEN",
            p,
            `symbol ${i} uses token ${id}, but there are ${indexLen}`,
          );
        }
        put(tokStart[id] as number, tokEnd[id] as number);
      }
    }
    put(raw, p + plen);
    nameEnd[i] = w;
  }
  let strings = "";
  // All-ASCII bytes decode in one call with byte offsets equal to string offsets.
  if (ascii) strings = utf8.decode(out.subarray(0, w));
  else {
    // Byte offsets differ from string offsets: decode name by name to find the culprit and ranges.
    const parts: string[] = [];
    let pos = 0;
    for (let i = 0; i < n; i++) {
      let s: string;
      try {
        s = utf8.decode(out.subarray(nameStart[i], nameEnd[i]));
      } catch {
        const rel = dv.getUint32(offsetsAt + 4 * i, true);
        throw blobError("SYMBOLS_BLOB_BAD_UTF8", namesAt + rel, `the name of symbol ${i} is not valid UTF-8`);
      }
      parts.push(s);
      nameStart[i] = pos;
      pos += s.length;
      nameEnd[i] = pos;
    }
    strings = parts.join("");
  }

  const columns: SymbolColumns = {
    count: n,
    addrHi,
    addrLo,
    strings,
    nameStart,
    nameEnd,
    types,
    sizes: undefined,
    moduleIndex: undefined,
    modules: [""],
  };

  // seqs must be a permutation in name order; the original's binary search depends on it.
  const byName = new Uint32Array(n);
  const seen = new Uint8Array(n);
  const cp = needsCodePointOrder(strings);
  let tiesInOrder = true;
  for (let k = 0; k < n; k++) {
    const at = seqsAt + 4 * k;
    const i = dv.getUint32(at, true);
    if (i >= n || seen[i] === 1) {
      throw blobError(
        "SYMBOLS_BLOB_BAD_SEQS",
        at,
        `seqs[${k}] = ${i} is not a fresh symbol index below ${n}`,
      );
    }
    seen[i] = 1;
    byName[k] = i;
    if (k > 0) {
      const j = byName[k - 1] as number;
      const d = compareRanges(
        strings,
        nameStart[j] as number,
        nameEnd[j] as number,
        nameStart[i] as number,
        nameEnd[i] as number,
        cp,
      );
      if (d > 0) throw blobError("SYMBOLS_BLOB_BAD_SEQS", at, `seqs[${k}] breaks name order`);
      if (d === 0 && j > i) tiesInOrder = false;
    }
  }
  const tableOptions: SymbolTableOptions = {};
  const { stext, etext } = options;
  if (stext !== undefined && etext !== undefined) {
    Object.assign(tableOptions, { range: { start: stext, end: etext }, text: { start: stext, end: etext } });
  } else if (stext !== undefined || etext !== undefined) {
    throw new SymbolsError("SYMBOLS_INVALID_ARGUMENT", "give both stext and etext, or neither");
  }
  // Equal names must list the lower address first (lookups return it); re-derive if not.
  return tableFromColumns(columns, tableOptions, tiesInOrder ? byName : nameOrder(columns, cp));
}
