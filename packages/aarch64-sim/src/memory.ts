// The memory seam of the core. Every data access and every fetch goes through a `Bus`; part 2 routes it
// through an MMU and devices. Addresses arrive as two 32-bit halves (lo, hi) so a 64-bit virtual address
// is never rounded; a `FlatMemory` maps a few RAM regions with a fast path for the last region hit.

/** Why an access failed; the executor turns it into an exception result. */
export const FaultKind = {
  /** no region maps the address (SIGSEGV in user mode) */
  UNMAPPED: 1,
  /** the region maps it but forbids the access (write to read-only, fetch from no-exec) */
  PERMISSION: 2,
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/**
 * Thrown (one preallocated object) by a bus when an access faults. The executor catches it, so it never
 * reaches the caller of `Cpu.run`; `lo/hi/kind/write` describe the last fault.
 */
export class BusFault {
  lo = 0;
  hi = 0;
  kind: FaultKind = FaultKind.UNMAPPED;
  write = false;
  fetch = false;
  set(lo: number, hi: number, kind: FaultKind, write: boolean, fetch: boolean): BusFault {
    this.lo = lo | 0;
    this.hi = hi | 0;
    this.kind = kind;
    this.write = write;
    this.fetch = fetch;
    return this;
  }
}

/** Memory as the core sees it. Reads return the value (32-bit reads as int32, 64-bit reads return the low
 * half and leave the high half in `hi`); a failing access throws `fault`. */
export interface Bus {
  readonly fault: BusFault;
  /** high half of the last `read64` */
  hi: number;
  /** Fetches one instruction word. */
  fetch32(lo: number, hi: number): number;
  read8(lo: number, hi: number): number;
  read16(lo: number, hi: number): number;
  read32(lo: number, hi: number): number;
  read64(lo: number, hi: number): number;
  write8(lo: number, hi: number, v: number): void;
  write16(lo: number, hi: number, v: number): void;
  write32(lo: number, hi: number, v: number): void;
  write64(lo: number, hi: number, vlo: number, vhi: number): void;
  /** Throws `fault` unless all of [addr, addr+len) is accessible; used before multi-part writes. */
  probe(lo: number, hi: number, len: number, write: boolean): void;
  /** Called with the address of a written word that was fetched as code (decode-cache invalidation). */
  onCodeWrite: ((addr: number) => void) | undefined;
}

/** Access rights of a region. */
export const Perm = { R: 1, W: 2, X: 4, RW: 3, RX: 5, RWX: 7 } as const;

export interface Region {
  readonly base: number;
  readonly size: number;
  readonly perm: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** one flag per 4 KiB page: some word of it was fetched as code */
  readonly code: Uint8Array;
}

const TWO32 = 4294967296;

/** RAM regions below 2^48 with a fast path for the region last hit. */
export class FlatMemory implements Bus {
  readonly fault = new BusFault();
  hi = 0;
  onCodeWrite: ((addr: number) => void) | undefined = undefined;
  readonly regions: Region[] = [];
  private last: Region;

  constructor() {
    this.last = {
      base: -1,
      size: 0,
      perm: 0,
      bytes: new Uint8Array(0),
      view: new DataView(new ArrayBuffer(0)),
      code: new Uint8Array(0),
    };
  }

  /** Maps `size` bytes at `base` (both multiples of 4 KiB not required); returns the region's bytes. */
  map(base: number, size: number, perm: number = Perm.RWX, init?: Uint8Array): Uint8Array {
    if (
      !Number.isSafeInteger(base) ||
      base < 0 ||
      !Number.isSafeInteger(size) ||
      size <= 0 ||
      base + size > 2 ** 48
    ) {
      throw new RangeError(`map: region 0x${base.toString(16)}+0x${size.toString(16)} is outside [0, 2^48)`);
    }
    for (const r of this.regions) {
      if (base < r.base + r.size && r.base < base + size) {
        throw new RangeError(`map: region 0x${base.toString(16)} overlaps region 0x${r.base.toString(16)}`);
      }
    }
    const bytes = new Uint8Array(size);
    if (init) bytes.set(init.subarray(0, size));
    this.regions.push({
      base,
      size,
      perm,
      bytes,
      view: new DataView(bytes.buffer),
      code: new Uint8Array(Math.ceil(size / 4096)),
    });
    return bytes;
  }

  /** The region holding `addr`, or undefined. */
  regionAt(addr: number): Region | undefined {
    for (const r of this.regions) if (addr >= r.base && addr < r.base + r.size) return r;
    return undefined;
  }

  // Finds the region for [a, a+len) with permission bit `p`, or throws the fault.
  private find(lo: number, hi: number, len: number, p: number): Region {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    let r = this.last;
    if (a - r.base < 0 || a - r.base > r.size - len) {
      const f = this.regionAt(a);
      if (f === undefined || a - f.base > f.size - len) {
        throw this.fault.set(lo, hi, FaultKind.UNMAPPED, p === Perm.W, p === Perm.X);
      }
      r = f;
      this.last = f;
    }
    if ((r.perm & p) === 0) throw this.fault.set(lo, hi, FaultKind.PERMISSION, p === Perm.W, p === Perm.X);
    return r;
  }

  fetch32(lo: number, hi: number): number {
    const r = this.find(lo, hi, 4, Perm.X);
    const off = (hi >>> 0) * TWO32 + (lo >>> 0) - r.base;
    r.code[off >>> 12] = 1;
    return r.view.getInt32(off, true);
  }

  // Unaligned accesses that straddle two regions go byte by byte (each byte checked).
  private slowRead(lo: number, hi: number, len: number): number {
    let v = 0;
    for (let i = len - 1; i >= 0; i--)
      v = v * 256 + this.read8(lo + i, hi + ((lo >>> 0) + i > 0xffffffff ? 1 : 0));
    return v;
  }

  read8(lo: number, hi: number): number {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    const l = this.last;
    if (a - l.base >= 0 && a - l.base < l.size && l.perm & Perm.R) return l.bytes[a - l.base] as number;
    const r = this.find(lo, hi, 1, Perm.R);
    return r.bytes[(hi >>> 0) * TWO32 + (lo >>> 0) - r.base] as number;
  }
  read16(lo: number, hi: number): number {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    const l = this.last;
    if (a - l.base >= 0 && a - l.base <= l.size - 2 && l.perm & Perm.R)
      return l.view.getUint16(a - l.base, true);
    if (this.straddles(a, 2)) return this.slowRead(lo, hi, 2);
    const r = this.find(lo, hi, 2, Perm.R);
    return r.view.getUint16(a - r.base, true);
  }
  read32(lo: number, hi: number): number {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    const l = this.last;
    if (a - l.base >= 0 && a - l.base <= l.size - 4 && l.perm & Perm.R)
      return l.view.getInt32(a - l.base, true);
    if (this.straddles(a, 4)) return this.slowRead(lo, hi, 4) | 0;
    const r = this.find(lo, hi, 4, Perm.R);
    return r.view.getInt32(a - r.base, true);
  }
  read64(lo: number, hi: number): number {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    let r = this.last;
    if (!(a - r.base >= 0 && a - r.base <= r.size - 8 && r.perm & Perm.R)) {
      if (this.straddles(a, 8)) {
        const l32 = this.read32(lo, hi);
        this.hi = this.read32((lo + 4) | 0, (lo >>> 0) + 4 > 0xffffffff ? hi + 1 : hi);
        return l32;
      }
      r = this.find(lo, hi, 8, Perm.R);
    }
    this.hi = r.view.getInt32(a - r.base + 4, true);
    return r.view.getInt32(a - r.base, true);
  }

  // True when [a, a+len) starts in one region and ends in another mapped one (slow path decides faults).
  private straddles(a: number, len: number): boolean {
    const r = this.regionAt(a);
    return r !== undefined && a + len > r.base + r.size;
  }

  private codeWrite(r: Region, off: number): void {
    if (r.code[off >>> 12] !== 0 && this.onCodeWrite) this.onCodeWrite(r.base + off);
  }

  write8(lo: number, hi: number, v: number): void {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    const l = this.last;
    const o = a - l.base;
    if (o >= 0 && o < l.size && l.perm & Perm.W) {
      l.bytes[o] = v;
      if (l.code[o >>> 12] !== 0) this.codeWrite(l, o);
      return;
    }
    const r = this.find(lo, hi, 1, Perm.W);
    const off = (hi >>> 0) * TWO32 + (lo >>> 0) - r.base;
    r.bytes[off] = v;
    if (r.code[off >>> 12] !== 0) this.codeWrite(r, off);
  }
  write16(lo: number, hi: number, v: number): void {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    if (this.straddles(a, 2)) {
      this.probe(lo, hi, 2, true);
      this.write8(lo, hi, v);
      this.write8(lo + 1, hi, v >> 8);
      return;
    }
    const r = this.find(lo, hi, 2, Perm.W);
    const off = a - r.base;
    r.view.setUint16(off, v, true);
    if (r.code[off >>> 12] !== 0) this.codeWrite(r, off);
  }
  write32(lo: number, hi: number, v: number): void {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    const l = this.last;
    const o = a - l.base;
    if (o >= 0 && o <= l.size - 4 && l.perm & Perm.W) {
      l.view.setInt32(o, v, true);
      if (l.code[o >>> 12] !== 0) this.codeWrite(l, o);
      return;
    }
    if (this.straddles(a, 4)) {
      this.probe(lo, hi, 4, true);
      for (let i = 0; i < 4; i++)
        this.write8(lo + i, hi + ((lo >>> 0) + i > 0xffffffff ? 1 : 0), v >> (8 * i));
      return;
    }
    const r = this.find(lo, hi, 4, Perm.W);
    const off = a - r.base;
    r.view.setInt32(off, v, true);
    if (r.code[off >>> 12] !== 0) this.codeWrite(r, off);
  }
  write64(lo: number, hi: number, vlo: number, vhi: number): void {
    const a = (hi >>> 0) * TWO32 + (lo >>> 0);
    const l = this.last;
    const o = a - l.base;
    if (o >= 0 && o <= l.size - 8 && l.perm & Perm.W) {
      l.view.setInt32(o, vlo, true);
      l.view.setInt32(o + 4, vhi, true);
      if (l.code[o >>> 12] !== 0 || l.code[(o + 7) >>> 12] !== 0) this.codeWrite(l, o);
      return;
    }
    this.probe(lo, hi, 8, true);
    const hi2 = (lo >>> 0) + 4 > 0xffffffff ? hi + 1 : hi;
    this.write32(lo, hi, vlo);
    this.write32((lo + 4) | 0, hi2, vhi);
  }

  probe(lo: number, hi: number, len: number, write: boolean): void {
    const p = write ? Perm.W : Perm.R;
    let a = (hi >>> 0) * TWO32 + (lo >>> 0);
    const end = a + len;
    while (a < end) {
      const r = this.regionAt(a);
      if (r === undefined || (r.perm & p) === 0) {
        const fl = a % TWO32;
        throw this.fault.set(
          fl,
          (a - fl) / TWO32,
          r === undefined ? FaultKind.UNMAPPED : FaultKind.PERMISSION,
          write,
          false,
        );
      }
      a = r.base + r.size;
    }
  }
}
