import { TracepointError } from "./errors.ts";

/** What the pipe needs to know about the tracepoint that wrote a record. */
export interface PipeSource {
  readonly id: number;
  readonly name: string;
  formatPayload(record: Uint8Array): string;
}

/** One record read from the pipe. */
export interface PipeRecord {
  readonly tracepoint: PipeSource;
  /** A copy of the record bytes (header + payload). */
  readonly record: Uint8Array;
  readonly timestampNs: bigint;
  readonly cpu: number;
}

/** Default capacity in records, as in the original (`TRACE_PIPE`). */
export const DEFAULT_PIPE_CAPACITY = 1024;
const MAX_CAPACITY = 1 << 20;

function checkCapacity(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CAPACITY) {
    throw new TracepointError(
      "TRACEPOINT_INVALID_OPTION",
      `trace pipe capacity must be 1..${MAX_CAPACITY}, got ${n}`,
    );
  }
  return n;
}

const LEGEND = [
  "#",
  "#                                _-----=> irqs-off/BH-disabled",
  "#                               / _----=> need-resched",
  "#                              | / _---=> hardirq/softirq",
  "#                              || / _--=> preempt-depth",
  "#                              ||| / _-=> migrate-disable",
  "#                              |||| /     delay",
  "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
  "#              | |         |   |||||     |         |",
];

/**
 * The trace pipe: a bounded ring of raw records that keeps the newest ones (the oldest is
 * overwritten when full). Each record keeps the time and CPU of the hit, so lines show when it
 * happened, not when it was read (weak spot 12). Slots are reused buffers: pushing does not
 * allocate once the ring has warmed up.
 */
export class TracePipe {
  #cap: number;
  #slots: (Uint32Array | undefined)[];
  #lens: Uint32Array;
  #tsLo: Uint32Array;
  #tsHi: Uint32Array;
  #cpu: Uint32Array;
  #src: (PipeSource | undefined)[];
  #head = 0;
  #count = 0;
  #written = 0;
  #overwritten = 0;
  readonly comm: string;
  readonly pid: number;
  readonly cpus: number;

  constructor(options: { capacity?: number; comm?: string; pid?: number; cpus?: number } = {}) {
    this.#cap = checkCapacity(options.capacity ?? DEFAULT_PIPE_CAPACITY);
    this.#slots = new Array(this.#cap).fill(undefined);
    this.#lens = new Uint32Array(this.#cap);
    this.#tsLo = new Uint32Array(this.#cap);
    this.#tsHi = new Uint32Array(this.#cap);
    this.#cpu = new Uint32Array(this.#cap);
    this.#src = new Array(this.#cap).fill(undefined);
    this.comm = options.comm ?? "axvisor";
    this.pid = options.pid ?? 0;
    this.cpus = options.cpus ?? 1;
  }

  get capacity(): number {
    return this.#cap;
  }
  /** Records waiting to be read. */
  get length(): number {
    return this.#count;
  }
  /** Records ever pushed. */
  get written(): number {
    return this.#written;
  }
  /** Records lost because the pipe was full. */
  get overwritten(): number {
    return this.#overwritten;
  }

