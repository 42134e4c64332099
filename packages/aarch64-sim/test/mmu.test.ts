import { test } from "uvu";
import * as assert from "uvu/assert";
import { FaultKind, fsc } from "../src/exception/index.ts";
import { AccessType, Mmu, type PhysMemory, TlbiKind, WALK_EXTERNAL } from "../src/mmu/index.ts";
import { SysregFile } from "../src/sysreg/index.ts";

const { READ, WRITE, FETCH } = AccessType;
const T = FaultKind.TRANSLATION;
const AFK = FaultKind.ACCESS_FLAG;
const P = FaultKind.PERMISSION;

/** RAM at 0x40000000 (16 MiB by default; a RegionMemory-like byte array); reads elsewhere fail. */
class Ram implements PhysMemory {
  lo = 0;
  hi = 0;
  readonly base = 0x40000000;
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  constructor(size = 16 << 20) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }
  read64(lo: number, hi: number): boolean {
    const off = (lo >>> 0) - this.base;
    if (hi !== 0 || off < 0 || off + 8 > this.bytes.length) return false;
    this.lo = this.dv.getUint32(off, true);
    this.hi = this.dv.getUint32(off + 4, true);
    return true;
  }
  set(addr: bigint, v: bigint): void {
    this.dv.setBigUint64(Number(addr) - this.base, BigInt.asUintN(64, v), true);
  }
  get(addr: bigint): bigint {
    return this.dv.getBigUint64(Number(addr) - this.base, true);
  }
}

const AF = 1n << 10n;
const TABLE = 3n;
const BLOCK = 1n;
const PAGE = 3n;
const RO = 2n << 6n;
const EL0 = 1n << 6n;
const PXN = 1n << 53n;
const UXN = 1n << 54n;
const T_L0 = 0x40100000n;
const T_L1 = 0x40101000n;
const T_L2 = 0x40102000n;
const T_L3 = 0x40103000n;
const lo32 = (v: bigint) => Number(v & 0xffffffffn) | 0;
const hi32 = (v: bigint) => Number(v >> 32n) | 0;

// TCR_EL1: T0SZ, TG0 4K, T1SZ=25 + TG1 4K, IPS 40 bits
const tcr = (t0sz: bigint, extra = 0n) => t0sz | (25n << 16n) | (2n << 30n) | (2n << 32n) | extra;

/**
 * A 4-level map from TTBR0 (T0SZ=16): VA 0 → L0[0] → L1 with: [0] 1 GiB device block at PA 0,
 * [1] table → L2: [0] table → L3 (pages 0x40000000.. with page 1 invalid), [1] 2 MiB block 0x40200000.
 */
function machine(opts: { tlb?: number; t0sz?: bigint } = {}) {
  const ram = new Ram();
  const f = new SysregFile();
  const t0sz = opts.t0sz ?? 16n;
  ram.set(T_L0, T_L1 | TABLE);
  ram.set(T_L1, 0n | AF | BLOCK);
  ram.set(T_L1 + 8n, T_L2 | TABLE);
  ram.set(T_L2, T_L3 | TABLE);
  ram.set(T_L2 + 8n, 0x40200000n | AF | BLOCK);
  for (let i = 0n; i < 512n; i++) ram.set(T_L3 + i * 8n, (0x40000000n + (i << 12n)) | AF | PAGE);
  ram.set(T_L3 + 8n, 0n);
  f.put("tcr_el1", tcr(t0sz));
  f.put("ttbr0_el1", t0sz === 16n ? T_L0 : T_L1);
  f.put("sctlr_el1", 0x30d00801n);
  const mmu = new Mmu(ram, { tlbEntries: opts.tlb ?? 0 });
  mmu.syncFromSysregs(f);
  const tr = (va: bigint, type: AccessType = READ, el = 1) => mmu.translate(lo32(va), hi32(va), type, el);
  const pa = () => (BigInt(mmu.r.paHi >>> 0) << 32n) | BigInt(mmu.r.paLo >>> 0);
  return { ram, f, mmu, tr, pa };
}

