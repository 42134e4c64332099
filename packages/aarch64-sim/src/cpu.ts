// The processor: register file in typed arrays, PSTATE flags, the decode cache and the run loop.
// The executor never throws for anything the guest does: it stops with an exception result that the
// caller (the user-mode runner here, the exception model in part 2) turns into what the architecture says.

import { BLOCK_MAX, type Block, buildBlock } from "./block.ts";
import { decode } from "./decode/index.ts";
import type { Exec } from "./decode/types.ts";
import { SimError } from "./errors.ts";
import type { Bus } from "./memory.ts";
import { StopReason } from "./stop.ts";
import { type SysregPort, UserSysregs } from "./sysregs.ts";

export { Slot, StopReason } from "./stop.ts";

const PAGE = 4096;

interface BlockPage {
  readonly blocks: (Block | undefined)[];
  readonly hits: Uint8Array;
}
const EMPTY_BLOCK_PAGE: BlockPage = { blocks: [], hits: new Uint8Array(0) };

/** Decoded code of one translation context: the same VA can hold other code (or other permissions) in another. */
interface CodeContext {
  readonly pages: Map<number, (Exec | undefined)[]>;
  readonly blockPages: Map<number, BlockPage>;
}
const newContext = (): CodeContext => ({ pages: new Map(), blockPages: new Map() });
/** Contexts kept, the selected one included (the least recently selected is dropped first). */
const MAX_CONTEXTS = 8;

export class Cpu {
  /** X0..X30, SP, zero, discard, scratch: 35 slots of [lo, hi] int32 halves. */
  readonly x = new Int32Array(70);
  /** V0..V31 (SIMD&FP), 4 little-endian int32 words each. */
  readonly vreg = new Int32Array(128);
  /** Address of the current instruction (below 2^53). */
  pc = 0;
  nf = 0;
  zf = 0;
  cf = 0;
  vf = 0;
  tpidrLo = 0;
  tpidrHi = 0;
  fpcr = 0;
  fpsr = 0;
  /** Local exclusive monitor: armed by LDXR/LDAXR/LDXP, cleared by CLREX and every STXR. */
  exclActive = false;
  exclLo = 0;
  exclHi = 0;
  exclSize = 0;
  readonly exclVal = new Int32Array(4);
  /** Set when the last run stopped with an exception: the imm16 of BRK/SVC/HVC/SMC/HLT. */
  excImm = 0;
  /** Fault address of DATA_ABORT / INSN_ABORT / alignment stops, as halves. */
  faultLo = 0;
  faultHi = 0;
  faultWrite = false;
  /** The word that stopped the run with UNDEFINED (or the exception-generating word). */
  excWord = 0;
  /** Instructions retired since construction (SVC/HVC/SMC count as retired; faults and BRK do not). */
  retired = 0;
  /** Stop reason code of the instruction that just ran (set by handlers that return STOP). */
  stop: StopReason = StopReason.NONE;
  readonly bus: Bus;
  /** Stop at WFI/WFE (StopReason.WFI/WFE) instead of running them as NOPs: a system model must trap or
   * wait on them; user mode (false) has nothing to wait for. */
  trapWfx = false;
  /** How MRS/MSR reach system registers (EL0 view by default). */
  sysregs: SysregPort = new UserSysregs();
  /** Decode caches by translation context key (see `selectContext`), in least recently selected order. */
  private readonly contexts = new Map<string, CodeContext>();
  private ctxKey = "";
  // the selected context's decoded instructions and compiled basic blocks per 4 KiB page of VA
  private pages: Map<number, (Exec | undefined)[]>;
  private blockPages: Map<number, BlockPage>;
  /** Run hot code as compiled basic blocks (block.ts); false = interpret every instruction. */
  useBlocks = true;
  /** Entries at one address before its block is compiled (cold code stays interpreted); 1..255. */
  hotThreshold = 8;
  /** Index within the running block of the instruction being executed (set by compiled blocks). */
  blockIndex = 0;

  constructor(bus: Bus) {
    this.bus = bus;
    const c = newContext();
    this.contexts.set("", c);
    this.pages = c.pages;
    this.blockPages = c.blockPages;
    bus.onCodeWrite = (addr) => this.invalidate(addr);
  }

  /**
   * Drops the decoded instruction at `addr` (called by the bus when code is written) in every context:
   * the bus knows the VAs that fetched the written page but not under which context, so all are dropped.
   */
  invalidate(addr: number): void {
    const base = addr - (((addr % PAGE) + PAGE) % PAGE); // floor: PCs of top-half VAs are negative
    const i = (addr - base) >>> 2;
    for (const c of this.contexts.values()) {
      const page = c.pages.get(base);
      if (page) {
        page[i] = undefined;
        if (i + 1 < page.length) page[i + 1] = undefined;
      }
      // blocks never cross a page: drop the page's blocks (a running block finishes with its old code)
      c.blockPages.delete(base);
    }
  }

