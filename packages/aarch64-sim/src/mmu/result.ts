// The preallocated result of a translation: the physical address on success, or a fault the core turns into
// an abort (ESR from ../exception, FAR = the virtual address, HPFAR from `ipaLo/ipaHi` for stage-2 faults).
import { FaultKind, FaultStatus } from "../exception/fsc.ts";

/** Kind of access being translated. */
export const AccessType = { READ: 0, WRITE: 1, FETCH: 2 } as const;
export type AccessType = (typeof AccessType)[keyof typeof AccessType];

/** Permission bits a translation grants: 3 access types at EL1/EL2 (privileged), then at EL0. */
export const Perm = {
  R1: 1 << 0,
  W1: 1 << 1,
  X1: 1 << 2,
  R0: 1 << 3,
  W0: 1 << 4,
  X0: 1 << 5,
  ALL: 63,
} as const;

/** The permission bit an access of `type` at `el` needs. */
export function permBit(type: AccessType, el: number): number {
  return 1 << (type + (el === 0 ? 3 : 0));
}

/** Fault status code of a synchronous external abort on a table walk at `level` (0x14-0x17). */
export const WALK_EXTERNAL = 0x14;

export class TranslateResult {
  /** physical address (valid when `fault` is 0) */
  paLo = 0;
  paHi = 0;
  /** 0 on success; else the FSC as ESR reports it (level included) */
  fault = 0;
  /** FaultKind of the fault (ADDRESS_SIZE/TRANSLATION/ACCESS_FLAG/PERMISSION) or a FaultStatus/WALK_EXTERNAL */
  kind = 0;
  /** level the walk stopped at (0-3) */
  level = 0;
  /** 1 or 2: which stage faulted */
  stage = 1;
  /** the stage-2 fault happened on a stage-1 table walk (ESR.S1PTW) */
  s1ptw = false;
  /** intermediate physical address (stage 2 in use): the faulting IPA for HPFAR, or the IPA of the output */
  ipaLo = 0;
  ipaHi = 0;
  /** permissions the mapping grants (`Perm` bits, both stages combined) */
  perm = 0;
  /** stage 1: MAIR index (AttrIndx); -1 when stage 1 is off */
  attrIndex = -1;
  /** stage 1 shareability SH[1:0] */
  sh = 0;
  /** stage 2 MemAttr[3:0]; -1 without stage 2 */
  s2MemAttr = -1;
  /** stage-1 leaf is not global (nG) */
  nG = false;
  /** ASID the translation was made with (EL1&0 regime, stage 1 on) */
  asid = 0;

  setFault(kind: number, level: number, stage: number): false {
    this.kind = kind;
    this.level = level;
    this.stage = stage;
    this.fault = kind <= FaultKind.PERMISSION || kind === WALK_EXTERNAL ? kind | level : kind;
    return false;
  }
}

export { FaultKind, FaultStatus };