test("stage 1, 4 levels from TTBR0: 1 GiB, 2 MiB and 4 KiB mappings", () => {
  const { tr, pa, mmu } = machine();
  assert.ok(tr(0x09000018n));
  assert.is(pa(), 0x09000018n);
  assert.is(mmu.r.level, 0, "no fault");
  assert.ok(tr(0x4020abcdn));
  assert.is(pa(), 0x4020abcdn);
  assert.ok(tr(0x40000123n));
  assert.is(pa(), 0x40000123n);
  assert.ok(tr(0x40002ff8n, WRITE));
  assert.is(pa(), 0x40002ff8n);
});

test("stage 1 starting at level 1 (T0SZ=25, 39-bit VA)", () => {
  const { tr, pa } = machine({ t0sz: 25n });
  assert.ok(tr(0x4020abcdn));
  assert.is(pa(), 0x4020abcdn);
  assert.not.ok(tr(0x80_0000_0000n), "VA beyond 2^39");
});

test("stage 1 faults carry kind and level", () => {
  const { tr, ram, mmu } = machine();
  const fault = () => mmu.r.fault;
  assert.not.ok(tr(0x1_0000_0000_00n)); // L0[2] invalid... index of 0x100_0000_0000 is 2
  assert.is(fault(), fsc(T, 0));
  assert.not.ok(tr(0x80000000n)); // L1[2] invalid
  assert.is(fault(), fsc(T, 1));
  assert.not.ok(tr(0x40400000n)); // L2[2] invalid
  assert.is(fault(), fsc(T, 2));
  assert.not.ok(tr(0x40001000n)); // L3[1] invalid
  assert.is(fault(), fsc(T, 3));
  assert.is(mmu.r.stage, 1);
  // access flag at each leaf level
  ram.set(T_L1, 0n | BLOCK);
  ram.set(T_L2 + 8n, 0x40200000n | BLOCK);
  ram.set(T_L3 + 16n, 0x40002000n | PAGE);
  assert.not.ok(tr(0x1000n));
  assert.is(fault(), fsc(AFK, 1));
  assert.not.ok(tr(0x40200000n));
  assert.is(fault(), fsc(AFK, 2));
  assert.not.ok(tr(0x40002000n));
  assert.is(fault(), fsc(AFK, 3));
  // permission at each leaf level
  ram.set(T_L1, 0n | AF | RO | BLOCK);
  ram.set(T_L2 + 8n, 0x40200000n | AF | RO | BLOCK);
  ram.set(T_L3 + 16n, 0x40002000n | AF | RO | PAGE);
  for (const [va, lvl] of [
    [0x1000n, 1],
    [0x40200000n, 2],
    [0x40002000n, 3],
  ] as const) {
    assert.ok(tr(va, READ));
    assert.not.ok(tr(va, WRITE));
    assert.is(fault(), fsc(P, lvl));
  }
  // a block at level 0 and the reserved encoding at level 3 are translation faults
  ram.set(T_L0 + 8n, 0x80_0000_0000n | AF | BLOCK);
  assert.not.ok(tr(0x80_0000_0000n));
  assert.is(fault(), fsc(T, 0));
  ram.set(T_L3 + 24n, 0x40003000n | AF | BLOCK);
  assert.not.ok(tr(0x40003000n));
  assert.is(fault(), fsc(T, 3));
});

test("address size faults: output beyond TCR.IPS, descriptor bits [51:48], unreadable tables", () => {
  const { tr, ram, mmu, f } = machine();
  ram.set(T_L1 + 16n, 0x100_0000_0000n | AF | BLOCK); // 2^40 with IPS = 40 bits
  assert.not.ok(tr(0x80000000n));
  assert.is(mmu.r.fault, fsc(FaultKind.ADDRESS_SIZE, 1));
  ram.set(T_L1 + 16n, (1n << 48n) | 0x80000000n | AF | BLOCK);
  assert.not.ok(tr(0x80000000n));
  assert.is(mmu.r.fault, fsc(FaultKind.ADDRESS_SIZE, 1));
  ram.set(T_L1 + 24n, 0x7000_0000n | TABLE); // next table outside RAM: external abort on the walk
  assert.not.ok(tr(0xc0000000n));
  assert.is(mmu.r.fault, WALK_EXTERNAL | 2);
  f.put("tcr_el1", tcr(16n, 1n << 7n)); // EPD0
  mmu.syncFromSysregs(f);
  assert.not.ok(tr(0x1000n));
  assert.is(mmu.r.fault, fsc(T, 0));
});

