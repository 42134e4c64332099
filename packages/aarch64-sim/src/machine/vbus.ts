// The core's `Bus` for the machine: every access translated by the MMU for the current regime (a flat
// fast path while it is off), then RAM or an MMIO device. A fault throws the preallocated `BusFault`;
// the translation details the exception needs (FSC, stage, S1PTW, IPA) stay here for the machine.
import { FaultStatus } from "../exception/fsc.ts";
import { type Bus, BusFault, FaultKind } from "../memory.ts";
import type { Mmu } from "../mmu/mmu.ts";
import { AccessType } from "../mmu/result.ts";
import { type PhysSpace, RAM_BASE } from "./phys.ts";

const TWO32 = 4294967296;
const PAGE = 4096;

export class MachineBus implements Bus {
  readonly fault = new BusFault();
  hi = 0;
  onCodeWrite: ((addr: number) => void) | undefined = undefined;
  readonly phys: PhysSpace;
  readonly mmu: Mmu;
  /** translation on for the current regime (false: VA = PA) */
  translating = false;
  /** EL whose permissions apply (0 for EL0, LDTR/STTR are not modelled) */
  el = 2;
  /** details of the last fault: FSC as ESR reports it, stage (1/2), S1PTW, faulting IPA */
  fsc = 0;
  stage = 1;
  s1ptw = false;
  ipaLo = 0;
  ipaHi = 0;
  /** VA pages (numbers) fetched from each physical RAM page, for invalidating decoded code on writes */
  private readonly codeVas = new Map<number, number[]>();
  // last physical address found, set by `tr`
  private pa = 0;
  // one-entry micro TLB per access type (read, write, fetch): VA page (lo >>> 12, hi) → PA of the page.
  // Reset whenever the translation context changes (machine.syncContext) or a TLBI runs.
  private readonly mPage = new Int32Array([-1, -1, -1]);
  private readonly mHi = new Int32Array(3);
  private readonly mBase = new Float64Array(3);

  constructor(phys: PhysSpace, mmu: Mmu) {
    this.phys = phys;
    this.mmu = mmu;
  }

  /** Drops the micro TLB (after any change of translation context or a TLBI). */
  resetMicroTlb(): void {
    this.mPage.fill(-1);
  }

  /** Forgets which VA pages hold code (after the core's decode cache was flushed). */
  clearCode(): void {
    this.codeVas.clear();
    this.phys.code.fill(0);
  }

  // Translates (lo, hi) and leaves the physical address in `pa`; throws the fault.
  private tr(lo: number, hi: number, type: AccessType): number {
    if (!this.translating) {
      this.pa = (hi >>> 0) * TWO32 + (lo >>> 0);
      if (hi >>> 16 !== 0) this.abort(lo, hi, type, 0, 0);
      return this.pa;
    }
    if (this.mPage[type] === lo >>> 12 && this.mHi[type] === hi) {
      this.pa = (this.mBase[type] as number) + (lo & 0xfff);
      return this.pa;
    }
    const m = this.mmu;
    if (!m.translate(lo, hi, type, this.el)) {
      const r = m.r;
      this.fsc = r.fault;
      this.stage = r.stage;
      this.s1ptw = r.s1ptw;
      this.ipaLo = r.ipaLo;
      this.ipaHi = r.ipaHi;
      throw this.fault.set(
        lo,
        hi,
        r.kind === FaultKind.PERMISSION ? FaultKind.PERMISSION : FaultKind.UNMAPPED,
        type === AccessType.WRITE,
        type === AccessType.FETCH,
      );
    }
    this.pa = m.r.paHi * TWO32 + m.r.paLo;
    this.mPage[type] = lo >>> 12;
    this.mHi[type] = hi;
    this.mBase[type] = this.pa - (lo & 0xfff);
    return this.pa;
  }

  // An address outside the physical space (MMU off, bits above PA range set): level-0 address size fault.
  private abort(lo: number, hi: number, type: AccessType, fsc: number, _unused: number): never {
    this.fsc = fsc;
    this.stage = 1;
    this.s1ptw = false;
    throw this.fault.set(lo, hi, FaultKind.UNMAPPED, type === AccessType.WRITE, type === AccessType.FETCH);
  }

