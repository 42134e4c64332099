import { SymbolsError } from "./errors.ts";
import {
  alignUp,
  BlobAlign,
  MAX_PAYLOAD,
  MAX_TOKENS,
  RECORD_PREFIX,
  TOKEN_MARKER,
  TOKEN_PREFIX_LENGTHS,
} from "./kallsyms-format.ts";
import { type SymbolInput, SymbolTable, tableColumns } from "./symbol-table.ts";

const FIRST_PREFIX = TOKEN_PREFIX_LENGTHS[0] as number;
const DESCENDING = [...TOKEN_PREFIX_LENGTHS].reverse();
const encoder = new TextEncoder();

/** Token prefix lengths a name of `len` units offers (whole name when shorter than the first). */
function prefixLengths(len: number): readonly number[] {
  return len < FIRST_PREFIX ? [len] : TOKEN_PREFIX_LENGTHS.filter((l) => l <= len);
}

// A prefix must not split a surrogate pair, so its UTF-8 bytes plus the rest's are the name's.
function splitsPair(name: string, l: number): boolean {
  const c = name.charCodeAt(l - 1);
  return c >= 0xd800 && c <= 0xdbff;
}

/**
 * Chooses up to 511 tokens as in the original generator: prefix candidates scored by
 * `count * length`, best first, skipping any that is a prefix of a token already kept. Ties go to
 * the lexicographically smaller candidate, so output is deterministic. Candidates used by only one
 * name, or not longer than the marker that would replace them, are not worth a token.
 */
export function chooseTokens(names: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const name of names) {
    for (const l of prefixLengths(name.length)) {
      if (l <= 4 || splitsPair(name, l)) continue;
      const p = name.slice(0, l);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
  }
  const candidates = [...counts].filter(([, c]) => c >= 2);
  candidates.sort(
    (a, b) => b[1] * b[0].length - a[1] * a[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  const kept: string[] = [];
  const covered = new Set<string>();
  for (const [cand] of candidates) {
    if (kept.length === MAX_TOKENS) break;
    if (covered.has(cand)) continue;
    kept.push(cand);
    for (let l = 1; l <= cand.length; l++) covered.add(cand.slice(0, l));
  }
  return kept;
}

/**
 * Writes a kallsyms blob (spec §1.2–1.3) that the original `KallsymsMapped::from_blob` and
 * `readKallsymsBlob` both read: symbols in address order (equal addresses keep their order),
 * names token-compressed, `seqs` in UTF-8 byte order of names. Padding is zero and relative to
 * the blob start, so place the blob on an 8-byte (ideally page) boundary.
 *
 * Throws `SYMBOLS_NAME_TOO_LONG` when a compressed name still needs more than 65535 bytes (the
 * original silently truncated the u16 length).
 */
export function writeKallsymsBlob(symbols: SymbolTable | Iterable<SymbolInput>): Uint8Array {
  const table = symbols instanceof SymbolTable ? symbols : SymbolTable.from(symbols);
  const { c, byName } = tableColumns(table);
  const n = c.count;
  const names: string[] = new Array(n);
  for (let i = 0; i < n; i++) names[i] = c.strings.slice(c.nameStart[i], c.nameEnd[i]);
  const tokens = chooseTokens(names);
  const tokenIds = new Map<string, number>(tokens.map((t, i) => [t, i]));
  const tokenBytes = tokens.map((t) => encoder.encode(t));

  // Records.
  const records: Uint8Array[] = new Array(n);
  const offsets = new Uint32Array(n);
  let namesLen = 0;
  for (let i = 0; i < n; i++) {
    const name = names[i] as string;
    let id = -1;
    let used = 0;
    for (const l of name.length < FIRST_PREFIX ? [name.length] : DESCENDING) {
      if (l > name.length) continue;
      const t = tokenIds.get(l === name.length ? name : name.slice(0, l));
      if (t !== undefined) {
        id = t;
        used = l;
        break;
      }
    }
    const rest = encoder.encode(used === 0 ? name : name.slice(used));
    const marker = id < 0 ? 0 : id < 256 ? 3 : 4;
    const plen = marker + rest.length;
    if (plen > MAX_PAYLOAD) {
      throw new SymbolsError(
        "SYMBOLS_NAME_TOO_LONG",
        `symbol ${i} (${JSON.stringify(name.slice(0, 40))}...) needs ${plen} bytes; a record holds ${MAX_PAYLOAD}`,
      );
    }
    const rec = new Uint8Array(RECORD_PREFIX + plen);
    rec[0] = c.types[i] as number;
    rec[1] = plen & 0xff;
    rec[2] = plen >>> 8;
    if (id >= 256) rec.set([TOKEN_MARKER, id >>> 8, id & 0xff, TOKEN_MARKER], RECORD_PREFIX);
    else if (id >= 0) rec.set([TOKEN_MARKER, id, TOKEN_MARKER], RECORD_PREFIX);
    rec.set(rest, RECORD_PREFIX + marker);
    records[i] = rec;
    offsets[i] = namesLen;
    namesLen += rec.length;
  }
  const tableLen = tokenBytes.reduce((s, t) => s + t.length, 0);

  // Layout.
  let off = 8;
  const addressesAt = alignUp(off, BlobAlign.ADDRESSES);
  const offsetsAt = alignUp(addressesAt + 8 * n, BlobAlign.OFFSETS);
  const seqsAt = alignUp(offsetsAt + 4 * n, BlobAlign.SEQS);
  const namesLenAt = alignUp(seqsAt + 4 * n, BlobAlign.NAMES_LEN);
  const namesAt = namesLenAt + 8;
  const tableLenAt = alignUp(namesAt + namesLen, BlobAlign.TOKEN_TABLE_LEN);
  const tableAt = tableLenAt + 8;
  const indexLenAt = alignUp(tableAt + tableLen, BlobAlign.TOKEN_INDEX_LEN);
  const indexAt = alignUp(indexLenAt + 8, BlobAlign.TOKEN_INDEX);
  off = indexAt + 4 * tokens.length;

  const blob = new Uint8Array(off);
  const dv = new DataView(blob.buffer);
  dv.setUint32(0, n, true);
  for (let i = 0; i < n; i++) {
    dv.setUint32(addressesAt + 8 * i, c.addrLo[i] as number, true);
    dv.setUint32(addressesAt + 8 * i + 4, c.addrHi[i] as number, true);
    dv.setUint32(offsetsAt + 4 * i, offsets[i] as number, true);
    dv.setUint32(seqsAt + 4 * i, byName[i] as number, true);
    blob.set(records[i] as Uint8Array, namesAt + (offsets[i] as number));
  }
  dv.setUint32(namesLenAt, namesLen, true);
  dv.setUint32(tableLenAt, tableLen, true);
  let t = tableAt;
  for (let k = 0; k < tokenBytes.length; k++) {
    dv.setUint32(indexAt + 4 * k, t - tableAt, true);
    blob.set(tokenBytes[k] as Uint8Array, t);
    t += (tokenBytes[k] as Uint8Array).length;
  }
  dv.setUint32(indexLenAt, tokens.length, true);
  return blob;
}