test("EL0 vs EL1 permissions, PXN/UXN, EL0-writable is PXN, WXN, hierarchical table attributes", () => {
  const { tr, ram, mmu, f } = machine();
  const va = 0x40004000n;
  const set = (d: bigint) => ram.set(T_L3 + 32n, 0x40004000n | AF | PAGE | d);
  set(0n);
  assert.ok(tr(va, READ, 1));
  assert.not.ok(tr(va, READ, 0), "AP[1]=0: no EL0 access");
  assert.is(mmu.r.fault, fsc(P, 3));
  set(EL0 | RO);
  assert.ok(tr(va, READ, 0));
  assert.not.ok(tr(va, WRITE, 0));
  assert.ok(tr(va, FETCH, 0));
  assert.ok(tr(va, FETCH, 1));
  set(EL0 | RO | UXN);
  assert.not.ok(tr(va, FETCH, 0));
  assert.ok(tr(va, FETCH, 1));
  set(EL0 | RO | PXN);
  assert.ok(tr(va, FETCH, 0));
  assert.not.ok(tr(va, FETCH, 1));
  set(EL0);
  assert.ok(tr(va, WRITE, 0));
  assert.not.ok(tr(va, FETCH, 1), "EL0-writable memory is never executable at EL1");
  set(0n);
  f.put("sctlr_el1", 0x30d00801n | (1n << 19n)); // WXN
  mmu.syncFromSysregs(f);
  assert.not.ok(tr(va, FETCH, 1));
  set(RO);
  assert.ok(tr(va, FETCH, 1));
  f.put("sctlr_el1", 0x30d00801n);
  mmu.syncFromSysregs(f);
  set(EL0);
  // APTable[1] (bit 62) on the L2 table descriptor: everything below is read-only
  ram.set(T_L1 + 8n, T_L2 | TABLE | (1n << 62n));
  assert.not.ok(tr(va, WRITE, 1));
  assert.is(mmu.r.fault, fsc(P, 3));
  // APTable[0] (61): no EL0; UXNTable (60); PXNTable (59)
  ram.set(T_L1 + 8n, T_L2 | TABLE | (1n << 61n));
  assert.not.ok(tr(va, READ, 0));
  assert.ok(tr(va, READ, 1));
  set(EL0 | RO);
  ram.set(T_L1 + 8n, T_L2 | TABLE | (1n << 60n));
  assert.not.ok(tr(va, FETCH, 0));
  ram.set(T_L1 + 8n, T_L2 | TABLE | (1n << 59n));
  assert.not.ok(tr(va, FETCH, 1));
  assert.ok(tr(va, FETCH, 0));
});

test("TTBR1 half: T1SZ, bit 55 selection, TBI, the gap between the halves", () => {
  const { tr, pa, ram, mmu, f } = machine();
  const hiL1 = 0x40104000n;
  ram.set(hiL1 + 1n * 8n, 0x40000000n | AF | BLOCK);
  f.put("ttbr1_el1", hiL1 | (5n << 48n));
  mmu.syncFromSysregs(f);
  const va = 0xffffff80_40001234n; // T1SZ=25: L1 index 1
  assert.ok(tr(va));
  assert.is(pa(), 0x40001234n);
  assert.not.ok(tr(0xfffff000_40001234n), "below the TTBR1 range");
  assert.is(mmu.r.fault, fsc(T, 0));
  assert.not.ok(tr(0x12ffff80_40001234n), "top byte not ignored without TBI1");
  f.put("tcr_el1", tcr(16n, 1n << 38n)); // TBI1
  mmu.syncFromSysregs(f);
  assert.ok(tr(0x12ffff80_40001234n));
  assert.is(pa(), 0x40001234n);
  assert.is(mmu.r.asid, 0, "A1=0: ASID from TTBR0");
  f.put("tcr_el1", tcr(16n, (1n << 38n) | (1n << 22n)));
  mmu.syncFromSysregs(f);
  assert.ok(tr(va));
  assert.is(mmu.r.asid, 5);
  assert.not.ok(tr(0x0001_0000_0000_0000n), "TTBR0 half beyond 2^48");
});

