// The translation table walker (4 KiB granule): stage 1 of the EL1&0 regime (TTBR0/TTBR1 split by
// TCR_EL1.T0SZ/T1SZ), stage 1 of the EL2 regime (TTBR0_EL2), stage 2 (VTCR_EL2/VTTBR_EL2), and stage-1
// walks whose table reads go through stage 2 (S1PTW faults). Pure over a physical-memory reader: no
// allocation, no bigint; the result is written into the preallocated `TranslateResult`.
import { FaultKind } from "../exception/fsc.ts";
import { bitsAbove, DescHi, DescLo, onesAbove, PA_BITS, shr, Tcr } from "./bits.ts";
import { AccessType, Perm, permBit, TranslateResult, WALK_EXTERNAL } from "./result.ts";

/** Physical memory as the walker reads descriptors: 64-bit little-endian words. */
export interface PhysMemory {
  /** Reads the doubleword at physical (lo, hi) into `lo`/`hi` of this object; false if nothing is there. */
  read64(addrLo: number, addrHi: number): boolean;
  lo: number;
  hi: number;
}

/** The register values a walk depends on, as 32-bit halves (`syncFromSysregs` fills them). */
export class MmuRegs {
  sctlrEl1 = 0;
  tcrEl1Lo = 0;
  tcrEl1Hi = 0;
  ttbr0El1Lo = 0;
  ttbr0El1Hi = 0;
  ttbr1El1Lo = 0;
  ttbr1El1Hi = 0;
  sctlrEl2 = 0;
  tcrEl2 = 0;
  ttbr0El2Lo = 0;
  ttbr0El2Hi = 0;
  /** HCR_EL2 low word (VM is bit 0) */
  hcrLo = 0;
  vtcr = 0;
  vttbrLo = 0;
  vttbrHi = 0;
}

const SHIFT = [39, 30, 21, 12] as const;
const HCR_VM = 1 << 0;
const HCR_DC = 1 << 12;
const HCR_TGE = 1 << 27;
// 4K granule: low bits of the output address taken from the VA for a leaf at each level
const BLOCK_MASK = [0, 0x3fffffff, 0x1fffff, 0xfff] as const;

/** Options of `Walker`. */
export interface WalkerOptions {
  /** FEAT_XNX: stage-2 XN is bits [54:53] (default false: cortex-a57, bit 53 ignored) */
  readonly xnx?: boolean;
  /**
   * Report a stage-2 fault on a stage-1 table walk with the stage-1 level (QEMU 7.2 does; the scenario
   * golden has DFSC 0x0E for a level-3 stage-2 entry) instead of the stage-2 level. Default true.
   */
  readonly qemuS1ptwLevel?: boolean;
}

export class Walker {
  readonly regs = new MmuRegs();
  readonly r = new TranslateResult();
  readonly mem: PhysMemory;
  xnx: boolean;
  qemuS1ptwLevel: boolean;

  constructor(mem: PhysMemory, options: WalkerOptions = {}) {
    this.mem = mem;
    this.xnx = options.xnx ?? false;
    this.qemuS1ptwLevel = options.qemuS1ptwLevel ?? true;
  }

  /** Stage 2 applies to the EL1&0 regime: HCR_EL2.VM, and not TGE (which turns the regime flat). */
  get stage2Enabled(): boolean {
    return (this.regs.hcrLo & (HCR_VM | HCR_TGE)) === HCR_VM;
  }

  /** Stage 1 of the regime `el` translates: SCTLR_ELx.M, and for EL1&0 neither HCR_EL2.TGE nor DC. */
  stage1Enabled(el: number): boolean {
    if (el >= 2) return (this.regs.sctlrEl2 & 1) !== 0;
    return (this.regs.sctlrEl1 & 1) !== 0 && (this.regs.hcrLo & (HCR_TGE | HCR_DC)) === 0;
  }

