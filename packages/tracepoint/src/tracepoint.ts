import type { Platform } from "@axebpf/platform";
import { TracepointError } from "./errors.ts";
import type { EventPipeline, EventSource } from "./events/pipeline.ts";
import {
  type FieldLayout,
  type FieldSpec,
  type FieldType,
  fieldRange,
  readIntField,
  readStringField,
} from "./fields.ts";
import { type CompiledFilter, compileFilter } from "./filter/compile.ts";
import { type PrintPiece, renderPrintk } from "./printk.ts";
import { StaticKey } from "./static-key.ts";
import type { TracePipe } from "./trace-pipe.ts";

/** A value passed to `fire`: integers as number or bigint, booleans, strings for `char[N]`. */
export type TraceArg = number | bigint | boolean | string | Uint8Array;

type ArgOf<T extends FieldType> = T extends `char[${number}]`
  ? string | Uint8Array
  : T extends "bool"
    ? boolean | number
    : number | bigint;

/** The argument tuple of a tracepoint with payload fields `F`. */
export type ArgsOf<F extends readonly FieldSpec[]> = {
  [K in keyof F]: F[K] extends FieldSpec ? ArgOf<F[K]["type"]> : never;
};

/**
 * A function attached to a tracepoint. It runs for every hit that passes the filter, with the
 * record (valid only during the call; copy it to keep it), the arguments as given to `fire`, and
 * the tracepoint. An eBPF program becomes a handler through a small adapter in user code.
 */
export type TracepointHandler = (
  record: Uint8Array,
  args: readonly TraceArg[],
  tracepoint: Tracepoint,
) => void;

export interface TracepointDefinition<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  /** Subsystem, e.g. `vmm`. */
  readonly system: string;
  /** Event name, e.g. `timer_tick`. */
  readonly name: string;
  /** Payload fields, in record order. */
  readonly fields: F;
  /** Print format with one `{}` (or `{:x}`, `{:#x}`) per field; default `a={} b={}`. */
  readonly printk?: string;
  /**
   * A u64 payload field holding a duration in ns, recorded into the stats histograms and the
   * event's `duration_ns`. Default: the field named `duration_ns`, if any. `null` for none.
   */
  readonly durationField?: string | null;
}

/** What a tracepoint needs from its manager. */
export interface TracepointRuntime {
  readonly platform: Platform;
  readonly pipe: TracePipe;
  readonly events: EventPipeline;
}

/** Deepest handler → fire recursion into the same tracepoint before nested hits are dropped. */
export const MAX_FIRE_NESTING = 8;

const encoder = new TextEncoder();

// Field write kinds, chosen once per field so `fire` switches on a small integer.
const W_U8 = 0;
const W_I8 = 1;
const W_U16 = 2;
const W_I16 = 3;
const W_U32 = 4;
const W_I32 = 5;
const W_U64 = 6;
const W_I64 = 7;
const W_BOOL = 8;
const W_STR = 9;

function writeKind(f: FieldLayout): number {
  if (f.kind === "string") return W_STR;
  if (f.type === "bool") return W_BOOL;
  const base = f.size === 1 ? W_U8 : f.size === 2 ? W_U16 : f.size === 4 ? W_U32 : W_U64;
  return base + (f.signed ? 1 : 0);
}

export interface HandlerEntry {
  readonly label: string;
  readonly fn: TracepointHandler;
}

/**
 * A static tracepoint `system:name`: typed fields at fixed offsets, a print format, a static key,
 * an optional filter, handlers, stats, and one id shared by its records (`common_type`) and its
 * events (`event_id`). Created by `TracepointManager.define`.
 *
 * When the key is enabled and the filter passes, a hit: counts in the stats, goes into the trace
 * pipe, becomes a `TraceEvent` in the pipeline, and runs every handler. When the key is disabled
 * nothing runs (weak spot 10).
 */
