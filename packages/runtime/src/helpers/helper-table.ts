/** Helpers by id, and the reusable record through which a helper sees its arguments and program memory. */

import { RuntimeError } from "../errors.ts";
import type { ProgramMemory } from "../memory/program-memory.ts";

/** A helper: r1–r5 in `call.args`, r0 out (returned, or set with `call.ret`). */
export type HelperFunction = (call: HelperCall) => bigint | number | undefined;

export interface HelperDefinition {
  readonly id: number;
  readonly name: string;
  readonly fn: HelperFunction;
}

/** The helper-call record. One per Vm, reused for every call: nothing is allocated per call. */
export class HelperCall {
  /** r1..r5 as 32-bit halves: `args[2k-2]` = low, `args[2k-1]` = high half of r<k>. */
  readonly args = new Int32Array(10);
  /** Slot index of the `call` instruction. */
  pc = 0;
  /** Helper id being called. */
  id = 0;
  r0lo = 0;
  r0hi = 0;

  constructor(readonly memory: ProgramMemory) {}

  /** Argument r<n> (1..5) as an unsigned 64-bit bigint. */
  arg(n: number): bigint {
    return (BigInt(this.args[2 * n - 1] ?? 0) << 32n) | BigInt((this.args[2 * n - 2] ?? 0) >>> 0);
  }

  /** Low 32 bits of r<n>, unsigned. */
  argLo(n: number): number {
    return (this.args[2 * n - 2] ?? 0) >>> 0;
  }

  /** r<n> as a JS number when it is below 2^53 (lengths, sizes, flags). */
  argNumber(n: number): number {
    return ((this.args[2 * n - 1] ?? 0) >>> 0) * 0x1_0000_0000 + ((this.args[2 * n - 2] ?? 0) >>> 0);
  }

  /** Sets r0 from halves. */
  ret(lo: number, hi: number): void {
    this.r0lo = lo | 0;
    this.r0hi = hi | 0;
  }

  /** Stores a helper's return value (bigint, safe integer, or undefined = keep `ret`) into r0lo/r0hi. */
  setResult(v: bigint | number | undefined): void {
    if (v === undefined) return;
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) {
        throw new RuntimeError("EBPF_HELPER_FAILED", `helper ${this.id} returned ${v}, not a safe integer`, {
          pc: this.pc,
        });
      }
      this.r0lo = v | 0;
      this.r0hi = Math.floor(v / 0x1_0000_0000) | 0;
      return;
    }
    const u = BigInt.asUintN(64, v);
    this.r0lo = Number(u & 0xffffffffn) | 0;
    this.r0hi = Number(u >> 32n) | 0;
  }
}

/** Helpers registered by Linux id. */
export class HelperTable {
  private readonly byId = new Map<number, HelperDefinition>();
  /** Indexed by id for the engines' dispatch (sparse). */
  readonly functions: (HelperFunction | undefined)[] = [];

  constructor(definitions: readonly HelperDefinition[] = []) {
    for (const d of definitions) this.register(d.id, d.name, d.fn);
  }

  register(id: number, name: string, fn: HelperFunction): this {
    if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
      throw new RuntimeError("EBPF_BAD_ARGUMENT", `helper id ${id} is not a non-negative 32-bit integer`);
    }
    this.byId.set(id, { id, name, fn });
    this.functions[id] = fn;
    return this;
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  get(id: number): HelperDefinition | undefined {
    return this.byId.get(id);
  }

  get ids(): ReadonlySet<number> {
    return new Set(this.byId.keys());
  }

  /** Calls helper `call.id` with the arguments already in `call.args`; leaves r0 in `call.r0lo/hi`. */
  invoke(call: HelperCall): void {
    const fn = this.functions[call.id];
    if (fn === undefined) {
      throw new RuntimeError("EBPF_UNKNOWN_HELPER", `call to unknown helper ${call.id} at pc ${call.pc}`, {
        pc: call.pc,
      });
    }
    call.r0lo = 0;
    call.r0hi = 0;
    let v: bigint | number | undefined;
    try {
      v = fn(call);
    } catch (e) {
      if (e instanceof RuntimeError) throw e;
      const name = this.byId.get(call.id)?.name ?? String(call.id);
      throw new RuntimeError(
        "EBPF_HELPER_FAILED",
        `helper ${name} (id ${call.id}) failed at pc ${call.pc}: ${String(e)}`,
        {
          pc: call.pc,
          cause: e,
        },
      );
    }
    call.setResult(v);
  }
}
