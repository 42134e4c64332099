// The `virt` machine: one AArch64 CPU (the core) with EL0-EL2, banked stack pointers and PSTATE kept
// here, the MMU between the core and physical memory, QEMU virt's devices, and every core stop turned
// into the architectural exception (exceptions.ts). Run it in slices between which interrupts are taken.
import { Cpu } from "../cpu.ts";
import { VirtDevices } from "../devices/virt.ts";
import { type MachineImage, parseMachineElf } from "../elf.ts";
import { SimError } from "../errors.ts";
import { T } from "../exec/alu.ts";
import { Mmu } from "../mmu/mmu.ts";
import { SysregFile } from "../sysreg/file.ts";
import { SysregId } from "../sysreg/table.ts";
import { type ExceptionHook, ExceptionUnit } from "./exceptions.ts";
import { PhysSpace, RAM_BASE } from "./phys.ts";
import { MachinePort } from "./sysreg-port.ts";
import { MachineBus } from "./vbus.ts";

/** Longest slice between interrupt checks (instructions). */
const SLICE = 16384;

export interface MachineOptions {
  /** RAM size in bytes at 0x4000_0000 (default 128 MiB, as QEMU's `-m 128M`) */
  readonly ramSize?: number;
  /** receives UART and semihosting console output */
  readonly output?: (bytes: Uint8Array) => void;
  /** EL at reset: 2 (virtualization=on, the default) or 1 (virtualization=off: no EL2, HVC is UNDEFINED) */
  readonly startEl?: 1 | 2;
  /** compile hot code into basic blocks (default true) */
  readonly blocks?: boolean;
  /** counter ticks per retired instruction (default 1) */
  readonly ticksPerInsn?: number;
}

/** Why `run` returned. */
export const RunStop = {
  /** the step budget ran out */
  STEPS: "steps",
  /** semihosting SYS_EXIT: `exitCode` */
  EXIT: "exit",
  /** WFI with nothing that could ever wake the CPU */
  HALT: "halt",
  /** a host breakpoint was reached, or an exception hook asked to stop */
  BREAK: "break",
} as const;
export type RunStop = (typeof RunStop)[keyof typeof RunStop];

export interface MachineRunResult {
  readonly stop: RunStop;
  /** instructions retired by this call */
  readonly steps: number;
  /** semihosting exit code when `stop` is "exit" */
  readonly exitCode: number | undefined;
}

export interface MachineRunOptions {
  /** instruction budget (default 100 million) */
  readonly maxSteps?: number;
}

/**
 * QEMU's `virt` board with one CPU: RAM at 0x4000_0000, PL011, GICv2 with its virtual interface, generic
 * timer, semihosting; EL0-EL2 with stage 1 and stage 2 translation. `run` executes in slices between
 * which interrupts and software step are taken; every core stop becomes the architectural exception.
 */
export class Machine {
  readonly cpu: Cpu;
  readonly sys: SysregFile;
  readonly mmu: Mmu;
  readonly devices: VirtDevices;
  readonly phys: PhysSpace;
  readonly bus: MachineBus;
  readonly port: MachinePort;
  readonly exc: ExceptionUnit;
  /** EL2 is implemented (QEMU's virtualization=on); false when the machine starts at EL1 */
  readonly hasEl2: boolean;
  /** PSTATE: current EL, SPSel, DAIF (bits 9:6), SS, IL */
  el = 2;
  spSel = 1;
  daif = 0x3c0;
  ss = 0;
  il = 0;
  /** SP_EL0, SP_EL1, SP_EL2 as [lo, hi] pairs; the live one is the core's SP slot */
  readonly spBank = new Int32Array(6);
  /** symbols of the last loaded image */
  symbols: ReadonlyMap<string, bigint> = new Map();
  /** host breakpoints: `run` stops before executing an instruction at one of these PCs */
  readonly breakpoints = new Set<number>();
  /** receives one line per event in the format of QEMU's `-d int` log (exception entry/return, semihosting) */
  log: ((line: string) => void) | undefined = undefined;
  /** set when the CPU stopped for good (semihosting exit) */
  exited = false;
  exitCode = 0;
  readonly ticksPerInsn: number;
  /** instructions the machine emulated on core stops (the core's `retired` does not count them) */
  retiredExtra = 0;
  // bumped by every MMU register write and TLBI: syncContext recomputes the context key only then or on
  // an EL change
  private mmuGen = 0;
  private ctxGen = -1;
  private ctxEl = -1;

