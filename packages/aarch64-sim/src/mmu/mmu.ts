// The MMU as the core calls it: translation with an optional TLB in front of the walker, TLBI and AT.
import type { SysregFile } from "../sysreg/file.ts";
import { SysregId } from "../sysreg/table.ts";
import { TlbiKind } from "./ops.ts";
import { AccessType, permBit, type TranslateResult } from "./result.ts";
import { Tlb, TlbCtx } from "./tlb.ts";
import { type PhysMemory, Walker, type WalkerOptions } from "./walk.ts";

export interface MmuOptions extends WalkerOptions {
  /** TLB entries (a power of two), or 0 for no TLB: every access walks (QEMU-like permissive mode). */
  readonly tlbEntries?: number;
}

/** Outcome of an AT instruction. */
export const AtResult = {
  /** PAR_EL1 was written (`parLo/parHi`), with F = 1 if the translation faulted */
  PAR: 0,
  /** a stage-2 fault on the stage-1 walk: the core takes it to EL2 as a data abort (S1PTW, CM), PAR unchanged */
  S2_ABORT: 1,
} as const;
export type AtResult = (typeof AtResult)[keyof typeof AtResult];

export class Mmu {
  readonly walker: Walker;
  readonly tlb: Tlb | undefined;
  /** result of the last translate/at (the walker's preallocated object) */
  readonly r: TranslateResult;
  /** PAR_EL1 value of the last `at` */
  parLo = 0;
  parHi = 0;
  // MAIR of each regime for PAR attributes
  private mairEl1Lo = 0;
  private mairEl1Hi = 0;
  private mairEl2Lo = 0;
  private mairEl2Hi = 0;

  constructor(mem: PhysMemory, options: MmuOptions = {}) {
    this.walker = new Walker(mem, options);
    this.r = this.walker.r;
    const n = options.tlbEntries ?? 1024;
    this.tlb = n > 0 ? new Tlb(n) : undefined;
  }

  /**
   * Copies the translation controls from a register file (call after an MSR to a register whose effect is
   * `Effect.MMU`, and after ERET/exception entry only if you keep several files). TLB entries stay: as on
   * hardware, changing TTBR/TCR needs a TLBI.
   */
  syncFromSysregs(f: SysregFile): void {
    const g = this.walker.regs;
    g.sctlrEl1 = f.read(SysregId.sctlr_el1);
    g.tcrEl1Lo = f.read(SysregId.tcr_el1);
    g.tcrEl1Hi = f.hi;
    g.ttbr0El1Lo = f.read(SysregId.ttbr0_el1);
    g.ttbr0El1Hi = f.hi;
    g.ttbr1El1Lo = f.read(SysregId.ttbr1_el1);
    g.ttbr1El1Hi = f.hi;
    g.sctlrEl2 = f.read(SysregId.sctlr_el2);
    g.tcrEl2 = f.read(SysregId.tcr_el2);
    g.ttbr0El2Lo = f.read(SysregId.ttbr0_el2);
    g.ttbr0El2Hi = f.hi;
    g.hcrLo = f.read(SysregId.hcr_el2);
    g.vtcr = f.read(SysregId.vtcr_el2);
    g.vttbrLo = f.read(SysregId.vttbr_el2);
    g.vttbrHi = f.hi;
    this.mairEl1Lo = f.read(SysregId.mair_el1);
    this.mairEl1Hi = f.hi;
    this.mairEl2Lo = f.read(SysregId.mair_el2);
    this.mairEl2Hi = f.hi;
    this.sync();
  }

  // TLB context of each regime, cached by `sync` (0 = flat: nothing to cache)
  private ctxEl1 = 0;
  private ctxEl2 = 0;
  private asidNow = 0;
  private vmidNow = 0;

  /**
   * Recomputes the cached regime state (TLB context, ASID, VMID) from `walker.regs`; `syncFromSysregs`
   * calls it. Call it yourself after writing `walker.regs` directly.
   */
  sync(): void {
    const w = this.walker;
    this.ctxEl2 = w.stage1Enabled(2) ? TlbCtx.EL2 | TlbCtx.S1 : 0;
    this.ctxEl1 = (w.stage1Enabled(1) ? TlbCtx.S1 : 0) | (w.stage2Enabled ? TlbCtx.S2 : 0);
    this.asidNow = this.ctxEl1 & TlbCtx.S1 ? this.currentAsid() : 0;
    this.vmidNow = w.vmid;
  }

  /** ASID of the EL1&0 regime now (TCR_EL1.A1 selects the TTBR, AS the width). */
  currentAsid(): number {
    const g = this.walker.regs;
    const hi = g.tcrEl1Lo & (1 << 22) ? g.ttbr1El1Hi : g.ttbr0El1Hi;
    return g.tcrEl1Hi & (1 << 4) ? hi >>> 16 : (hi >>> 16) & 0xff;
  }