export class Tracepoint<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly key = new StaticKey();
  readonly system: string;
  readonly name: string;
  /** `system:name`. */
  readonly fullName: string;
  /** Every field, the four `common_*` ones first. */
  readonly fields: readonly FieldLayout[];
  readonly payloadFields: readonly FieldLayout[];
  readonly recordSize: number;
  readonly printk: string;
  readonly durationField: FieldLayout | undefined;
  readonly #rt: TracepointRuntime;
  readonly #source: EventSource;
  readonly #pieces: readonly PrintPiece[];
  readonly #kinds: Uint8Array;
  readonly #offsets: Uint16Array;
  readonly #sizes: Uint16Array;
  readonly #nargs: number;
  readonly #record: Uint8Array;
  readonly #view: DataView;
  readonly #words: Uint32Array;
  #filter: CompiledFilter | undefined;
  #handlers: readonly HandlerEntry[] = [];
  #depth = 0;
  #nestingDrops = 0;
  #handlerErrors = 0;

  /** @internal use `TracepointManager.define` */
  constructor(
    rt: TracepointRuntime,
    source: EventSource,
    def: { system: string; name: string; printk: string },
    layout: { fields: FieldLayout[]; recordSize: number },
    pieces: readonly PrintPiece[],
    durationField: FieldLayout | undefined,
  ) {
    this.#rt = rt;
    this.#source = source;
    this.system = def.system;
    this.name = def.name;
    this.fullName = `${def.system}:${def.name}`;
    this.printk = def.printk;
    this.fields = layout.fields;
    this.payloadFields = layout.fields.filter((f) => !f.common);
    this.recordSize = layout.recordSize;
    this.durationField = durationField;
    this.#pieces = pieces;
    this.#kinds = Uint8Array.from(this.payloadFields, writeKind);
    this.#offsets = Uint16Array.from(this.payloadFields, (f) => f.offset);
    this.#sizes = Uint16Array.from(this.payloadFields, (f) => f.size);
    this.#nargs = Math.min(4, this.payloadFields.length);
    this.#record = new Uint8Array(this.recordSize);
    this.#view = new DataView(this.#record.buffer);
    this.#words = new Uint32Array(this.#record.buffer);
  }

  /** The one id of this tracepoint: its `common_type`, its events' `event_id`, its `id` file. */
  get id(): number {
    return this.#source.id;
  }

  /** The event source behind this tracepoint (its stats live there). */
  get source(): EventSource {
    return this.#source;
  }

  get enabled(): boolean {
    return this.key.enabled;
  }

  /** The filter expression in force, or undefined. */
  get filter(): string | undefined {
    return this.#filter?.source;
  }

  /** The compiled filter in force, or undefined. */
  get compiledFilter(): CompiledFilter | undefined {
    return this.#filter;
  }

  /** Hits dropped because handlers re-fired this tracepoint deeper than `MAX_FIRE_NESTING`. */
  get nestingDrops(): number {
    return this.#nestingDrops;
  }

  /** Exceptions thrown by handlers (each is caught, counted and logged; the caller never sees it). */
  get handlerErrors(): number {
    return this.#handlerErrors;
  }

  /**
   * Compiles `expr` against this tracepoint's fields and installs it; an empty string or `0` clears
   * the filter (like writing `0` to ftrace's filter file). A bad filter throws and leaves the old one.
   */
  setFilter(expr: string): void {
    if (typeof expr !== "string") {
      throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", `${this.fullName}: a filter must be a string`);
    }
    const t = expr.trim();
    if (t === "" || t === "0") {
      this.#filter = undefined;
      return;
    }
    this.#filter = compileFilter(expr, this.fields);
  }

  clearFilter(): void {
    this.#filter = undefined;
  }

  /** @internal handlers are managed through `TracepointManager.attach` */
  setHandlers(h: readonly HandlerEntry[]): void {
    this.#handlers = h;
  }

  /** Attached handlers with their labels, in call order. */
  handlerEntries(): readonly HandlerEntry[] {
    return this.#handlers;
  }

  handlerLabels(): string[] {
    return this.#handlers.map((h) => h.label);
  }

  /**
   * Fires the tracepoint. A disabled tracepoint returns at once. Arguments are checked against the
   * field types (a wrong count, a non-integer or an out-of-range value throws `TRACEPOINT_BAD_ARGUMENT`).
   */
  fire(...args: ArgsOf<F>): void {
    if (!this.key.enabled) return;
    this.#hit(args as unknown as readonly TraceArg[]);
  }

  #hit(args: readonly TraceArg[]): void {
    if (this.#depth >= MAX_FIRE_NESTING) {
      this.#nestingDrops++;
      return;
    }
    // A handler that fires this tracepoint again gets its own record buffer.
    let rec = this.#record;
    let view = this.#view;
    let words = this.#words;
    if (this.#depth > 0) {
      rec = new Uint8Array(this.recordSize);
      view = new DataView(rec.buffer);
      words = new Uint32Array(rec.buffer);
    }
    this.#fill(rec, view, args);
    const stats = this.#source.stats;
    if (this.#filter !== undefined && !this.#filter.matches(rec, view)) {
      stats.filtered++;
      return;
    }
    const rt = this.#rt;
    const ev = rt.events.begin();
    if (ev === undefined) return;
    // Event args: the first four payload fields, widened to u64 (strings stay 0).
    const nargs = this.#nargs;
    const kinds = this.#kinds;
    const offs = this.#offsets;
    for (let i = 0; i < nargs; i++) {
      const off = offs[i]!;
      const at = 24 + 8 * i;
      let x: number;
      switch (kinds[i]) {
        case W_U64:
        case W_I64:
          ev.setUint32(at, view.getUint32(off, true), true);
          ev.setUint32(at + 4, view.getUint32(off + 4, true), true);
          continue;
        case W_STR:
          continue;
        case W_U32:
          x = view.getUint32(off, true);
          break;
        case W_I32:
          x = view.getInt32(off, true);
          break;
        case W_U16:
          x = view.getUint16(off, true);
          break;
        case W_I16:
          x = view.getInt16(off, true);
          break;
        case W_I8:
          x = view.getInt8(off);
          break;
        default:
          x = rec[off]!;
      }
      ev.setUint32(at, x >>> 0, true);
      ev.setUint32(at + 4, x < 0 ? 0xffff_ffff : 0, true);
    }
    const tsLo = ev.getUint32(0, true);
    const tsHi = ev.getUint32(4, true);
    const cpu = ev.getUint8(9);
    const d = this.durationField;
    const durLo = d === undefined ? 0 : view.getUint32(d.offset, true);
    const durHi = d === undefined ? 0 : view.getUint32(d.offset + 4, true);
    rt.events.commit(ev, this.#source, nargs, durLo, durHi);
    rt.pipe.push(this, words, this.recordSize, tsLo, tsHi, cpu);
    const hs = this.#handlers;
    if (hs.length === 0) return;
    this.#depth++;
    try {
      for (let i = 0; i < hs.length; i++) {
        try {
          hs[i]!.fn(rec, args, this as unknown as Tracepoint);
        } catch (e) {
          this.#handlerErrors++;
          rt.platform.logger.log("warn", `handler '${hs[i]!.label}' on ${this.fullName} threw: ${String(e)}`);
        }
      }
    } finally {
      this.#depth--;
    }
  }

  #fill(rec: Uint8Array, view: DataView, args: readonly TraceArg[]): void {
    const kinds = this.#kinds;
    if (args.length !== kinds.length) {
      throw new TracepointError(
        "TRACEPOINT_BAD_ARGUMENT",
        `${this.fullName} takes ${kinds.length} arguments (${this.payloadFields.map((f) => f.name).join(", ")}), got ${args.length}`,
      );
    }
    view.setUint16(0, this.#source.id, true);
    rec[2] = 0;
    rec[3] = 0;
    view.setInt32(4, this.#rt.pipe.pid, true);
    const offs = this.#offsets;
    for (let i = 0; i < kinds.length; i++) {
      const a = args[i];
      const k = kinds[i]!;
      const off = offs[i]!;
      if (typeof a === "number" && Number.isInteger(a)) {
        // Common case: an integer as a number. Range per width.
        switch (k) {
          case W_U64:
            if (a >= 0 && a <= Number.MAX_SAFE_INTEGER) {
              view.setUint32(off, a >>> 0, true);
              view.setUint32(off + 4, (a / 0x1_0000_0000) >>> 0, true);
              continue;
            }
            break;
          case W_I64:
            if (a >= Number.MIN_SAFE_INTEGER && a <= Number.MAX_SAFE_INTEGER) {
              view.setUint32(off, a >>> 0, true);
              view.setUint32(off + 4, Math.floor(a / 0x1_0000_0000) >>> 0, true);
              continue;
            }
            break;
          case W_BOOL:
          case W_STR:
            this.#fillSlow(rec, view, i, k, off, a);
            continue;
          case W_U8:
            if (a >= 0 && a <= 0xff) {
              rec[off] = a;
              continue;
            }
            break;
          case W_I8:
            if (a >= -0x80 && a <= 0x7f) {
              view.setInt8(off, a);
              continue;
            }
            break;
          case W_U16:
            if (a >= 0 && a <= 0xffff) {
              view.setUint16(off, a, true);
              continue;
            }
            break;
          case W_I16:
            if (a >= -0x8000 && a <= 0x7fff) {
              view.setInt16(off, a, true);
              continue;
            }
            break;
          case W_U32:
            if (a >= 0 && a <= 0xffff_ffff) {
              view.setUint32(off, a, true);
              continue;
            }
            break;
          case W_I32:
            if (a >= -0x8000_0000 && a <= 0x7fff_ffff) {
              view.setInt32(off, a, true);
              continue;
            }
            break;
        }
        this.#badArg(i, a);
      }
      this.#fillSlow(rec, view, i, k, off, a);
    }
  }

  #fillSlow(
    rec: Uint8Array,
    view: DataView,
    i: number,
    k: number,
    off: number,
    a: TraceArg | undefined,
  ): void {
    if (k === W_STR) {
      const size = this.#sizes[i]!;
      const dst = rec.subarray(off, off + size);
      dst.fill(0);
      if (typeof a === "string") encoder.encodeInto(a, dst);
      else if (a instanceof Uint8Array) dst.set(a.subarray(0, size));
      else this.#badArg(i, a);
      return;
    }
    if (k === W_BOOL) {
      if (a === true || a === 1) rec[off] = 1;
      else if (a === false || a === 0) rec[off] = 0;
      else this.#badArg(i, a);
      return;
    }
    if (k === W_U64 || k === W_I64) {
      if (typeof a === "number") {
        if (Number.isSafeInteger(a) && (k === W_I64 || a >= 0)) {
          view.setUint32(off, a >>> 0, true);
          view.setUint32(off + 4, Math.floor(a / 0x1_0000_0000) >>> 0, true);
          return;
        }
      } else if (typeof a === "bigint") {
        const [lo, hi] = fieldRange(this.payloadFields[i]!);
        if (a >= lo && a <= hi) {
          view.setBigUint64(off, BigInt.asUintN(64, a), true);
          return;
        }
      }
      this.#badArg(i, a);
    }
    // Narrow integer fields given a bigint.
    if (typeof a === "bigint") {
      const f = this.payloadFields[i]!;
      const [lo, hi] = fieldRange(f);
      if (a >= lo && a <= hi) {
        const n = Number(a);
        if (f.size === 1) view.setUint8(off, n & 0xff);
        else if (f.size === 2) view.setUint16(off, n & 0xffff, true);
        else view.setUint32(off, n >>> 0, true);
        return;
      }
    }
    this.#badArg(i, a);
  }

  #badArg(i: number, a: unknown): never {
    const f = this.payloadFields[i]!;
    throw new TracepointError(
      "TRACEPOINT_BAD_ARGUMENT",
      `${this.fullName}: argument ${i} (${f.name}: ${f.type}) cannot hold ${typeof a === "bigint" ? `${a}n` : (JSON.stringify(a) ?? String(a))}`,
    );
  }

  /** Builds the record `fire` would build for these arguments, without firing. */
  encode(...args: ArgsOf<F>): Uint8Array {
    const rec = new Uint8Array(this.recordSize);
    this.#fill(rec, new DataView(rec.buffer), args as unknown as readonly TraceArg[]);
    return rec;
  }

  /** The payload of a record rendered with the print format. */
  formatPayload(record: Uint8Array): string {
    return renderPrintk(this.#pieces, record);
  }

  /** Decodes a record of this tracepoint into field values (integers as bigints, strings as text). */
  decode(record: Uint8Array): Record<string, bigint | string> {
    if (record.length < this.recordSize) {
      throw new TracepointError(
        "TRACEPOINT_EVENT_TOO_SHORT",
        `${this.fullName} records are ${this.recordSize} bytes, got ${record.length}`,
        { offset: record.length },
      );
    }
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const out: Record<string, bigint | string> = {};
    for (const f of this.fields)
      out[f.name] = f.kind === "string" ? readStringField(record, f) : readIntField(view, f);
    return out;
  }

  /** The ftrace `format` file: fields with offsets, sizes and signedness, and the print format. */
  format(): string {
    let s = `name: ${this.name}\nID: ${this.id}\nformat:\n`;
    for (const f of this.fields) {
      if (f.common) {
        s += `\tfield: ${f.type} ${f.name}; offset: ${f.offset}; size: ${f.size}; signed: ${f.signed ? 1 : 0};\n`;
      }
    }
    s += "\n";
    for (const f of this.payloadFields) {
      // No ';' after a payload field name: the original's format text, kept byte for byte.
      s += `\tfield: ${f.type} ${f.name} offset: ${f.offset}; size: ${f.size}; signed: ${f.signed ? 1 : 0};\n`;
    }
    return `${s}\nprint fmt: "${this.printk}"\n`;
  }
}