  constructor(options: MachineOptions = {}) {
    const ramSize = options.ramSize ?? 128 << 20;
    if (!Number.isInteger(ramSize) || ramSize < 4096 || ramSize > 0xc000_0000 || ramSize % 4096 !== 0) {
      throw new SimError("SIM_MACHINE_OPTION", `ramSize ${ramSize} is not a multiple of 4 KiB up to 3 GiB`);
    }
    this.ticksPerInsn = options.ticksPerInsn ?? 1;
    this.hasEl2 = (options.startEl ?? 2) === 2;
    const out = options.output ?? (() => {});
    this.devices = new VirtDevices(out);
    this.phys = new PhysSpace(ramSize, this.devices.bus);
    this.mmu = new Mmu(this.phys);
    this.bus = new MachineBus(this.phys, this.mmu);
    this.cpu = new Cpu(this.bus);
    this.cpu.useBlocks = options.blocks ?? true;
    // WFI/WFE stop the core: the exception unit traps them or waits for the next event
    this.cpu.trapWfx = true;
    this.sys = new SysregFile();
    this.port = new MachinePort(this);
    this.cpu.sysregs = this.port;
    this.exc = new ExceptionUnit(this);
    this.reset(options.startEl ?? 2);
  }

  /** Cold reset: registers, system registers and PSTATE (EL2h or EL1h, DAIF masked), devices keep state. */
  reset(startEl: 1 | 2 = this.hasEl2 ? 2 : 1): void {
    if (startEl === 2 && !this.hasEl2)
      throw new SimError("SIM_MACHINE_OPTION", "reset at EL2 on a machine without EL2");
    const c = this.cpu;
    c.x.fill(0);
    c.vreg.fill(0);
    c.nzcv = 0;
    c.fpcr = 0;
    c.fpsr = 0;
    c.tpidrLo = 0;
    c.tpidrHi = 0;
    this.spBank.fill(0);
    this.sys.reset();
    this.el = startEl;
    this.spSel = 1;
    this.daif = 0x3c0;
    this.ss = 0;
    this.il = 0;
    // starting at EL1 as QEMU does with virtualization=off: EL1 is AArch64 (HCR_EL2.RW)
    if (startEl === 1) this.sys.set(SysregId.hcr_el2, 0x80000000, 0);
    this.mmuChanged();
    this.exited = false;
    this.exitCode = 0;
  }

  // ---- SysregHost ----
  setSpSel(v: number): void {
    this.saveSp();
    this.spSel = v & 1;
    this.loadSp();
  }
  /** Bank index of the live SP. */
  spIndex(): number {
    return this.spSel ? this.el : 0;
  }
  saveSp(): void {
    const k = 2 * this.spIndex();
    this.spBank[k] = this.cpu.x[62] as number;
    this.spBank[k + 1] = this.cpu.x[63] as number;
  }
  loadSp(): void {
    const k = 2 * this.spIndex();
    this.cpu.x[62] = this.spBank[k] as number;
    this.cpu.x[63] = this.spBank[k + 1] as number;
  }
  readSp(n: number): void {
    if (n === this.spIndex()) {
      T[0] = this.cpu.x[62] as number;
      T[1] = this.cpu.x[63] as number;
    } else {
      T[0] = this.spBank[2 * n] as number;
      T[1] = this.spBank[2 * n + 1] as number;
    }
  }
  writeSp(n: number, lo: number, hi: number): void {
    if (n === this.spIndex()) {
      this.cpu.x[62] = lo;
      this.cpu.x[63] = hi;
    } else {
      this.spBank[2 * n] = lo;
      this.spBank[2 * n + 1] = hi;
    }
  }
  mmuChanged(): void {
    this.mmu.syncFromSysregs(this.sys);
    this.mmuGen++;
    // may run mid-slice (MSR SCTLR_EL1): the bus must translate from the next access on
    const left = this.cpu.contextKey;
    this.syncContext();
    // the running core keeps filling the page it is on, decoded under the new translation, in the context
    // it left: forget that one
    if (this.cpu.contextKey !== left) this.cpu.dropContext(left);
  }
  /** After a TLBI: decoded code of any context may belong to a stale translation. */
  tlbChanged(): void {
    this.flushCode();
    this.mmuGen++;
    this.syncContext();
  }
  timerRead(i: number): number {
    return this.devices.timer.readSysreg(i);
  }
  timerHi(): number {
    return this.devices.timer.hi;
  }
  timerWrite(i: number, lo: number, hi: number): boolean {
    return this.devices.timer.writeSysreg(i, lo, hi);
  }
  isr(): number {
    const imo = ((this.sys.lo[SysregId.hcr_el2] as number) & (1 << 4)) !== 0;
    if (this.el < 2 && imo) return this.exc.virtualIrqPending() ? 0x80 : 0;
    return this.devices.gic.irq[0] ? 0x80 : 0;
  }

