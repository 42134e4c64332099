import type { Platform } from "@axebpf/platform";
import { TracepointError } from "./errors.ts";
import { EventPipeline } from "./events/pipeline.ts";
import { ProbeType } from "./events/probe-type.ts";
import { type FieldLayout, type FieldSpec, layoutFields } from "./fields.ts";
import { parsePrintk } from "./printk.ts";
import type { EventStatsSnapshot } from "./stats.ts";
import { TracePipe } from "./trace-pipe.ts";
import { Tracepoint, type TracepointDefinition, type TracepointHandler } from "./tracepoint.ts";
import { defineVmmTracepoints, type VmmTracepoints } from "./vmm.ts";

/** One row of `list()`. */
export interface TracepointInfo {
  /** `system:name`. */
  readonly name: string;
  readonly system: string;
  readonly event: string;
  readonly id: number;
  readonly enabled: boolean;
  readonly filter: string | undefined;
  readonly handlers: readonly string[];
}

export interface TracepointManagerOptions {
  /** Trace pipe capacity in records (default 1024). */
  readonly pipeCapacity?: number;
  /** Fallback event queue capacity (default 8192). */
  readonly eventQueueCapacity?: number;
  /** Task name shown in trace pipe lines (default `axvisor`). */
  readonly comm?: string;
  /** CPU count shown in the trace header (`#P:`); default 1. */
  readonly cpus?: number;
  /** Define the eight built-in VMM tracepoints first (ids 0–7); default true. */
  readonly builtins?: boolean;
}

/** Handle returned by `attach`. */
export interface HandlerAttachment {
  readonly tracepoint: string;
  readonly label: string;
  detach(): boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Splits `system:name` on the first `:` (so `vmm:a:b` is system `vmm`, event `a:b`, which then is
 * not found); no colon is `TRACEPOINT_INVALID_NAME`.
 */
export function parseTracepointName(full: string): { system: string; event: string } {
  const i = typeof full === "string" ? full.indexOf(":") : -1;
  if (i < 0) {
    throw new TracepointError(
      "TRACEPOINT_INVALID_NAME",
      `Invalid tracepoint name format: ${String(full)} (want system:name)`,
    );
  }
  return { system: full.slice(0, i), event: full.slice(i + 1) };
}

/**
 * Owns every tracepoint of one (simulated) hypervisor: definitions and their one id space, the
 * trace pipe, the event pipeline, handlers and stats. No globals: each test builds its own.
 */
export class TracepointManager {
  readonly platform: Platform;
  readonly pipe: TracePipe;
  readonly events: EventPipeline;
  /** The eight built-in VMM tracepoints (undefined with `builtins: false`). */
  readonly vmm: VmmTracepoints | undefined;
  readonly #byName = new Map<string, Tracepoint>();
  readonly #byId = new Map<number, Tracepoint>();
  readonly #handlers = new Map<string, TracepointHandler>();

  constructor(platform: Platform, options: TracepointManagerOptions = {}) {
    this.platform = platform;
    this.pipe = new TracePipe({
      ...(options.pipeCapacity === undefined ? {} : { capacity: options.pipeCapacity }),
      comm: options.comm ?? "axvisor",
      cpus: options.cpus ?? 1,
    });
    this.events = new EventPipeline(
      platform,
      options.eventQueueCapacity === undefined ? {} : { queueCapacity: options.eventQueueCapacity },
    );
    this.vmm = options.builtins === false ? undefined : defineVmmTracepoints(this);
  }

  /** Defines and registers a tracepoint; its id is the next one in the shared event id space. */
  define<const F extends readonly FieldSpec[]>(def: TracepointDefinition<F>): Tracepoint<F> {
    const where = `${String(def?.system)}:${String(def?.name)}`;
    if (
      typeof def?.system !== "string" ||
      !IDENT.test(def.system) ||
      typeof def.name !== "string" ||
      !IDENT.test(def.name)
    ) {
      throw new TracepointError(
        "TRACEPOINT_INVALID_NAME",
        `Invalid tracepoint name format: ${where} (system and name must match [A-Za-z_][A-Za-z0-9_]*)`,
      );
    }
    if (this.#byName.has(where)) {
      throw new TracepointError("TRACEPOINT_DUPLICATE", `tracepoint ${where} is already defined`);
    }
    if (!Array.isArray(def.fields)) {
      throw new TracepointError("TRACEPOINT_INVALID_FIELD", `${where}: fields must be an array`);
    }
    const layout = layoutFields(def.fields, where);
    const payload = layout.fields.filter((f) => !f.common);
    if (def.printk !== undefined && typeof def.printk !== "string") {
      throw new TracepointError("TRACEPOINT_INVALID_FORMAT", `${where}: printk must be a string`);
    }
    const printk = def.printk ?? payload.map((f) => `${f.name}={}`).join(" ");
    const pieces = parsePrintk(printk, payload, where);
    let duration: FieldLayout | undefined;
    const dname = def.durationField === undefined ? "duration_ns" : def.durationField;
    if (dname !== null) {
      duration = payload.find((f) => f.name === dname);
      if (duration === undefined && def.durationField !== undefined) {
        throw new TracepointError(
          "TRACEPOINT_INVALID_FIELD",
          `${where}: durationField '${dname}' is not a field`,
        );
      }
      if (duration !== undefined && (duration.kind !== "int" || duration.size !== 8 || duration.signed)) {
        throw new TracepointError(
          "TRACEPOINT_INVALID_FIELD",
          `${where}: durationField '${dname}' must be a u64`,
        );
      }
    }
    // Records carry the id as a u16 `common_type`, so tracepoint ids must fit in 16 bits.
    if (this.events.nextId > 0xffff) {
      throw new TracepointError("TRACEPOINT_ID_SPACE_EXHAUSTED", `no u16 id left for tracepoint ${where}`);
    }
    const source = this.events.registerSource(ProbeType.tracepoint, where);
    const tp = new Tracepoint<F>(
      { platform: this.platform, pipe: this.pipe, events: this.events },
      source,
      { system: def.system, name: def.name, printk },
      layout,
      pieces,
      duration,
    );
    this.#byName.set(where, tp as unknown as Tracepoint);
    this.#byId.set(tp.id, tp as unknown as Tracepoint);
    return tp;
  }

