/**
 * Seeded program generator and mutator for the differential fuzz test. Programs are raw bytes, so the
 * generator does not share code with the assembler, the verifier or either engine.
 */

/** xorshift32: small, fast, reproducible from a seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    const v = xs[this.int(xs.length)];
    if (v === undefined) throw new Error("pick from empty list");
    return v;
  }
  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }
}

const INTERESTING = [
  0, 1, -1, 2, 7, 8, 31, 32, 63, 64, 255, 256, 0x7fff, -0x8000, 0xffff, 0x7fffffff, -0x80000000, 0x12345678,
  -2,
] as const;

export function insn(op: number, dst: number, src: number, off: number, imm: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint8(0, op);
  dv.setUint8(1, ((src & 15) << 4) | (dst & 15));
  dv.setInt16(2, off, true);
  dv.setInt32(4, imm | 0, true);
  return b;
}

const ALU_OPS = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0] as const;
const JMP_OPS = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0] as const;
const SIZES = [0x00, 0x08, 0x10, 0x18] as const; // W, H, B, DW
const SIZE_BYTES: Record<number, number> = { 0: 4, 8: 2, 16: 1, 24: 8 };
const ATOMIC_IMMS = [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1] as const;

export interface GenOptions {
  /** Context size in bytes (r1 points to it). */
  readonly ctxSize: number;
  /** Helper ids the runtime provides and that are safe to call with arbitrary arguments. */
  readonly helpers: readonly number[];
  /** Handle of a program array for tail calls (`bpf_tail_call(ctx, handle, 0..2)`), when the runner sets one. */
  readonly tailCallMap?: number;
}

/**
 * A random program that is mostly well-formed: registers are initialised first, jumps stay inside the
 * body, memory accesses mostly hit the stack or the context (sometimes not), and it ends with `exit`.
 * About one in four programs has a subprogram called with `call +k`; some have backward jumps.
 */
export function generate(rng: Rng, opts: GenOptions): Uint8Array {
  const body: Uint8Array[] = [];
  // r1 = ctx, r10 = frame; give every other register a value so reads are defined in both engines.
  for (const r of [0, 2, 3, 4, 5, 6, 7, 8, 9]) body.push(insn(0xb7, r, 0, 0, rng.pick(INTERESTING)));
  const n = 4 + rng.int(40);
  const withSub = rng.chance(0.25);
  const slots: Uint8Array[][] = [];
  for (let k = 0; k < n; k++) slots.push(randomInsn(rng, opts, n - k));
  // Flatten while turning relative jump distances (counted in generated items) into slot offsets.
  const flat: Uint8Array[] = [];
  const starts: number[] = [];
  for (const item of slots) {
    starts.push(flat.length);
    for (const s of item) flat.push(s);
  }
  starts.push(flat.length);
  for (let k = 0; k < slots.length; k++) {
    const item = slots[k];
    const first = item?.[0];
    if (first === undefined || item === undefined || item.length !== 1) continue;
    const op = first[0] ?? 0;
    const cls = op & 7;
    if ((cls === 5 || cls === 6) && op !== 0x85 && op !== 0x95) {
      const dv = new DataView(first.buffer);
      const dist = dv.getInt16(2, true);
      const target = Math.max(0, Math.min(slots.length, k + 1 + dist));
      const off = (starts[target] ?? flat.length) - ((starts[k] ?? 0) + 1);
      if (op === 0x06) {
        dv.setInt32(4, off, true); // gotol: target in imm, off must be 0
        dv.setInt16(2, 0, true);
      } else dv.setInt16(2, off, true);
    }
  }
  const main = [...body, ...flat];
  // Optional subprogram: `call` just before the epilogue, body after it (jumps above never cross it).
  const callAt = main.length;
  if (withSub) main.push(insn(0x85, 0, 1, 0, 0));
  main.push(insn(0xbf, 0, rng.int(10), 0, 0), insn(0x95, 0, 0, 0, 0));
  if (withSub) {
    new DataView((main[callAt] as Uint8Array).buffer).setInt32(4, main.length - callAt - 1, true);
    const m = 1 + rng.int(6);
    for (let k = 0; k < m; k++) for (const s of randomInsn(rng, opts, 0, true)) main.push(s);
    main.push(insn(0xb7, 0, 0, 0, rng.pick(INTERESTING)), insn(0x95, 0, 0, 0, 0));
  }
  return concat(main);
}