  /** Points the bus and the decode cache at the current translation regime and EL. */
  syncContext(): void {
    const w = this.mmu.walker;
    const el = this.el;
    this.bus.el = el;
    this.bus.translating = el >= 2 ? w.stage1Enabled(2) : w.stage1Enabled(1) || w.stage2Enabled;
    if (el === this.ctxEl && this.mmuGen === this.ctxGen) return;
    this.ctxEl = el;
    this.ctxGen = this.mmuGen;
    this.bus.resetMicroTlb();
    this.cpu.selectContext(this.contextKey(el));
  }

  /**
   * The decode cache's context for `el`: the EL (EL0 and EL1 differ in fetch permission) and every
   * register value the regime's translation of a fetch depends on. Switching back to a key reuses the code
   * decoded under it; TLBIs and code writes drop what may be stale in all contexts.
   */
  private contextKey(el: number): string {
    const g = this.mmu.walker.regs;
    const s = this.sys;
    if (el >= 2) {
      const m = SysregId.mair_el2;
      return `2:${g.sctlrEl2}:${g.tcrEl2}:${g.ttbr0El2Lo}:${g.ttbr0El2Hi}:${s.lo[m]}:${s.hi32[m]}`;
    }
    const m = SysregId.mair_el1;
    // HCR_EL2: only VM, DC and TGE change translation (VI/VF/IMO... toggle on every world switch)
    const hcr = g.hcrLo & 0x0800_1001;
    return (
      `${el}:${g.sctlrEl1}:${g.tcrEl1Lo}:${g.tcrEl1Hi}:${g.ttbr0El1Lo}:${g.ttbr0El1Hi}:${g.ttbr1El1Lo}:` +
      `${g.ttbr1El1Hi}:${s.lo[m]}:${s.hi32[m]}:${hcr}:${g.vtcr}:${g.vttbrLo}:${g.vttbrHi}`
    );
  }

  /** Drops every decoded instruction of every context (IC IALLU, TLBI, loads, physical writes). */
  flushCode(): void {
    this.cpu.flushDecodeCache();
    this.bus.clearCode();
  }

  // ---- loading ----

  /** Loads an ELF image by physical address as `-kernel` does and sets PC to its entry. */
  loadElf(bytes: Uint8Array): MachineImage {
    const img = parseMachineElf(bytes);
    for (const s of img.segments) {
      if (s.paddr < BigInt(RAM_BASE) || s.paddr + BigInt(s.memsz) > BigInt(RAM_BASE + this.phys.ramSize)) {
        throw new SimError(
          "SIM_MACHINE_LOAD",
          `segment at physical 0x${s.paddr.toString(16)} (+0x${s.memsz.toString(16)}) is outside RAM`,
          { address: s.paddr },
        );
      }
      const off = Number(s.paddr) - RAM_BASE;
      this.phys.ram.fill(0, off, off + s.memsz);
      this.phys.ram.set(s.data, off);
    }
    this.flushCode();
    this.symbols = img.symbols;
    this.pc = img.entry;
    return img;
  }

  // ---- registers and memory (API boundary: bigint) ----

