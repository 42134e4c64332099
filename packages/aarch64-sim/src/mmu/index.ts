// The MMU: a translation table walker (4 KiB granule; stage 1 of the EL1&0 and EL2 regimes, stage 2, and
// stage-1 walks through stage 2), a TLB tagged by regime/VMID/ASID, TLBI and AT with PAR_EL1.
//
// How the core uses it:
//   const mmu = new Mmu(physMem, { tlbEntries: 1024 });   // physMem: { read64(lo, hi): boolean; lo; hi }
//   mmu.syncFromSysregs(sysregs);                         // after any MSR whose table effect is Effect.MMU
//   if (!mmu.translate(vaLo, vaHi, AccessType.READ, el)) {   // el = permission EL (LDTR: 0)
//     const r = mmu.r;   // r.fault = FSC, r.stage 1/2, r.s1ptw, r.ipaLo/ipaHi (HPFAR for stage 2), r.level
//     // stage 2 → EL2 (esrDataAbort(lower, r.fault, S1PTW/WNR flags, ISV bits)); stage 1 → EL1 (or EL2 at EL2)
//   } else use mmu.r.paLo / mmu.r.paHi
//   SYS instructions: i = sysOpIndexOfWord(word); SYS_OPS[i].tlbi → mmu.tlbi(kind, xtLo, xtHi);
//     SYS_OPS[i].at → mmu.at(vaLo, vaHi, write, el, stage1Only) then PAR_EL1 = mmu.parLo/parHi
//     (AtResult.S2_ABORT: take the stage-2 abort instead).
// A translation on a TLB hit costs a hash and five compares; a miss walks with no allocation.
export { bitsAbove, DescHi, DescLo, onesAbove, PA_BITS, Tcr } from "./bits.ts";
export { AtResult, Mmu, type MmuOptions } from "./mmu.ts";
export {
  type AtOp,
  SYS_OPS,
  type SysOpDef,
  sysOpIndex,
  sysOpIndexOfWord,
  sysOpWord,
  TlbiKind,
} from "./ops.ts";
export { AccessType, Perm, permBit, TranslateResult, WALK_EXTERNAL } from "./result.ts";
export { Tlb, TlbCtx } from "./tlb.ts";
export { MmuRegs, type PhysMemory, Walker, type WalkerOptions } from "./walk.ts";