  /** Forgets every decoded instruction, of every context. */
  flushDecodeCache(): void {
    for (const c of this.contexts.values()) {
      c.pages.clear();
      c.blockPages.clear();
    }
  }

  /** Key of the selected translation context. */
  get contextKey(): string {
    return this.ctxKey;
  }

  /**
   * Makes the decode cache of context `key` current (the machine's key names the EL and the registers its
   * translation depends on), so code decoded under it earlier is reused; creates it empty if unknown. Takes
   * effect at the next run, or when a running one leaves its current page.
   */
  selectContext(key: string): void {
    if (key === this.ctxKey) return;
    let c = this.contexts.get(key);
    if (c === undefined) c = newContext();
    else this.contexts.delete(key); // re-inserted last: the map's order is least recently selected first
    this.contexts.set(key, c);
    if (this.contexts.size > MAX_CONTEXTS) {
      const oldest = this.contexts.keys().next().value as string;
      this.contexts.delete(oldest);
    }
    this.ctxKey = key;
    this.pages = c.pages;
    this.blockPages = c.blockPages;
  }

  /** Forgets the decoded code of context `key` (the selected one is emptied). */
  dropContext(key: string): void {
    const c = this.contexts.get(key);
    if (c === undefined) return;
    if (key === this.ctxKey) {
      c.pages.clear();
      c.blockPages.clear();
    } else this.contexts.delete(key);
  }

  get nzcv(): number {
    return (this.nf << 3) | (this.zf << 2) | (this.cf << 1) | this.vf;
  }
  set nzcv(v: number) {
    this.nf = (v >> 3) & 1;
    this.zf = (v >> 2) & 1;
    this.cf = (v >> 1) & 1;
    this.vf = v & 1;
  }

  /** Reads X<i> (0..30) or SP (31) as an unsigned bigint. */
  getX(i: number): bigint {
    checkReg(i);
    return (BigInt((this.x[2 * i + 1] as number) >>> 0) << 32n) | BigInt((this.x[2 * i] as number) >>> 0);
  }
  /** Writes X<i> (0..30) or SP (31). */
  setX(i: number, v: bigint): void {
    checkReg(i);
    const u = BigInt.asUintN(64, v);
    this.x[2 * i] = Number(u & 0xffffffffn) | 0;
    this.x[2 * i + 1] = Number(u >> 32n) | 0;
  }
  /** Reads V<i> (0..31) as an unsigned 128-bit bigint. */
  getV(i: number): bigint {
    checkVReg(i);
    let v = 0n;
    for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt((this.vreg[4 * i + k] as number) >>> 0);
    return v;
  }
  /** Writes V<i> (0..31) from a 128-bit value. */
  setV(i: number, v: bigint): void {
    checkVReg(i);
    let u = BigInt.asUintN(128, v);
    for (let k = 0; k < 4; k++) {
      this.vreg[4 * i + k] = Number(u & 0xffffffffn) | 0;
      u >>= 32n;
    }
  }
  get tpidr(): bigint {
    return (BigInt(this.tpidrHi >>> 0) << 32n) | BigInt(this.tpidrLo >>> 0);
  }
  set tpidr(v: bigint) {
    const u = BigInt.asUintN(64, v);
    this.tpidrLo = Number(u & 0xffffffffn) | 0;
    this.tpidrHi = Number(u >> 32n) | 0;
  }
  /** Fault address of the last abort/alignment stop. */
  get faultAddress(): bigint {
    return (BigInt(this.faultHi >>> 0) << 32n) | BigInt(this.faultLo >>> 0);
  }

