import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AdpStopped,
  GenericTimer,
  GICH_VTR,
  Gic,
  GiccReg,
  GicdReg,
  GichLr,
  GichReg,
  GicVirtual,
  MmioBus,
  Pl011,
  Pl011Flag,
  Pl011Int,
  Pl011Reg,
  Semihosting,
  SemihostOp,
  SPURIOUS,
  TimerCtl,
  TimerId,
  VirtDevices,
  VirtIrq,
  VirtMap,
} from "../src/devices/index.ts";
import { SysregId } from "../src/sysreg/index.ts";

test("PL011: DR writes reach the sink; FR as QEMU (TXFE|RXFE = 0x90); PrimeCell IDs", () => {
  const out: number[] = [];
  const u = new Pl011((b) => out.push(b));
  for (const c of "hi\n") u.write(Pl011Reg.DR, 4, c.charCodeAt(0) | 0x100); // upper bits ignored
  assert.equal(out, [0x68, 0x69, 0x0a]);
  assert.is(u.read(Pl011Reg.FR, 4), 0x90);
  assert.is(u.read(Pl011Reg.FR, 4) & Pl011Flag.TXFF, 0, "never full: no TX FIFO");
  assert.is(u.read(Pl011Reg.CR, 4), 0x300);
  assert.equal(
    [0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => u.read(o, 4)),
    [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1],
  );
  assert.is(u.read(0x800, 4), 0, "unmapped reads as zero");
});

test("PL011: receive FIFO (1 byte without FEN, 16 with), RX interrupt through IMSC, ICR", () => {
  const levels: boolean[] = [];
  const u = new Pl011(() => {}, { setLevel: (l) => levels.push(l) });
  assert.ok(u.receive(0x41));
  assert.not.ok(u.receive(0x42), "1-byte holding register without FEN");
  assert.is(u.read(Pl011Reg.FR, 4) & (Pl011Flag.RXFE | Pl011Flag.RXFF), Pl011Flag.RXFF);
  assert.is(u.read(Pl011Reg.RIS, 4) & Pl011Int.RX, Pl011Int.RX);
  assert.is(u.read(Pl011Reg.MIS, 4), 0);
  u.write(Pl011Reg.IMSC, 4, Pl011Int.RX);
  assert.is(levels.at(-1), true);
  assert.is(u.read(Pl011Reg.DR, 4), 0x41);
  assert.is(levels.at(-1), false);
  assert.is(u.read(Pl011Reg.FR, 4) & Pl011Flag.RXFE, Pl011Flag.RXFE);
  u.write(Pl011Reg.LCR_H, 4, 0x70); // FEN, 8 bits
  for (let i = 0; i < 16; i++) assert.ok(u.receive(i));
  assert.not.ok(u.receive(99));
  assert.is(u.read(Pl011Reg.DR, 4), 0);
  assert.is(u.read(Pl011Reg.DR, 4), 1);
  u.write(Pl011Reg.DR, 4, 0x21);
  assert.is(u.read(Pl011Reg.RIS, 4) & Pl011Int.TX, Pl011Int.TX);
  u.write(Pl011Reg.ICR, 4, Pl011Int.TX);
  assert.is(u.read(Pl011Reg.RIS, 4) & Pl011Int.TX, 0);
});

/** The oracle images' GIC set-up (selftest.c / vmm.c / kernel.c): distributor on, PPI enabled, PMR 0xf0. */
function gicUp(ppi: number) {
  const gic = new Gic(1);
  const d = gic.distributor;
  const c = gic.cpuInterface(0);
  d.write(GicdReg.CTLR, 4, 1);
  d.write(GicdReg.ISENABLER, 4, 1 << ppi);
  c.write(GiccReg.PMR, 4, 0xf0);
  c.write(GiccReg.CTLR, 4, 1);
  return { gic, d, c };
}

test("GICv2: the images' timer flow: level PPI pending → IAR → active → EOIR → pending again while high", () => {
  const { gic, c } = gicUp(VirtIrq.TIMER_PHYS);
  const line = gic.line(VirtIrq.TIMER_PHYS);
  assert.is(gic.irq[0], 0);
  line.setLevel(true);
  assert.is(gic.irq[0], 1);
  assert.is(c.read(GiccReg.HPPIR, 4), 30);
  assert.is(c.read(GiccReg.IAR, 4), 30);
  assert.is(gic.irq[0], 0, "active: not signalled again");
  assert.is(c.read(GiccReg.RPR, 4), 0);
  assert.is(c.read(GiccReg.IAR, 4), SPURIOUS);
  c.write(GiccReg.EOIR, 4, 30);
  assert.is(gic.irq[0], 1, "the line is still high: pending again");
  line.setLevel(false);
  assert.is(gic.irq[0], 0);
  assert.is(c.read(GiccReg.RPR, 4), 0xff);
});