test("MMU off: flat, 48-bit limit", () => {
  const { tr, pa, mmu, f } = machine();
  f.put("sctlr_el1", 0x30d00800n);
  mmu.syncFromSysregs(f);
  assert.ok(tr(0x1234_5678_9abcn, FETCH));
  assert.is(pa(), 0x1234_5678_9abcn);
  assert.not.ok(tr(0x1_0000_0000_0000n));
  assert.is(mmu.r.fault, fsc(FaultKind.ADDRESS_SIZE, 0));
});

test("HCR_EL2.TGE makes the EL1&0 regime flat; HCR_EL2.DC turns stage 1 off but keeps stage 2", () => {
  const { tr, pa, mmu, f, ram } = machine({ tlb: 64 });
  assert.ok(tr(0x40004000n));
  f.put("hcr_el2", 1n << 27n);
  mmu.syncFromSysregs(f);
  assert.ok(tr(0x7000_0000n, READ, 0), "flat: no stage-1 fault at EL0");
  assert.is(pa(), 0x7000_0000n);
  // DC with stage 2: a one-block stage 2 at IPA 1 GiB shows the IPA went through it
  const s2 = 0x40160000n;
  ram.set(s2 + 8n, 0x80000000n | AF | (3n << 6n) | BLOCK);
  f.put("vtcr_el2", 0x80000000n | 32n | (1n << 6n));
  f.put("vttbr_el2", s2);
  f.put("hcr_el2", (1n << 12n) | 1n);
  mmu.syncFromSysregs(f);
  assert.ok(tr(0x40000010n, READ, 1));
  assert.is(pa(), 0x80000010n);
  assert.not.ok(tr(0x10n, READ, 1));
  assert.is(mmu.r.stage, 2);
});

test("EL2 regime: TTBR0_EL2, AP[2], XN, EL1 tables ignored", () => {
  const { mmu, f, ram } = machine();
  const l1 = 0x40105000n;
  ram.set(l1, 0n | AF | BLOCK | UXN); // device, XN
  ram.set(l1 + 8n, 0x40000000n | AF | BLOCK | RO);
  f.put("ttbr0_el2", l1);
  f.put("tcr_el2", 32n | (2n << 16n)); // T0SZ=32, PS 40 bits
  f.put("sctlr_el2", 0x30c50839n);
  mmu.syncFromSysregs(f);
  assert.ok(mmu.translate(0x40001000, 0, FETCH, 2));
  assert.not.ok(mmu.translate(0x40001000, 0, WRITE, 2));
  assert.is(mmu.r.fault, fsc(P, 1));
  assert.not.ok(mmu.translate(0x09000000, 0, FETCH, 2));
  assert.is(mmu.r.fault, fsc(P, 1));
  assert.ok(mmu.translate(0x09000000, 0, WRITE, 2));
  assert.not.ok(mmu.translate(0, 1, READ, 2), "VA beyond 2^32");
  assert.is(mmu.r.fault, fsc(T, 0));
});

/** Stage 2 only (guest MMU off): VTCR T0SZ/SL0 variants, concatenated tables, S2AP, XN/XNX. */
function stage2(vtcr: bigint, vttbr: bigint, opts: { xnx?: boolean; tlb?: number } = {}) {
  const ram = new Ram();
  const f = new SysregFile();
  f.put("vtcr_el2", vtcr);
  f.put("vttbr_el2", vttbr);
  f.put("hcr_el2", (1n << 31n) | 1n);
  const mmu = new Mmu(ram, { tlbEntries: opts.tlb ?? 0, xnx: opts.xnx ?? false });
  mmu.syncFromSysregs(f);
  return { ram, f, mmu };
}

