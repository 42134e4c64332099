import type { Platform } from "@axebpf/platform";
import { TracepointError } from "../errors.ts";
import { EventStats, type EventStatsSnapshot } from "../stats.ts";
import { EventNameTable } from "./name-table.ts";
import { isProbeType, type ProbeType, probeTypeName } from "./probe-type.ts";
import { decodeTraceEvent, TRACE_EVENT_ARGS, TRACE_EVENT_SIZE, type TraceEvent } from "./trace-event.ts";

/**
 * Where events go: anything with `output(bytes)`, such as the runtime's BPF ring buffer. `bytes`
 * is a 64-byte view that is only valid during the call (copy it to keep it). Returning `false` or
 * a negative number (an errno, like `bpf_ringbuf_output`) or throwing counts as a drop.
 */
export interface EventSink {
  output(bytes: Uint8Array): unknown;
}

/** A sink plugged into a pipeline, with its own counters. */
export interface SinkAttachment {
  readonly name: string;
  readonly sink: EventSink;
  readonly delivered: number;
  readonly dropped: number;
}

class SinkEntry implements SinkAttachment {
  delivered = 0;
  dropped = 0;
  constructor(
    readonly name: string,
    readonly sink: EventSink,
  ) {}
}

/** One producer of events: a tracepoint, or one probe (an entry and a return probe are two sources). */
export class EventSource {
  readonly stats = new EventStats();
  /** @internal created by `EventPipeline.registerSource` */
  constructor(
    readonly id: number,
    readonly probeType: ProbeType,
    readonly name: string,
    readonly nameOffset: number,
  ) {}
}

export interface EmitOptions {
  /** Up to four u64 arguments. */
  readonly args?: readonly (bigint | number)[];
  /** Duration in ns (0 = none). */
  readonly durationNs?: bigint | number;
  /** Defaults to the platform clock. */
  readonly timestampNs?: bigint;
}

/** Default capacity of the fallback queue, as in the original. */
export const DEFAULT_EVENT_QUEUE_CAPACITY = 8192;
/** Deepest sink → emit → sink recursion before nested events are dropped. */
export const MAX_EMIT_NESTING = 8;

const U64 = (1n << 64n) - 1n;

/** Copies one 64-byte record as 16 words; unrolled, it is several times faster than a loop or `set`. */
function copy64(w: Uint32Array, q: Uint32Array, o: number): void {
  q[o] = w[0]!;
  q[o + 1] = w[1]!;
  q[o + 2] = w[2]!;
  q[o + 3] = w[3]!;
  q[o + 4] = w[4]!;
  q[o + 5] = w[5]!;
  q[o + 6] = w[6]!;
  q[o + 7] = w[7]!;
  q[o + 8] = w[8]!;
  q[o + 9] = w[9]!;
  q[o + 10] = w[10]!;
  q[o + 11] = w[11]!;
  q[o + 12] = w[12]!;
  q[o + 13] = w[13]!;
  q[o + 14] = w[14]!;
  q[o + 15] = w[15]!;
}

function toU64(what: string, v: bigint | number): bigint {
  const b = typeof v === "number" ? (Number.isSafeInteger(v) ? BigInt(v) : -1n) : v;
  if (b < 0n || b > U64) {
    throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", `${what} must be a u64, got ${String(v)}`);
  }
  return b;
}

/**
 * The unified event pipeline (spec §3.9): every tracepoint hit and probe hit becomes one 64-byte
 * `TraceEvent`, delivered to every sink and kept in a bounded fallback queue that drops the
 * oldest. Event ids come from one counter, so a tracepoint, an hprobe and an hretprobe on the same
 * function never share an id (weak spot 22); names live in one table.
 */
export class EventPipeline {
  readonly names = new EventNameTable();
  readonly #platform: Platform;
  readonly #sources = new Map<number, EventSource>();
  #nextId = 0;
  // Replaced, never mutated, so a sink that adds or removes sinks does not disturb delivery.
  #sinks: readonly SinkEntry[] = [];
  // Fallback queue: a ring of 64-byte slots in one buffer (and its 32-bit word view for copying).
  #queue: Uint8Array;
  #queue32: Uint32Array;
  #capacity: number;
  #head = 0;
  #count = 0;
  #overwritten = 0;
  #emitted = 0;
  #nestingDrops = 0;
  // One scratch record per nesting level, so a sink that emits does not clobber its caller's record.
  readonly #scratch: Uint8Array[] = [];
  readonly #views: DataView[] = [];
  readonly #words: Uint32Array[] = [];
  #depth = 0;

