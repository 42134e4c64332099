// A direct-mapped TLB of 4 KiB page translations, tagged by regime, VMID and ASID (global entries match
// any ASID). It caches what a successful walk returned (blocks are cached page by page) and forgets it only
// when a TLBI says so, so a missing TLBI after a table change is visible, as on hardware.
// Entries are struct-of-arrays in typed arrays: a hit costs a few compares and no allocation.

/** Context flags of an entry. */
export const TlbCtx = {
  VALID: 1,
  /** EL2 regime (else EL1&0) */
  EL2: 2,
  /** stage 1 was on (else the entry is a stage-2-only translation) */
  S1: 4,
  /** stage 2 was on */
  S2: 8,
  /** stage-1 leaf was global (nG = 0): matches every ASID */
  GLOBAL: 16,
} as const;

export class Tlb {
  readonly size: number;
  private readonly mask: number;
  readonly vpnLo: Int32Array;
  readonly vpnHi: Int32Array;
  readonly ctx: Uint8Array;
  readonly asid: Int32Array;
  readonly vmid: Int32Array;
  readonly paLo: Int32Array;
  readonly paHi: Int32Array;
  readonly ipaLo: Int32Array;
  readonly ipaHi: Int32Array;
  readonly perm: Uint8Array;
  /** lookups that hit / missed since construction (for benchmarks and tests) */
  hits = 0;
  misses = 0;

  /** `size`: number of entries, a power of two. */
  constructor(size = 1024) {
    if (!(size > 0 && (size & (size - 1)) === 0))
      throw new RangeError(`TLB size ${size} is not a power of two`);
    this.size = size;
    this.mask = size - 1;
    this.vpnLo = new Int32Array(size);
    this.vpnHi = new Int32Array(size);
    this.ctx = new Uint8Array(size);
    this.asid = new Int32Array(size);
    this.vmid = new Int32Array(size);
    this.paLo = new Int32Array(size);
    this.paHi = new Int32Array(size);
    this.ipaLo = new Int32Array(size);
    this.ipaHi = new Int32Array(size);
    this.perm = new Uint8Array(size);
  }

  private slot(vpnLo: number, vpnHi: number): number {
    return (vpnLo ^ (vpnLo >>> 11) ^ vpnHi) & this.mask;
  }

  /**
   * The entry index translating VA (lo, hi) in the context, or -1. `ctx` = EL2 | S1 | S2 flags of the
   * current regime (without VALID/GLOBAL).
   */
  lookup(vaLo: number, vaHi: number, ctx: number, asid: number, vmid: number): number {
    const vl = (vaLo >>> 12) | (vaHi << 20) | 0;
    const vh = (vaHi >>> 12) | 0;
    const i = this.slot(vl, vh);
    const c = this.ctx[i] as number;
    if (
      (c & ~TlbCtx.GLOBAL) === (ctx | TlbCtx.VALID) &&
      this.vpnLo[i] === vl &&
      this.vpnHi[i] === vh &&
      this.vmid[i] === vmid &&
      (c & TlbCtx.GLOBAL || this.asid[i] === asid)
    ) {
      this.hits++;
      return i;
    }
    this.misses++;
    return -1;
  }

  /** Caches the page of VA → PA (and its IPA) with permissions `perm`. */
  insert(
    vaLo: number,
    vaHi: number,
    ctx: number,
    asid: number,
    vmid: number,
    paLo: number,
    paHi: number,
    ipaLo: number,
    ipaHi: number,
    perm: number,
  ): void {
    const vl = (vaLo >>> 12) | (vaHi << 20) | 0;
    const vh = (vaHi >>> 12) | 0;
    const i = this.slot(vl, vh);
    this.vpnLo[i] = vl;
    this.vpnHi[i] = vh;
    this.ctx[i] = ctx | TlbCtx.VALID;
    this.asid[i] = asid;
    this.vmid[i] = vmid;
    this.paLo[i] = paLo & ~0xfff;
    this.paHi[i] = paHi;
    this.ipaLo[i] = ipaLo & ~0xfff;
    this.ipaHi[i] = ipaHi;
    this.perm[i] = perm;
  }

  /** Drops every entry. */
  flushAll(): void {
    this.ctx.fill(0);
  }

  /**
   * Drops entries matching all given conditions: `el2` regime or EL1&0; `vmid` (-1 any); `asid` (-1 any;
   * global entries are kept when an ASID is given); the page of VA (vaLo, vaHi) when `byVa`; `s1` (1: only
   * entries made with stage 1 on, 0: only stage-2-only entries, -1: both); the IPA page when `byIpa`.
   */
  flush(
    el2: boolean,
    vmid: number,
    asid: number,
    byVa: boolean,
    vaLo: number,
    vaHi: number,
    s1: number,
    byIpa: boolean,
    ipaLo: number,
    ipaHi: number,
  ): void {
    const vl = (vaLo >>> 12) | (vaHi << 20) | 0;
    const vh = (vaHi >>> 12) | 0;
    const il = ipaLo & ~0xfff;
    for (let i = 0; i < this.size; i++) {
      const c = this.ctx[i] as number;
      if ((c & TlbCtx.VALID) === 0 || ((c & TlbCtx.EL2) !== 0) !== el2) continue;
      if (vmid >= 0 && this.vmid[i] !== vmid) continue;
      if (asid >= 0 && (c & TlbCtx.GLOBAL || this.asid[i] !== asid)) continue;
      if (byVa && (this.vpnLo[i] !== vl || this.vpnHi[i] !== vh)) continue;
      if (s1 >= 0 && ((c & TlbCtx.S1) !== 0) !== (s1 === 1)) continue;
      if (byIpa && (this.ipaLo[i] !== il || this.ipaHi[i] !== (ipaHi | 0))) continue;
      this.ctx[i] = 0;
    }
  }
}