  /**
   * Translates VA (lo, hi) for an access of `type` at `el` (the permission EL; EL2 uses the EL2 regime).
   * True: `r.paLo/paHi` (on a TLB hit only these; the attribute fields are from the last walk). False:
   * `r.fault` etc. (see `TranslateResult`); a TLB hit without the permission re-walks, so the fault is exact.
   */
  translate(vaLo: number, vaHi: number, type: AccessType, el: number): boolean {
    const tlb = this.tlb;
    if (tlb === undefined) return this.walker.translate(vaLo, vaHi, type, el, false);
    const el2 = el >= 2;
    const ctx = el2 ? this.ctxEl2 : this.ctxEl1;
    if (ctx === 0) return this.walker.translate(vaLo, vaHi, type, el, false);
    const asid = el2 ? 0 : this.asidNow;
    const vmid = el2 ? 0 : this.vmidNow;
    const i = tlb.lookup(vaLo, vaHi, ctx, asid, vmid);
    const r = this.r;
    if (i >= 0 && ((tlb.perm[i] as number) & permBit(type, el)) !== 0) {
      r.fault = 0;
      r.paLo = ((tlb.paLo[i] as number) | (vaLo & 0xfff)) >>> 0;
      r.paHi = (tlb.paHi[i] as number) >>> 0;
      return true;
    }
    if (!this.walker.translate(vaLo, vaHi, type, el, false)) return false;
    tlb.insert(
      vaLo,
      vaHi,
      r.nG || (ctx & TlbCtx.S1) === 0 ? ctx : ctx | TlbCtx.GLOBAL,
      r.asid,
      vmid,
      r.paLo,
      r.paHi,
      r.ipaLo,
      r.ipaHi,
      r.perm,
    );
    return true;
  }

  /** Executes a TLBI of `kind` with operand Xt = (lo, hi) (VA[55:12] / IPA[47:12] in bits [43:0], ASID in [63:48]). */
  tlbi(kind: TlbiKind, xtLo: number, xtHi: number): void {
    const tlb = this.tlb;
    if (tlb === undefined) return;
    // page address from Xt[43:0] (VA bits 55:12): bits 63:56 of the VA come from bit 55 (sign) for TTBR1
    const pLo = (xtLo << 12) >>> 0;
    let pHi = ((xtLo >>> 20) | ((xtHi & 0xfff) << 12)) >>> 0;
    if (pHi & 0x00800000) pHi = (pHi | 0xff000000) >>> 0;
    const asid = xtHi >>> 16;
    const asid8 = this.walker.regs.tcrEl1Hi & (1 << 4) ? asid : asid & 0xff;
    const vmid = this.walker.vmid;
    switch (kind) {
      case TlbiKind.VMALLE1:
        tlb.flush(false, vmid, -1, false, 0, 0, 1, false, 0, 0);
        break;
      case TlbiKind.VAE1:
      case TlbiKind.VAAE1:
        // VAE1 drops the VA for every ASID, not just Xt's: invalidating more than asked is permitted
        tlb.flush(false, vmid, -1, true, pLo, pHi, 1, false, 0, 0);
        break;
      case TlbiKind.ASIDE1:
        tlb.flush(false, vmid, asid8, false, 0, 0, 1, false, 0, 0);
        break;
      case TlbiKind.IPAS2E1:
        // IPA[47:12] is Xt[35:0]; only stage-2-only entries: combined ones need a VMALLE1 too (as on hardware)
        tlb.flush(false, vmid, -1, false, 0, 0, 0, true, pLo, ((xtLo >>> 20) | ((xtHi & 0xf) << 12)) >>> 0);
        break;
      case TlbiKind.ALLE2:
        tlb.flush(true, -1, -1, false, 0, 0, -1, false, 0, 0);
        break;
      case TlbiKind.VAE2:
        tlb.flush(true, -1, -1, true, pLo, pHi, -1, false, 0, 0);
        break;
      case TlbiKind.ALLE1:
        tlb.flush(false, -1, -1, false, 0, 0, -1, false, 0, 0);
        break;
      case TlbiKind.VMALLS12E1:
        tlb.flush(false, vmid, -1, false, 0, 0, -1, false, 0, 0);
        break;
    }
  }

  /**
   * AT: translates VA (lo, hi) as a `write` (or read) at `el` (0, 1, 2), stage 1 only or both stages, and
   * forms PAR_EL1 in `parLo/parHi`: on success PA[47:12], SH, NS = 1, bit 11 (RES1) and the MAIR attribute
   * (QEMU's format: 0xFF00000040088B80); on a fault F = 1, FST, PTW, S (0x80F for a level-3 translation
   * fault). The TLB is not consulted.
   */
  at(vaLo: number, vaHi: number, write: boolean, el: number, stage1Only: boolean): AtResult {
    const r = this.r;
    const ok = this.walker.translate(vaLo, vaHi, write ? AccessType.WRITE : AccessType.READ, el, stage1Only);
    if (!ok) {
      if (r.stage === 2 && r.s1ptw && stage1Only) return AtResult.S2_ABORT;
      this.parLo =
        (1 | (r.fault << 1) | (r.s1ptw ? 1 << 8 : 0) | (r.stage === 2 ? 1 << 9 : 0) | (1 << 11)) >>> 0;
      this.parHi = 0;
      return AtResult.PAR;
    }
    let attr = 0;
    let sh = 2; // stage 1 off: Device-nGnRnE, outer shareable
    if (r.attrIndex >= 0) {
      const lo = el >= 2 ? this.mairEl2Lo : this.mairEl1Lo;
      const hi = el >= 2 ? this.mairEl2Hi : this.mairEl1Hi;
      attr = r.attrIndex < 4 ? (lo >>> (8 * r.attrIndex)) & 0xff : (hi >>> (8 * (r.attrIndex - 4))) & 0xff;
      sh = r.sh;
    }
    const paLo = stage1Only ? r.ipaLo : r.paLo;
    const paHi = stage1Only ? r.ipaHi : r.paHi;
    this.parLo = ((paLo & 0xfffff000) | (sh << 7) | (1 << 9) | (1 << 11)) >>> 0;
    this.parHi = ((paHi & 0xffff) | (attr << 24)) >>> 0;
    return AtResult.PAR;
  }
}