  constructor(platform: Platform, options: { queueCapacity?: number } = {}) {
    this.#platform = platform;
    const cap = options.queueCapacity ?? DEFAULT_EVENT_QUEUE_CAPACITY;
    if (!Number.isSafeInteger(cap) || cap < 1 || cap > 1 << 24) {
      throw new TracepointError(
        "TRACEPOINT_INVALID_OPTION",
        `queueCapacity must be 1..${1 << 24}, got ${cap}`,
      );
    }
    this.#capacity = cap;
    this.#queue = new Uint8Array(cap * TRACE_EVENT_SIZE);
    this.#queue32 = new Uint32Array(this.#queue.buffer);
    for (let i = 0; i <= MAX_EMIT_NESTING; i++) {
      const b = new Uint8Array(TRACE_EVENT_SIZE);
      this.#scratch.push(b);
      this.#views.push(new DataView(b.buffer));
      this.#words.push(new Uint32Array(b.buffer));
    }
  }

  /** Registers a producer and gives it a fresh, never reused event id and a name offset. */
  registerSource(probeType: ProbeType, name: string): EventSource {
    if (!isProbeType(probeType)) {
      throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", `unknown probe type ${String(probeType)}`);
    }
    const id = this.#nextId;
    if (id > 0xffff_ffff) {
      throw new TracepointError("TRACEPOINT_ID_SPACE_EXHAUSTED", "event id space (u32) exhausted");
    }
    const src = new EventSource(id, probeType, name, this.names.register(name));
    this.#nextId++;
    this.#sources.set(id, src);
    return src;
  }