  /**
   * Copies a record of `len` bytes (a multiple of 4, as every record is) into the ring; `words` is a
   * Uint32Array view of it. Copying words in a loop beats `TypedArray.set` for records this small.
   */
  push(src: PipeSource, words: Uint32Array, len: number, tsLo: number, tsHi: number, cpu: number): void {
    let i: number;
    if (this.#count === this.#cap) {
      i = this.#head;
      this.#head = (this.#head + 1) % this.#cap;
      this.#overwritten++;
    } else {
      i = (this.#head + this.#count) % this.#cap;
      this.#count++;
    }
    let slot = this.#slots[i];
    const n = len >>> 2;
    if (slot === undefined || slot.length < n) {
      slot = new Uint32Array(Math.max(n, 16));
      this.#slots[i] = slot;
    }
    for (let k = 0; k < n; k++) slot[k] = words[k]!;
    this.#lens[i] = len;
    this.#tsLo[i] = tsLo;
    this.#tsHi[i] = tsHi;
    this.#cpu[i] = cpu;
    this.#src[i] = src;
    this.#written++;
  }

  #at(k: number): PipeRecord {
    const i = (this.#head + k) % this.#cap;
    return {
      tracepoint: this.#src[i]!,
      record: new Uint8Array(this.#slots[i]!.buffer, 0, this.#lens[i]!).slice(),
      timestampNs: (BigInt(this.#tsHi[i]!) << 32n) | BigInt(this.#tsLo[i]!),
      cpu: this.#cpu[i]!,
    };
  }

  /** Removes and returns up to `max` records, oldest first (a draining reader). */
  readRecords(max = Number.POSITIVE_INFINITY): PipeRecord[] {
    if (!(max >= 0)) {
      throw new TracepointError(
        "TRACEPOINT_INVALID_OPTION",
        `read count must be a non-negative number, got ${max}`,
      );
    }
    const n = Math.min(this.#count, Math.floor(max));
    const out: PipeRecord[] = [];
    for (let k = 0; k < n; k++) out.push(this.#at(k));
    for (let k = 0; k < n; k++) this.#src[(this.#head + k) % this.#cap] = undefined;
    this.#head = (this.#head + n) % this.#cap;
    this.#count -= n;
    return out;
  }

  /** Removes and returns up to `max` records formatted as ftrace lines (like reading `trace_pipe`). */
  read(max = Number.POSITIVE_INFINITY): string[] {
    return this.readRecords(max).map((r) => this.formatLine(r));
  }

  /** All waiting records as lines without consuming them, under the ftrace header (like `trace`). */
  snapshot(): string {
    const lines = [
      "# tracer: nop",
      "#",
      `# entries-in-buffer/entries-written: ${this.#count}/${this.#written}   #P:${this.cpus}`,
      ...LEGEND,
    ];
    for (let k = 0; k < this.#count; k++) lines.push(this.formatLine(this.#at(k)));
    return `${lines.join("\n")}\n`;
  }

  /**
   * `<comm>-<pid> [CPU] flags secs.usecs: name: payload`, the ftrace line layout. The flags column
   * is `.....` (the hypervisor records no irq/preempt state).
   */
  formatLine(r: PipeRecord): string {
    const ts = r.timestampNs;
    const secs = ts / 1_000_000_000n;
    const usecs = (ts % 1_000_000_000n) / 1000n;
    return (
      `${this.comm.padStart(16)}-${String(this.pid).padEnd(7)} [${String(r.cpu).padStart(3, "0")}] ..... ` +
      `${String(secs).padStart(5)}.${String(usecs).padStart(6, "0")}: ${r.tracepoint.name}: ${r.tracepoint.formatPayload(r.record)}`
    );
  }

  /** Changes the capacity, keeping the newest records that fit (weak spot 12). */
  setCapacity(n: number): void {
    checkCapacity(n);
    const keep = Math.min(n, this.#count);
    const drop = this.#count - keep;
    const recs: { s: Uint32Array; l: number; lo: number; hi: number; c: number; p: PipeSource }[] = [];
    for (let k = drop; k < this.#count; k++) {
      const i = (this.#head + k) % this.#cap;
      recs.push({
        s: this.#slots[i]!,
        l: this.#lens[i]!,
        lo: this.#tsLo[i]!,
        hi: this.#tsHi[i]!,
        c: this.#cpu[i]!,
        p: this.#src[i]!,
      });
    }
    this.#overwritten += drop;
    this.#cap = n;
    this.#slots = new Array(n).fill(undefined);
    this.#lens = new Uint32Array(n);
    this.#tsLo = new Uint32Array(n);
    this.#tsHi = new Uint32Array(n);
    this.#cpu = new Uint32Array(n);
    this.#src = new Array(n).fill(undefined);
    recs.forEach((r, i) => {
      this.#slots[i] = r.s;
      this.#lens[i] = r.l;
      this.#tsLo[i] = r.lo;
      this.#tsHi[i] = r.hi;
      this.#cpu[i] = r.c;
      this.#src[i] = r.p;
    });
    this.#head = 0;
    this.#count = keep;
  }

  clear(): void {
    this.#src.fill(undefined);
    this.#head = 0;
    this.#count = 0;
  }
}