  // A physical access nothing decodes: synchronous external abort (FSC 0x10).
  private external(lo: number, hi: number, type: AccessType): never {
    return this.abort(lo, hi, type, FaultStatus.SYNC_EXTERNAL, 0);
  }

  private ramOff(pa: number, len: number): number {
    const off = pa - RAM_BASE;
    return off >= 0 && off <= this.phys.ramSize - len ? off : -1;
  }

  fetch32(lo: number, hi: number): number {
    const pa = this.tr(lo, hi, AccessType.FETCH);
    const off = this.ramOff(pa, 4);
    if (off < 0) return this.external(lo, hi, AccessType.FETCH);
    const pg = off >>> 12;
    // the core's PC for this page: signed, so TTBR1 (top-half) addresses stay exact below 2^53 in magnitude
    const va = (hi | 0) * TWO32 + (((lo >>> 0) & ~(PAGE - 1)) >>> 0);
    const list = this.codeVas.get(pg);
    if (list === undefined) this.codeVas.set(pg, [va]);
    else if (!list.includes(va)) list.push(va);
    this.phys.code[pg] = 1;
    return this.phys.view.getInt32(off, true);
  }

  private codeWrite(off: number): void {
    const list = this.codeVas.get(off >>> 12);
    if (list === undefined || this.onCodeWrite === undefined) return;
    for (const va of list) this.onCodeWrite(va + (off & (PAGE - 1)));
  }

  // Slow path: the access crosses a page or is not in RAM.
  private readSlow(lo: number, hi: number, len: number): number {
    if (((lo >>> 0) & (PAGE - 1)) + len > PAGE) {
      let v = 0;
      for (let i = len - 1; i >= 0; i--) {
        const l = (lo >>> 0) + i;
        v = v * 256 + this.read8(l | 0, l > 0xffffffff ? hi + 1 : hi);
      }
      return v;
    }
    const pa = this.tr(lo, hi, AccessType.READ);
    const off = this.ramOff(pa, len);
    if (off >= 0) {
      const b = this.phys.ram;
      let v = 0;
      for (let i = len - 1; i >= 0; i--) v = v * 256 + (b[off + i] as number);
      return v;
    }
    const mmio = this.phys.mmio;
    const plo = pa % TWO32;
    const phi = (pa - plo) / TWO32;
    if (len === 8) {
      if (!mmio.read(plo | 0, phi, 4)) return this.external(lo, hi, AccessType.READ);
      const l32 = mmio.value;
      if (!mmio.read((plo + 4) | 0, phi, 4)) return this.external(lo, hi, AccessType.READ);
      this.hi = mmio.value | 0;
      return l32 | 0;
    }
    if (!mmio.read(plo | 0, phi, len)) return this.external(lo, hi, AccessType.READ);
    return mmio.value;
  }

  read8(lo: number, hi: number): number {
    const off = this.ramOff(this.tr(lo, hi, AccessType.READ), 1);
    if (off >= 0) return this.phys.ram[off] as number;
    return this.readSlow(lo, hi, 1) & 0xff;
  }
  read16(lo: number, hi: number): number {
    if ((lo & (PAGE - 1)) <= PAGE - 2) {
      const off = this.ramOff(this.tr(lo, hi, AccessType.READ), 2);
      if (off >= 0) return this.phys.view.getUint16(off, true);
    }
    return this.readSlow(lo, hi, 2) & 0xffff;
  }
  read32(lo: number, hi: number): number {
    if ((lo & (PAGE - 1)) <= PAGE - 4) {
      const off = this.ramOff(this.tr(lo, hi, AccessType.READ), 4);
      if (off >= 0) return this.phys.view.getInt32(off, true);
    }
    return this.readSlow(lo, hi, 4) | 0;
  }
  read64(lo: number, hi: number): number {
    if ((lo & (PAGE - 1)) <= PAGE - 8) {
      const off = this.ramOff(this.tr(lo, hi, AccessType.READ), 8);
      if (off >= 0) {
        const v = this.phys.view;
        this.hi = v.getInt32(off + 4, true);
        return v.getInt32(off, true);
      }
      const pa = this.pa;
      if (this.ramOff(pa, 1) < 0) return this.readSlow(lo, hi, 8);
    }
    const l = this.read32(lo, hi);
    const a = (lo >>> 0) + 4;
    this.hi = this.read32(a | 0, a > 0xffffffff ? hi + 1 : hi);
    return l;
  }

