// The machine API on small hand-encoded programs: exception entry and return, hooks, WFI, stale code
// after a write, physical/virtual memory access, the Platform provider, errors and the boot CLI.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { bootMain, Machine, MachinePlatform, RAM_BASE, SimError } from "../src/index.ts";

const BASE = BigInt(RAM_BASE);
const CODE = BASE + 0x1000n;
const VBAR = BASE + 0x8000n;
const I = {
  nop: 0xd503201f,
  eret: 0xd69f03e0,
  wfi: 0xd503207f,
  semihostExit: 0xd45e0000, // hlt #0xf000
  svc: (imm: number) => (0xd4000001 | (imm << 5)) >>> 0,
  hvc: (imm: number) => (0xd4000002 | (imm << 5)) >>> 0,
  brk: (imm: number) => (0xd4200000 | (imm << 5)) >>> 0,
  movz: (rd: number, imm: number) => (0xd2800000 | (imm << 5) | rd) >>> 0,
  addImm: (rd: number, rn: number, imm: number) => (0x91000000 | (imm << 10) | (rn << 5) | rd) >>> 0,
  strW: (rt: number, rn: number) => (0xb9000000 | (rn << 5) | rt) >>> 0,
  b: (words: number) => (0x14000000 | (words & 0x3ffffff)) >>> 0,
};

function words(...ws: number[]): Uint8Array {
  const b = new Uint8Array(ws.length * 4);
  const v = new DataView(b.buffer);
  ws.forEach((w, i) => {
    v.setUint32(4 * i, w >>> 0, true);
  });
  return b;
}

function machine(el: 1 | 2 = 1): Machine {
  const m = new Machine({ ramSize: 1 << 20, startEl: el });
  m.setSysreg(el === 2 ? "vbar_el2" : "vbar_el1", VBAR);
  m.pc = CODE;
  return m;
}

test("SVC at EL1: ESR/ELR/SPSR written, PC at VBAR_EL1 + 0x200, ERET returns after it", () => {
  const m = machine();
  m.writePhys(CODE, words(I.svc(0x12), I.movz(1, 7), I.semihostExit));
  // handler: x2 = 1, eret
  m.writePhys(VBAR + 0x200n, words(I.movz(2, 1), I.eret));
  m.setX(0, 0x18n); // SYS_EXIT
  m.setX(1, 0x20026n); // X1 points to the block in a real exit; ADP_Stopped_ApplicationExit as value
  const r = m.run({ maxSteps: 3 });
  assert.is(r.steps, 3);
  assert.is(m.getSysreg("esr_el1"), 0x56000012n);
  assert.is(m.getSysreg("elr_el1"), CODE + 4n);
  assert.is(m.getSysreg("spsr_el1"), 0x3c5n);
  assert.is(m.pc, CODE + 4n);
  assert.is(m.getX(2), 1n);
  assert.is(m.el, 1);
});

test("HVC at EL1 goes to EL2 (vector 0x400, lower EL); BRK taken at the current EL with ELR = the BRK", () => {
  const m = machine(2);
  m.setSysreg("vbar_el2", BASE + 0x10000n);
  m.setSysreg("hcr_el2", 1n << 31n); // EL1 is AArch64
  m.setSysreg("spsr_el2", 0x3c5n); // ERET to EL1h
  m.setSysreg("elr_el2", CODE + 4n);
  m.writePhys(CODE, words(I.eret, I.hvc(3)));
  m.step();
  assert.is(m.el, 1);
  m.step();
  assert.is(m.el, 2);
  assert.is(m.pc, BASE + 0x10400n);
  assert.is(m.getSysreg("esr_el2"), 0x5a000003n);
  assert.is(m.getSysreg("elr_el2"), CODE + 8n);
  assert.is(m.getSysreg("spsr_el2"), 0x3c5n);
  const k = machine();
  k.writePhys(CODE, words(I.brk(9)));
  k.step();
  assert.is(k.getSysreg("esr_el1"), 0xf2000009n);
  assert.is(k.getSysreg("elr_el1"), CODE);
  assert.is(k.pc, VBAR + 0x200n);
});

