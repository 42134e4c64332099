// 64-bit arithmetic on 32-bit halves, for the hot paths. Results that need two words land in `T`
// (T[0] = low half, T[1] = high half), so nothing allocates.

/** Result scratch: [lo, hi] of the last two-word result. */
export const T = new Int32Array(4);

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 32x32 product. */
export function mulhiU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const m1 = a1 * b0 + ((a0 * b0) >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  return (a1 * b1 + Math.floor(m1 / 65536) + Math.floor(m2 / 65536)) | 0;
}

/** T = low 64 bits of (alo,ahi) * (blo,bhi). */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  T[0] = Math.imul(alo, blo);
  T[1] = (mulhiU32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** T = high 64 bits of the unsigned 128-bit product. */
export function umulh(alo: number, ahi: number, blo: number, bhi: number): void {
  const h00 = mulhiU32(alo, blo) >>> 0;
  const l01 = Math.imul(alo, bhi) >>> 0;
  const h01 = mulhiU32(alo, bhi) >>> 0;
  const l10 = Math.imul(ahi, blo) >>> 0;
  const h10 = mulhiU32(ahi, blo) >>> 0;
  const l11 = Math.imul(ahi, bhi) >>> 0;
  const h11 = mulhiU32(ahi, bhi) >>> 0;
  const c1 = Math.floor((h00 + l01 + l10) / TWO32);
  const w2 = h01 + h10 + l11 + c1;
  const c2 = Math.floor(w2 / TWO32);
  T[0] = w2 | 0;
  T[1] = (h11 + c2) | 0;
}

/** T = high 64 bits of the signed 128-bit product. */
export function smulh(alo: number, ahi: number, blo: number, bhi: number): void {
  umulh(alo, ahi, blo, bhi);
  let lo = T[0] as number;
  let hi = T[1] as number;
  if (ahi < 0) {
    const l = (lo >>> 0) - (blo >>> 0);
    hi = (hi - bhi - (l < 0 ? 1 : 0)) | 0;
    lo = l | 0;
  }
  if (bhi < 0) {
    const l = (lo >>> 0) - (alo >>> 0);
    hi = (hi - ahi - (l < 0 ? 1 : 0)) | 0;
    lo = l | 0;
  }
  T[0] = lo;
  T[1] = hi;
}

/** T = (lo,hi) shifted left by 0..63. */
export function lsl64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    T[0] = lo;
    T[1] = hi;
  } else if (s < 32) {
    T[1] = (hi << s) | (lo >>> (32 - s));
    T[0] = lo << s;
  } else {
    T[1] = lo << (s - 32);
    T[0] = 0;
  }
}

export function lsr64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    T[0] = lo;
    T[1] = hi;
  } else if (s < 32) {
    T[0] = (lo >>> s) | (hi << (32 - s));
    T[1] = hi >>> s;
  } else {
    T[0] = hi >>> (s - 32);
    T[1] = 0;
  }
}

export function asr64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    T[0] = lo;
    T[1] = hi;
  } else if (s < 32) {
    T[0] = (lo >>> s) | (hi << (32 - s));
    T[1] = hi >> s;
  } else {
    T[0] = hi >> (s - 32);
    T[1] = hi >> 31;
  }
}

export function ror64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    T[0] = lo;
    T[1] = hi;
  } else if (s < 32) {
    T[0] = (lo >>> s) | (hi << (32 - s));
    T[1] = (hi >>> s) | (lo << (32 - s));
  } else if (s === 32) {
    T[0] = hi;
    T[1] = lo;
  } else {
    const t = s - 32;
    T[0] = (hi >>> t) | (lo << (32 - t));
    T[1] = (lo >>> t) | (hi << (32 - t));
  }
}

export function ror32(v: number, s: number): number {
  return s === 0 ? v : (v >>> s) | (v << (32 - s));
}

/** Applies shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR to a 64-bit value; result in T. */
export function shift64(type: number, lo: number, hi: number, s: number): void {
  if (type === 0) lsl64(lo, hi, s);
  else if (type === 1) lsr64(lo, hi, s);
  else if (type === 2) asr64(lo, hi, s);
  else ror64(lo, hi, s);
}

