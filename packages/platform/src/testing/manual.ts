import { PlatformError } from "../errors.ts";
import { type Logger, LogLevel, type LogLevelName, levelEnabled } from "../logger.ts";
import type { ExecutionContext, Platform } from "../platform.ts";

export interface LogRecord {
  readonly level: LogLevelName;
  readonly message: string;
  /** Platform time when the line was logged. */
  readonly timeNs: bigint;
}

/** The initial mock time of the original (`platform.rs`): 1 s. */
export const DEFAULT_MANUAL_TIME_NS = 1_000_000_000n;

const U64_MASK = (1n << 64n) - 1n;

function checkU32(what: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new PlatformError("PLATFORM_INVALID_ARGUMENT", `${what} must be a u32, got ${v}`);
  }
  return v;
}

function checkU64(what: string, v: bigint): bigint {
  if (v < 0n || v > U64_MASK) {
    throw new PlatformError("PLATFORM_INVALID_ARGUMENT", `${what} must be a u64, got ${v}`);
  }
  return v;
}

/**
 * A platform whose clock, CPU id and execution context only change when a test says so, and whose
 * logger keeps every line in `lines`. Each test builds its own; nothing is shared.
 */
export class ManualPlatform implements Platform {
  readonly lines: LogRecord[] = [];
  readonly logger: Logger;
  #time: bigint;
  #cpu = 0;
  #context: ExecutionContext = { vmId: 0, vcpuId: 0, exitReason: 0n };

  constructor(options: { timeNs?: bigint; cpuId?: number; logLevel?: keyof typeof LogLevel } = {}) {
    this.#time = checkU64("timeNs", options.timeNs ?? DEFAULT_MANUAL_TIME_NS);
    if (options.cpuId !== undefined) this.#cpu = checkU32("cpuId", options.cpuId);
    const threshold = options.logLevel ?? "trace";
    this.logger = {
      level: threshold,
      enabled: (l) => levelEnabled(threshold, l),
      log: (level, message) => {
        if (levelEnabled(threshold, level)) this.lines.push({ level, message, timeNs: this.#time });
      },
    };
  }

  timeNs(): bigint {
    return this.#time;
  }

  cpuId(): number {
    return this.#cpu;
  }

  context(): ExecutionContext {
    return this.#context;
  }

  setTime(ns: bigint): this {
    this.#time = checkU64("time", ns);
    return this;
  }

  /** Moves the clock forward, wrapping at 2^64 like the original's `advance_mock_time`. */
  advance(ns: bigint): this {
    this.#time = (this.#time + checkU64("advance", ns)) & U64_MASK;
    return this;
  }

  setCpuId(id: number): this {
    this.#cpu = checkU32("cpuId", id);
    return this;
  }

  setContext(context: Partial<ExecutionContext>): this {
    const next = { ...this.#context, ...context };
    this.#context = {
      vmId: checkU32("vmId", next.vmId),
      vcpuId: checkU32("vcpuId", next.vcpuId),
      exitReason: checkU64("exitReason", next.exitReason),
    };
    return this;
  }

  /** The messages logged at `level` or above, in order. */
  messages(level: LogLevelName = "trace"): string[] {
    return this.lines.filter((l) => LogLevel[l.level] >= LogLevel[level]).map((l) => l.message);
  }
}
