/**
 * Where things live in the one WebAssembly memory every engine shares. See ARCHITECTURE.md for the picture.
 *
 * A BPF address is `BPF_ADDRESS_BASE + wasm address`: the high 32 bits of every valid pointer are
 * `BPF_ADDRESS_HI` and the low 32 bits are the byte offset in the wasm memory. So 0 (NULL) and small
 * integers are never valid pointers, and turning a checked BPF address into a wasm address costs nothing.
 */

import type { RegionTableLayout } from "../jit/memory-check.ts";

export const BPF_ADDRESS_HI = 1;
export const BPF_ADDRESS_BASE = 0x1_0000_0000n;

/** Region table: u32 entry count at `TABLE_OFFSET`, entries from `TABLE_OFFSET + 8`, 24 bytes each. */
export const TABLE_OFFSET = 0;
export const TABLE_ENTRIES_AT = 8;
export const REGION_ENTRY_SIZE = 24;
/** Field offsets inside an entry. `kind` is for tools and helpers; engines read the first four. */
export const RegionField = { start: 0, length: 8, wasmAddress: 12, flags: 16, kind: 20 } as const;
export const MAX_REGIONS = 1024;

/** Permission bits of a region. */
export const RegionFlag = { READ: 1, WRITE: 2 } as const;
/** What a region holds (stored in the entry, reported in fault messages). */
export const RegionKind = {
  STACK: 1,
  CONTEXT: 2,
  PACKET: 3,
  MAP_VALUE: 4,
  READ_ONLY_DATA: 5,
  RING_BUFFER: 6,
  GLOBAL_DATA: 7,
  USER: 8,
} as const;
export type RegionKindName = keyof typeof RegionKind;

/** Stacks: `MAX_FRAMES` frames of `FRAME_SIZE` bytes, contiguous; frame 0 is the topmost. */
export const FRAME_SIZE = 512;
export const MAX_FRAMES = 8;
export const STACK_OFFSET = 0x8000;
export const STACK_SIZE = FRAME_SIZE * MAX_FRAMES;
/** First byte the allocator hands out (contexts, packets, map storage, read-only data). */
export const HEAP_OFFSET = STACK_OFFSET + STACK_SIZE;

export const WASM_PAGE = 0x1_0000;

/** The table layout in the form the JIT's memory check takes. */
export const REGION_TABLE_LAYOUT: RegionTableLayout = {
  offset: TABLE_OFFSET,
  entriesAt: TABLE_ENTRIES_AT,
  entrySize: REGION_ENTRY_SIZE,
  start: RegionField.start,
  length: RegionField.length,
  wasmAddress: RegionField.wasmAddress,
  flags: RegionField.flags,
  flagRead: RegionFlag.READ,
  flagWrite: RegionFlag.WRITE,
};