test("GICv2: PMR and priorities, preemption, disabled interfaces", () => {
  const { gic, d, c } = gicUp(VirtIrq.TIMER_VIRT);
  d.write(GicdReg.IPRIORITYR + 27, 1, 0xf0);
  gic.line(VirtIrq.TIMER_VIRT).setLevel(true);
  assert.is(gic.irq[0], 0, "priority 0xf0 is masked by PMR 0xf0");
  c.write(GiccReg.PMR, 4, 0xf8);
  assert.is(gic.irq[0], 1);
  assert.is(d.read(GicdReg.IPRIORITYR + 24, 4), 0xf0000000);
  assert.is(c.read(GiccReg.IAR, 4), 27);
  // a higher-priority SPI preempts the active PPI; a lower one does not
  d.write(GicdReg.ISENABLER + 4, 4, 3); // SPIs 32, 33
  d.write(GicdReg.IPRIORITYR + 32, 2, 0x80a0 | 0);
  d.write(GicdReg.ITARGETSR + 32, 2, 0x0101);
  gic.line(33).setLevel(true); // priority 0x80
  assert.is(gic.irq[0], 1);
  assert.is(c.read(GiccReg.IAR, 4), 33);
  gic.line(32).setLevel(true); // 0xa0: lower than the running 0x80
  assert.is(gic.irq[0], 0);
  c.write(GiccReg.EOIR, 4, 33);
  gic.line(33).setLevel(false);
  assert.is(c.read(GiccReg.HPPIR, 4), 32);
  d.write(GicdReg.CTLR, 4, 0);
  assert.is(gic.irq[0], 0, "distributor off");
  d.write(GicdReg.CTLR, 4, 1);
  c.write(GiccReg.CTLR, 4, 0);
  assert.is(gic.irq[0], 0, "CPU interface off");
  assert.is(c.read(GiccReg.IAR, 4), SPURIOUS);
});

test("GICv2: SGIs with source CPU, edge vs level, ISPENDR/ICPENDR, ISACTIVER, ICFGR, TYPER, IDs", () => {
  const gic = new Gic(2);
  const d0 = gic.distributorFor(0);
  const d1 = gic.distributorFor(1);
  const c1 = gic.cpuInterface(1);
  d0.write(GicdReg.CTLR, 4, 1);
  c1.write(GiccReg.PMR, 4, 0xff);
  c1.write(GiccReg.CTLR, 4, 1);
  assert.is(d1.read(GicdReg.ISENABLER, 4) & 0xffff, 0xffff, "SGIs are always enabled");
  d0.write(GicdReg.SGIR, 4, (0b10 << 16) | 5); // SGI 5 to CPU 1 from CPU 0
  assert.is(gic.irq[1], 1);
  assert.is(gic.irq[0], 0);
  assert.is(d1.read(GicdReg.SPENDSGIR + 4, 4) & 0xff00, 0x0100, "pending from CPU 0");
  assert.is(c1.read(GiccReg.IAR, 4), 5 | (0 << 10));
  c1.write(GiccReg.EOIR, 4, 5);
  d1.write(GicdReg.SGIR, 4, (2 << 24) | 3); // to itself
  assert.is(c1.read(GiccReg.IAR, 4), 3 | (1 << 10));
  c1.write(GiccReg.EOIR, 4, 3 | (1 << 10));
  // SPI 40 edge-triggered, targeted at CPU 1: a pulse latches
  d0.write(GicdReg.ICFGR + 8, 4, 2 << 16);
  assert.is(d0.read(GicdReg.ICFGR + 8, 4), 2 << 16);
  d0.write(GicdReg.ITARGETSR + 40, 1, 2);
  d0.write(GicdReg.ISENABLER + 4, 4, 1 << 8);
  const l = gic.line(40);
  l.setLevel(true);
  l.setLevel(false);
  assert.is(gic.irq[1], 1, "edge latched after the line dropped");
  assert.is(d0.read(GicdReg.ISPENDR + 4, 4), 1 << 8);
  d0.write(GicdReg.ICPENDR + 4, 4, 1 << 8);
  assert.is(gic.irq[1], 0);
  d0.write(GicdReg.ISPENDR + 4, 4, 1 << 8);
  assert.is(c1.read(GiccReg.IAR, 4), 40);
  assert.is(d0.read(GicdReg.ISACTIVER + 4, 4), 1 << 8);
  d0.write(GicdReg.ICACTIVER + 4, 4, 1 << 8);
  assert.is(d0.read(GicdReg.ISACTIVER + 4, 4), 0);
  c1.write(GiccReg.EOIR, 4, 40);
  d0.write(GicdReg.ISPENDR + 4, 4, 1 << 8);
  assert.is(gic.irq[1], 1);
  d0.write(GicdReg.ICENABLER + 4, 4, 1 << 8);
  assert.is(gic.irq[1], 0, "disabled SPI does not signal");
  d0.write(GicdReg.ISENABLER + 4, 4, 1 << 8);
  assert.is(gic.irq[1], 1, "re-enabled, still pending");
  assert.is(d0.read(GicdReg.TYPER, 4), 8 | (1 << 5), "ITLinesNumber 8 (288 IRQs), 2 CPUs");
  assert.is(d0.read(0xfe8, 4), 0x2b, "PIDR2: GICv2");
  assert.is(d0.read(GicdReg.ITARGETSR + 30, 1), 1, "PPI targets read as this CPU");
  assert.is(d1.read(GicdReg.ITARGETSR + 30, 1), 2);
});