  // Writes `len` bytes of v (len <= 4) or (vlo, vhi) for 8.
  private writeSlow(lo: number, hi: number, len: number, vlo: number, vhi: number): void {
    if (((lo >>> 0) & (PAGE - 1)) + len > PAGE) {
      this.probe(lo, hi, len, true);
      for (let i = 0; i < len; i++) {
        const l = (lo >>> 0) + i;
        const byte = i < 4 ? vlo >>> (8 * i) : vhi >>> (8 * (i - 4));
        this.write8(l | 0, l > 0xffffffff ? hi + 1 : hi, byte);
      }
      return;
    }
    const pa = this.tr(lo, hi, AccessType.WRITE);
    const mmio = this.phys.mmio;
    const plo = pa % TWO32;
    const phi = (pa - plo) / TWO32;
    if (len === 8) {
      if (mmio.find(plo | 0, phi) < 0) this.external(lo, hi, AccessType.WRITE);
      mmio.write(plo | 0, phi, 4, vlo);
      mmio.write((plo + 4) | 0, phi, 4, vhi);
      return;
    }
    if (!mmio.write(plo | 0, phi, len, vlo)) this.external(lo, hi, AccessType.WRITE);
  }

  write8(lo: number, hi: number, v: number): void {
    const off = this.ramOff(this.tr(lo, hi, AccessType.WRITE), 1);
    if (off < 0) {
      this.writeSlow(lo, hi, 1, v, 0);
      return;
    }
    this.phys.ram[off] = v;
    if (this.phys.code[off >>> 12] !== 0) this.codeWrite(off);
  }
  write16(lo: number, hi: number, v: number): void {
    if ((lo & (PAGE - 1)) <= PAGE - 2) {
      const off = this.ramOff(this.tr(lo, hi, AccessType.WRITE), 2);
      if (off >= 0) {
        this.phys.view.setUint16(off, v, true);
        if (this.phys.code[off >>> 12] !== 0) this.codeWrite(off);
        return;
      }
    }
    this.writeSlow(lo, hi, 2, v, 0);
  }
  write32(lo: number, hi: number, v: number): void {
    if ((lo & (PAGE - 1)) <= PAGE - 4) {
      const off = this.ramOff(this.tr(lo, hi, AccessType.WRITE), 4);
      if (off >= 0) {
        this.phys.view.setInt32(off, v, true);
        if (this.phys.code[off >>> 12] !== 0) this.codeWrite(off);
        return;
      }
    }
    this.writeSlow(lo, hi, 4, v, 0);
  }
  write64(lo: number, hi: number, vlo: number, vhi: number): void {
    if ((lo & (PAGE - 1)) <= PAGE - 8) {
      const off = this.ramOff(this.tr(lo, hi, AccessType.WRITE), 8);
      if (off >= 0) {
        const d = this.phys.view;
        d.setInt32(off, vlo, true);
        d.setInt32(off + 4, vhi, true);
        if (this.phys.code[off >>> 12] !== 0) {
          this.codeWrite(off);
          this.codeWrite(off + 4);
        }
        return;
      }
    }
    this.writeSlow(lo, hi, 8, vlo, vhi);
  }

  probe(lo: number, hi: number, len: number, write: boolean): void {
    const type = write ? AccessType.WRITE : AccessType.READ;
    // page by page on halves (top-half VAs are not exact as one number)
    let l = lo >>> 0;
    let h = hi | 0;
    let left = len;
    while (left > 0) {
      const pa = this.tr(l | 0, h, type);
      const n = Math.min(left, PAGE - (l & (PAGE - 1)));
      if (this.ramOff(pa, n) < 0 && this.phys.mmio.find((pa % TWO32) | 0, Math.floor(pa / TWO32)) < 0)
        this.external(l | 0, h, type);
      left -= n;
      l += n;
      if (l >= TWO32) {
        l -= TWO32;
        h++;
      }
    }
  }
}