test("stage 2: KVM's 40-bit IPA with two concatenated level-1 tables (T0SZ=24, SL0=1)", () => {
  const base = 0x40110000n; // 8 KiB aligned
  const { ram, mmu } = stage2(0x80000000n | 24n | (1n << 6n) | (2n << 16n), base | (7n << 48n));
  ram.set(base + 511n * 8n, 0x40000000n | AF | (3n << 6n) | BLOCK); // IPA 0x7fc0000000
  ram.set(base + 512n * 8n, 0x40000000n | AF | (1n << 6n) | BLOCK); // IPA 0x8000000000 (2nd table)
  assert.ok(mmu.translate(0xc0001234 | 0, 0x7f, READ, 1));
  assert.is(mmu.r.paLo >>> 0, 0x40001234);
  assert.ok(mmu.translate(0x5678, 0x80, READ, 1));
  assert.is(mmu.r.paLo >>> 0, 0x40005678);
  assert.not.ok(mmu.translate(0x5678, 0x80, WRITE, 1));
  assert.is(mmu.r.fault, fsc(P, 1));
  assert.is(mmu.r.stage, 2);
  assert.is(mmu.r.ipaHi, 0x80);
  assert.not.ok(mmu.translate(0, 0x100, READ, 1), "IPA beyond 2^40");
  assert.is(mmu.r.stage, 2);
  assert.is(mmu.walker.vmid, 7);
});

test("stage 2: start level 2 (SL0=0), S2AP none/RO/WO/RW, AF, pages", () => {
  const l2 = 0x40120000n;
  const l3 = 0x40121000n;
  const { ram, mmu } = stage2(0x80000000n | 34n, l2); // 30-bit IPA, 1 GiB, start level 2
  ram.set(l2, l3 | TABLE);
  const pg = (i: bigint, ap: bigint, extra = AF) =>
    ram.set(l3 + i * 8n, (0x40000000n + (i << 12n)) | extra | (ap << 6n) | PAGE);
  pg(0n, 0n);
  pg(1n, 1n);
  pg(2n, 2n);
  pg(3n, 3n);
  pg(4n, 3n, 0n);
  const ok = (ipa: number, t: AccessType) => mmu.translate(ipa, 0, t, 1);
  assert.not.ok(ok(0x0000, READ));
  assert.is(mmu.r.fault, fsc(P, 3));
  assert.ok(ok(0x1000, READ));
  assert.not.ok(ok(0x1000, WRITE));
  assert.not.ok(ok(0x2000, READ));
  assert.ok(ok(0x2000, WRITE));
  assert.ok(ok(0x3008, WRITE));
  assert.is(mmu.r.paLo >>> 0, 0x40003008);
  assert.not.ok(ok(0x4000, READ));
  assert.is(mmu.r.fault, fsc(AFK, 3));
  assert.not.ok(ok(0x5000, READ));
  assert.is(mmu.r.fault, fsc(T, 3));
  assert.not.ok(ok(0x200000, READ));
  assert.is(mmu.r.fault, fsc(T, 2));
  assert.not.ok(ok(0x40000000, READ), "IPA beyond 2^30");
});

test("stage 2 XN[54:53]: without FEAT_XNX bit 53 is ignored; with it, the notes' table", () => {
  const l1 = 0x40130000n;
  // [xn bits, EL1 exec without XNX, EL1 exec with XNX, EL0 exec with XNX]
  const rows: [bigint, boolean, boolean, boolean][] = [
    [0b00n, true, true, true],
    [0b01n, true, false, true],
    [0b10n, false, false, false],
    [0b11n, false, true, false],
  ];
  for (const xnx of [false, true]) {
    const { ram, mmu } = stage2(0x80000000n | 32n | (1n << 6n), l1, { xnx });
    for (const [xn, el1, el1x, el0x] of rows) {
      ram.set(l1 + 8n, 0x40000000n | AF | (3n << 6n) | BLOCK | (xn << 53n));
      const tag = `XN=${xn.toString(2)} xnx=${xnx}`;
      assert.is(mmu.translate(0x40000000, 0, FETCH, 1), xnx ? el1x : el1, tag);
      if (xnx) assert.is(mmu.translate(0x40000000, 0, FETCH, 0), el0x, tag);
      if (!mmu.translate(0x40000000, 0, FETCH, 1)) assert.is(mmu.r.fault, fsc(P, 1));
    }
  }
});

test("stage 2: misprogrammed VTCR (SL0=3, 64K granule, too many concatenated tables) faults, never throws", () => {
  for (const vtcr of [32n | (3n << 6n), 32n | (1n << 14n), 16n | (1n << 6n)]) {
    const { mmu } = stage2(0x80000000n | vtcr, 0x40140000n);
    assert.not.ok(mmu.translate(0x1000, 0, READ, 1));
    assert.is(mmu.r.stage, 2);
    assert.is(mmu.r.fault, fsc(T, 0));
  }
});

