// A user-mode Linux process around the core, enough for `-nostdlib -static` test programs: the ELF's
// segments, a stack with argc/argv/envp/auxv, and the syscalls write, exit, exit_group and brk.
import { Cpu } from "./cpu.ts";
import { parseElf } from "./elf.ts";
import { SimError } from "./errors.ts";
import { FlatMemory, Perm } from "./memory.ts";
import { StopReason } from "./stop.ts";

/** Linux AArch64 syscall numbers the runner implements. */
export const Syscall = { WRITE: 64, EXIT: 93, EXIT_GROUP: 94, BRK: 214 } as const;
const ENOSYS = 38;
const EBADF = 9;
const EFAULT = 14;

/** Signal a Linux process would get for each stop reason (0 = none). */
export function signalFor(stop: StopReason): number {
  switch (stop) {
    case StopReason.BRK:
      return 5;
    case StopReason.DATA_ABORT:
    case StopReason.INSN_ABORT:
      return 11;
    case StopReason.DATA_ALIGNMENT:
    case StopReason.PC_ALIGNMENT:
      return 7;
    case StopReason.NONE:
    case StopReason.SVC:
      return 0;
    default:
      return 4;
  }
}

export interface ProcessOptions {
  /** receives bytes written to fd 1 (default: collected into `RunResult.stdout`) */
  readonly stdout?: (bytes: Uint8Array) => void;
  /** receives bytes written to fd 2 (default: collected into `RunResult.stderr`) */
  readonly stderr?: (bytes: Uint8Array) => void;
  /** argv (argv[0] is the program name); default `["a.out"]` */
  readonly argv?: readonly string[];
  /** stack size in bytes (default 1 MiB) */
  readonly stackSize?: number;
  /** stop after this many instructions (default: no limit) */
  readonly maxInstructions?: number;
  /** compile hot code into basic blocks (default true); false interprets every instruction */
  readonly blocks?: boolean;
}

export interface RunResult {
  /** true when the program called exit / exit_group */
  readonly exited: boolean;
  /** exit status: the code passed to exit, or 128 + signal when the program was killed */
  readonly exitCode: number;
  /** the signal that killed the program (SIGILL 4, SIGTRAP 5, SIGBUS 7, SIGSEGV 11), or 0 */
  readonly signal: number;
  /** why the CPU stopped when the process did not exit (for a signal or the instruction limit) */
  readonly stop: StopReason;
  /** instructions retired, including each `svc` */
  readonly instructions: number;
  readonly pc: bigint;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
}

const STACK_TOP = 0x7fff_f000_0000;
const PAGE = 4096;

/** One process: memory, CPU and syscall layer. Build, optionally inspect `cpu`/`memory`, then `run()`. */
export class UserProcess {
  readonly memory = new FlatMemory();
  readonly cpu: Cpu;
  readonly entry: number;
  private readonly out: Uint8Array[] = [];
  private readonly err: Uint8Array[] = [];
  private brk: number;
  private exitCode: number | undefined;

  constructor(
    elf: Uint8Array,
    private readonly options: ProcessOptions = {},
  ) {
    const img = parseElf(elf);
    let top = 0;
    const sorted = [...img.segments].sort((a, b) => a.vaddr - b.vaddr);
    for (const seg of sorted) {
      let start = seg.vaddr - (seg.vaddr % PAGE);
      const end = Math.ceil((seg.vaddr + seg.memsz) / PAGE) * PAGE;
      if (start < top) start = top; // shares a page with the previous segment
      if (end <= start) {
        this.copyInto(seg);
        continue;
      }
      const perm = (seg.flags & 4 ? Perm.R : 0) | (seg.flags & 2 ? Perm.W : 0) | (seg.flags & 1 ? Perm.X : 0);
      try {
        this.memory.map(start, end - start, perm);
      } catch (e) {
        throw new SimError(
          "SIM_ELF_BAD_SEGMENT",
          `ELF: segment at 0x${seg.vaddr.toString(16)} cannot be mapped`,
          {
            address: BigInt(seg.vaddr),
            cause: e,
          },
        );
      }
      this.copyInto(seg);
      top = end;
    }
    this.brk = top;
    const stackSize = options.stackSize ?? 1 << 20;
    this.memory.map(STACK_TOP - stackSize, stackSize, Perm.RW);
    this.cpu = new Cpu(this.memory);
    this.cpu.useBlocks = options.blocks ?? true;
    this.entry = img.entry;
    this.cpu.pc = img.entry;
    this.cpu.setX(31, BigInt(this.buildStack(options.argv ?? ["a.out"])));
  }

