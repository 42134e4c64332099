// Load/store bodies shared by every addressing mode: the address arrives as halves, the access goes
// through the bus (which throws its fault object on a fault, before any register is written).
import type { Cpu } from "../cpu.ts";

/** Load kinds: size and how the value is extended into the register. */
export const LoadKind = { U8: 0, U16: 1, U32: 2, U64: 3, S8X: 4, S16X: 5, S32X: 6, S8W: 8, S16W: 9 } as const;

/** Loads into X slot word index `t` (already mapped: 31 = discard). */
export function load(s: Cpu, t: number, lo: number, hi: number, kind: number): void {
  const b = s.bus;
  const x = s.x;
  switch (kind) {
    case 0:
      x[t] = b.read8(lo, hi);
      x[t + 1] = 0;
      return;
    case 1:
      x[t] = b.read16(lo, hi);
      x[t + 1] = 0;
      return;
    case 2:
      x[t] = b.read32(lo, hi);
      x[t + 1] = 0;
      return;
    case 3: {
      const l = b.read64(lo, hi);
      x[t] = l;
      x[t + 1] = b.hi;
      return;
    }
    case 4: {
      const v = (b.read8(lo, hi) << 24) >> 24;
      x[t] = v;
      x[t + 1] = v >> 31;
      return;
    }
    case 5: {
      const v = (b.read16(lo, hi) << 16) >> 16;
      x[t] = v;
      x[t + 1] = v >> 31;
      return;
    }
    case 6: {
      const v = b.read32(lo, hi);
      x[t] = v;
      x[t + 1] = v >> 31;
      return;
    }
    case 8:
      x[t] = (b.read8(lo, hi) << 24) >> 24;
      x[t + 1] = 0;
      return;
    default:
      x[t] = (b.read16(lo, hi) << 16) >> 16;
      x[t + 1] = 0;
  }
}

/** Stores 1 << size bytes of X slot word index `t` (31 = zero slot). */
export function store(s: Cpu, t: number, lo: number, hi: number, size: number): void {
  const b = s.bus;
  const x = s.x;
  switch (size) {
    case 0:
      b.write8(lo, hi, x[t] as number);
      return;
    case 1:
      b.write16(lo, hi, x[t] as number);
      return;
    case 2:
      b.write32(lo, hi, x[t] as number);
      return;
    default:
      b.write64(lo, hi, x[t] as number, x[t + 1] as number);
  }
}

/** SIMD&FP load of 1 << size bytes (size 0..4) into V<v>; the rest of the register is zeroed. */
export function vload(s: Cpu, v: number, lo: number, hi: number, size: number): void {
  const b = s.bus;
  const r = s.vreg;
  const i = v * 4;
  let w0: number;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  if (size === 0) w0 = b.read8(lo, hi);
  else if (size === 1) w0 = b.read16(lo, hi);
  else if (size === 2) w0 = b.read32(lo, hi);
  else {
    w0 = b.read64(lo, hi);
    w1 = b.hi;
    if (size === 4) {
      const l2 = (lo >>> 0) + 8;
      w2 = b.read64(l2 | 0, l2 > 0xffffffff ? hi + 1 : hi);
      w3 = b.hi;
    }
  }
  r[i] = w0;
  r[i + 1] = w1;
  r[i + 2] = w2;
  r[i + 3] = w3;
}

export function vstore(s: Cpu, v: number, lo: number, hi: number, size: number): void {
  const b = s.bus;
  const r = s.vreg;
  const i = v * 4;
  if (size === 0) b.write8(lo, hi, r[i] as number);
  else if (size === 1) b.write16(lo, hi, r[i] as number);
  else if (size === 2) b.write32(lo, hi, r[i] as number);
  else if (size === 3) b.write64(lo, hi, r[i] as number, r[i + 1] as number);
  else {
    b.probe(lo, hi, 16, true);
    b.write64(lo, hi, r[i] as number, r[i + 1] as number);
    const l2 = (lo >>> 0) + 8;
    b.write64(l2 | 0, l2 > 0xffffffff ? hi + 1 : hi, r[i + 2] as number, r[i + 3] as number);
  }
}

/** Effective address base + signed offset; result in EA. */
export const EA = new Int32Array(2);
export function ea(blo: number, bhi: number, off: number): void {
  const l = (blo >>> 0) + off;
  EA[0] = l | 0;
  EA[1] = (bhi + (l > 0xffffffff ? 1 : l < 0 ? -1 : 0)) | 0;
}
