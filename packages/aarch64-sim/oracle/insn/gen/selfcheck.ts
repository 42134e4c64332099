// Independent sanity check of the golden files, without QEMU: a tiny reference model of a few encodings
// (ADD/SUB/ADDS/SUBS immediate incl. SP, MOVZ/MOVN/MOVK, LDR/STR unsigned offset, B/BL) computed from the
// initial states the reader derives, compared with QEMU's recorded results. It catches a driver that
// loads or records state wrongly in a systematic way, which re-running QEMU (check.ts) would not.
//   tsx oracle/insn/gen/selfcheck.ts
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CpuState,
  type GoldenTest,
  readInsnGolden,
  SCRATCH_BASE,
  scratchInit,
} from "../golden-format.ts";

const here = dirname(fileURLToPath(import.meta.url));
const golden = join(here, "..", "golden");
const M64 = (1n << 64n) - 1n;
const field = (w: number, lo: number, n: number) => (w >>> lo) & ((1 << n) - 1);

/** Expected registers (name -> value) and memory for one test, or null when the model does not cover it. */
type Model = (t: GoldenTest, s: CpuState, mem: Uint8Array) => Map<string, bigint> | null;

const addsubImm: Model = (t, s) => {
  const w = t.words[0] ?? 0;
  const sf = field(w, 31, 1),
    op = field(w, 30, 1),
    setf = field(w, 29, 1),
    sh = field(w, 22, 1);
  const imm = BigInt(field(w, 10, 12)) << (sh ? 12n : 0n);
  const n = field(w, 5, 5),
    d = field(w, 0, 5);
  const width = sf ? 64n : 32n,
    mask = (1n << width) - 1n;
  const a = (n === 31 ? s.sp : (s.x[n] ?? 0n)) & mask;
  const b = op ? ~imm & mask : imm;
  const full = a + b + (op ? 1n : 0n);
  const r = full & mask;
  const out = new Map<string, bigint>();
  if (setf) {
    const sign = 1n << (width - 1n);
    const nf = (r & sign) !== 0n,
      z = r === 0n,
      c = full > mask;
    const v = ((a ^ r) & (b ^ r) & sign) !== 0n;
    out.set("nzcv", BigInt((nf ? 8 : 0) | (z ? 4 : 0) | (c ? 2 : 0) | (v ? 1 : 0)));
    if (d !== 31) out.set(`x${d}`, r);
  } else {
    out.set(d === 31 ? "sp" : `x${d}`, r);
  }
  return out;
};

const moveWide: Model = (t, s) => {
  const w = t.words[0] ?? 0;
  const sf = field(w, 31, 1),
    opc = field(w, 29, 2),
    hw = BigInt(field(w, 21, 2));
  const imm = BigInt(field(w, 5, 16)) << (16n * hw);
  const d = field(w, 0, 5);
  const mask = sf ? M64 : 0xffffffffn;
  let r: bigint;
  if (opc === 0) r = ~imm & mask;
  else if (opc === 2) r = imm;
  else r = (((s.x[d] ?? 0n) & ~(0xffffn << (16n * hw))) | imm) & mask;
  return d === 31 ? new Map() : new Map([[`x${d}`, r]]);
};

/** LDR/STR (unsigned offset) of X/W registers and LDRB/STRB. */
const ldstUimm: Model = (t, s, mem) => {
  const w = t.words[0] ?? 0;
  const size = field(w, 30, 2),
    opc = field(w, 22, 2);
  if (opc > 1 || !(size === 0 || size >= 2)) return null;
  const bytes = 1 << size;
  const n = field(w, 5, 5),
    rt = field(w, 0, 5);
  const ea = Number(
    (((n === 31 ? s.sp : (s.x[n] ?? 0n)) + BigInt(field(w, 10, 12) * bytes)) & M64) - BigInt(SCRATCH_BASE),
  );
  const out = new Map<string, bigint>();
  if (opc === 1) {
    let v = 0n;
    for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(mem[ea + i] ?? 0);
    if (rt !== 31) out.set(`x${rt}`, v);
  } else {
    let v = rt === 31 ? 0n : (s.x[rt] ?? 0n);
    for (let i = 0; i < bytes; i++, v >>= 8n) mem[ea + i] = Number(v & 0xffn);
  }
  return out;
};

const branchImm: Model = (t) => {
  const w = t.words[0] ?? 0;
  const off = BigInt(((w << 6) >> 6) * 4);
  const out = new Map<string, bigint>([["pc", (t.pc + off) & M64]]);
  if (field(w, 31, 1)) out.set("x30", t.pc + 4n);
  return out;
};

const MODELS: Record<string, Model> = {
  "dp-imm-addsub": addsubImm,
  "dp-imm-movewide": moveWide,
  "ldst-uimm": ldstUimm,
  "br-imm": branchImm,
};

function reg(s: CpuState, name: string): bigint {
  if (name === "sp") return s.sp;
  if (name === "nzcv") return BigInt(s.nzcv);
  return s.x[Number(name.slice(1))] ?? 0n;
}

let total = 0;
let bad = 0;
for (const [group, model] of Object.entries(MODELS)) {
  const { header, tests } = readInsnGolden(join(golden, `${group}.jsonl.gz`));
  const init = scratchInit(header.scratch.seed, Number.parseInt(header.scratch.size, 16));
  let covered = 0;
  let failed = 0;
  for (const t of tests) {
    if (t.out.sig !== 5) continue;
    const mem = Uint8Array.from(init);
    const exp = model(t, t.input, mem);
    if (!exp) continue;
    covered++;
    const problems: string[] = [];
    for (const [name, want] of exp) {
      const got = name === "pc" ? t.out.pc : reg(t.out.state, name);
      if (got !== want) problems.push(`${name}: golden ${got.toString(16)}, model ${want.toString(16)}`);
    }
    if (!exp.has("pc") && t.out.pc !== t.pc + 4n) problems.push(`pc ${t.out.pc.toString(16)}`);
    const after = Uint8Array.from(init);
    for (const [off, bytes] of t.out.mem) after.set(bytes, off);
    if (Buffer.compare(after, mem) !== 0) problems.push("memory differs");
    if (problems.length) {
      failed++;
      if (failed <= 3) console.log(`${group} #${t.n} ${t.asm.join("; ")}: ${problems.join(", ")}`);
    }
  }
  total += covered;
  bad += failed;
  console.log(`${group.padEnd(18)} ${covered - failed}/${covered} agree with the reference model`);
}
console.log(`selfcheck: ${total - bad}/${total} agree`);
process.exitCode = bad === 0 && total > 0 ? 0 : 1;