export function shift32(type: number, v: number, s: number): number {
  if (type === 0) return v << s;
  if (type === 1) return v >>> s;
  if (type === 2) return v >> s;
  return ror32(v, s);
}

export function rbit32(v: number): number {
  let x = v;
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

export function rev32(v: number): number {
  return (v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24) | 0;
}

export function rev16(v: number): number {
  return ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8) | 0;
}

/** Count leading sign bits (CLS) of a 32-bit value. */
export function cls32(v: number): number {
  return Math.clz32((v ^ (v << 1)) | 1);
}

/** 64-bit ones/zeros replication helpers for DecodeBitMasks; returns false when the encoding is reserved. */
export function decodeBitMasks(
  nBit: number,
  imms: number,
  immr: number,
  immediate: boolean,
  regSize: number,
  out: Int32Array,
): boolean {
  // len = HighestSetBit(N:NOT(imms))
  const combined = (nBit << 6) | (~imms & 0x3f);
  if (combined === 0) return false;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return false;
  const esize = 1 << len;
  if (esize > regSize) return false;
  const levels = esize - 1;
  if (immediate && (imms & levels) === levels) return false;
  const s = imms & levels;
  const r = immr & levels;
  const d = (s - r) & levels;
  // welem = Ones(S+1), rotated right by R within esize; telem = Ones(d+1)
  replicate(onesRor(s + 1, r, esize), esize, out, 0);
  replicate(onesRor(d + 1, 0, esize), esize, out, 2);
  return true;
}

// Ones(n) rotated right by r inside an element of esize bits, as [lo, hi] in a 2-array of numbers.
const E = [0, 0];
function onesRor(n: number, r: number, esize: number): number[] {
  // build as 64-bit halves
  let lo: number;
  let hi: number;
  if (n >= 64) {
    lo = -1;
    hi = -1;
  } else if (n >= 32) {
    lo = -1;
    hi = n === 32 ? 0 : (1 << (n - 32)) - 1;
  } else {
    lo = n === 0 ? 0 : n === 32 ? -1 : ((1 << n) >>> 0) - 1;
    hi = 0;
  }
  if (r !== 0) {
    if (esize === 64) {
      ror64(lo, hi, r);
      lo = T[0] as number;
      hi = T[1] as number;
    } else {
      // esize <= 32: value fits in lo
      const m = esize === 32 ? -1 : (1 << esize) - 1;
      const v = lo & m;
      lo = ((v >>> r) | (v << (esize - r))) & m;
      hi = 0;
    }
  }
  E[0] = lo | 0;
  E[1] = hi | 0;
  return E;
}

function replicate(e: number[], esize: number, out: Int32Array, at: number): void {
  if (esize === 64) {
    out[at] = e[0] as number;
    out[at + 1] = e[1] as number;
    return;
  }
  let v = (e[0] as number) >>> 0;
  for (let w = esize; w < 32; w *= 2) v = (v | (v << w)) >>> 0;
  out[at] = v | 0;
  out[at + 1] = v | 0;
}

/** CRC-32 (reflected 0xEDB88320) and CRC-32C (reflected 0x82F63B78) byte tables. */
function crcTable(poly: number): Int32Array {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[i] = c;
  }
  return t;
}
export const CRC32_TABLE = crcTable(0xedb88320);
export const CRC32C_TABLE = crcTable(0x82f63b78);

/** Updates `acc` with `bytes` (1, 2, 4 or 8) little-endian bytes of (lo, hi). */
export function crc32Update(table: Int32Array, acc: number, lo: number, hi: number, bytes: number): number {
  let c = acc;
  for (let i = 0; i < bytes; i++) {
    const b = i < 4 ? (lo >>> (8 * i)) & 0xff : (hi >>> (8 * (i - 4))) & 0xff;
    c = (table[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  }
  return c | 0;
}

/** 64-bit values as bigint (cold paths only: 64-bit division with large operands). */
export function big(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
export function fromBig(v: bigint): void {
  const u = BigInt.asUintN(64, v);
  T[0] = Number(u & 0xffffffffn) | 0;
  T[1] = Number(u >> 32n) | 0;
}
