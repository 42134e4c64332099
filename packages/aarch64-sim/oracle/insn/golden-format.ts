// Reader for the single-instruction golden files (oracle/README.md, section 1) and the one implementation
// of the PRNG that derives each test's initial state. The generator and the simulator's tests both use it,
// so the two can never disagree about the inputs. Test-side code: bigint is fine here.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export const GOLDEN_FORMAT = "axebpf-a64-insn/1";

/** The fixed memory layout the driver maps (and the simulator must map) for every test. */
export const CODE_BASE = 0x3000_0000;
export const CODE_SIZE = 0x1_0000;
/** `brk #0`: fills the code region around the test's words. */
export const CODE_FILL = 0xd420_0000;
export const SCRATCH_BASE = 0x2000_0000;
export const SCRATCH_SIZE = 0x2000;

export type RegName = `x${number}` | `v${number}` | "sp" | "nzcv" | "tpidr" | "fpsr" | "fpcr";

export interface CpuState {
  /** X0..X30 */
  readonly x: bigint[];
  sp: bigint;
  /** N<<3 | Z<<2 | C<<1 | V */
  nzcv: number;
  tpidr: bigint;
  /** V0..V31 as 128-bit values */
  readonly v: bigint[];
  fpsr: number;
  fpcr: number;
}

export interface GoldenHeader {
  readonly format: string;
  readonly group: string;
  readonly seed: number;
  readonly count: number;
  readonly oracle: string;
  readonly code: { readonly base: string; readonly size: string; readonly fill: string };
  readonly scratch: { readonly base: string; readonly size: string; readonly seed: number };
}

/** Signal numbers the driver records as the outcome. */
export const Outcome = {
  SIGILL: 4,
  SIGTRAP: 5,
  SIGBUS: 7,
  SIGSEGV: 11,
} as const;

export interface GoldenOut {
  readonly sig: number;
  readonly pc: bigint;
  /** fault address, for SIGBUS / SIGSEGV only */
  readonly addr?: bigint;
  /** full state at the signal (the diff in the file applied to the initial state) */
  readonly state: CpuState;
  /** changed scratch bytes: [offset from SCRATCH_BASE, bytes] */
  readonly mem: ReadonlyArray<readonly [number, Uint8Array]>;
}

export interface GoldenTest {
  readonly group: string;
  readonly n: number;
  readonly pc: bigint;
  readonly words: readonly number[];
  readonly asm: readonly string[];
  /** the overrides from the file, for reporting */
  readonly overrides: Readonly<Record<string, string>>;
  /** the full initial state (PRNG state with overrides applied) */
  readonly input: CpuState;
  readonly out: GoldenOut;
}

/** mulberry32: a 32-bit PRNG; every call returns a uint32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export function testSeed(groupSeed: number, n: number): number {
  return (groupSeed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
}

const SPECIALS: readonly bigint[] = [
  0n,
  1n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x7fffffffffffffffn,
  0x8000000000000000n,
  0xffffffffffffffffn,
  0xffffffff00000000n,
  0x8000000080000000n,
  0xfffffffen,
];

const hilo = (hi: number, lo: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** One register value, biased toward values that exercise carries, signs and widths. */
export function drawU64(r: () => number): bigint {
  switch (r() & 7) {
    case 0:
    case 1: {
      const hi = r();
      return hilo(hi, r());
    }
    case 2:
      return BigInt(r());
    case 3:
      return BigInt(r() & 0x3f);
    case 4:
      return hilo(0xffffffff, -(1 + (r() & 0x3f)));
    case 5:
      return SPECIALS[r() % SPECIALS.length] ?? 0n;
    case 6: {
      const lo = r();
      return hilo((lo | 0) < 0 ? 0xffffffff : 0, lo);
    }
    default:
      return 1n << BigInt(r() & 63);
  }
}

/** The initial state of test `n` of a file with header seed `groupSeed`, before overrides. */
export function prngState(groupSeed: number, n: number): CpuState {
  const r = mulberry32(testSeed(groupSeed, n));
  const x: bigint[] = [];
  for (let i = 0; i < 31; i++) x.push(drawU64(r));
  const sp = drawU64(r) & ~0xfn;
  const nzcv = r() >>> 28;
  const hi = r();
  const tpidr = hilo(hi, r());
  const v: bigint[] = [];
  for (let i = 0; i < 32; i++) {
    const vhi = drawU64(r);
    v.push((vhi << 64n) | drawU64(r));
  }
  return { x, sp, nzcv, tpidr, v, fpsr: 0, fpcr: 0 };
}

