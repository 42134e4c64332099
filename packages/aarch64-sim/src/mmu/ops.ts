// The SYS instructions of the MMU: TLB invalidation (CRn = 8) and address translation (CRn = 7, CRm = 8),
// one table with their encodings (op0 = 1) and the names objdump prints.

/** What a TLBI invalidates. */
export const TlbiKind = {
  /** all stage-1 EL1&0 entries of the current VMID */
  VMALLE1: 0,
  /** EL1&0 entries of one VA, for the ASID in Xt[63:48] (and global ones) */
  VAE1: 1,
  /** non-global EL1&0 entries of the ASID in Xt[63:48] */
  ASIDE1: 2,
  /** EL1&0 entries of one VA, any ASID */
  VAAE1: 3,
  /** stage-2-only entries of the IPA in Xt[35:0] << 12, current VMID */
  IPAS2E1: 4,
  /** all EL2 entries */
  ALLE2: 5,
  /** EL2 entries of one VA */
  VAE2: 6,
  /** all EL1&0 entries of every VMID */
  ALLE1: 7,
  /** all EL1&0 entries (stage 1 and 2) of the current VMID */
  VMALLS12E1: 8,
} as const;
export type TlbiKind = (typeof TlbiKind)[keyof typeof TlbiKind];

/** Address translation instructions: which regime/EL, access and stages. */
export interface AtOp {
  readonly el: number;
  readonly write: boolean;
  readonly stage1Only: boolean;
}

export interface SysOpDef {
  readonly name: string;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
  readonly tlbi?: TlbiKind;
  readonly at?: AtOp;
}

const R = false;
const W = true;

// The "last level" (VALE1 ...) and inner-shareable (...IS) forms invalidate the same entries here: one CPU
// and a TLB that holds leaf entries only.
// biome-ignore format: one row per instruction reads best as a table
export const SYS_OPS = [
  { name: "tlbi vmalle1is", op1: 0, crn: 8, crm: 3, op2: 0, tlbi: TlbiKind.VMALLE1 },
  { name: "tlbi vae1is", op1: 0, crn: 8, crm: 3, op2: 1, tlbi: TlbiKind.VAE1 },
  { name: "tlbi aside1is", op1: 0, crn: 8, crm: 3, op2: 2, tlbi: TlbiKind.ASIDE1 },
  { name: "tlbi vaae1is", op1: 0, crn: 8, crm: 3, op2: 3, tlbi: TlbiKind.VAAE1 },
  { name: "tlbi vale1is", op1: 0, crn: 8, crm: 3, op2: 5, tlbi: TlbiKind.VAE1 },
  { name: "tlbi vaale1is", op1: 0, crn: 8, crm: 3, op2: 7, tlbi: TlbiKind.VAAE1 },
  { name: "tlbi vmalle1", op1: 0, crn: 8, crm: 7, op2: 0, tlbi: TlbiKind.VMALLE1 },
  { name: "tlbi vae1", op1: 0, crn: 8, crm: 7, op2: 1, tlbi: TlbiKind.VAE1 },
  { name: "tlbi aside1", op1: 0, crn: 8, crm: 7, op2: 2, tlbi: TlbiKind.ASIDE1 },
  { name: "tlbi vaae1", op1: 0, crn: 8, crm: 7, op2: 3, tlbi: TlbiKind.VAAE1 },
  { name: "tlbi vale1", op1: 0, crn: 8, crm: 7, op2: 5, tlbi: TlbiKind.VAE1 },
  { name: "tlbi vaale1", op1: 0, crn: 8, crm: 7, op2: 7, tlbi: TlbiKind.VAAE1 },
  { name: "tlbi ipas2e1is", op1: 4, crn: 8, crm: 0, op2: 1, tlbi: TlbiKind.IPAS2E1 },
  { name: "tlbi ipas2le1is", op1: 4, crn: 8, crm: 0, op2: 5, tlbi: TlbiKind.IPAS2E1 },
  { name: "tlbi alle2is", op1: 4, crn: 8, crm: 3, op2: 0, tlbi: TlbiKind.ALLE2 },
  { name: "tlbi vae2is", op1: 4, crn: 8, crm: 3, op2: 1, tlbi: TlbiKind.VAE2 },
  { name: "tlbi alle1is", op1: 4, crn: 8, crm: 3, op2: 4, tlbi: TlbiKind.ALLE1 },
  { name: "tlbi vale2is", op1: 4, crn: 8, crm: 3, op2: 5, tlbi: TlbiKind.VAE2 },
  { name: "tlbi vmalls12e1is", op1: 4, crn: 8, crm: 3, op2: 6, tlbi: TlbiKind.VMALLS12E1 },
  { name: "tlbi ipas2e1", op1: 4, crn: 8, crm: 4, op2: 1, tlbi: TlbiKind.IPAS2E1 },
  { name: "tlbi ipas2le1", op1: 4, crn: 8, crm: 4, op2: 5, tlbi: TlbiKind.IPAS2E1 },
  { name: "tlbi alle2", op1: 4, crn: 8, crm: 7, op2: 0, tlbi: TlbiKind.ALLE2 },
  { name: "tlbi vae2", op1: 4, crn: 8, crm: 7, op2: 1, tlbi: TlbiKind.VAE2 },
  { name: "tlbi alle1", op1: 4, crn: 8, crm: 7, op2: 4, tlbi: TlbiKind.ALLE1 },
  { name: "tlbi vale2", op1: 4, crn: 8, crm: 7, op2: 5, tlbi: TlbiKind.VAE2 },
  { name: "tlbi vmalls12e1", op1: 4, crn: 8, crm: 7, op2: 6, tlbi: TlbiKind.VMALLS12E1 },
  { name: "at s1e1r", op1: 0, crn: 7, crm: 8, op2: 0, at: { el: 1, write: R, stage1Only: true } },
  { name: "at s1e1w", op1: 0, crn: 7, crm: 8, op2: 1, at: { el: 1, write: W, stage1Only: true } },
  { name: "at s1e0r", op1: 0, crn: 7, crm: 8, op2: 2, at: { el: 0, write: R, stage1Only: true } },
  { name: "at s1e0w", op1: 0, crn: 7, crm: 8, op2: 3, at: { el: 0, write: W, stage1Only: true } },
  { name: "at s1e2r", op1: 4, crn: 7, crm: 8, op2: 0, at: { el: 2, write: R, stage1Only: true } },
  { name: "at s1e2w", op1: 4, crn: 7, crm: 8, op2: 1, at: { el: 2, write: W, stage1Only: true } },
  { name: "at s12e1r", op1: 4, crn: 7, crm: 8, op2: 4, at: { el: 1, write: R, stage1Only: false } },
  { name: "at s12e1w", op1: 4, crn: 7, crm: 8, op2: 5, at: { el: 1, write: W, stage1Only: false } },
  { name: "at s12e0r", op1: 4, crn: 7, crm: 8, op2: 6, at: { el: 0, write: R, stage1Only: false } },
  { name: "at s12e0w", op1: 4, crn: 7, crm: 8, op2: 7, at: { el: 0, write: W, stage1Only: false } },
] as const satisfies readonly SysOpDef[];