  // The core keeps PC as a number: the 64-bit address read as signed, so both the low half and the
  // TTBR1 top half (0xffff...) are exact within 2^53 of zero.
  get pc(): bigint {
    return BigInt.asUintN(64, BigInt(this.cpu.pc));
  }
  set pc(v: bigint) {
    const s = BigInt.asIntN(64, v);
    if (s >= 1n << 53n || s < -(1n << 53n)) {
      const u = BigInt.asUintN(64, v);
      throw new SimError("SIM_MACHINE_PC", `PC 0x${u.toString(16)} is not within 2^53 of 0 (core limit)`, {
        address: u,
      });
    }
    this.cpu.pc = Number(s);
  }
  /** X0..X30 (31 = SP of the current EL and SPSel). */
  getX(i: number): bigint {
    return this.cpu.getX(i);
  }
  setX(i: number, v: bigint): void {
    this.cpu.setX(i, v);
  }
  /** Reads a system register by name (PSTATE-backed ones included). */
  getSysreg(name: keyof typeof SysregId): bigint {
    const i = SysregId[name];
    switch (i) {
      case SysregId.currentel:
        return BigInt(this.el << 2);
      case SysregId.daif:
        return BigInt(this.daif);
      case SysregId.spsel:
        return BigInt(this.spSel);
      case SysregId.nzcv:
        return BigInt(this.cpu.nzcv << 28);
      case SysregId.sp_el0:
      case SysregId.sp_el1:
      case SysregId.sp_el2:
        this.readSp(i === SysregId.sp_el0 ? 0 : i === SysregId.sp_el1 ? 1 : 2);
        return (BigInt((T[1] as number) >>> 0) << 32n) | BigInt((T[0] as number) >>> 0);
    }
    return this.sys.get(name);
  }
  /** Writes a system register by name as hardware state (no write masks; MMU state resynced). */
  setSysreg(name: keyof typeof SysregId, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    const lo = Number(u & 0xffffffffn);
    const hi = Number(u >> 32n);
    const i = SysregId[name];
    switch (i) {
      case SysregId.daif:
        this.daif = lo & 0x3c0;
        return;
      case SysregId.spsel:
        this.setSpSel(lo & 1);
        return;
      case SysregId.nzcv:
        this.cpu.nzcv = lo >>> 28;
        return;
      case SysregId.sp_el0:
      case SysregId.sp_el1:
      case SysregId.sp_el2:
        this.writeSp(i === SysregId.sp_el0 ? 0 : i === SysregId.sp_el1 ? 1 : 2, lo | 0, hi | 0);
        return;
    }
    if (!this.devices.timer.writeSysreg(i, lo, hi)) this.sys.set(i, lo, hi);
    this.mmuChanged();
  }

  /** Copies `len` bytes of physical RAM at `addr`. */
  readPhys(addr: bigint, len: number): Uint8Array {
    const off = this.physOffset(addr, len);
    return this.phys.ram.slice(off, off + len);
  }
  /** Writes bytes into physical RAM (decoded code of those pages is dropped). */
  writePhys(addr: bigint, bytes: Uint8Array): void {
    const off = this.physOffset(addr, bytes.length);
    this.phys.ram.set(bytes, off);
    this.flushCode();
  }
  private physOffset(addr: bigint, len: number): number {
    if (addr < BigInt(RAM_BASE) || addr + BigInt(len) > BigInt(RAM_BASE + this.phys.ramSize)) {
      throw new SimError("SIM_MACHINE_ADDRESS", `physical 0x${addr.toString(16)}+${len} is outside RAM`, {
        address: addr,
      });
    }
    return Number(addr) - RAM_BASE;
  }

