import { PlatformError } from "./errors.ts";
import { createLogger, type Logger } from "./logger.ts";
import { type ExecutionContext, NO_CONTEXT, type Platform } from "./platform.ts";

export interface HostPlatformOptions {
  logger?: Logger;
  /** CPU id to report; JavaScript runs each isolate on one thread, so a host has one CPU by default. */
  cpuId?: number;
}

type HrtimeProcess = { hrtime?: { bigint?: () => bigint } };

/**
 * The platform of a plain Node process: `process.hrtime.bigint()` for time (falling back to
 * `performance.now()` where there is no `process`), a fixed CPU id, and an execution context the
 * embedding VMM updates with `enterGuest` / `exitGuest`.
 */
export class HostPlatform implements Platform {
  readonly logger: Logger;
  readonly #cpuId: number;
  readonly #now: () => bigint;
  #context: ExecutionContext = NO_CONTEXT;

  constructor(options: HostPlatformOptions = {}) {
    this.logger = options.logger ?? createLogger({ target: "axebpf" });
    const cpu = options.cpuId ?? 0;
    if (!Number.isInteger(cpu) || cpu < 0 || cpu > 0xffff_ffff) {
      throw new PlatformError("PLATFORM_INVALID_ARGUMENT", `cpuId must be a u32, got ${cpu}`);
    }
    this.#cpuId = cpu;
    const hr = (globalThis as { process?: HrtimeProcess }).process?.hrtime?.bigint;
    this.#now = hr ?? (() => BigInt(Math.floor(performance.now() * 1e6)));
  }

  timeNs(): bigint {
    return this.#now();
  }

  cpuId(): number {
    return this.#cpuId;
  }

  context(): ExecutionContext {
    return this.#context;
  }

  /** Record that a vCPU of a VM is about to run on this CPU. */
  enterGuest(vmId: number, vcpuId: number): void {
    this.#context = { vmId, vcpuId, exitReason: 0n };
  }

  /** Record that the current vCPU left the guest, and why. */
  exitGuest(exitReason: bigint): void {
    this.#context = { ...this.#context, exitReason };
  }
}
