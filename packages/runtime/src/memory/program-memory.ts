/**
 * The memory of a BPF machine: one WebAssembly.Memory holding the region table, the call-frame stacks and a
 * heap (contexts, packets, map storage, read-only data, ring buffers). Engines check every load and store
 * against the region table in the same memory; helpers and host code go through `read`/`write` here.
 */

import { RuntimeError } from "../errors.ts";
import { Wasm, type WasmMemory } from "../jit/wasm-api.ts";
import {
  BPF_ADDRESS_BASE,
  BPF_ADDRESS_HI,
  FRAME_SIZE,
  HEAP_OFFSET,
  MAX_FRAMES,
  MAX_REGIONS,
  REGION_ENTRY_SIZE,
  RegionField,
  RegionFlag,
  RegionKind,
  type RegionKindName,
  STACK_OFFSET,
  STACK_SIZE,
  TABLE_ENTRIES_AT,
  TABLE_OFFSET,
  WASM_PAGE,
} from "./layout.ts";

export interface ProgramMemoryOptions {
  /** Initial size in 64 KiB pages (default 2). */
  readonly initialPages?: number;
  /** Upper bound in pages (default 16384 = 1 GiB). */
  readonly maximumPages?: number;
}

/** A region as host code sees it. */
export interface RegionInfo {
  readonly index: number;
  /** BPF address of the first byte. */
  readonly address: bigint;
  readonly wasmAddress: number;
  readonly length: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly kind: RegionKindName;
}

const KIND_NAME = new Map<number, RegionKindName>(
  (Object.keys(RegionKind) as RegionKindName[]).map((k) => [RegionKind[k], k]),
);

const entryAt = (index: number) => TABLE_OFFSET + TABLE_ENTRIES_AT + index * REGION_ENTRY_SIZE;

export class ProgramMemory {
  readonly wasm: WasmMemory;
  private readonly maximumPages: number;
  private buffer: ArrayBuffer;
  private view: DataView;
  private bytes: Uint8Array;
  private heapTop = HEAP_OFFSET;
  private regionCount = 0;
  /** [start, end) wasm addresses of the region the last successful `translate` found (engines cache it). */
  lastStart = 0;
  lastEnd = 0;
  /** Bumped whenever the table changes or the memory grows: engines drop cached regions and views then. */
  epoch = 0;

  constructor(options: ProgramMemoryOptions = {}) {
    const initial = Math.max(1, options.initialPages ?? 2);
    this.maximumPages = options.maximumPages ?? 16384;
    this.wasm = new Wasm.Memory({ initial, maximum: this.maximumPages });
    this.buffer = this.wasm.buffer;
    this.view = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
    // Region 0: all call-frame stacks, read-write. Engines rely on it being entry 0.
    this.addRegion(STACK_OFFSET, STACK_SIZE, RegionFlag.READ | RegionFlag.WRITE, "STACK");
  }

  /** A byte view of the whole memory (replaced when the memory grows: re-read it after helper calls). */
  get u8(): Uint8Array {
    this.refresh();
    return this.bytes;
  }

  get dataView(): DataView {
    this.refresh();
    return this.view;
  }

  private refresh(): void {
    if (this.wasm.buffer !== this.buffer) {
      this.buffer = this.wasm.buffer;
      this.view = new DataView(this.buffer);
      this.bytes = new Uint8Array(this.buffer);
      this.epoch++;
    }
  }

  /** BPF address of a wasm address. */
  static bpfAddress(wasmAddress: number): bigint {
    return BPF_ADDRESS_BASE + BigInt(wasmAddress);
  }

  /** r10 of call frame `depth` (0 = the entry frame): one past the top of its 512 bytes. */
  static frameTop(depth: number): bigint {
    return ProgramMemory.bpfAddress(STACK_OFFSET + STACK_SIZE - depth * FRAME_SIZE);
  }

  /** Zeroes the top `frames` call-frame stacks (all 8 by default). */
  clearStacks(frames = MAX_FRAMES): void {
    const end = STACK_OFFSET + STACK_SIZE;
    this.u8.fill(0, end - Math.min(frames, MAX_FRAMES) * FRAME_SIZE, end);
  }

