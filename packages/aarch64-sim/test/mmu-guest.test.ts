// The guest kernel's own stage-1 tables (TTBR1 high half, TCR_EL1 0xb5193519, the EL0 mapping it builds
// for user.S) and the vmm's stage 2 (2 MiB blocks for IPA 0x40400000-0x40bfffff, VMID 1), rebuilt at the
// addresses of guest.elf / vmm.elf, walked the way the vmm run (golden/vmm.uart) needs them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FaultKind, fsc, hpfarLo } from "../src/exception/index.ts";
import { AccessType, Mmu } from "../src/mmu/index.ts";
import { SysregFile } from "../src/sysreg/index.ts";
import { Ram, sym, symbols } from "./support/phys-ram.ts";

const { READ, WRITE, FETCH } = AccessType;

const KOFF = 0xffffff8000000000n;
const lo32 = (v: bigint) => Number(v & 0xffffffffn) | 0;
const hi32 = (v: bigint) => Number(v >> 32n) | 0;

function guest(hosted: boolean) {
  const g = symbols("guest");
  const v = symbols("vmm");
  const ram = new Ram();
  ram.map(0x40000000, 0xc00000);
  const PA = (va: bigint) => va - KOFF;
  const AF = 1n << 10n;
  const SH = 3n << 8n;
  const ATTR = (i: bigint) => i << 2n;
  const PXN = 1n << 53n;
  const UXN = 1n << 54n;
  const t0 = PA(sym(g, "ttbr0_l1"));
  const t1 = PA(sym(g, "ttbr1_l1"));
  const ul2 = PA(sym(g, "user_l2"));
  const ul3 = PA(sym(g, "user_l3"));
  // boot_tables(), then the EL0 mapping kmain builds before run_user (kernel.c)
  ram.set(t1, 0n | AF | ATTR(0n) | PXN | UXN | 1n);
  ram.set(t1 + 8n, 0x40000000n | AF | SH | ATTR(1n) | UXN | 1n);
  ram.set(t0, ul2 | 3n);
  ram.set(ul2 + 16n, ul3 | 3n);
  ram.set(ul3, PA(sym(g, "_user_start")) | AF | SH | ATTR(1n) | (3n << 6n) | PXN | 3n);
  ram.set(ul3 + 8n, PA(sym(g, "_user_data")) | AF | SH | ATTR(1n) | (1n << 6n) | PXN | UXN | 3n);
  const f = new SysregFile();
  f.put("mair_el1", 0xff04n);
  f.put("tcr_el1", 0xb5193519n);
  f.put("ttbr0_el1", t0);
  f.put("ttbr1_el1", t1);
  f.put("sctlr_el1", 0x30d00800n | 1n | (1n << 2n) | (1n << 12n));
  if (hosted) {
    // vmm_build_stage2()
    const s2l1 = sym(v, "s2_l1");
    const s2l2 = sym(v, "s2_l2");
    for (let ipa = 0x40400000n; ipa < 0x40c00000n; ipa += 0x200000n) {
      ram.set(s2l2 + ((ipa - 0x40000000n) >> 21n) * 8n, ipa | AF | SH | (3n << 6n) | (0xfn << 2n) | 1n);
    }
    ram.set(s2l1 + 8n, s2l2 | 3n);
    f.put("vtcr_el2", 0x80003560n);
    f.put("vttbr_el2", s2l1 | (1n << 48n));
    f.put("hcr_el2", (1n << 31n) | 1n | (1n << 4n));
  } else {
    f.put("hcr_el2", 1n << 31n);
  }
  const mmu = new Mmu(ram, { tlbEntries: 256 });
  mmu.syncFromSysregs(f);
  const tr = (va: bigint, t: AccessType, el: number) => mmu.translate(lo32(va), hi32(va), t, el);
  const pa = () => (BigInt(mmu.r.paHi >>> 0) << 32n) | BigInt(mmu.r.paLo >>> 0);
  return { g, mmu, tr, pa };
}

for (const hosted of [false, true]) {
  const tag = hosted ? "under the vmm's stage 2" : "standalone";
  test(`guest kernel (${tag}): high-half code and data, EL0 program, devices`, () => {
    const { g, mmu, tr, pa } = guest(hosted);
    const kmain = sym(g, "kmain");
    assert.is(kmain, 0xffffff80404012d8n, "guest.uart: running at 0xffffff80404012d8");
    assert.ok(tr(kmain, FETCH, 1));
    assert.is(pa(), kmain - KOFF);
    const stack = sym(g, "stack_top") - 16n;
    assert.ok(tr(stack, WRITE, 1));
    assert.is(pa(), stack - KOFF);
    assert.ok(tr(stack, FETCH, 1), "the RAM block is UXN, not PXN: EL1 may execute it");
    assert.not.ok(tr(stack, READ, 0), "no EL0 access to kernel memory");
    // user.S at VA 0x400000 (code, EL0 read-only, PXN) and 0x401000 (data, EL0 RW, XN)
    assert.ok(tr(0x400000n, FETCH, 0));
    assert.is(pa(), sym(g, "_user_start") - KOFF);
    assert.not.ok(tr(0x400000n, WRITE, 0));
    assert.is(mmu.r.fault, fsc(FaultKind.PERMISSION, 3));
    assert.not.ok(tr(0x400000n, FETCH, 1), "PXN");
    assert.ok(tr(0x401008n, WRITE, 0));
    assert.is(pa(), sym(g, "_user_data") - KOFF + 8n);
    assert.not.ok(tr(0x401000n, FETCH, 0), "UXN");
    assert.not.ok(tr(0x402000n, READ, 0));
    assert.is(mmu.r.fault, fsc(FaultKind.TRANSLATION, 3));
    assert.not.ok(tr(0x40000000n, READ, 1), "the boot identity block was dropped");
    assert.is(mmu.r.fault, fsc(FaultKind.TRANSLATION, 1));
    // devices at KOFF + 0: the UART is data only
    assert.not.ok(tr(KOFF + 0x09000000n, FETCH, 1));
    assert.is(mmu.r.fault, fsc(FaultKind.PERMISSION, 1));
    assert.is(mmu.r.stage, 1);
    // TTBR1 covers the top 2^39 bytes only
    assert.not.ok(tr(0xffffff0000000000n, READ, 1));
    assert.is(mmu.r.fault, fsc(FaultKind.TRANSLATION, 0));
  });
}

test("guest under the vmm: UART accesses are stage-2 faults the vmm emulates (IPA 0x09000000)", () => {
  const { tr, mmu } = guest(true);
  for (const off of [0n, 0x18n]) {
    assert.not.ok(tr(KOFF + 0x09000000n + off, off ? READ : WRITE, 1));
    assert.is(mmu.r.stage, 2);
    assert.is(mmu.r.fault, fsc(FaultKind.TRANSLATION, 1));
    assert.is(hpfarLo(mmu.r.ipaLo, mmu.r.ipaHi), 0x90000);
  }
  // RAM outside the guest's 8 MiB is not mapped at stage 2
  assert.not.ok(tr(KOFF + 0x40c00000n, READ, 1));
  assert.is(mmu.r.stage, 2);
  assert.is(mmu.r.fault, fsc(FaultKind.TRANSLATION, 2));
  assert.not.ok(tr(KOFF + 0x40000000n, READ, 1), "the vmm's own memory");
  assert.is(mmu.r.fault, fsc(FaultKind.TRANSLATION, 2));
});

test.run();