test("GICv2 virtual interface: list register → virtual IRQ → GICV IAR/EOIR; HW deactivation; EOI maintenance", () => {
  const { gic, c } = gicUp(VirtIrq.TIMER_VIRT);
  const v = new GicVirtual(gic, 0);
  const h = v.control;
  const g = v.vcpu;
  assert.is(h.read(GichReg.VTR, 4), GICH_VTR);
  assert.is(GICH_VTR, 0x90000003);
  assert.is(h.read(GichReg.ELRSR0, 4), 0xf, "all list registers empty");
  // the hypervisor takes the physical timer interrupt and forwards it as virtual 27, hardware-linked
  gic.line(VirtIrq.TIMER_VIRT).setLevel(true);
  assert.is(c.read(GiccReg.IAR, 4), 27);
  c.write(GiccReg.CTLR, 4, 1 | (1 << 9)); // EOImode: EOIR only drops priority
  c.write(GiccReg.EOIR, 4, 27);
  assert.is(gic.active[gic.slot(0, 27)], 1, "still active until the guest's EOI");
  h.write(
    GichReg.LR0,
    4,
    (GichLr.HW | GichLr.PENDING | (0x10 << GichLr.PRIORITY_SHIFT) | (27 << 10) | 27) >>> 0,
  );
  h.write(GichReg.HCR, 4, 1);
  assert.is(v.virq, 0, "guest's virtual CPU interface still off");
  g.write(GiccReg.PMR, 4, 0xf8);
  g.write(GiccReg.CTLR, 4, 1);
  assert.is(
    h.read(GichReg.VMCR, 4),
    (((0xf8 >>> 3) << 27) | 0x004c0000 | 1) >>> 0,
    "GICV CTLR/PMR live in GICH_VMCR",
  );
  assert.is(v.virq, 1);
  assert.is(h.read(GichReg.ELRSR0, 4), 0xe);
  assert.is(g.read(GiccReg.IAR, 4), 27);
  assert.is(v.virq, 0);
  assert.is((h.read(GichReg.LR0, 4) >>> 28) & 3, 2, "active");
  assert.is(g.read(GiccReg.RPR, 4), 0x80);
  g.write(GiccReg.EOIR, 4, 27);
  assert.is((h.read(GichReg.LR0, 4) >>> 28) & 3, 0, "invalid");
  assert.is(gic.active[gic.slot(0, 27)], 0, "HW entry deactivated the physical interrupt");
  // a software entry with EOI set raises the maintenance interrupt (PPI 25) when the guest EOIs it
  h.write(GichReg.LR0 + 4, 4, (GichLr.EOI | GichLr.PENDING | 42) >>> 0);
  assert.is(g.read(GiccReg.IAR, 4), 42);
  g.write(GiccReg.EOIR, 4, 42);
  assert.is(h.read(GichReg.EISR0, 4), 2);
  assert.is(h.read(GichReg.MISR, 4) & 1, 1);
  assert.is(v.maintenance, 1);
  assert.is(gic.level[gic.slot(0, 25)], 1);
  h.write(GichReg.LR0 + 4, 4, 0);
  assert.is(v.maintenance, 0);
  // an EOI with no matching entry counts in HCR.EOIcount
  g.write(GiccReg.EOIR, 4, 77);
  assert.is(h.read(GichReg.HCR, 4) >>> 27, 1);
  // list-register priority against the virtual PMR
  h.write(GichReg.LR0 + 8, 4, (GichLr.PENDING | (0x1f << GichLr.PRIORITY_SHIFT) | 50) >>> 0);
  assert.is(v.virq, 0, "priority 0xf8 is not below PMR 0xf8");
  assert.is(g.read(GiccReg.HPPIR, 4), SPURIOUS);
});