  /** VMID of VTTBR_EL2 (8 bits, or 16 with VTCR_EL2.VS). */
  get vmid(): number {
    const v = this.regs.vttbrHi >>> 16;
    return this.regs.vtcr & Tcr.VS ? v : v & 0xff;
  }

  /**
   * Translates the virtual address (lo, hi) for an access of `type` with the permissions of `el` (0, 1 or
   * 2; EL2 uses the EL2 regime, EL0/EL1 the EL1&0 regime). `stage1Only` stops at the IPA (AT S1E*).
   * Returns true with `r.paLo/paHi`, or false with `r.fault`.
   */
  translate(vaLo: number, vaHi: number, type: AccessType, el: number, stage1Only: boolean): boolean {
    const r = this.r;
    r.fault = 0;
    r.s1ptw = false;
    r.nG = false;
    r.asid = 0;
    r.attrIndex = -1;
    r.s2MemAttr = -1;
    r.sh = 0;
    const el2 = el >= 2;
    // stage-1 table reads go through stage 2 even for AT S1E*; the output only without `stage1Only`
    const s2walk = !el2 && this.stage2Enabled;
    const s2 = s2walk && !stage1Only;
    if (!this.stage1Enabled(el)) {
      // stage 1 off: flat, output size 48 bits
      if (bitsAbove(vaLo, vaHi, 48)) return r.setFault(FaultKind.ADDRESS_SIZE, 0, 1);
      r.perm = Perm.ALL;
      r.ipaLo = vaLo >>> 0;
      r.ipaHi = vaHi >>> 0;
      if (!s2) {
        r.paLo = r.ipaLo;
        r.paHi = r.ipaHi;
        return true;
      }
      const s1perm = r.perm;
      if (!this.stage2(r.ipaLo, r.ipaHi, type, el, false, 0)) return false;
      r.perm &= s1perm;
      return true;
    }
    return this.stage1(vaLo, vaHi, type, el, el2, s2walk, s2);
  }

