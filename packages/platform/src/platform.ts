import type { Logger } from "./logger.ts";

/** What the hypervisor is doing right now, as the tracing stack sees it. */
export interface ExecutionContext {
  /** Id of the VM whose vCPU runs (or ran last) on this CPU; 0 when none. */
  readonly vmId: number;
  /** Id of that vCPU inside its VM. */
  readonly vcpuId: number;
  /**
   * Why the vCPU last left the guest: a VMM-defined code (0 = none). The eBPF helper
   * `get_exit_reason` returns it, so it is a u64 in the original; it stays a bigint here.
   */
  readonly exitReason: bigint;
}

/**
 * The seam between the tracing stack and the world it runs in: a clock, the current CPU, the
 * current VM / vCPU / exit reason, and a logger. The Node host, the simulator, and tests each
 * provide one; nothing in `@axebpf/*` reads a global clock or CPU id.
 */
export interface Platform {
  /** Monotonic time in nanoseconds. Never goes backwards. */
  timeNs(): bigint;
  /** Id of the CPU the caller runs on (0-based). */
  cpuId(): number;
  /** The VM, vCPU and exit reason current on this CPU. */
  context(): ExecutionContext;
  readonly logger: Logger;
}

export const NO_CONTEXT: ExecutionContext = Object.freeze({ vmId: 0, vcpuId: 0, exitReason: 0n });