test("generic timer: CVAL/TVAL/CTL, ISTATUS, IMASK, lines, CNTVOFF, next event", () => {
  const lv = [false, false, false];
  const t = new GenericTimer(
    { setLevel: (l) => (lv[0] = l) },
    { setLevel: (l) => (lv[1] = l) },
    { setLevel: (l) => (lv[2] = l) },
  );
  t.writeSysreg(SysregId.cntp_cval_el0, 1000, 0);
  t.writeSysreg(SysregId.cntp_ctl_el0, TimerCtl.ENABLE, 0);
  assert.is(t.ticksToNextEvent(), 1000);
  t.advance(999);
  assert.is(lv[0], false);
  assert.is(t.readSysreg(SysregId.cntp_tval_el0), 1);
  t.advance(1);
  assert.is(lv[0], true);
  assert.is(t.readSysreg(SysregId.cntp_ctl_el0), TimerCtl.ENABLE | TimerCtl.ISTATUS);
  assert.is(t.readSysreg(SysregId.cntp_tval_el0), 0);
  t.advance(5);
  assert.is(t.readSysreg(SysregId.cntp_tval_el0), 0xfffffffb, "TVAL counts below zero");
  t.writeSysreg(SysregId.cntp_ctl_el0, TimerCtl.ENABLE | TimerCtl.IMASK, 0);
  assert.is(lv[0], false, "masked");
  assert.is(t.readSysreg(SysregId.cntp_ctl_el0), 7, "ISTATUS still reported");
  t.writeSysreg(SysregId.cntp_tval_el0, 62500, 0); // 1 ms at 62.5 MHz
  assert.is(t.readSysreg(SysregId.cntp_cval_el0), 1005 + 62500);
  t.writeSysreg(SysregId.cntp_tval_el0, -10 >>> 0, 0);
  assert.is(t.readSysreg(SysregId.cntp_cval_el0), 995);
  // virtual timer counts CNTPCT - CNTVOFF (64-bit wrap)
  t.writeSysreg(SysregId.cntvoff_el2, 2000, 0);
  assert.is(t.readSysreg(SysregId.cntvct_el0), (1005 - 2000) >>> 0);
  assert.is(t.hi, 0xffffffff);
  t.writeSysreg(SysregId.cntv_cval_el0, 10, 0);
  t.writeSysreg(SysregId.cntv_ctl_el0, TimerCtl.ENABLE, 0);
  assert.is(lv[1], true, "unsigned 64-bit compare (as QEMU): the wrapped count is above CVAL");
  t.writeSysreg(SysregId.cntvoff_el2, 0, 0);
  assert.is(lv[1], true);
  t.writeSysreg(SysregId.cntv_cval_el0, 0xffffffff, 0xffffffff);
  assert.is(lv[1], false, "CVAL = 2^64-1 never fires");
  t.writeSysreg(SysregId.cntp_ctl_el0, 0, 0);
  assert.is(t.ticksToNextEvent(), 0xffffffff * 2 ** 32 + 0xffffffff - 1005);
  t.writeSysreg(SysregId.cntv_ctl_el0, 0, 0);
  assert.is(t.ticksToNextEvent(), Number.POSITIVE_INFINITY);
  // EL2 physical timer
  t.writeSysreg(SysregId.cnthp_tval_el2, 10, 0);
  t.writeSysreg(SysregId.cnthp_ctl_el2, 1, 0);
  t.advance(10);
  assert.is(lv[2], true);
  assert.is(t.output(TimerId.HYP), 1);
  assert.is(t.readSysreg(SysregId.cntpct_el0), 1015);
  assert.is(t.readSysreg(SysregId.sctlr_el1), -1, "not a timer register");
  assert.not.ok(t.writeSysreg(SysregId.sctlr_el1, 0, 0));
});