test("HCR_EL2.TTLB traps an EL1 TLBI to EL2 (EC 0x18, op0 = 1); HCR_EL2.HCD makes HVC UNDEFINED", () => {
  const m = machine(2);
  m.setSysreg("vbar_el2", BASE + 0x10000n);
  m.setSysreg("hcr_el2", (1n << 31n) | (1n << 25n) | (1n << 29n));
  m.setSysreg("spsr_el2", 0x3c5n);
  m.setSysreg("elr_el2", CODE + 4n);
  m.writePhys(CODE, words(I.eret, 0xd508871f, I.hvc(0))); // eret; tlbi vmalle1; hvc #0
  m.writePhys(VBAR + 0x200n, words(I.b(0)));
  m.step();
  m.step();
  assert.is(m.el, 2);
  assert.is(m.getSysreg("esr_el2"), 0x621023een);
  assert.is(m.getSysreg("elr_el2"), CODE + 4n);
  // back to the HVC: with HCD it is UNDEFINED at EL1
  m.setSysreg("elr_el2", CODE + 8n);
  m.pc = BASE + 0x20000n;
  m.writePhys(BASE + 0x20000n, words(I.eret));
  m.step();
  m.step();
  assert.is(m.el, 1);
  assert.is(m.getSysreg("esr_el1"), 0x02000000n);
  assert.is(m.getSysreg("elr_el1"), CODE + 8n);
});

test("software step of EL1 routed to EL2 (MDCR_EL2.TDE): none while the OS lock set at reset holds", () => {
  for (const locked of [true, false]) {
    const m = machine(2);
    m.setSysreg("vbar_el2", BASE + 0x10000n);
    m.writePhys(BASE + 0x10400n, words(I.b(0)));
    m.setSysreg("hcr_el2", 1n << 31n);
    m.setSysreg("mdcr_el2", 1n << 8n); // TDE
    m.setSysreg("mdscr_el1", 1n); // SS
    if (!locked) m.setSysreg("oslsr_el1", 0n);
    m.setSysreg("spsr_el2", 0x3c5n | (1n << 21n)); // EL1h with SPSR.SS = 1: step one instruction
    m.setSysreg("elr_el2", CODE + 4n);
    m.writePhys(CODE, words(I.eret, I.movz(1, 1), I.movz(2, 2), I.movz(3, 3)));
    m.run({ maxSteps: 3 });
    if (locked) {
      assert.is(m.el, 1);
      assert.is(m.getX(2), 2n);
    } else {
      assert.is(m.el, 2);
      assert.is(m.getSysreg("esr_el2"), 0xcb000022n); // EC 0x32, ISV = 1, EX = 0, IFSC 0x22
      assert.is(m.getSysreg("elr_el2"), CODE + 8n);
      assert.is(m.getSysreg("spsr_el2") & (1n << 21n), 0n);
      assert.is(m.getX(1), 1n);
      assert.is(m.getX(2), 0n);
    }
  }
});

test("started at EL1 (virtualization=off) there is no EL2: HVC is UNDEFINED at EL1, EL2 registers too", () => {
  const m = machine(1);
  m.writePhys(CODE, words(I.hvc(1), 0xd53c1100)); // hvc #1; mrs x0, hcr_el2
  m.writePhys(VBAR + 0x200n, words(I.b(0)));
  m.step();
  assert.is(m.el, 1);
  assert.is(m.getSysreg("esr_el1"), 0x02000000n);
  assert.is(m.getSysreg("elr_el1"), CODE);
  m.pc = CODE + 4n;
  m.step();
  assert.is(m.getSysreg("esr_el1"), 0x02000000n);
  assert.is(m.getSysreg("elr_el1"), CODE + 4n);
  assert.throws(
    () => m.reset(2),
    (e: unknown) => e instanceof SimError && e.code === "SIM_MACHINE_OPTION",
  );
});

test("hooks: 'handled' emulates the exception in host code, 'break' stops run before the vector", () => {
  const m = machine();
  m.writePhys(CODE, words(I.brk(1), I.movz(3, 5), I.brk(2), I.nop));
  const seen: number[] = [];
  const off = m.onException(0x3c, 1, (info, mm) => {
    seen.push(Number(info.esr & 0xffff));
    if ((info.esr & 0xffff) === 1) {
      mm.pc = info.elr + 4n; // skip the BRK as a debugger would
      return "handled";
    }
    return "break";
  });
  const r = m.run({ maxSteps: 100 });
  assert.is(r.stop, "break");
  assert.equal(seen, [1, 2]);
  assert.is(m.getX(3), 5n);
  assert.is(m.pc, CODE + 8n);
  assert.is(m.el, 1);
  off();
  m.step();
  assert.is(m.pc, VBAR + 0x200n); // without the hook the guest's vector runs
});