  /**
   * Runs until an exception or until `limit` instructions have retired. Returns the stop reason; on
   * an exception `pc` is the address of the instruction that raised it (for SVC/HVC/SMC: the
   * instruction after it, the preferred return address), or the bad target for PC_ALIGNMENT and
   * fetch aborts.
   */
  run(limit: number): StopReason {
    const bus = this.bus;
    let pc = this.pc;
    let n = 0;
    let base = -1;
    let page: (Exec | undefined)[] = [];
    let bbase = -1;
    let bpage: BlockPage = EMPTY_BLOCK_PAGE;
    // start address of the block running when a fault is thrown (inBlock: a flag, as top-half PCs are negative)
    let start = 0;
    let inBlock = false;
    this.stop = StopReason.NONE;
    try {
      while (n < limit) {
        const off = pc - base;
        if (off < 0 || off >= PAGE) {
          if (pc % 4 !== 0) {
            this.retired += n;
            return this.pcAlignment(pc);
          }
          base = pc - (((pc % PAGE) + PAGE) % PAGE); // floor: PCs of top-half VAs are negative
          let p = this.pages.get(base);
          if (p === undefined) {
            p = new Array<Exec | undefined>(PAGE / 4).fill(undefined);
            this.pages.set(base, p);
          }
          page = p;
          continue;
        }
        if (this.useBlocks && limit - n >= BLOCK_MAX) {
          if (bbase !== base) {
            bbase = base;
            let bp = this.blockPages.get(base);
            if (bp === undefined) {
              bp = {
                blocks: new Array<Block | undefined>(PAGE / 4).fill(undefined),
                hits: new Uint8Array(PAGE / 4),
              };
              this.blockPages.set(base, bp);
            }
            bpage = bp;
          }
          const bi = off >>> 2;
          let blk = bpage.blocks[bi];
          if (blk === undefined && ++(bpage.hits[bi] as number) >= this.hotThreshold) {
            blk = buildBlock(this, pc);
            bpage.blocks[bi] = blk;
          }
          if (blk !== undefined) {
            start = pc;
            inBlock = true;
            const r = blk.run(this);
            inBlock = false;
            if (r === 0) {
              n += blk.count;
              pc += 4 * blk.count;
              continue;
            }
            if (r === 1) {
              n += blk.count;
              pc = this.pc;
              if (pc % 4 !== 0) {
                this.retired += n;
                return this.pcAlignment(pc);
              }
              continue;
            }
            // stopped inside the block: same handling as an interpreted stop at that instruction
            n += this.blockIndex;
            pc += 4 * this.blockIndex;
            const st = this.stop as StopReason;
            if (st === StopReason.UNDEFINED || st === StopReason.DATA_ALIGNMENT) this.pc = pc;
            if (st === StopReason.SVC || st === StopReason.HVC || st === StopReason.SMC) n++;
            this.retired += n;
            return this.stop;
          }
        }
        let fn = page[off >>> 2];
        if (fn === undefined) {
          this.pc = pc;
          const word = bus.fetch32((pc % 4294967296) | 0, Math.floor(pc / 4294967296));
          fn = decode(word, pc).exec;
          page[off >>> 2] = fn;
        }
        // handlers know their own address (decoded per pc): pc is stored only when leaving the loop
        const r = fn(this);
        if (r === 0) {
          pc += 4;
          n++;
        } else if (r === 1) {
          pc = this.pc;
          n++;
          if (pc % 4 !== 0) {
            this.retired += n;
            return this.pcAlignment(pc);
          }
        } else {
          // handler stopped: this.stop says why; exception generators set pc themselves
          const st = this.stop as StopReason;
          if (st === StopReason.UNDEFINED || st === StopReason.DATA_ALIGNMENT) this.pc = pc;
          if (st === StopReason.SVC || st === StopReason.HVC || st === StopReason.SMC) n++;
          this.retired += n;
          return this.stop;
        }
      }
      this.pc = pc;
      this.retired += n;
      return StopReason.NONE;
    } catch (e) {
      if (e !== bus.fault) throw e;
      if (inBlock) {
        // a block faulted at one of its instructions: that one did not retire
        n += this.blockIndex;
        pc = start + 4 * this.blockIndex;
      }
      this.pc = pc;
      this.retired += n;
      const f = bus.fault;
      this.faultLo = f.lo;
      this.faultHi = f.hi;
      this.faultWrite = f.write;
      if (f.fetch) {
        return this.halt(StopReason.INSN_ABORT);
      }
      return this.halt(StopReason.DATA_ABORT);
    }
  }

  // A misaligned PC faults as a fetch abort when nothing is mapped there (what QEMU reports), else
  // as PC alignment.
  private pcAlignment(pc: number): StopReason {
    this.pc = pc;
    const lo = (pc % 4294967296) | 0;
    const hi = Math.floor(pc / 4294967296) | 0;
    this.faultLo = lo;
    this.faultHi = hi;
    try {
      this.bus.fetch32(lo & ~3, hi);
    } catch (e) {
      if (e !== this.bus.fault) throw e;
      return this.halt(StopReason.INSN_ABORT);
    }
    return this.halt(StopReason.PC_ALIGNMENT);
  }

  private halt(r: StopReason): StopReason {
    this.stop = r;
    return r;
  }

  /** Executes one instruction. */
  step(): StopReason {
    return this.run(1);
  }
}

function checkVReg(i: number): void {
  if (!Number.isInteger(i) || i < 0 || i > 31) {
    throw new SimError("SIM_BAD_REGISTER", `vector register index ${i} is not 0..31`);
  }
}

function checkReg(i: number): void {
  if (!Number.isInteger(i) || i < 0 || i > 31) {
    throw new SimError("SIM_BAD_REGISTER", `register index ${i} is not 0..31 (31 = SP)`);
  }
}