  /** The tracepoint `system:name`, or a typed error (`TRACEPOINT_INVALID_NAME` / `TRACEPOINT_NOT_FOUND`). */
  get(name: string): Tracepoint {
    parseTracepointName(name);
    const tp = this.#byName.get(name);
    if (tp === undefined) throw new TracepointError("TRACEPOINT_NOT_FOUND", `Tracepoint not found: ${name}`);
    return tp;
  }

  find(name: string): Tracepoint | undefined {
    return this.#byName.get(name);
  }

  byId(id: number): Tracepoint | undefined {
    return this.#byId.get(id);
  }

  /** Every tracepoint, sorted by subsystem then event name. */
  tracepoints(): Tracepoint[] {
    return [...this.#byName.values()].sort((a, b) =>
      a.system === b.system ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.system < b.system ? -1 : 1,
    );
  }

  list(): TracepointInfo[] {
    return this.tracepoints().map((tp) => ({
      name: tp.fullName,
      system: tp.system,
      event: tp.name,
      id: tp.id,
      enabled: tp.enabled,
      filter: tp.filter,
      handlers: tp.handlerLabels(),
    }));
  }

  get count(): number {
    return this.#byName.size;
  }

  /** Subsystem names, sorted. */
  subsystems(): string[] {
    return [...new Set(this.tracepoints().map((t) => t.system))];
  }

  enable(name: string): void {
    this.get(name).key.enable();
  }

  disable(name: string): void {
    this.get(name).key.disable();
  }

  /** False for unknown names, like the original. */
  isEnabled(name: string): boolean {
    return this.#byName.get(name)?.enabled ?? false;
  }

  /** Enables every tracepoint of `system`; returns how many. Unknown subsystem → `TRACEPOINT_NOT_FOUND`. */
  enableSubsystem(system: string): number {
    return this.#subsystem(system, true);
  }

  disableSubsystem(system: string): number {
    return this.#subsystem(system, false);
  }

  #subsystem(system: string, on: boolean): number {
    const tps = this.tracepoints().filter((t) => t.system === system);
    if (tps.length === 0)
      throw new TracepointError("TRACEPOINT_NOT_FOUND", `Tracepoint not found: ${system}`);
    for (const t of tps) {
      if (on) t.key.enable();
      else t.key.disable();
    }
    return tps.length;
  }

  /** Compiles and installs a filter (empty or `0` clears it); errors carry the column. */
  setFilter(name: string, expr: string): void {
    this.get(name).setFilter(expr);
  }

  clearFilter(name: string): void {
    this.get(name).clearFilter();
  }

  /**
   * Attaches `handler` to a tracepoint (it runs for hits that pass the filter while the tracepoint
   * is enabled). `label` names it for `detach` and listings; default `handler<N>`.
   */
  attach(name: string, handler: TracepointHandler, label?: string): HandlerAttachment {
    const tp = this.get(name);
    if (typeof handler !== "function") {
      throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", "a handler must be a function");
    }
    const labels = tp.handlerLabels();
    let n = 0;
    while (labels.includes(`handler${n}`)) n++;
    const l = label ?? `handler${n}`;
    if (labels.includes(l)) {
      throw new TracepointError("TRACEPOINT_DUPLICATE", `${name} already has a handler named '${l}'`);
    }
    const entry = { label: l, fn: handler };
    tp.setHandlers([...tp.handlerEntries(), entry]);
    return { tracepoint: name, label: l, detach: () => this.detach(name, l) };
  }

  /** Detaches the handler labelled `label` (or that function); false when it was not attached. */
  detach(name: string, handler: string | TracepointHandler): boolean {
    const tp = this.get(name);
    const cur = tp.handlerEntries();
    const next = cur.filter((e) => (typeof handler === "string" ? e.label !== handler : e.fn !== handler));
    if (next.length === cur.length) return false;
    tp.setHandlers(next);
    return true;
  }

  /** Registers a named handler so the `trace attach` command can find it (e.g. an eBPF program adapter). */
  registerHandler(name: string, handler: TracepointHandler): void {
    if (typeof handler !== "function") {
      throw new TracepointError("TRACEPOINT_BAD_ARGUMENT", "a handler must be a function");
    }
    this.#handlers.set(name, handler);
  }

  unregisterHandler(name: string): boolean {
    return this.#handlers.delete(name);
  }

  handler(name: string): TracepointHandler | undefined {
    return this.#handlers.get(name);
  }

  handlerNames(): string[] {
    return [...this.#handlers.keys()].sort();
  }

  /** Stats of one tracepoint. */
  stats(name: string): EventStatsSnapshot {
    return this.get(name).source.stats.snapshot();
  }

  /** Resets the stats of one tracepoint, or of every event source. */
  resetStats(name?: string): void {
    if (name === undefined) this.events.resetStats();
    else this.get(name).source.stats.reset();
  }
}