test("host breakpoints: run stops before the address, resumes through it, at any EL and after exceptions", () => {
  const m = machine();
  m.writePhys(CODE, words(I.movz(1, 1), I.svc(0), I.movz(2, 2), I.b(-1 & 0x3ffffff)));
  m.writePhys(VBAR + 0x200n, words(I.movz(3, 3), I.eret));
  m.addBreakpoint(VBAR + 0x200n + 4n);
  m.addBreakpoint(CODE + 8n);
  let r = m.run({ maxSteps: 100 });
  assert.is(r.stop, "break");
  assert.is(m.pc, VBAR + 0x204n);
  assert.is(r.steps, 3);
  r = m.run({ maxSteps: 100 });
  assert.is(r.stop, "break");
  assert.is(m.pc, CODE + 8n);
  assert.is(m.getX(3), 3n);
  assert.is(m.getX(2), 0n);
  m.removeBreakpoint(CODE + 8n);
  r = m.run({ maxSteps: 10 });
  assert.is(r.stop, "steps");
  assert.is(m.getX(2), 2n);
});

test("WFI with nothing to wake the CPU halts; at EL0 with SCTLR_EL1.nTWI = 0 it traps (EC 0x01)", () => {
  const m = machine();
  m.writePhys(CODE, words(I.wfi));
  const r = m.run({ maxSteps: 10 });
  assert.is(r.stop, "halt");
  assert.is(m.pc, CODE);
  const k = machine();
  k.setSysreg("sctlr_el1", 0x30d00800n & ~(1n << 16n));
  k.setSysreg("spsr_el1", 0n); // EL0t
  k.setSysreg("elr_el1", CODE + 4n);
  k.writePhys(CODE, words(I.eret, I.wfi));
  k.writePhys(VBAR + 0x400n, words(I.b(0)));
  k.run({ maxSteps: 2 }); // ERET, then the WFI traps and `b .` runs
  assert.is(k.getSysreg("esr_el1"), 0x07e00000n);
  assert.is(k.getSysreg("elr_el1"), CODE + 4n);
  assert.is(k.pc, VBAR + 0x400n);
});

test("WFI waits for the timer: the counter jumps to the compare value and the IRQ is taken", () => {
  const m = machine();
  m.setSysreg("cntp_cval_el0", 50_000n);
  m.setSysreg("cntp_ctl_el0", 1n);
  // GIC: enable distributor, CPU interface, PPI 30, priority mask open
  m.devices.gic.distributor.write(0x000, 4, 1);
  m.devices.gic.distributor.write(0x100, 4, 1 << 30);
  const cif = m.devices.gic.cpuInterface(0);
  cif.write(0x004, 4, 0xff);
  cif.write(0x000, 4, 1);
  m.setSysreg("daif", 0n);
  m.writePhys(CODE, words(I.wfi, I.b(0)));
  m.writePhys(VBAR + 0x280n, words(I.b(0)));
  m.run({ maxSteps: 3 });
  assert.ok(m.devices.timer.counter >= 50_000);
  assert.is(m.getSysreg("elr_el1"), CODE + 4n);
  assert.is(m.getSysreg("spsr_el1"), 0x5n); // EL1h, DAIF clear when it was taken
  assert.is(m.pc, VBAR + 0x280n);
  assert.is(m.getSysreg("daif"), 0x3c0n);
});

test("virtual IRQs: HCR_EL2.VI, or a pending GICH list register, are taken at EL1 when PSTATE.I is clear", () => {
  for (const how of ["vi", "lr"] as const) {
    const m = machine(2);
    m.setSysreg("vbar_el1", VBAR);
    m.setSysreg("hcr_el2", (1n << 31n) | (1n << 4n) | (how === "vi" ? 1n << 7n : 0n));
    if (how === "lr") {
      const gich = m.devices.gicv.control;
      gich.write(0x08, 4, ((0x1f << 27) | 1) >>> 0); // VMCR: PMR 0xf8, group 0 enabled
      gich.write(0x100, 4, (1 << 28) | 27); // LR0: pending, priority 0, vINTID 27
      gich.write(0x00, 4, 1); // HCR.En
    }
    m.setSysreg("spsr_el2", 0x3c5n); // EL1h, interrupts masked
    m.setSysreg("elr_el2", CODE + 4n);
    // ERET to EL1; EL1 reads ISR_EL1 then clears PSTATE.I (msr daifclr, #2)
    m.writePhys(CODE, words(I.eret, 0xd538c100, 0xd50342ff, I.b(0)));
    m.writePhys(VBAR + 0x280n, words(I.b(0)));
    m.run({ maxSteps: 4 });
    assert.is(m.getX(0), 0x80n, how); // mrs x0, isr_el1: I pending
    assert.is(m.el, 1, how);
    assert.is(m.pc, VBAR + 0x280n, how);
    assert.is(m.getSysreg("elr_el1"), CODE + 12n, how);
  }
});