test("TLB: stale after a table change until the right TLBI", () => {
  const { tr, pa, ram, mmu } = machine({ tlb: 64 });
  const tlb = mmu.tlb;
  assert.ok(tlb);
  assert.ok(tr(0x40004000n));
  assert.ok(tr(0x40004008n));
  assert.is(tlb?.hits, 1);
  ram.set(T_L3 + 32n, 0x40009000n | AF | PAGE); // remap without TLBI
  assert.ok(tr(0x40004010n));
  assert.is(pa(), 0x40004010n, "stale translation, as on hardware");
  mmu.tlbi(TlbiKind.VAE1, 0x40004, 0);
  assert.ok(tr(0x40004010n));
  assert.is(pa(), 0x40009010n);
  ram.set(T_L3 + 32n, 0n);
  assert.ok(tr(0x40004010n), "still cached");
  mmu.tlbi(TlbiKind.VMALLE1, 0, 0);
  assert.not.ok(tr(0x40004010n));
  // a TLB hit without the permission re-walks and reports the exact fault
  ram.set(T_L3 + 40n, 0x40005000n | AF | PAGE | RO);
  assert.ok(tr(0x40005000n));
  assert.not.ok(tr(0x40005000n, WRITE));
  assert.is(mmu.r.fault, fsc(P, 3));
});

test("TLB: ASIDs, global entries, ASIDE1, ALLE2, VMIDs, IPAS2E1 vs VMALLS12E1", () => {
  const { tr, pa, ram, mmu, f } = machine({ tlb: 64 });
  const ng = 1n << 11n;
  ram.set(T_L3 + 32n, 0x40004000n | AF | PAGE | ng); // non-global
  ram.set(T_L3 + 40n, 0x40005000n | AF | PAGE); // global
  f.put("ttbr0_el1", T_L0 | (1n << 48n));
  mmu.syncFromSysregs(f);
  assert.ok(tr(0x40004000n));
  assert.ok(tr(0x40005000n));
  ram.set(T_L3 + 32n, 0x40008000n | AF | PAGE | ng);
  ram.set(T_L3 + 40n, 0x40009000n | AF | PAGE);
  f.put("ttbr0_el1", T_L0 | (2n << 48n)); // ASID 2: the ASID-1 entry must not be used
  mmu.syncFromSysregs(f);
  assert.ok(tr(0x40004000n));
  assert.is(pa(), 0x40008000n);
  assert.ok(tr(0x40005000n));
  assert.is(pa(), 0x40005000n, "global entry matches any ASID");
  mmu.tlbi(TlbiKind.ASIDE1, 0, 2 << 16);
  assert.ok(tr(0x40005000n));
  assert.is(pa(), 0x40005000n, "ASIDE1 keeps global entries");
  mmu.tlbi(TlbiKind.VAAE1, 0x40005, 0);
  assert.ok(tr(0x40005000n));
  assert.is(pa(), 0x40009000n);
  mmu.tlbi(TlbiKind.ALLE2, 0, 0);
  assert.ok(tr(0x40005000n));
  assert.is(mmu.tlb?.hits, 3, "ALLE2 leaves EL1&0 entries");
  mmu.tlbi(TlbiKind.ALLE1, 0, 0);
  const misses = mmu.tlb?.misses ?? 0;
  assert.ok(tr(0x40004000n));
  assert.is(mmu.tlb?.misses, misses + 1);

  // stage-2-only entries (guest MMU off): IPAS2E1 drops them; combined entries need VMALLS12E1
  const s2 = stage2(0x80000000n | 32n | (1n << 6n), 0x40150000n | (1n << 48n), { tlb: 64 });
  s2.ram.set(0x40150000n + 8n, 0x40000000n | AF | (3n << 6n) | BLOCK);
  assert.ok(s2.mmu.translate(0x40001000, 0, READ, 1));
  s2.ram.set(0x40150000n + 8n, 0x40000000n | AF | (1n << 6n) | BLOCK);
  assert.ok(s2.mmu.translate(0x40001000, 0, WRITE, 1), "stale stage-2 entry");
  s2.mmu.tlbi(TlbiKind.IPAS2E1, 0x40001, 0);
  assert.not.ok(s2.mmu.translate(0x40001000, 0, WRITE, 1));
  assert.ok(s2.mmu.translate(0x40001000, 0, READ, 1));
  // another VMID does not see VMID 1's entries
  s2.f.put("vttbr_el2", 0x40150000n | (2n << 48n));
  s2.mmu.syncFromSysregs(s2.f);
  const m2 = s2.mmu.tlb?.misses ?? 0;
  assert.ok(s2.mmu.translate(0x40001000, 0, READ, 1));
  assert.is(s2.mmu.tlb?.misses, m2 + 1);
  s2.mmu.tlbi(TlbiKind.VMALLS12E1, 0, 0);
});

