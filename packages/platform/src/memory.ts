import { PlatformError } from "./errors.ts";

/** Why an access failed. Hardware-like reasons, not host errors. */
export type MemoryFaultKind =
  /** Nothing is mapped at (part of) the range. */
  | "unmapped"
  /** Mapped, but the access kind is not allowed (a write to read-only memory). */
  | "permission"
  /** A request no memory could satisfy: negative length, address past 2^64. */
  | "invalid";

export interface MemoryFault {
  readonly kind: MemoryFaultKind;
  readonly access: "read" | "write";
  /** First address of the access. */
  readonly address: bigint;
  /** Length of the access in bytes. */
  readonly size: number;
}

export type ReadResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly fault: MemoryFault };

/**
 * How helpers and probes read guest or host memory. Implementations report a fault as a value;
 * they never throw for a bad address, so a misbehaving guest or program cannot become a host error.
 */
export interface MemoryAccess {
  /** Reads `len` bytes at `addr`. The bytes are a copy the caller may keep. */
  read(addr: bigint, len: number): ReadResult;
  /** Writes all of `bytes` at `addr`, or nothing and returns the fault. */
  write(addr: bigint, bytes: Uint8Array): MemoryFault | undefined;
}

const U64_LIMIT = 1n << 64n;

/** The fault for a request that no memory could satisfy, or undefined if the request is well-formed. */
export function checkRequest(access: "read" | "write", addr: bigint, len: number): MemoryFault | undefined {
  if (!Number.isSafeInteger(len) || len < 0 || addr < 0n || addr + BigInt(len) > U64_LIMIT) {
    return { kind: "invalid", access, address: addr, size: Number.isSafeInteger(len) ? len : 0 };
  }
  return undefined;
}

export interface RegionOptions {
  /** First address of the region. */
  readonly base: bigint;
  /** Backing bytes; the region is as long as this array and aliases it (no copy). */
  readonly bytes: Uint8Array;
  /** Disallow writes. Default false. */
  readonly readOnly?: boolean;
  /** A name used in `describe()` and fault messages. */
  readonly name?: string;
}

interface Region {
  readonly base: bigint;
  readonly end: bigint;
  readonly bytes: Uint8Array;
  readonly readOnly: boolean;
  readonly name: string;
}

/**
 * Memory made of non-overlapping regions, each backed by a `Uint8Array` it aliases. An access must
 * lie inside one region; an access that straddles two regions or a hole faults, as a bounds-checked
 * DMA would. Good for tests, for host buffers handed to helpers, and as a model of a flat guest RAM.
 */
export class RegionMemory implements MemoryAccess {
  readonly #regions: Region[] = [];

  constructor(regions: readonly RegionOptions[] = []) {
    for (const r of regions) this.map(r);
  }

  /** Adds a region. Throws `PLATFORM_INVALID_ARGUMENT` if it overlaps another or leaves the 64-bit space. */
  map(options: RegionOptions): this {
    const { base, bytes } = options;
    const end = base + BigInt(bytes.length);
    const name = options.name ?? `region@0x${base.toString(16)}`;
    if (base < 0n || end > U64_LIMIT) {
      throw new PlatformError(
        "PLATFORM_INVALID_ARGUMENT",
        `${name} does not fit in the 64-bit address space`,
        {
          address: base,
        },
      );
    }
    for (const other of this.#regions) {
      if (base < other.end && other.base < end) {
        throw new PlatformError("PLATFORM_INVALID_ARGUMENT", `${name} overlaps ${other.name}`, {
          address: base,
        });
      }
    }
    this.#regions.push({ base, end, bytes, readOnly: options.readOnly ?? false, name });
    this.#regions.sort((a, b) => (a.base < b.base ? -1 : 1));
    return this;
  }

  /** Removes the region that starts at `base`; returns whether there was one. */
  unmap(base: bigint): boolean {
    const i = this.#regions.findIndex((r) => r.base === base);
    if (i < 0) return false;
    this.#regions.splice(i, 1);
    return true;
  }

  read(addr: bigint, len: number): ReadResult {
    const bad = checkRequest("read", addr, len);
    if (bad) return { ok: false, fault: bad };
    const r = this.#find(addr, len);
    if (!r) return { ok: false, fault: { kind: "unmapped", access: "read", address: addr, size: len } };
    const start = Number(addr - r.base);
    return { ok: true, bytes: r.bytes.slice(start, start + len) };
  }

  write(addr: bigint, bytes: Uint8Array): MemoryFault | undefined {
    const len = bytes.length;
    const bad = checkRequest("write", addr, len);
    if (bad) return bad;
    const r = this.#find(addr, len);
    if (!r) return { kind: "unmapped", access: "write", address: addr, size: len };
    if (r.readOnly) return { kind: "permission", access: "write", address: addr, size: len };
    r.bytes.set(bytes, Number(addr - r.base));
    return undefined;
  }

  /** One line per region: name, range and permission. */
  describe(): string[] {
    return this.#regions.map(
      (r) => `${r.name}: 0x${r.base.toString(16)}-0x${(r.end - 1n).toString(16)} ${r.readOnly ? "r-" : "rw"}`,
    );
  }

  #find(addr: bigint, len: number): Region | undefined {
    const last = addr + BigInt(Math.max(len, 1));
    for (const r of this.#regions) {
      if (addr >= r.base && last <= r.end) return r;
    }
    return undefined;
  }
}

/** Text for a fault, e.g. `read of 8 bytes at 0xdead0000: unmapped`. */
export function describeFault(f: MemoryFault): string {
  return `${f.access} of ${f.size} byte${f.size === 1 ? "" : "s"} at 0x${f.address.toString(16)}: ${f.kind}`;
}

/** The bytes of a read, or a `PLATFORM_MEMORY_FAULT` error for callers that prefer exceptions. */
export function unwrapRead(result: ReadResult): Uint8Array {
  if (result.ok) return result.bytes;
  throw new PlatformError("PLATFORM_MEMORY_FAULT", describeFault(result.fault), {
    address: result.fault.address,
  });
}

/** Reads a little-endian unsigned integer of 1, 2, 4 or 8 bytes. */
export function readUint(
  mem: MemoryAccess,
  addr: bigint,
  size: 1 | 2 | 4 | 8,
): { ok: true; value: bigint } | { ok: false; fault: MemoryFault } {
  const r = mem.read(addr, size);
  if (!r.ok) return r;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(r.bytes[i]!);
  return { ok: true, value: v };
}

/**
 * Reads a NUL-terminated string of at most `max` bytes (the NUL excluded), decoding UTF-8 with
 * replacement. A fault before the NUL or the limit is a fault, as in `strncpy_from_kernel_nofault`.
 */
export function readCString(
  mem: MemoryAccess,
  addr: bigint,
  max: number,
): { ok: true; value: string; truncated: boolean } | { ok: false; fault: MemoryFault } {
  const out: number[] = [];
  for (let i = 0; i < max; i++) {
    const r = mem.read(addr + BigInt(i), 1);
    if (!r.ok) return r;
    const b = r.bytes[0]!;
    if (b === 0) return { ok: true, value: new TextDecoder().decode(Uint8Array.from(out)), truncated: false };
    out.push(b);
  }
  return { ok: true, value: new TextDecoder().decode(Uint8Array.from(out)), truncated: true };
}