  /**
   * Forgets a source (a detached probe): its stats go, its id is never handed out again, and
   * queued events keep their name through the name table.
   */
  removeSource(source: EventSource): boolean {
    if (this.#sources.get(source.id) !== source) return false;
    this.#sources.delete(source.id);
    return true;
  }

  /** The id the next `registerSource` will return. */
  get nextId(): number {
    return this.#nextId;
  }

  /** The source with event id `id`. */
  source(id: number): EventSource | undefined {
    return this.#sources.get(id);
  }

  /** Registered sources, by id. */
  sources(): EventSource[] {
    return [...this.#sources.values()];
  }

  /** The name of the event with id `id` (spec `event_name_for_id`). */
  eventNameForId(id: number): string | undefined {
    return this.#sources.get(id)?.name;
  }

  addSink(sink: EventSink, name = `sink${this.#sinks.length}`): SinkAttachment {
    if (typeof sink?.output !== "function") {
      throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", "a sink needs an output(bytes) method");
    }
    const e = new SinkEntry(name, sink);
    this.#sinks = [...this.#sinks, e];
    return e;
  }

  removeSink(s: SinkAttachment | EventSink): boolean {
    const i = this.#sinks.findIndex((e) => e === s || e.sink === s);
    if (i < 0) return false;
    this.#sinks = this.#sinks.filter((_, k) => k !== i);
    return true;
  }

  sinks(): readonly SinkAttachment[] {
    return this.#sinks;
  }

  get queueCapacity(): number {
    return this.#capacity;
  }
  /** Events waiting in the fallback queue. */
  get queued(): number {
    return this.#count;
  }
  /** Events the fallback queue dropped (oldest first) because it was full. */
  get overwritten(): number {
    return this.#overwritten;
  }
  /** Events emitted since creation. */
  get emitted(): number {
    return this.#emitted;
  }
  /** Events dropped because sinks emitted recursively deeper than `MAX_EMIT_NESTING`. */
  get nestingDrops(): number {
    return this.#nestingDrops;
  }

  /**
   * @internal Hot path for producers in this package: returns a zeroed scratch record with the
   * timestamp, CPU and VM filled in, or undefined when nested too deep. Finish with `commit`.
   */
  begin(timestampNs?: bigint): DataView | undefined {
    const d = this.#depth;
    if (d > MAX_EMIT_NESTING) {
      this.#nestingDrops++;
      return undefined;
    }
    const v = this.#views[d]!;
    // Every byte is written between here and `commit`; args start zeroed (explicit stores beat
    // a loop or `fill` at this size).
    v.setBigUint64(0, timestampNs ?? this.#platform.timeNs(), true);
    v.setUint8(9, this.#platform.cpuId() & 0xff);
    v.setUint16(10, this.#platform.context().vmId & 0xffff, true);
    v.setUint32(24, 0, true);
    v.setUint32(28, 0, true);
    v.setUint32(32, 0, true);
    v.setUint32(36, 0, true);
    v.setUint32(40, 0, true);
    v.setUint32(44, 0, true);
    v.setUint32(48, 0, true);
    v.setUint32(52, 0, true);
    return v;
  }

  /** @internal Stamps the source fields into the record from `begin`, updates stats and delivers it. */
  commit(v: DataView, src: EventSource, nrArgs: number, durLo: number, durHi: number): void {
    const b = this.#scratch[this.#depth]!;
    v.setUint8(8, src.probeType);
    v.setUint32(12, src.id, true);
    v.setUint16(16, src.nameOffset, true);
    v.setUint8(18, nrArgs);
    v.setUint8(19, 0);
    v.setUint32(20, 0, true);
    v.setUint32(56, durLo, true);
    v.setUint32(60, durHi, true);
    src.stats.record(v.getUint32(0, true), v.getUint32(4, true), durHi * 0x1_0000_0000 + durLo);
    this.#emitted++;
    // Fallback queue: keep the newest `capacity` events.
    let slot: number;
    if (this.#count === this.#capacity) {
      slot = this.#head;
      this.#head = (this.#head + 1) % this.#capacity;
      this.#overwritten++;
    } else {
      slot = (this.#head + this.#count) % this.#capacity;
      this.#count++;
    }
    copy64(this.#words[this.#depth]!, this.#queue32, slot * 16);
    const sinks = this.#sinks;
    if (sinks.length === 0) return;
    this.#depth++;
    try {
      for (let i = 0; i < sinks.length; i++) {
        const s = sinks[i]!;
        let r: unknown;
        try {
          r = s.sink.output(b);
        } catch {
          r = false;
        }
        if (r === false || (typeof r === "number" && r < 0)) s.dropped++;
        else s.delivered++;
      }
    } finally {
      this.#depth--;
    }
  }

  /** Emits one event for `source` (used by probes; tracepoints emit on their own). */
  emit(source: EventSource, options: EmitOptions = {}): void {
    if (this.#sources.get(source.id) !== source) {
      throw new TracepointError(
        "TRACEPOINT_UNKNOWN_EVENT",
        `event source ${source.id} is not registered here`,
      );
    }
    const args = options.args ?? [];
    if (args.length > TRACE_EVENT_ARGS) {
      throw new TracepointError(
        "TRACEPOINT_BAD_ARGUMENT",
        `an event holds at most 4 args, got ${args.length}`,
      );
    }
    const a = args.map((x, i) => toU64(`args[${i}]`, x));
    const dur = toU64("durationNs", options.durationNs ?? 0n);
    const ts = options.timestampNs === undefined ? undefined : toU64("timestampNs", options.timestampNs);
    const v = this.begin(ts);
    if (v === undefined) return;
    for (let i = 0; i < a.length; i++) v.setBigUint64(24 + 8 * i, a[i]!, true);
    this.commit(v, source, a.length, Number(dur & 0xffff_ffffn), Number(dur >> 32n));
  }

  /** Removes and returns up to `max` events (0 = all), oldest first. */
  consume(max = 0): TraceEvent[] {
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", `max must be a non-negative integer, got ${max}`);
    }
    const n = max === 0 ? this.#count : Math.min(max, this.#count);
    const out: TraceEvent[] = [];
    for (let i = 0; i < n; i++) {
      out.push(decodeTraceEvent(this.#queue, this.#head * TRACE_EVENT_SIZE));
      this.#head = (this.#head + 1) % this.#capacity;
      this.#count--;
    }
    return out;
  }

  /** Drops every queued event. */
  clearQueue(): void {
    this.#head = 0;
    this.#count = 0;
  }

  /** Stats of every source that saw at least one event, by id. */
  allStats(): { id: number; name: string; probeType: string; stats: EventStatsSnapshot }[] {
    return this.sources()
      .filter((s) => s.stats.count > 0 || s.stats.filtered > 0)
      .map((s) => ({
        id: s.id,
        name: s.name,
        probeType: probeTypeName(s.probeType),
        stats: s.stats.snapshot(),
      }));
  }

  resetStats(): void {
    for (const s of this.#sources.values()) s.stats.reset();
  }
}
