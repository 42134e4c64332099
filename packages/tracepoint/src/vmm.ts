import type { TracepointManager } from "./manager.ts";
import type { Tracepoint, TracepointDefinition } from "./tracepoint.ts";

/**
 * The eight built-in tracepoints of the original (spec §2.2.2): names, fields (record offsets follow
 * from C layout: header 8 bytes, u64 fields 8-aligned) and print formats. Listed in the order the
 * original assigns ids (sorted by event name), so in a fresh manager `vmm:config_load` is id 0 and
 * `vmm:vmm_init` id 7 (AxVisor shows `vmm:timer_tick` as 5).
 */
export const VMM_TRACEPOINTS = [
  {
    system: "vmm",
    name: "config_load",
    fields: [
      { name: "vm_id", type: "u32" },
      { name: "duration_ns", type: "u64" },
    ],
    printk: "vm_id={} duration_ns={}",
  },
  {
    system: "vmm",
    name: "image_load",
    fields: [
      { name: "vm_id", type: "u32" },
      { name: "image_size", type: "u64" },
      { name: "duration_ns", type: "u64" },
    ],
    printk: "vm_id={} image_size={} duration_ns={}",
  },
  {
    system: "shell",
    name: "shell_command",
    fields: [
      { name: "cmd_id", type: "u32" },
      { name: "duration_ns", type: "u64" },
    ],
    printk: "cmd_id={} duration_ns={}",
  },
  {
    system: "shell",
    name: "shell_init",
    fields: [{ name: "duration_ns", type: "u64" }],
    printk: "duration_ns={}",
  },
  {
    system: "vmm",
    name: "timer_event",
    fields: [
      { name: "event_type", type: "u32" },
      { name: "vm_id", type: "u32" },
    ],
    printk: "event_type={} vm_id={}",
  },
  {
    system: "vmm",
    name: "timer_tick",
    fields: [{ name: "timestamp", type: "u64" }],
    printk: "timestamp={}",
  },
  {
    system: "vmm",
    name: "vm_destroy",
    fields: [{ name: "vm_id", type: "u32" }],
    printk: "vm_id={}",
  },
  {
    system: "vmm",
    name: "vmm_init",
    fields: [
      { name: "cpu_count", type: "u32" },
      { name: "duration_ns", type: "u64" },
    ],
    printk: "cpu_count={} duration_ns={}",
  },
] as const;

type Def<N extends string> = Extract<(typeof VMM_TRACEPOINTS)[number], { name: N }>;
type Tp<N extends string> = Tracepoint<Def<N>["fields"]>;

/** Typed handles to the built-ins: `tps.timerTick.fire(ts)`. */
export interface VmmTracepoints {
  readonly configLoad: Tp<"config_load">;
  readonly imageLoad: Tp<"image_load">;
  readonly shellCommand: Tp<"shell_command">;
  readonly shellInit: Tp<"shell_init">;
  readonly timerEvent: Tp<"timer_event">;
  readonly timerTick: Tp<"timer_tick">;
  readonly vmDestroy: Tp<"vm_destroy">;
  readonly vmmInit: Tp<"vmm_init">;
}

/** Defines the eight built-ins in `manager` (done by the constructor unless `builtins: false`). */
export function defineVmmTracepoints(manager: TracepointManager): VmmTracepoints {
  const [configLoad, imageLoad, shellCommand, shellInit, timerEvent, timerTick, vmDestroy, vmmInit] =
    VMM_TRACEPOINTS.map((d) => manager.define(d as TracepointDefinition));
  return {
    configLoad: configLoad as Tp<"config_load">,
    imageLoad: imageLoad as Tp<"image_load">,
    shellCommand: shellCommand as Tp<"shell_command">,
    shellInit: shellInit as Tp<"shell_init">,
    timerEvent: timerEvent as Tp<"timer_event">,
    timerTick: timerTick as Tp<"timer_tick">,
    vmDestroy: vmDestroy as Tp<"vm_destroy">,
    vmmInit: vmmInit as Tp<"vmm_init">,
  };
}