test("a store over a hot loop's own code mid-run: the new instruction runs (blocks and interpreter)", () => {
  for (const blocks of [true, false]) {
    const m = new Machine({ ramSize: 1 << 20, startEl: 2, blocks });
    const L = CODE;
    const P = CODE + 0x2000n;
    const beq = (from: bigint, to: bigint) => (0x54000000 | (((Number(to - from) / 4) & 0x7ffff) << 5)) >>> 0;
    const b = (from: bigint, to: bigint) => I.b(Number(to - from) / 4);
    // L: movz x5, #1; add x4, x4, #1; cmp x4, #20; b.eq P; b L    P: str w7, [x8]; b L
    m.writePhys(L, words(I.movz(5, 1), I.addImm(4, 4, 1), 0xf100509f, beq(L + 12n, P), b(L + 16n, L)));
    m.writePhys(P, words(I.strW(7, 8), b(P + 4n, L)));
    m.setX(7, BigInt(I.movz(5, 9)));
    m.setX(8, L);
    m.pc = L;
    m.run({ maxSteps: 200 }); // one run: the loop is compiled long before the store at pass 20
    assert.is(m.getX(4), 40n, `blocks ${blocks}`);
    assert.is(m.getX(5), 9n, `blocks ${blocks}`);
  }
});

test("physical and virtual memory access, translate() with the MMU off and errors with codes", () => {
  const m = machine();
  m.writePhys(BASE + 0x100n, new Uint8Array([1, 2, 3]));
  assert.equal([...m.readVirt(BASE + 0x100n, 3, 1)], [1, 2, 3]);
  assert.is(m.translate(BASE + 0x100n, 1), BASE + 0x100n);
  assert.throws(
    () => m.readPhys(0n, 4),
    (e: unknown) => e instanceof SimError && e.code === "SIM_MACHINE_ADDRESS",
  );
  assert.throws(
    () => new Machine({ ramSize: 1000 }),
    (e: unknown) => e instanceof SimError && e.code === "SIM_MACHINE_OPTION",
  );
  assert.throws(
    () => m.loadElf(new Uint8Array(64)),
    (e: unknown) => e instanceof SimError && e.code === "SIM_ELF_BAD_MAGIC",
  );
});

test("MachinePlatform: simulated time from the counter, CPU 0, settable VM context", () => {
  const m = machine();
  const p = new MachinePlatform(m);
  assert.is(p.timeNs(), 0n);
  m.writePhys(CODE, words(I.b(0)));
  m.run({ maxSteps: 625 });
  assert.is(p.timeNs(), 10_000n); // 625 ticks at 62.5 MHz
  assert.is(p.cpuId(), 0);
  p.setContext(2, 1, 7n);
  assert.equal(p.context(), { vmId: 2, vcpuId: 1, exitReason: 7n });
  assert.throws(
    () => p.setContext(-1, 0),
    (e: unknown) => e instanceof SimError,
  );
});

test("bootMain: boots the selftest image to exit 0, limits and usage errors", () => {
  const out: number[] = [];
  let err = "";
  const io = {
    stdout: (b: Uint8Array) => out.push(...b),
    stderr: (s: string) => {
      err += s;
    },
    readFile: (p: string) => readFileSync(p),
  };
  const img = new URL("../oracle/images/selftest/selftest.elf", import.meta.url).pathname;
  assert.is(bootMain([img], io), 0);
  assert.ok(Buffer.from(out).toString().endsWith("selftest: done, fails=0\n"));
  assert.is(bootMain(["--max-insns", "1000", img], io), 124);
  assert.is(bootMain(["--el", "3", img], io), 2);
  assert.is(bootMain(["/nonexistent.elf"], io), 1);
  assert.ok(err.includes("--el needs 1 or 2"));
});

test.run();
