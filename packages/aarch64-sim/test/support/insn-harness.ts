// Runs one golden single-instruction test (oracle/README.md section 1) on the simulator and reports
// the differences. Test-side code: bigint is fine here.
import {
  CODE_BASE,
  CODE_FILL,
  CODE_SIZE,
  type GoldenTest,
  SCRATCH_BASE,
  SCRATCH_SIZE,
  scratchInit,
} from "../../oracle/insn/golden-format.ts";
import { Cpu, StopReason } from "../../src/cpu.ts";
import { FlatMemory, Perm } from "../../src/memory.ts";

/** Signal a Linux user process gets for each stop reason. */
export function signalOf(stop: StopReason): number {
  switch (stop) {
    case StopReason.BRK:
      return 5;
    case StopReason.DATA_ABORT:
    case StopReason.INSN_ABORT:
      return 11;
    case StopReason.DATA_ALIGNMENT:
    case StopReason.PC_ALIGNMENT:
      return 7;
    default:
      return 4;
  }
}

const hx = (v: bigint) => v.toString(16);

/** Runs golden tests of one file on one reused machine (code region, scratch buffer, CPU). */
export class GoldenRunner {
  private readonly mem = new FlatMemory();
  private readonly code: Uint8Array;
  private readonly cv: DataView;
  private readonly scratch: Uint8Array;
  private readonly init: Uint8Array;
  private readonly cpu: Cpu;

  /** `blocks`: run every test through a compiled basic block instead of the interpreter. */
  constructor(scratchSeed: number, blocks = false) {
    this.code = this.mem.map(CODE_BASE, CODE_SIZE, Perm.RWX);
    this.cv = new DataView(this.code.buffer);
    for (let i = 0; i < CODE_SIZE; i += 4) this.cv.setUint32(i, CODE_FILL, true);
    this.init = scratchInit(scratchSeed);
    this.scratch = this.mem.map(SCRATCH_BASE, SCRATCH_SIZE, Perm.RW, this.init);
    this.cpu = new Cpu(this.mem);
    this.cpu.useBlocks = blocks;
    this.cpu.hotThreshold = 1;
  }

  /** Returns a list of mismatch descriptions (empty when the simulator agrees with QEMU). */
  run(t: GoldenTest): string[] {
    const { cv, cpu, scratch } = this;
    const pc = Number(t.pc);
    t.words.forEach((w, i) => {
      cv.setUint32(pc - CODE_BASE + 4 * i, w >>> 0, true);
    });
    scratch.set(this.init);
    cpu.flushDecodeCache();
    cpu.exclActive = false;
    try {
      return this.check(t, pc);
    } finally {
      t.words.forEach((_, i) => {
        cv.setUint32(pc - CODE_BASE + 4 * i, CODE_FILL, true);
      });
    }
  }

  private check(t: GoldenTest, pc: number): string[] {
    const { cpu, scratch, init } = this;
    t.input.x.forEach((v, i) => {
      cpu.setX(i, v);
    });
    cpu.setX(31, t.input.sp);
    cpu.nzcv = t.input.nzcv;
    cpu.tpidr = t.input.tpidr;
    t.input.v.forEach((v, i) => {
      cpu.setV(i, v);
    });
    cpu.fpsr = t.input.fpsr;
    cpu.fpcr = t.input.fpcr;
    cpu.pc = pc;
    let stop: StopReason = StopReason.NONE;
    for (let i = 0; i < 100 && stop === StopReason.NONE; i++) stop = cpu.run(1000);
    const errs: string[] = [];
    const sig = signalOf(stop);
    const o = t.out;
    if (sig !== o.sig) errs.push(`sig ${sig} (stop ${stop}) != ${o.sig}`);
    const simPc = stop === StopReason.SVC ? cpu.pc - 4 : cpu.pc;
    if (BigInt(simPc) !== o.pc) errs.push(`pc ${simPc.toString(16)} != ${hx(o.pc)}`);
    if (o.addr !== undefined && cpu.faultAddress !== o.addr)
      errs.push(`addr ${hx(cpu.faultAddress)} != ${hx(o.addr)}`);
    for (let i = 0; i < 31; i++) {
      const v = cpu.getX(i);
      const e = o.state.x[i] as bigint;
      if (v !== e) errs.push(`x${i} ${hx(v)} != ${hx(e)}`);
    }
    if (cpu.getX(31) !== o.state.sp) errs.push(`sp ${hx(cpu.getX(31))} != ${hx(o.state.sp)}`);
    if (cpu.nzcv !== o.state.nzcv) errs.push(`nzcv ${cpu.nzcv.toString(16)} != ${o.state.nzcv.toString(16)}`);
    if (cpu.tpidr !== o.state.tpidr) errs.push(`tpidr ${hx(cpu.tpidr)} != ${hx(o.state.tpidr)}`);
    for (let i = 0; i < 32; i++) {
      const v = cpu.getV(i);
      const e = o.state.v[i] as bigint;
      if (v !== e) errs.push(`v${i} ${hx(v)} != ${hx(e)}`);
    }
    if (cpu.fpsr >>> 0 !== o.state.fpsr >>> 0)
      errs.push(`fpsr ${(cpu.fpsr >>> 0).toString(16)} != ${o.state.fpsr.toString(16)}`);
    if (cpu.fpcr >>> 0 !== o.state.fpcr >>> 0)
      errs.push(`fpcr ${(cpu.fpcr >>> 0).toString(16)} != ${o.state.fpcr.toString(16)}`);
    // memory: expected = init with the golden runs applied
    const want = init.slice();
    for (const [off, bytes] of o.mem) want.set(bytes, off);
    for (let i = 0; i < SCRATCH_SIZE; i++) {
      if (want[i] !== scratch[i]) {
        errs.push(`mem[+0x${i.toString(16)}] ${scratch[i]?.toString(16)} != ${want[i]?.toString(16)}`);
        break;
      }
    }
    return errs;
  }
}