  private stage1(
    vaLo: number,
    vaHi: number,
    type: AccessType,
    el: number,
    el2: boolean,
    s2walk: boolean,
    s2: boolean,
  ): boolean {
    const r = this.r;
    const g = this.regs;
    let txsz: number;
    let tbi: boolean;
    let baseLo: number;
    let baseHi: number;
    let ps: number;
    let upper = false;
    if (el2) {
      txsz = g.tcrEl2 & Tcr.TXSZ_MASK;
      tbi = (g.tcrEl2 & Tcr.EL2_TBI) !== 0;
      if (((g.tcrEl2 >>> Tcr.TG0_SHIFT) & 3) !== 0) return r.setFault(FaultKind.TRANSLATION, 0, 1);
      ps = (g.tcrEl2 >>> Tcr.EL2_PS_SHIFT) & 7;
      baseLo = g.ttbr0El2Lo;
      baseHi = g.ttbr0El2Hi;
    } else {
      const tl = g.tcrEl1Lo;
      const th = g.tcrEl1Hi;
      upper = ((vaHi >>> 23) & 1) === 1; // bit 55 selects the half
      ps = th & Tcr.IPS_MASK;
      if (upper) {
        txsz = (tl >>> Tcr.T1SZ_SHIFT) & Tcr.TXSZ_MASK;
        tbi = (th & Tcr.TBI1) !== 0;
        if (tl & Tcr.EPD1 || ((tl >>> Tcr.TG1_SHIFT) & 3) !== 2)
          return r.setFault(FaultKind.TRANSLATION, 0, 1);
        baseLo = g.ttbr1El1Lo;
        baseHi = g.ttbr1El1Hi;
      } else {
        txsz = tl & Tcr.TXSZ_MASK;
        tbi = (th & Tcr.TBI0) !== 0;
        if (tl & Tcr.EPD0 || ((tl >>> Tcr.TG0_SHIFT) & 3) !== 0)
          return r.setFault(FaultKind.TRANSLATION, 0, 1);
        baseLo = g.ttbr0El1Lo;
        baseHi = g.ttbr0El1Hi;
      }
      const asidHi = tl & Tcr.A1 ? g.ttbr1El1Hi : g.ttbr0El1Hi;
      r.asid = th & Tcr.AS ? asidHi >>> 16 : (asidHi >>> 16) & 0xff;
    }
    // TxSZ outside [16, 39] behaves as the nearest limit (as QEMU does without FEAT_LVA/TTST)
    if (txsz < 16) txsz = 16;
    else if (txsz > 39) txsz = 39;
    const inBits = 64 - txsz;
    // the address must lie inside the selected half (top byte ignored with TBI)
    if (upper) {
      if (!onesAbove(vaLo, tbi ? vaHi | 0xff000000 : vaHi, inBits))
        return r.setFault(FaultKind.TRANSLATION, 0, 1);
    } else if (bitsAbove(vaLo, tbi ? vaHi & 0x00ffffff : vaHi, inBits)) {
      return r.setFault(FaultKind.TRANSLATION, 0, 1);
    }
    const oaBits = PA_BITS[ps] as number;
    let level = inBits > 39 ? 0 : inBits > 30 ? 1 : 2;
    // start-level table: 2^(inBits - shift) entries, aligned to its size
    let idxMask = (1 << (inBits - (SHIFT[level] as number))) - 1;
    baseLo = (baseLo & ~(idxMask * 8 + 7)) >>> 0;
    baseHi &= DescHi.OA_MASK;
    if (bitsAbove(baseLo, baseHi, oaBits)) return r.setFault(FaultKind.ADDRESS_SIZE, level, 1);
    let aptRo = false;
    let aptNoEl0 = false;
    let uxnT = false;
    let pxnT = false;
    const mem = this.mem;
    for (;;) {
      const idx = shr(vaLo, vaHi, SHIFT[level] as number) & idxMask;
      let dLo = baseLo + idx * 8;
      let dHi = baseHi;
      if (dLo > 0xffffffff) {
        dLo -= 0x100000000;
        dHi++;
      }
      if (s2walk) {
        // the table address is an IPA: translate it (a read) through stage 2
        if (!this.stage2(dLo, dHi, AccessType.READ, 1, true, level)) return false;
        dLo = r.paLo;
        dHi = r.paHi;
      }
      if (!mem.read64(dLo, dHi)) return r.setFault(WALK_EXTERNAL, level, 1);
      const lo = mem.lo;
      const hi = mem.hi;
      if ((lo & DescLo.VALID) === 0) return r.setFault(FaultKind.TRANSLATION, level, 1);
      if (level < 3 && lo & DescLo.TABLE) {
        if (hi & DescHi.OA52_MASK) return r.setFault(FaultKind.ADDRESS_SIZE, level, 1);
        baseLo = (lo & DescLo.OA_MASK) >>> 0;
        baseHi = hi & DescHi.OA_MASK;
        if (bitsAbove(baseLo, baseHi, oaBits)) return r.setFault(FaultKind.ADDRESS_SIZE, level, 1);
        if (hi & DescHi.APT_RO) aptRo = true;
        if (!el2 && hi & DescHi.APT_NO_EL0) aptNoEl0 = true;
        if (hi & DescHi.UXN_TABLE) uxnT = true;
        if (!el2 && hi & DescHi.PXN_TABLE) pxnT = true;
        level++;
        idxMask = 511;
        continue;
      }
      // a block at level 0, or the reserved encoding at level 3
      if (level === 0 || (level === 3 && (lo & DescLo.TABLE) === 0)) {
        return r.setFault(FaultKind.TRANSLATION, level, 1);
      }
      if (hi & DescHi.OA52_MASK) return r.setFault(FaultKind.ADDRESS_SIZE, level, 1);
      const m = BLOCK_MASK[level] as number;
      const oaLo = ((lo & ~m & DescLo.OA_MASK) | (vaLo & m)) >>> 0;
      const oaHi = hi & DescHi.OA_MASK;
      if (bitsAbove(oaLo, oaHi, oaBits)) return r.setFault(FaultKind.ADDRESS_SIZE, level, 1);
      if ((lo & DescLo.AF) === 0) return r.setFault(FaultKind.ACCESS_FLAG, level, 1);
      // permissions for all six (access, privilege) pairs
      const ro = aptRo || (lo & DescLo.AP_HI) !== 0;
      let perm: number;
      if (el2) {
        perm = Perm.R1 | (ro ? 0 : Perm.W1);
        if (!(uxnT || hi & DescHi.UXN) && !(sctlrWxn(this.regs.sctlrEl2) && !ro)) perm |= Perm.X1;
      } else {
        const el0 = !aptNoEl0 && (lo & DescLo.AP_LO) !== 0;
        const wxn = sctlrWxn(this.regs.sctlrEl1);
        perm = Perm.R1 | (ro ? 0 : Perm.W1);
        if (el0) perm |= Perm.R0 | (ro ? 0 : Perm.W0);
        // EL1 never executes what EL0 may write; WXN: nothing writable executes
        const pxn = pxnT || (hi & DescHi.PXN) !== 0 || (el0 && !ro) || (wxn && !ro);
        const uxn = uxnT || (hi & DescHi.UXN) !== 0 || (wxn && el0 && !ro);
        if (!pxn) perm |= Perm.X1;
        if (!uxn) perm |= Perm.X0;
      }
      r.attrIndex = (lo >>> DescLo.ATTR_SHIFT) & 7;
      r.sh = (lo >>> DescLo.SH_SHIFT) & 3;
      r.nG = !el2 && (lo & DescLo.NG) !== 0;
      if ((perm & permBit(type, el)) === 0) return r.setFault(FaultKind.PERMISSION, level, 1);
      r.ipaLo = oaLo;
      r.ipaHi = oaHi;
      if (!s2) {
        r.paLo = oaLo;
        r.paHi = oaHi;
        r.perm = perm;
        return true;
      }
      if (!this.stage2(oaLo, oaHi, type, el, false, 0)) return false;
      r.perm &= perm;
      return true;
    }
  }