test("generic timer drives the GIC: the selftest's 3 ticks of PPI 30 at 1 ms", () => {
  const { gic, c } = gicUp(VirtIrq.TIMER_PHYS);
  const t = new GenericTimer(gic.line(VirtIrq.TIMER_PHYS));
  let ticks = 0;
  t.writeSysreg(SysregId.cntp_tval_el0, 62500, 0);
  t.writeSysreg(SysregId.cntp_ctl_el0, TimerCtl.ENABLE, 0);
  for (let step = 0; step < 400 && ticks < 3; step++) {
    t.advance(1000);
    if (gic.irq[0]) {
      const id = c.read(GiccReg.IAR, 4);
      assert.is(id, 30);
      ticks++;
      t.writeSysreg(SysregId.cntp_tval_el0, 62500, 0); // the handler re-arms, then EOIs
      c.write(GiccReg.EOIR, 4, id);
      assert.is(gic.irq[0], 0, "re-armed: the line dropped");
    }
  }
  assert.is(ticks, 3);
  assert.ok(t.counter >= 3 * 62500);
});

/** Guest memory for semihosting tests: a byte array at 0x1000; -1 elsewhere. */
function guest(bytes: number[]) {
  const m = new Uint8Array(0x1000);
  m.set(bytes);
  return (lo: number, hi: number) =>
    hi === 0 && lo >= 0x1000 && lo < 0x2000 ? (m[lo - 0x1000] as number) : -1;
}
const u64 = (v: number) => [0, 1, 2, 3, 4, 5, 6, 7].map((k) => Math.floor(v / 2 ** (8 * k)) & 0xff);

test("semihosting: WRITEC, WRITE0, WRITE, EXIT with ADP_Stopped_ApplicationExit, bad pointers, unknown ops", () => {
  let text = "";
  let err = "";
  const dec = new TextDecoder();
  const sh = new Semihosting(
    (b) => (text += dec.decode(b)),
    (b) => (err += dec.decode(b)),
  );
  const str = [...new TextEncoder().encode("hello\0")];
  const read = guest([
    ...str.slice(0, 5),
    0,
    0x21, // 0x1006: '!'
    0,
    ...u64(1),
    ...u64(0x1000),
    ...u64(5), // 0x1008: WRITE block fd 1
    ...u64(AdpStopped.APPLICATION_EXIT),
    ...u64(3), // 0x1020: exit block
    ...u64(0x20023),
    ...u64(0), // 0x1030: other reason
    ...u64(2),
    ...u64(0x1000),
    ...u64(0x2000), // 0x1040: fd 2, runs off the end of memory
  ]);
  sh.call(SemihostOp.SYS_WRITE0, 0x1000, 0, read);
  sh.call(SemihostOp.SYS_WRITEC, 0x1006, 0, read);
  assert.is(text, "hello!");
  sh.call(SemihostOp.SYS_WRITE, 0x1008, 0, read);
  assert.is(text, "hello!hello");
  assert.is(sh.retLo, 0, "all bytes written");
  sh.call(SemihostOp.SYS_WRITE, 0x1040, 0, read);
  assert.is(err.length, 0x1000, "stopped at the end of readable memory");
  assert.is(sh.retLo, 0x2000 - 0x1000, "bytes not written");
  assert.not.ok(sh.exited);
  sh.call(SemihostOp.SYS_WRITE, 0x5000, 0, read);
  assert.is(sh.retLo, 0xffffffff);
  assert.is(sh.retHi, 0xffffffff);
  sh.call(0x99, 0, 0, read);
  assert.is(sh.retLo, 0xffffffff);
  sh.call(SemihostOp.SYS_ERRNO, 0, 0, read);
  assert.is(sh.retLo, 38);
  sh.call(SemihostOp.SYS_EXIT, 0x1030, 0, read);
  assert.ok(sh.exited);
  assert.is(sh.exitCode, 1, "a reason other than ApplicationExit exits with 1");
  sh.call(SemihostOp.SYS_EXIT_EXTENDED, 0x1020, 0, read);
  assert.is(sh.exitCode, 3);
  sh.call(SemihostOp.SYS_TICKFREQ, 0, 0, read);
  assert.is(sh.retLo, 62_500_000);
});

test("semihosting: WRITE0 of a string without a terminator stops at the limit or a fault", () => {
  let n = 0;
  const sh = new Semihosting((b) => (n += b.length));
  sh.call(SemihostOp.SYS_WRITE0, 0, 0, () => 0x41);
  assert.is(n, 1 << 20);
  n = 0;
  sh.call(SemihostOp.SYS_WRITE0, 0xfffffffe, 0, (_lo, hi) => (hi === 0 ? 0x42 : -1));
  assert.is(n, 2, "crosses into the high half and faults there");
});

