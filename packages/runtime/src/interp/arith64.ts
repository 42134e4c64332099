/**
 * 64-bit arithmetic on 32-bit halves for the interpreter's rare paths (multiply, divide). Results go to
 * `R` (lo, hi, and for division the remainder's lo, hi) so nothing is allocated.
 */

export const R = new Int32Array(4);

/** R[0..1] = (alo, ahi) * (blo, bhi) mod 2^64. */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  const a0 = alo & 0xffff;
  const a1 = alo >>> 16;
  const b0 = blo & 0xffff;
  const b1 = blo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  R[0] = (mid << 16) | (p00 & 0xffff);
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  R[1] = (carry + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** Unsigned: R[0..1] = a / b, R[2..3] = a % b. b must not be 0. */
export function udivmod64(alo: number, ahi: number, blo: number, bhi: number): void {
  if (ahi === 0 && bhi === 0) {
    const a = alo >>> 0;
    const b = blo >>> 0;
    R[0] = Math.floor(a / b) | 0;
    R[1] = 0;
    R[2] = (a % b) | 0;
    R[3] = 0;
    return;
  }
  // Restoring long division, one bit per step, on unsigned halves kept as doubles below 2^32.
  let ql = 0;
  let qh = 0;
  let rl = 0;
  let rh = 0;
  const bl = blo >>> 0;
  const bh = bhi >>> 0;
  for (let i = 63; i >= 0; i--) {
    // r = (r << 1) | bit i of a
    rh = ((rh << 1) | (rl >>> 31)) >>> 0;
    const bit = i >= 32 ? (ahi >>> (i - 32)) & 1 : (alo >>> i) & 1;
    rl = ((rl << 1) | bit) >>> 0;
    if (rh > bh || (rh === bh && rl >= bl)) {
      const l = rl - bl;
      rh = (rh - bh - (l < 0 ? 1 : 0)) >>> 0;
      rl = l >>> 0;
      if (i >= 32) qh |= 1 << (i - 32);
      else ql |= 1 << i;
    }
  }
  R[0] = ql;
  R[1] = qh;
  R[2] = rl | 0;
  R[3] = rh | 0;
}

/** Signed (truncating): R[0..1] = a / b, R[2..3] = a % b. b must not be 0. */
export function sdivmod64(alo: number, ahi: number, blo: number, bhi: number): void {
  const an = ahi < 0;
  const bn = bhi < 0;
  if (an) {
    ahi = alo === 0 ? -ahi | 0 : ~ahi;
    alo = -alo | 0;
  }
  if (bn) {
    bhi = blo === 0 ? -bhi | 0 : ~bhi;
    blo = -blo | 0;
  }
  udivmod64(alo, ahi, blo, bhi);
  if (an !== bn) negate(0);
  if (an) negate(2);
}

function negate(i: number): void {
  const lo = R[i] ?? 0;
  const hi = R[i + 1] ?? 0;
  R[i + 1] = lo === 0 ? -hi | 0 : ~hi;
  R[i] = -lo | 0;
}

export function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}
