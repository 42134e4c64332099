// `Platform` for the tracing stack when it runs against the simulated machine: time is the generic
// timer's counter (62.5 MHz → 16 ns per tick), the CPU is 0, and the VM / vCPU / exit reason are what
// the host code acting as the hypervisor last set.
import { createLogger, type ExecutionContext, type Logger, type Platform } from "@axebpf/platform";
import { CNTFRQ } from "../devices/timer.ts";
import { SimError } from "../errors.ts";
import type { Machine } from "./machine.ts";

export interface MachinePlatformOptions {
  readonly logger?: Logger;
}

export class MachinePlatform implements Platform {
  readonly logger: Logger;
  private readonly machine: Machine;
  private ctx: ExecutionContext = { vmId: 0, vcpuId: 0, exitReason: 0n };

  constructor(machine: Machine, options: MachinePlatformOptions = {}) {
    this.machine = machine;
    this.logger = options.logger ?? createLogger({ target: "aarch64-sim" });
  }

  /** Simulated nanoseconds: CNTPCT_EL0 at CNTFRQ (monotonic: the counter only moves forward). */
  timeNs(): bigint {
    return (BigInt(this.machine.devices.timer.counter) * 1_000_000_000n) / BigInt(CNTFRQ);
  }

  /** The machine has one CPU. */
  cpuId(): number {
    return 0;
  }

  context(): ExecutionContext {
    return this.ctx;
  }

  /** Sets the VM / vCPU / exit reason (what the hypervisor code would record on a VM exit). */
  setContext(vmId: number, vcpuId: number, exitReason: bigint = 0n): void {
    if (!Number.isInteger(vmId) || vmId < 0 || !Number.isInteger(vcpuId) || vcpuId < 0) {
      throw new SimError(
        "SIM_MACHINE_OPTION",
        `context ids must be non-negative integers (vm ${vmId}, vcpu ${vcpuId})`,
      );
    }
    this.ctx = Object.freeze({ vmId, vcpuId, exitReason: BigInt.asUintN(64, exitReason) });
  }
}
