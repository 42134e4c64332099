import { TracepointError } from "../errors.ts";

/** Highest name offset; offsets are u16 and 0 means "no name". */
export const MAX_NAME_OFFSET = 0xffff;

/**
 * The event name table: `TraceEvent.name_offset` indexes it. Offset 0 is reserved for "no name", so
 * an event built without a name is never attributed to the first registered one (weak spot 22).
 * Lookup by name is a hash map, not a linear scan.
 */
export class EventNameTable {
  readonly #names: string[] = [""];
  readonly #index = new Map<string, number>();

  /** The offset of `name`, adding it if new. */
  register(name: string): number {
    const known = this.#index.get(name);
    if (known !== undefined) return known;
    if (this.#names.length > MAX_NAME_OFFSET) {
      throw new TracepointError(
        "TRACEPOINT_NAME_TABLE_FULL",
        `event name table is full (${MAX_NAME_OFFSET} names); cannot add '${name}'`,
      );
    }
    const off = this.#names.length;
    this.#names.push(name);
    this.#index.set(name, off);
    return off;
  }

  /** The name at `offset`, or undefined for 0 and unknown offsets. */
  get(offset: number): string | undefined {
    return offset === 0 ? undefined : this.#names[offset];
  }

  offsetOf(name: string): number | undefined {
    return this.#index.get(name);
  }

  /** Number of names (not counting the reserved offset 0). */
  get size(): number {
    return this.#names.length - 1;
  }
}