  /** Reserves `size` bytes (aligned to `align`) on the heap, growing the memory when needed; zero-filled. */
  allocate(size: number, align = 8): number {
    if (!Number.isInteger(size) || size < 0 || size > 0x4000_0000) {
      throw new RuntimeError("EBPF_BAD_ARGUMENT", `cannot allocate ${size} bytes`);
    }
    const at = (this.heapTop + align - 1) & ~(align - 1);
    const end = at + size;
    const have = this.wasm.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / WASM_PAGE);
      try {
        this.wasm.grow(pages);
      } catch (e) {
        throw new RuntimeError(
          "EBPF_OUT_OF_MEMORY",
          `program memory cannot grow by ${pages} pages (maximum ${this.maximumPages} pages)`,
          { cause: e },
        );
      }
    }
    this.heapTop = end;
    this.u8.fill(0, at, end);
    return at;
  }

  /** Adds a region over `[wasmAddress, wasmAddress + length)`; returns its index. */
  addRegion(wasmAddress: number, length: number, flags: number, kind: RegionKindName): number {
    if (this.regionCount >= MAX_REGIONS) {
      throw new RuntimeError("EBPF_OUT_OF_MEMORY", `region table full (${MAX_REGIONS} regions)`);
    }
    const index = this.regionCount++;
    this.writeEntry(index, wasmAddress, length, flags, RegionKind[kind]);
    this.dataView.setUint32(TABLE_OFFSET, this.regionCount, true);
    this.epoch++;
    return index;
  }

  /** Points region `index` at another span (e.g. the context of the next run). */
  setRegion(index: number, wasmAddress: number, length: number, flags: number): void {
    this.checkIndex(index);
    const kind = this.dataView.getUint32(entryAt(index) + RegionField.kind, true);
    this.writeEntry(index, wasmAddress, length, flags, kind);
    this.epoch++;
  }

  /** Copies `data` into fresh heap memory and adds a region over it. */
  map(data: Uint8Array, flags: number, kind: RegionKindName): RegionInfo {
    const at = this.allocate(Math.max(data.length, 1));
    this.u8.set(data, at);
    return this.region(this.addRegion(at, data.length, flags, kind));
  }

  get regions(): number {
    return this.regionCount;
  }

  region(index: number): RegionInfo {
    this.checkIndex(index);
    const dv = this.dataView;
    const e = entryAt(index);
    const wasmAddress = dv.getUint32(e + RegionField.wasmAddress, true);
    const flags = dv.getUint32(e + RegionField.flags, true);
    return {
      index,
      address: dv.getBigUint64(e + RegionField.start, true),
      wasmAddress,
      length: dv.getUint32(e + RegionField.length, true),
      readable: (flags & RegionFlag.READ) !== 0,
      writable: (flags & RegionFlag.WRITE) !== 0,
      kind: KIND_NAME.get(dv.getUint32(e + RegionField.kind, true)) ?? "USER",
    };
  }

  /**
   * Checks `[lo/hi, +size)` against the table for the `need` permission bits; returns the wasm address or -1.
   * The slow path of every engine's check (they cache the last hit region in front of it).
   */
  translate(lo: number, hi: number, size: number, need: number): number {
    if (hi !== BPF_ADDRESS_HI) return -1;
    const a = lo >>> 0;
    const dv = this.dataView;
    for (let i = 0; i < this.regionCount; i++) {
      const e = entryAt(i);
      const w = dv.getUint32(e + RegionField.wasmAddress, true);
      const len = dv.getUint32(e + RegionField.length, true);
      if (a - w >= 0 && a - w + size <= len && (dv.getUint32(e + RegionField.flags, true) & need) === need) {
        this.lastStart = w;
        this.lastEnd = w + len;
        return a;
      }
    }
    return -1;
  }

  /** Index of the region holding the wasm address `a` with `need` permissions and room for `size`, or -1. */
  regionOf(a: number, size: number, need: number): number {
    const dv = this.dataView;
    for (let i = 0; i < this.regionCount; i++) {
      const e = entryAt(i);
      const w = dv.getUint32(e + RegionField.wasmAddress, true);
      const len = dv.getUint32(e + RegionField.length, true);
      if (a - w >= 0 && a - w + size <= len && (dv.getUint32(e + RegionField.flags, true) & need) === need) {
        return i;
      }
    }
    return -1;
  }

  /** Copies `length` bytes at BPF address `address` out of program memory; `EBPF_MEMORY_FAULT` outside. */
  read(address: bigint, length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const at = this.check(address, length, RegionFlag.READ, "read");
    return this.u8.slice(at, at + length);
  }

  /** Copies `data` into program memory at BPF address `address`; `EBPF_MEMORY_FAULT` outside. */
  write(address: bigint, data: Uint8Array): void {
    if (data.length === 0) return;
    const at = this.check(address, data.length, RegionFlag.WRITE, "write");
    this.u8.set(data, at);
  }

  /** Reads a NUL-terminated string of at most `max` bytes (helpers' `char *` arguments). */
  readCString(address: bigint, max = 4096): string {
    let s = "";
    for (let i = 0; i < max; i++) {
      const b = this.read(address + BigInt(i), 1)[0] ?? 0;
      if (b === 0) break;
      s += String.fromCharCode(b);
    }
    return s;
  }

  /** Wasm address of a checked access, or a `EBPF_MEMORY_FAULT` naming the address. */
  check(address: bigint, length: number, need: number, what: "read" | "write", pc?: number): number {
    const u = BigInt.asUintN(64, address);
    const at = this.translate(Number(u & 0xffffffffn), Number(u >> 32n) | 0, length, need);
    if (at < 0) throw memoryFault(what, u, length, pc, this);
    return at;
  }

  private writeEntry(index: number, wasmAddress: number, length: number, flags: number, kind: number): void {
    // A region never covers the table itself (that would let a program rewrite its own bounds) and never
    // reaches past the end of the memory.
    const ok =
      Number.isInteger(wasmAddress) &&
      Number.isInteger(length) &&
      length >= 0 &&
      (length === 0 || (wasmAddress >= STACK_OFFSET && wasmAddress + length <= this.wasm.buffer.byteLength));
    if (!ok) {
      throw new RuntimeError(
        "EBPF_BAD_ARGUMENT",
        `region [${wasmAddress}, +${length}) must lie inside program memory above the region table`,
      );
    }
    const dv = this.dataView;
    const e = entryAt(index);
    dv.setUint32(e + RegionField.start, wasmAddress, true);
    dv.setUint32(e + RegionField.start + 4, BPF_ADDRESS_HI, true);
    dv.setUint32(e + RegionField.length, length, true);
    dv.setUint32(e + RegionField.wasmAddress, wasmAddress, true);
    dv.setUint32(e + RegionField.flags, flags, true);
    dv.setUint32(e + RegionField.kind, kind, true);
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.regionCount) {
      throw new RuntimeError("EBPF_BAD_ARGUMENT", `no region ${index} (table has ${this.regionCount})`);
    }
  }
}