// Seeded, bounded fuzz: random descriptors and registers never make the walker throw or return an
// impossible result, and the TLB never changes an answer while tables stay put.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

test("fuzz: random tables and controls; TLB and no-TLB agree", () => {
  const iters = Number(process.env.AXEBPF_FUZZ_ITERS ?? 300);
  const rnd = mulberry32(0x5eed);
  for (let it = 0; it < iters; it++) {
    const ram = new Ram(64 << 10);
    const tables = 0x40000000;
    // 8 table pages of random descriptors, biased towards valid tables/blocks pointing back into them
    for (let i = 0; i < 8 * 512; i++) {
      const k = rnd() & 7;
      let lo = rnd();
      let hi = rnd();
      if (k < 3) {
        lo = (tables + (rnd() & 7) * 4096) | 3 | (rnd() & 0xc00);
        hi = rnd() & 0x78000000;
      } else if (k < 6) {
        lo = (0x40000000 + (rnd() & 0xfff) * 4096) | (rnd() & 0xfff);
        hi = rnd() & 0x00700000;
      }
      ram.dv.setUint32(i * 8, lo, true);
      ram.dv.setUint32(i * 8 + 4, hi, true);
    }
    const f = new SysregFile();
    f.put("tcr_el1", BigInt(rnd()) | (BigInt(rnd() & 0x7f) << 32n));
    f.put("ttbr0_el1", BigInt(tables + (rnd() & 7) * 4096));
    f.put("ttbr1_el1", BigInt(tables + (rnd() & 7) * 4096));
    f.put("sctlr_el1", BigInt(rnd() | 1));
    f.put("vtcr_el2", BigInt(rnd()));
    f.put("vttbr_el2", BigInt(tables + (rnd() & 7) * 4096) | (BigInt(rnd() & 0xff) << 48n));
    f.put("hcr_el2", BigInt(rnd() & 1));
    const a = new Mmu(ram, { tlbEntries: 0, xnx: (rnd() & 1) === 1 });
    const b = new Mmu(ram, { tlbEntries: 32, xnx: a.walker.xnx });
    a.syncFromSysregs(f);
    b.syncFromSysregs(f);
    for (let j = 0; j < 20; j++) {
      const vaHi = rnd() & 1 ? rnd() : rnd() & 0xff;
      const vaLo = rnd();
      const type = (rnd() % 3) as AccessType;
      const el = rnd() % 3;
      const ra = a.translate(vaLo, vaHi, type, el);
      const rb = b.translate(vaLo, vaHi, type, el);
      assert.is(ra, rb, `iteration ${it}.${j}`);
      if (ra) {
        assert.is(a.r.paLo, b.r.paLo);
        assert.is(a.r.paHi, b.r.paHi);
        assert.ok(a.r.paHi >>> 0 < 0x10000, "PA below 2^48");
      } else {
        assert.is(a.r.fault, b.r.fault);
        const fs = a.r.fault;
        assert.ok(fs < 0x10 || (fs >= WALK_EXTERNAL && fs < WALK_EXTERNAL + 4), `FSC 0x${fs.toString(16)}`);
        assert.ok(a.r.stage === 1 || a.r.stage === 2);
      }
      a.at(vaLo, vaHi, (rnd() & 1) === 1, el, (rnd() & 1) === 1);
    }
  }
});

test.run();
