// Lane access to the V registers: byte/half/word views over `Cpu.vreg` (little-endian hosts, as every
// Node platform is), and a 128-bit scratch result so sources and destination may alias.
import type { Cpu } from "../cpu.ts";

/** Views of one CPU's V registers, cached per register file. */
export interface Lanes {
  readonly b: Uint8Array;
  readonly h: Uint16Array;
  readonly w: Uint32Array;
}
const cache = new WeakMap<Int32Array, Lanes>();
export function lanes(s: Cpu): Lanes {
  let l = cache.get(s.vreg);
  if (l === undefined) {
    const buf = s.vreg.buffer;
    l = { b: new Uint8Array(buf), h: new Uint16Array(buf), w: new Uint32Array(buf) };
    cache.set(s.vreg, l);
  }
  return l;
}

/** 16-byte scratch result with the same three views. */
const RES = new Uint32Array(4);
export const R: Lanes = { b: new Uint8Array(RES.buffer), h: new Uint16Array(RES.buffer), w: RES };

/** Reads lane `i` of element size `size` (0..2) of V<r> as an unsigned number. */
export function lane(l: Lanes, r: number, i: number, size: number): number {
  if (size === 0) return l.b[r * 16 + i] as number;
  if (size === 1) return l.h[r * 8 + i] as number;
  return l.w[r * 4 + i] as number;
}
export function setLane(l: Lanes, r: number, i: number, size: number, v: number): void {
  if (size === 0) l.b[r * 16 + i] = v;
  else if (size === 1) l.h[r * 8 + i] = v;
  else l.w[r * 4 + i] = v;
}

/** Copies R into V<d>, zeroing the upper 64 bits when `q` is 0. */
export function commit(s: Cpu, d: number, q: number): void {
  const v = s.vreg;
  v[d * 4] = RES[0] as number;
  v[d * 4 + 1] = RES[1] as number;
  v[d * 4 + 2] = q ? (RES[2] as number) : 0;
  v[d * 4 + 3] = q ? (RES[3] as number) : 0;
}
export function clearR(): void {
  RES.fill(0);
}