test("MmioBus / VirtDevices: the virt map; UART output at 0x09000000; unmapped addresses fail", () => {
  const out: number[] = [];
  const dev = new VirtDevices((b) => out.push(...b));
  const bus = dev.bus;
  for (const c of "ok") assert.ok(bus.write(VirtMap.UART0, 0, 4, c.charCodeAt(0)));
  assert.equal(out, [0x6f, 0x6b]);
  assert.ok(bus.read(VirtMap.UART0 + Pl011Reg.FR, 0, 4));
  assert.is(bus.value, 0x90);
  assert.not.ok(bus.read(0x0a000000, 0, 4));
  assert.not.ok(bus.write(VirtMap.UART0, 1, 4, 0), "above 4 GiB");
  assert.not.ok(bus.read(VirtMap.RAM, 0, 4), "RAM is not a device");
  // the images' GIC bring-up through the bus, then the UART's SPI 33
  bus.write(VirtMap.GICD + GicdReg.CTLR, 0, 4, 1);
  bus.write(VirtMap.GICD + GicdReg.ISENABLER + 4, 0, 4, 1 << 1);
  bus.write(VirtMap.GICC + GiccReg.PMR, 0, 4, 0xf0);
  bus.write(VirtMap.GICC + GiccReg.CTLR, 0, 4, 1);
  bus.write(VirtMap.UART0 + Pl011Reg.IMSC, 0, 4, Pl011Int.RX);
  dev.uart.receive(0x0d);
  assert.is(dev.gic.irq[0], 1);
  bus.read(VirtMap.GICC + GiccReg.IAR, 0, 4);
  assert.is(bus.value, VirtIrq.UART0);
  // the timer is wired to PPI 27 (virtual)
  bus.write(VirtMap.GICD + GicdReg.ISENABLER, 0, 4, 1 << 27);
  dev.timer.writeSysreg(SysregId.cntv_tval_el0, 100, 0);
  dev.timer.writeSysreg(SysregId.cntv_ctl_el0, 1, 0);
  dev.timer.advance(100);
  assert.is(dev.gic.level[dev.gic.slot(0, 27)], 1);
  assert.throws(() => new MmioBus().map(0, dev.uart).map(0x800, dev.uart), /overlaps/);
  assert.throws(() => new MmioBus().map(0xffffff00, dev.uart), /4 GiB/);
});

// Seeded, bounded fuzz: random register traffic on every device window never throws and keeps the
// outputs well-formed (guest MMIO is never a host error).
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

test("fuzz: random MMIO traffic on the virt devices", () => {
  const iters = Number(process.env.AXEBPF_FUZZ_ITERS ?? 300);
  const rnd = mulberry32(0xdec0de);
  const windows = [
    [VirtMap.GICD, 0x1000],
    [VirtMap.GICC, 0x2000],
    [VirtMap.GICH, 0x1000],
    [VirtMap.GICV, 0x2000],
    [VirtMap.UART0, 0x1000],
  ] as const;
  for (let it = 0; it < iters; it++) {
    const dev = new VirtDevices(() => {});
    for (let j = 0; j < 200; j++) {
      const [base, size] = windows[rnd() % windows.length] ?? windows[0];
      const size4 = [1, 2, 4][rnd() % 3] ?? 4;
      const off = (rnd() % size) & ~(size4 - 1) & (rnd() & 1 ? 0xfff : 0x1ff);
      if (rnd() & 1) {
        assert.ok(dev.bus.write(base + off, 0, size4, rnd()));
      } else {
        assert.ok(dev.bus.read(base + off, 0, size4));
        assert.ok(dev.bus.value >= 0 && dev.bus.value <= 0xffffffff);
      }
      if ((rnd() & 15) === 0) dev.gic.line(16 + (rnd() % 272)).setLevel((rnd() & 1) === 1);
      if ((rnd() & 15) === 0) dev.timer.advance(rnd() & 0xffff);
      if ((rnd() & 31) === 0) dev.uart.receive(rnd() & 0xff);
    }
    assert.ok(dev.gic.irq[0] === 0 || dev.gic.irq[0] === 1);
    assert.ok(dev.gicv.virq === 0 || dev.gicv.virq === 1);
    const id = dev.gic.cpuInterface(0).read(GiccReg.IAR, 4);
    assert.ok(id === SPURIOUS || (id & 0x3ff) < 288, `IAR ${id}`);
  }
});

test.run();