  /**
   * Translates virtual `va` through the regime of `el` (0/1: EL1&0 with stage 2 when enabled, 2: EL2)
   * for a read, or returns undefined when it faults.
   */
  translate(va: bigint, el: number, write = false): bigint | undefined {
    const u = BigInt.asUintN(64, va);
    const ok = this.mmu.walker.translate(Number(u & 0xffffffffn), Number(u >> 32n), write ? 1 : 0, el, false);
    if (!ok) return undefined;
    const r = this.mmu.r;
    return (BigInt(r.paHi >>> 0) << 32n) | BigInt(r.paLo >>> 0);
  }
  /** Reads virtual memory through the regime of `el`; throws SIM_MACHINE_FAULT if a page does not translate. */
  readVirt(va: bigint, len: number, el: number = this.el): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; ) {
      const a = BigInt.asUintN(64, va + BigInt(i));
      const pa = this.translate(a, el);
      if (pa === undefined)
        throw new SimError("SIM_MACHINE_FAULT", `VA 0x${a.toString(16)} does not translate at EL${el}`, {
          address: a,
        });
      const n = Math.min(len - i, 4096 - Number(a & 0xfffn));
      out.set(this.readPhys(pa, n), i);
      i += n;
    }
    return out;
  }
  /** Writes virtual memory through the regime of `el` (RAM only). */
  writeVirt(va: bigint, bytes: Uint8Array, el: number = this.el): void {
    for (let i = 0; i < bytes.length; ) {
      const a = BigInt.asUintN(64, va + BigInt(i));
      const pa = this.translate(a, el, true);
      if (pa === undefined)
        throw new SimError("SIM_MACHINE_FAULT", `VA 0x${a.toString(16)} does not translate at EL${el}`, {
          address: a,
        });
      const n = Math.min(bytes.length - i, 4096 - Number(a & 0xfffn));
      this.writePhys(pa, bytes.subarray(i, i + n));
      i += n;
    }
  }

  /** Registers a hook on exceptions of class `ec` taken to `el` (see `ExceptionHook`); returns a remover. */
  onException(ec: number, el: number, hook: ExceptionHook): () => void {
    return this.exc.addHook(ec, el, hook);
  }

  // ---- running ----

  /** Runs until `maxSteps` instructions retired, a semihosting exit, a halt or a hook's break. */
  run(options: MachineRunOptions = {}): MachineRunResult {
    const max = options.maxSteps ?? 100_000_000;
    let steps = 0;
    // iterations that retired nothing (an exception taken at once) also count, so a fault loop ends
    let idle = 0;
    const timer = this.devices.timer;
    const exc = this.exc;
    const bps = this.breakpoints;
    // the instruction at the starting PC runs even if it has a breakpoint (resuming from one)
    let resume = true;
    while (steps < max && idle < max && !this.exited) {
      if (bps.size > 0) {
        if (!resume && bps.has(this.cpu.pc)) return this.result(RunStop.BREAK, steps);
        resume = false;
      }
      if (exc.takeInterrupt()) {
        idle++;
        continue;
      }
      let slice = max - steps;
      const stepping = exc.stepActive();
      if (stepping === 2) {
        // active-pending: the step exception comes before any instruction
        if (exc.softwareStep(false)) return this.result(RunStop.BREAK, steps);
        idle++;
        continue;
      }
      if (stepping === 1 || bps.size > 0) slice = 1;
      else {
        const next = timer.ticksToNextEvent();
        if (next > 0 && next !== Number.POSITIVE_INFINITY)
          slice = Math.min(slice, Math.ceil(next / this.ticksPerInsn));
        if (slice > SLICE) slice = SLICE;
      }
      this.syncContext();
      const before = this.cpu.retired;
      const stop = this.cpu.run(slice);
      let n = this.cpu.retired - before;
      steps += n;
      if (n > 0) timer.advance(n * this.ticksPerInsn);
      const emulated = exc.emulated;
      const taken = exc.taken;
      let r = exc.handleStop(stop, stepping === 1 && n === 1);
      const e = exc.emulated - emulated;
      if (e > 0) {
        // a stepped instruction the machine completed: the step exception is now pending (ERET reloads SS)
        if (stepping === 1 && exc.taken === taken && !exc.lastEret) {
          this.ss = 0;
          if (exc.stepActive() === 2 && exc.softwareStep(true) === 1) r = 1;
        }
        n += e;
        steps += e;
        this.retiredExtra += e;
        timer.advance(e * this.ticksPerInsn);
      }
      if (n === 0) idle++;
      if (r === 1) return this.result(RunStop.BREAK, steps);
      if (r === 2) return this.result(RunStop.HALT, steps);
    }
    return this.result(this.exited ? RunStop.EXIT : RunStop.STEPS, steps);
  }

  /** Adds a host breakpoint at virtual address `va` (checked against the PC of the current regime). */
  addBreakpoint(va: bigint): void {
    this.breakpoints.add(Number(BigInt.asIntN(64, va)));
  }
  removeBreakpoint(va: bigint): void {
    this.breakpoints.delete(Number(BigInt.asIntN(64, va)));
  }

  /** Executes one instruction (or takes one pending exception). */
  step(): MachineRunResult {
    return this.run({ maxSteps: 1 });
  }

  private result(stop: RunStop, steps: number): MachineRunResult {
    return { stop, steps, exitCode: stop === RunStop.EXIT ? this.exitCode : undefined };
  }

  /** Instructions retired since construction, the ones the machine completed itself included. */
  get retired(): number {
    return this.cpu.retired + this.retiredExtra;
  }
}
