// The kallsyms blob layout (spec §1.2–1.3), shared by reader and writer. All integers are
// little-endian; each field is aligned relative to the blob start (not to its memory address).

/** Byte that opens a token reference in a name payload. */
export const TOKEN_MARKER = 0xff;

/** `[type: u8][len: u16 LE]` before each name payload. */
export const RECORD_PREFIX = 3;

/** Largest payload a record's u16 length can describe. */
export const MAX_PAYLOAD = 0xffff;

/**
 * Token ids 0..510. Id 511 would be written `FF 01 FF FF`, which the original reader takes for
 * one-byte token 1 (spec §9 weak spot 7), so the writer never assigns it; the reader here still
 * decodes it correctly.
 */
export const MAX_TOKENS = 511;

/**
 * Prefix lengths tried as tokens, shortest first (the original generator's list). Names shorter than the first length offer
 * themselves whole (and, unlike the original, such whole-name tokens are really used).
 */
export const TOKEN_PREFIX_LENGTHS: readonly number[] = [
  10, 24, 31, 40, 56, 60, 70, 80, 90, 100, 150, 200, 250, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1400,
  1600, 1800, 2000,
];

/** Alignment of each field, in order (the u64 lengths and the arrays they announce). */
export const BlobAlign = {
  NUM_SYMS: 8,
  ADDRESSES: 8,
  OFFSETS: 4,
  SEQS: 4,
  NAMES_LEN: 8,
  TOKEN_TABLE_LEN: 8,
  TOKEN_INDEX_LEN: 8,
  TOKEN_INDEX: 4,
} as const;

export function alignUp(off: number, a: number): number {
  return Math.ceil(off / a) * a;
}