  // the level stage-2 faults report: the stage-1 level for S1PTW faults in QEMU mode
  private levelOverride = -1;

  private s2Fault(kind: number, level: number): false {
    return this.r.setFault(kind, this.levelOverride >= 0 ? this.levelOverride : level, 2);
  }

  /**
   * Stage 2 of the IPA (lo, hi). On success `r.paLo/paHi` and `r.perm` (stage-2 permissions); on a fault
   * `r.ipaLo/ipaHi` = the IPA and `r.stage` = 2. `s1ptw`: this is a stage-1 table read at `s1Level`.
   */
  stage2(
    ipaLo: number,
    ipaHi: number,
    type: AccessType,
    el: number,
    s1ptw: boolean,
    s1Level: number,
  ): boolean {
    const r = this.r;
    const g = this.regs;
    r.ipaLo = ipaLo >>> 0;
    r.ipaHi = ipaHi >>> 0;
    r.s1ptw = s1ptw;
    this.levelOverride = s1ptw && this.qemuS1ptwLevel ? s1Level : -1;
    const vtcr = g.vtcr;
    let t0sz = vtcr & Tcr.TXSZ_MASK;
    if (t0sz < 16) t0sz = 16;
    else if (t0sz > 39) t0sz = 39;
    const inBits = 64 - t0sz;
    const sl0 = (vtcr >>> Tcr.SL0_SHIFT) & 3;
    let level = 2 - sl0;
    // TG0 other than 4K, SL0 = 3, or a start level whose (up to 16 concatenated) tables cannot cover the IPA
    const startBits = inBits - (SHIFT[Math.max(level, 0)] as number);
    if (((vtcr >>> Tcr.TG0_SHIFT) & 3) !== 0 || level < 0 || startBits > 13 || startBits < 1) {
      return this.s2Fault(FaultKind.TRANSLATION, 0);
    }
    if (bitsAbove(ipaLo, ipaHi, inBits)) return this.s2Fault(FaultKind.TRANSLATION, 0);
    const oaBits = PA_BITS[(vtcr >>> 16) & 7] as number;
    let idxMask = (1 << startBits) - 1;
    let baseLo = (g.vttbrLo & ~(idxMask * 8 + 7)) >>> 0;
    let baseHi = g.vttbrHi & DescHi.OA_MASK;
    if (bitsAbove(baseLo, baseHi, oaBits)) return this.s2Fault(FaultKind.ADDRESS_SIZE, level);
    const mem = this.mem;
    for (;;) {
      const idx = shr(ipaLo, ipaHi, SHIFT[level] as number) & idxMask;
      let dLo = baseLo + idx * 8;
      let dHi = baseHi;
      if (dLo > 0xffffffff) {
        dLo -= 0x100000000;
        dHi++;
      }
      if (!mem.read64(dLo, dHi)) return this.s2Fault(WALK_EXTERNAL, level);
      const lo = mem.lo;
      const hi = mem.hi;
      if ((lo & DescLo.VALID) === 0) return this.s2Fault(FaultKind.TRANSLATION, level);
      if (level < 3 && lo & DescLo.TABLE) {
        if (hi & DescHi.OA52_MASK) return this.s2Fault(FaultKind.ADDRESS_SIZE, level);
        baseLo = (lo & DescLo.OA_MASK) >>> 0;
        baseHi = hi & DescHi.OA_MASK;
        if (bitsAbove(baseLo, baseHi, oaBits)) return this.s2Fault(FaultKind.ADDRESS_SIZE, level);
        level++;
        idxMask = 511;
        continue;
      }
      if (level === 0 || (level === 3 && (lo & DescLo.TABLE) === 0)) {
        return this.s2Fault(FaultKind.TRANSLATION, level);
      }
      if (hi & DescHi.OA52_MASK) return this.s2Fault(FaultKind.ADDRESS_SIZE, level);
      const m = BLOCK_MASK[level] as number;
      const oaLo = ((lo & ~m & DescLo.OA_MASK) | (ipaLo & m)) >>> 0;
      const oaHi = hi & DescHi.OA_MASK;
      if (bitsAbove(oaLo, oaHi, oaBits)) return this.s2Fault(FaultKind.ADDRESS_SIZE, level);
      if ((lo & DescLo.AF) === 0) return this.s2Fault(FaultKind.ACCESS_FLAG, level);
      let perm = 0;
      if (lo & DescLo.AP_LO) perm |= Perm.R1 | Perm.R0;
      if (lo & DescLo.AP_HI) perm |= Perm.W1 | Perm.W0;
      // XN[1:0] = bits [54:53] with FEAT_XNX: 00 both, 01 EL0 only, 10 neither, 11 EL1 only
      const xn1 = (hi & DescHi.UXN) !== 0;
      const xn0 = this.xnx && (hi & DescHi.PXN) !== 0;
      if (!xn1 && !xn0) perm |= Perm.X1 | Perm.X0;
      else if (!xn1 && xn0) perm |= Perm.X0;
      else if (xn1 && xn0) perm |= Perm.X1;
      r.s2MemAttr = (lo >>> DescLo.ATTR_SHIFT) & 15;
      if ((perm & permBit(type, el)) === 0) return this.s2Fault(FaultKind.PERMISSION, level);
      r.paLo = oaLo;
      r.paHi = oaHi;
      r.perm = perm;
      r.s1ptw = false;
      return true;
    }
  }
}

function sctlrWxn(sctlr: number): boolean {
  return (sctlr & (1 << 19)) !== 0;
}
