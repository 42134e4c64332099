// Seeded fuzz: random page tables, translation controls, EL2 controls and code. Whatever the guest
// does, a bounded run ends in architectural exceptions or the step limit, never a host error.
// AXEBPF_FUZZ_ITERS sets the iteration count (default 60); failing seeds go in the corpus below.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine, RAM_BASE } from "../src/machine/index.ts";
import type { SysregId } from "../src/sysreg/table.ts";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const RAM = 1 << 20;
const ITERS = Number(process.env.AXEBPF_FUZZ_ITERS ?? 60);
/** seeds that once broke the machine (regression corpus) */
const CORPUS: readonly number[] = [];

// A few real instructions so runs get somewhere: loads/stores through x0-x3, branches, system ops.
const SEEDS = [
  0xf9400001, 0xf9000001, 0xb8404402, 0x39400023, 0xd69f03e0, 0xd4000001, 0xd4000002, 0xd4200000, 0xd503207f,
  0xd508871f, 0xd5087800, 0xd51b4220, 0xd5381000, 0xd5181000, 0xd50b7520, 0x14000002, 0x91001000, 0x8b010000,
  0xd65f03c0, 0xd63f0000, 0xd50343df, 0xd5033fdf,
];

function scribble(seed: number): Machine {
  const r = mulberry32(seed);
  const m = new Machine({ ramSize: RAM, startEl: r() & 1 ? 2 : 1 });
  const ram = m.phys.ram;
  const view = new DataView(ram.buffer);
  const pa = () => RAM_BASE + ((r() % RAM) & ~0xfff);
  for (let off = 0; off < RAM; off += 8) {
    const k = r() & 7;
    let lo: number;
    let hi = 0;
    if (k < 3) {
      // table/page/block descriptor into RAM with random attributes
      lo = (pa() | (r() & 0xfff)) >>> 0;
      hi = r() & 0x0060_0000;
    } else if (k < 6) {
      lo = SEEDS[r() % SEEDS.length] as number;
      hi = SEEDS[r() % SEEDS.length] as number;
    } else {
      lo = r();
      hi = r();
    }
    view.setUint32(off, lo, true);
    view.setUint32(off + 4, hi, true);
  }
  m.flushCode();
  const big = (hi: number, lo: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  const set = (name: keyof typeof SysregId, v: bigint) => m.setSysreg(name, v);
  set("ttbr0_el1", BigInt(pa()) | (BigInt(r() & 0xff) << 48n));
  set("ttbr1_el1", BigInt(pa()));
  set("tcr_el1", big(r() & 0x7f, r()));
  set("mair_el1", big(r(), r()));
  set("sctlr_el1", BigInt(0x30d00800 | (r() & 0x100f)));
  set("vbar_el1", BigInt(pa()) + BigInt(r() & 0x800));
  set("ttbr0_el2", BigInt(pa()));
  set("tcr_el2", BigInt(r() & 0x8087ffff));
  set("sctlr_el2", BigInt(0x30c50830 | (r() & 1)));
  set("vbar_el2", BigInt(pa()));
  set("vttbr_el2", BigInt(pa()) | (BigInt(r() & 0xff) << 48n));
  set("vtcr_el2", BigInt(r() & 0x800fffff));
  set("hcr_el2", big(0, ((r() & 0x0c0060f1) | 0x80000000) >>> 0));
  set("mdscr_el1", BigInt(r() & 0xa001));
  for (let i = 0; i < 31; i++) m.setX(i, r() & 1 ? BigInt(pa() + (r() & 0xff8)) : big(r(), r()));
  m.setSysreg("sp_el1", BigInt(pa() + 0x800));
  const k = r() & 7;
  // mostly RAM; sometimes a random low address or a TTBR1 (top-half) one
  if (k === 0) m.pc = BigInt((r() & ~3) >>> 0);
  else if (k === 1) m.pc = 0xffff_ff80_0000_0000n + BigInt(pa()) + BigInt(r() & 0xffc);
  else m.pc = BigInt(pa() + (r() & 0xffc));
  return m;
}

test(`${ITERS} random machines (page tables, controls, code) run 3000 steps without a host error`, () => {
  const seeds = [...CORPUS];
  for (let i = 0; i < ITERS; i++) seeds.push(0x5eed0000 + i);
  let exceptions = 0;
  for (const s of seeds) {
    const m = scribble(s);
    try {
      const res = m.run({ maxSteps: 3000 });
      assert.ok(["steps", "exit", "halt"].includes(res.stop), `seed ${s}: ${res.stop}`);
      exceptions += m.exc.taken;
    } catch (e) {
      throw new Error(`seed 0x${s.toString(16)}: ${(e as Error).stack}`);
    }
  }
  // the scribbled machines must actually fault (the test exercises the exception paths)
  assert.ok(exceptions > ITERS, `only ${exceptions} exceptions`);
});

test.run();