/** One generated item: usually one slot, two for lddw. `left` bounds forward jump distances. */
function randomInsn(rng: Rng, opts: GenOptions, left: number, straight = false): Uint8Array[] {
  const dst = rng.int(10);
  const src = rng.int(11);
  const kind = rng.int(straight ? 6 : 9);
  switch (kind) {
    case 0:
    case 1: {
      const cls = rng.chance(0.5) ? 0x07 : 0x04;
      const code = rng.pick(ALU_OPS);
      const x = code !== 0x80 && rng.chance(0.5) ? 0x08 : 0;
      let off = 0;
      if ((code === 0x30 || code === 0x90) && rng.chance(0.4)) off = 1;
      if (code === 0xb0 && x && rng.chance(0.4)) off = rng.pick(cls === 0x07 ? [8, 16, 32] : [8, 16]);
      const imm = x || code === 0x80 ? 0 : rng.pick(INTERESTING);
      return [insn(cls | x | code, dst, x ? src : 0, off, imm)];
    }
    case 2: {
      const cls = rng.chance(0.5) ? 0x07 : 0x04;
      const imm = rng.pick([16, 32, 64]);
      const op = cls === 0x07 ? 0xd7 : rng.chance(0.5) ? 0xd4 : 0xdc;
      return [insn(op, dst, 0, 0, imm)];
    }
    case 3: {
      // load: from the stack (r10, in frame or not) or the context (r1)
      const size = rng.pick(SIZES);
      const sx = size !== 0x18 && rng.chance(0.3);
      const [base, off] = memOperand(rng, opts, SIZE_BYTES[size] ?? 1);
      return [insn((sx ? 0x81 : 0x61) | size, dst, base, off, 0)];
    }
    case 4: {
      const size = rng.pick(SIZES);
      const [base, off] = memOperand(rng, opts, SIZE_BYTES[size] ?? 1);
      if (rng.chance(0.5)) return [insn(0x62 | size, base, 0, off, rng.pick(INTERESTING))];
      return [insn(0x63 | size, base, rng.int(10), off, 0)];
    }
    case 5: {
      if (rng.chance(0.3)) {
        const lo = rng.next() | 0;
        return [insn(0x18, dst, 0, 0, lo), insn(0, 0, 0, 0, rng.pick(INTERESTING))];
      }
      if (rng.chance(0.15) && opts.tailCallMap !== undefined) {
        // bpf_tail_call(ctx, map, index): index 0 and 1 have programs, 2 has none
        const m = opts.tailCallMap;
        return [
          insn(0x18, 2, 0, 0, m),
          insn(0, 0, 0, 0, 0),
          insn(0xb7, 3, 0, 0, rng.int(3)),
          insn(0x85, 0, 0, 0, 12),
        ];
      }
      if (rng.chance(0.5) && opts.helpers.length > 0) return [insn(0x85, 0, 0, 0, rng.pick(opts.helpers))];
      const size = rng.chance(0.5) ? 0x18 : 0x00;
      const [base, off] = memOperand(rng, opts, size === 0x18 ? 8 : 4);
      return [insn(0xc3 | size, base, rng.int(10), off, rng.pick(ATOMIC_IMMS))];
    }
    default: {
      // conditional or unconditional jump; distance in generated items, mostly forward
      const back = rng.chance(0.15);
      const dist = back ? -1 - rng.int(6) : rng.int(Math.max(1, Math.min(left, 8)));
      if (rng.chance(0.1)) return [insn(rng.chance(0.5) ? 0x05 : 0x06, 0, 0, dist, 0)];
      const cls = rng.chance(0.5) ? 0x05 : 0x06;
      const x = rng.chance(0.5) ? 0x08 : 0;
      return [insn(cls | x | rng.pick(JMP_OPS), dst, x ? src : 0, dist, x ? 0 : rng.pick(INTERESTING))];
    }
  }
}

function memOperand(rng: Rng, opts: GenOptions, size: number): [number, number] {
  const r = rng.int(10);
  if (r < 5) return [10, -size * (1 + rng.int(512 / size)) + (rng.chance(0.05) ? 8 : 0)];
  if (r < 9)
    return [1, rng.int(Math.max(1, opts.ctxSize - size + 1)) + (rng.chance(0.05) ? opts.ctxSize : 0)];
  return [rng.int(10), rng.pick(INTERESTING) & 0x7fff];
}

/** Flips bits, overwrites bytes or swaps slots of `prog`; keeps the length a multiple of 8. */
export function mutate(rng: Rng, prog: Uint8Array): Uint8Array {
  const out = prog.slice();
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits && out.length > 0; e++) {
    const at = rng.int(out.length);
    switch (rng.int(4)) {
      case 0:
        out[at] = (out[at] ?? 0) ^ (1 << rng.int(8));
        break;
      case 1:
        out[at] = rng.int(256);
        break;
      case 2: {
        const a = rng.int(out.length >>> 3) * 8;
        const b = rng.int(out.length >>> 3) * 8;
        const tmp = out.slice(a, a + 8);
        out.copyWithin(a, b, b + 8);
        out.set(tmp, b);
        break;
      }
      default:
        // change a register nibble, which often turns a valid instruction into a borderline one
        out[(at & ~7) + 1] = rng.int(256);
    }
  }
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