/**
 * The run-time error of an access outside every region. With `memory`, the message also says where the
 * address is relative to the nearest region (past its end, before it, read-only...), or that it is no pointer.
 */
export function memoryFault(
  what: "read" | "write",
  address: bigint,
  size: number,
  pc?: number,
  memory?: ProgramMemory,
): RuntimeError {
  const u = BigInt.asUintN(64, address);
  const hex = `0x${u.toString(16)}`;
  const where = pc === undefined ? "" : ` at pc ${pc}`;
  const detail =
    memory === undefined
      ? `no ${what === "read" ? "readable" : "writable"} region holds it`
      : explain(memory, u, size, what);
  return new RuntimeError(
    "EBPF_MEMORY_FAULT",
    `out-of-bounds ${what} of ${size} byte${size === 1 ? "" : "s"} at address ${hex}${where}: ${detail}`,
    pc === undefined ? { address: u } : { address: u, pc },
  );
}

function explain(memory: ProgramMemory, address: bigint, size: number, what: "read" | "write"): string {
  if (address < BPF_ADDRESS_BASE || address >= BPF_ADDRESS_BASE + 0x1_0000_0000n) {
    return address < 0x1_0000n
      ? "a NULL or small integer, not a pointer"
      : "not a pointer into program memory";
  }
  const a = Number(address - BPF_ADDRESS_BASE);
  let best = "";
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let i = 0; i < memory.regions; i++) {
    const r = memory.region(i);
    if (r.length === 0) continue;
    const end = r.wasmAddress + r.length;
    const span = `${r.kind} region [0x${r.address.toString(16)}, +${r.length})`;
    if (a >= r.wasmAddress && a + size <= end) {
      return `the ${span} is not ${what === "read" ? "readable" : "writable"}`;
    }
    let distance: number;
    let text: string;
    if (a < r.wasmAddress) {
      distance = r.wasmAddress - a;
      text = `${distance} byte${distance === 1 ? "" : "s"} before the ${span}`;
    } else if (a < end) {
      distance = 0;
      text = `runs ${a + size - end} byte${a + size - end === 1 ? "" : "s"} past the end of the ${span}`;
    } else {
      distance = a - end;
      text = `${distance} byte${distance === 1 ? "" : "s"} past the end of the ${span}`;
    }
    if (distance < bestDistance) {
      bestDistance = distance;
      best = text;
    }
  }
  return best === "" ? "no region holds it" : best;
}