  private copyInto(seg: { vaddr: number; data: Uint8Array }): void {
    for (let i = 0; i < seg.data.length; ) {
      const r = this.memory.regionAt(seg.vaddr + i);
      if (r === undefined) throw new SimError("SIM_ELF_BAD_SEGMENT", "ELF: segment data outside its mapping");
      const off = seg.vaddr + i - r.base;
      const n = Math.min(seg.data.length - i, r.size - off);
      r.bytes.set(seg.data.subarray(i, i + n), off);
      i += n;
    }
  }

  // argc, argv pointers, NULL, envp NULL, auxv (AT_PAGESZ, AT_NULL), strings above.
  private buildStack(argv: readonly string[]): number {
    const enc = new TextEncoder();
    let p = STACK_TOP;
    const ptrs: number[] = [];
    for (const a of argv) {
      const b = enc.encode(`${a}\0`);
      p -= b.length;
      this.copyInto({ vaddr: p, data: b });
      ptrs.push(p);
    }
    p -= p % 16;
    const words = [argv.length, ...ptrs, 0, 0, 6, PAGE, 0, 0];
    p -= words.length * 8;
    p -= p % 16;
    const r = this.memory.regionAt(p);
    if (r === undefined) throw new SimError("SIM_BAD_ARGUMENT", "argv does not fit on the stack");
    const dv = new DataView(r.bytes.buffer);
    words.forEach((w, i) => {
      dv.setBigUint64(p - r.base + 8 * i, BigInt(w), true);
    });
    return p;
  }

  /** Runs until exit, a fatal signal or `maxInstructions`. */
  run(): RunResult {
    const cpu = this.cpu;
    const limit = this.options.maxInstructions ?? Number.POSITIVE_INFINITY;
    const start = cpu.retired;
    let stop: StopReason = StopReason.NONE;
    while (this.exitCode === undefined) {
      const left = limit - (cpu.retired - start);
      if (left <= 0) break;
      stop = cpu.run(Math.min(left, 1 << 24));
      if (stop === StopReason.SVC) {
        this.syscall();
        stop = StopReason.NONE;
        continue;
      }
      if (stop !== StopReason.NONE) break;
    }
    const signal = this.exitCode === undefined ? signalFor(stop) : 0;
    const concat = (parts: Uint8Array[]) => {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    };
    return {
      exited: this.exitCode !== undefined,
      exitCode: this.exitCode ?? (signal ? 128 + signal : 0),
      signal,
      stop: this.exitCode === undefined ? stop : StopReason.NONE,
      instructions: cpu.retired - start,
      pc: BigInt(cpu.pc),
      stdout: concat(this.out),
      stderr: concat(this.err),
    };
  }

  private syscall(): void {
    const cpu = this.cpu;
    const x = cpu.x;
    const nr = (x[16] as number) >>> 0; // x8
    const a0 = x[0] as number;
    let ret: number;
    switch (nr) {
      case Syscall.EXIT:
      case Syscall.EXIT_GROUP:
        this.exitCode = a0 & 0xff;
        return;
      case Syscall.WRITE:
        ret = this.write(a0, cpu.getX(1), cpu.getX(2));
        break;
      case Syscall.BRK: {
        // the break cannot grow: report the current one, as Linux does when growth fails
        ret = this.brk;
        break;
      }
      default:
        ret = -ENOSYS;
    }
    cpu.setX(0, BigInt(ret));
  }

  private write(fd: number, buf: bigint, len: bigint): number {
    if (fd !== 1 && fd !== 2) return -EBADF;
    const n = Number(len > 1n << 30n ? 1n << 30n : len);
    const bytes = new Uint8Array(n);
    const m = this.memory;
    for (let i = 0; i < n; i++) {
      const a = buf + BigInt(i);
      try {
        bytes[i] = m.read8(Number(a & 0xffffffffn) | 0, Number((a >> 32n) & 0xffffffffn) | 0);
      } catch (e) {
        if (e !== m.fault) throw e;
        if (i === 0) return -EFAULT;
        return this.emit(fd, bytes.subarray(0, i));
      }
    }
    return this.emit(fd, bytes);
  }

  private emit(fd: number, bytes: Uint8Array): number {
    const sink = fd === 1 ? this.options.stdout : this.options.stderr;
    if (sink) sink(bytes.slice());
    else (fd === 1 ? this.out : this.err).push(bytes.slice());
    return bytes.length;
  }
}

/** Loads and runs a static AArch64 Linux ELF. */
export function runElf(elf: Uint8Array, options: ProcessOptions = {}): RunResult {
  return new UserProcess(elf, options).run();
}