const KEY = (op1: number, crn: number, crm: number, op2: number) =>
  (op1 << 11) | (crn << 7) | (crm << 3) | op2;
const INDEX = new Map<number, number>(SYS_OPS.map((o, i) => [KEY(o.op1, o.crn, o.crm, o.op2), i]));

/** Index into `SYS_OPS` of the SYS instruction with these fields (op0 = 1), or -1. */
export function sysOpIndex(op1: number, crn: number, crm: number, op2: number): number {
  return INDEX.get(KEY(op1 & 7, crn & 15, crm & 15, op2 & 7)) ?? -1;
}

/** Index into `SYS_OPS` of a SYS instruction word (`0xD508xxxx`), or -1. */
export function sysOpIndexOfWord(word: number): number {
  if ((word & 0xfff80000) >>> 0 !== 0xd5080000) return -1;
  return sysOpIndex((word >>> 16) & 7, (word >>> 12) & 15, (word >>> 8) & 15, (word >>> 5) & 7);
}

// the operations that take no register operand (objdump prints them without one when Rt = 31)
const NO_OPERAND: ReadonlySet<number> = new Set([
  TlbiKind.VMALLE1,
  TlbiKind.ALLE2,
  TlbiKind.ALLE1,
  TlbiKind.VMALLS12E1,
]);

/** The instruction word of a SYS_OPS entry: Rt = x0, or xzr for the forms without an operand. */
export function sysOpWord(o: SysOpDef): number {
  const rt = o.tlbi !== undefined && NO_OPERAND.has(o.tlbi) ? 31 : 0;
  return (0xd5080000 | (o.op1 << 16) | (o.crn << 12) | (o.crm << 8) | (o.op2 << 5) | rt) >>> 0;
}