export function cloneState(s: CpuState): CpuState {
  return { x: [...s.x], sp: s.sp, nzcv: s.nzcv, tpidr: s.tpidr, v: [...s.v], fpsr: s.fpsr, fpcr: s.fpcr };
}

/** Sets one register by its file name (`x0`..`x30`, `v0`..`v31`, `sp`, `nzcv`, `tpidr`, `fpsr`, `fpcr`). */
export function setReg(s: CpuState, name: string, hex: string): void {
  const v = BigInt(`0x${hex}`);
  if (name === "sp") s.sp = v;
  else if (name === "nzcv") s.nzcv = Number(v) & 0xf;
  else if (name === "tpidr") s.tpidr = v;
  else if (name === "fpsr") s.fpsr = Number(v);
  else if (name === "fpcr") s.fpcr = Number(v);
  else if (name.startsWith("v")) {
    const idx = /^v(\d+)$/.test(name) ? Number(name.slice(1)) : -1;
    if (idx < 0 || idx > 31) throw new Error(`golden: unknown register name ${JSON.stringify(name)}`);
    s.v[idx] = v;
  } else {
    const i = /^x(\d+)$/.exec(name);
    const idx = i ? Number(i[1]) : -1;
    if (idx < 0 || idx > 30) throw new Error(`golden: unknown register name ${JSON.stringify(name)}`);
    s.x[idx] = v;
  }
}

export function initialState(header: GoldenHeader, n: number, overrides: Readonly<Record<string, string>>) {
  const s = prngState(header.seed, n);
  for (const [k, v] of Object.entries(overrides)) setReg(s, k, v);
  return s;
}

/** The scratch buffer's initial contents for a file. */
export function scratchInit(seed: number, size = SCRATCH_SIZE): Uint8Array {
  const r = mulberry32(seed);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  for (let j = 0; j < size / 4; j++) dv.setUint32(4 * j, r(), true);
  return out;
}

const hexBytes = (h: string): Uint8Array => {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
};

interface RawTest {
  n: number;
  pc: string;
  words: string[];
  asm: string[];
  in: Record<string, string>;
  out: Record<string, unknown> & { sig: number; pc: string; addr?: string; mem: [number, string][] };
}

/** Parses one golden file (gzip of JSON lines) into fully expanded tests. */
export function parseInsnGolden(gz: Uint8Array): { header: GoldenHeader; tests: GoldenTest[] } {
  const lines = gunzipSync(gz).toString("utf8").split("\n");
  const header = JSON.parse(lines[0] ?? "") as GoldenHeader;
  if (header.format !== GOLDEN_FORMAT) throw new Error(`golden: unknown format ${String(header.format)}`);
  const tests: GoldenTest[] = [];
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li];
    if (!line) continue;
    const t = JSON.parse(line) as RawTest;
    const input = initialState(header, t.n, t.in);
    const state = cloneState(input);
    for (const [k, v] of Object.entries(t.out)) {
      if (k === "sig" || k === "pc" || k === "addr" || k === "mem") continue;
      setReg(state, k, String(v));
    }
    const out: GoldenOut = {
      sig: t.out.sig,
      pc: BigInt(`0x${t.out.pc}`),
      ...(t.out.addr !== undefined ? { addr: BigInt(`0x${t.out.addr}`) } : {}),
      state,
      mem: t.out.mem.map(([off, h]) => [off, hexBytes(h)] as const),
    };
    tests.push({
      group: header.group,
      n: t.n,
      pc: BigInt(`0x${t.pc}`),
      words: t.words.map((w) => Number.parseInt(w, 16)),
      asm: t.asm,
      overrides: t.in,
      input,
      out,
    });
  }
  if (tests.length !== header.count) {
    throw new Error(`golden ${header.group}: header says ${header.count} tests, file has ${tests.length}`);
  }
  return { header, tests };
}

export function readInsnGolden(path: string): { header: GoldenHeader; tests: GoldenTest[] } {
  return parseInsnGolden(readFileSync(path));
}
