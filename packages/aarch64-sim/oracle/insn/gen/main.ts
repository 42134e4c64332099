// Generates the single-instruction golden files (oracle/README.md, section 1).
//   tsx oracle/insn/gen/main.ts [--only group,group] [--scale 0.1]
// Needs aarch64-linux-gnu-objdump and qemu-aarch64, and insn/driver/driver.elf (built by regen.sh).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import {
  CODE_BASE,
  CODE_FILL,
  CODE_SIZE,
  type CpuState,
  GOLDEN_FORMAT,
  type GoldenHeader,
  mulberry32,
  prngState,
  SCRATCH_BASE,
  SCRATCH_SIZE,
} from "../golden-format.ts";
import { type Cand, type Group, MASK64, type Overrides, SCRATCH, SCRATCH_SEED } from "./common.ts";
import { BR_SYS_GROUPS } from "./groups-br-sys.ts";
import { DP_GROUPS } from "./groups-dp.ts";
import { LDST_GROUPS } from "./groups-ldst.ts";
import { SIMD_GROUPS } from "./groups-simd.ts";

const here = dirname(fileURLToPath(import.meta.url));
const insnDir = join(here, "..");
const goldenDir = join(insnDir, "golden");
const driver = join(insnDir, "driver", "driver.elf");
const OBJDUMP = process.env.OBJDUMP ?? "aarch64-linux-gnu-objdump";
const QEMU = process.env.QEMU_AARCH64 ?? "qemu-aarch64";

export const ALL_GROUPS: readonly Group[] = [...DP_GROUPS, ...LDST_GROUPS, ...BR_SYS_GROUPS, ...SIMD_GROUPS];

/**
 * Mnemonics dropped even though objdump decodes them: features QEMU 7.2 lacks (CSSC, MOPS, LS64, TME,
 * BC.cond), MTE tag instructions (need tagged memory), pointer authentication (QEMU picks random keys
 * per process, so results are not reproducible), WFI (a sleep at EL0), FEAT_FHM FMLAL/FMLSL (QEMU 7.2 lacks it).
 */
const REJECT =
  /^(cpy\w*|set[pmeg]\w*|ld64b|st64b\w*|tstart|tcommit|tcancel|ttest|bc\.\w+|irg|gmi|subps?|addg|subg|stg|stzg|st2g|stz2g|ldg|stgp|pac\w*|aut\w*|xpac\w*|retaa|retab|braa\w*|brab\w*|blraa\w*|blrab\w*|eretaa|eretab|ldraa|ldrab|wfi|wfit|wfet|fmlal2?|fmlsl2?)$/;

/** FEAT_CSSC on general-purpose registers (the vector forms of these mnemonics are fine). */
const CSSC = /^(abs|cnt|ctz|smax|smin|umax|umin)$/;

const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};
const hex = (v: bigint | number): string => BigInt(v).toString(16);

interface Placed {
  readonly pc: number;
  readonly cand: Cand;
}

/** objdump's text for every word of the blob, by address; `null` for words it cannot decode. */
function disassemble(blob: Uint32Array, tmp: string): Map<number, string | null> {
  const file = join(tmp, "blob.bin");
  writeFileSync(file, new Uint8Array(blob.buffer));
  const res = spawnSync(
    OBJDUMP,
    ["-D", "-b", "binary", "-m", "aarch64", `--adjust-vma=0x${hex(CODE_BASE)}`, file],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    },
  );
  if (res.status !== 0) throw new Error(`objdump failed: ${res.stderr}`);
  const out = new Map<number, string | null>();
  for (const line of res.stdout.split("\n")) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (!m) continue;
    const text = (m[3] ?? "").replace(/\s+\/\/.*$/, "");
    const [mn = "", ops = ""] = text.split("\t");
    const bad =
      text.startsWith(".inst") ||
      text.includes("undefined") ||
      REJECT.test(mn) ||
      (CSSC.test(mn) && /^[wx]/.test(ops));
    out.set(Number.parseInt(m[1] ?? "0", 16), bad ? null : text);
  }
  return out;
}

interface Test {
  readonly n: number;
  readonly pc: number;
  readonly words: readonly number[];
  readonly asm: readonly string[];
  readonly overrides: Overrides;
  readonly input: CpuState;
}

/** Draws candidates at distinct addresses, keeps those objdump accepts, until `count` tests. */
function generate(group: Group, count: number, seed: number, tmp: string): Test[] {
  const r = mulberry32(seed ^ 0x51ed270b);
  const tests: Test[] = [];
  for (let batch = 0; tests.length < count; batch++) {
    if (batch > 200) throw new Error(`${group.name}: cannot find ${count} allocated encodings`);
    const used = new Uint8Array(CODE_SIZE / 4);
    const blob = new Uint32Array(CODE_SIZE / 4).fill(CODE_FILL);
    const placed: Placed[] = [];
    for (let tries = 0; tries < 40000 && placed.length < 9000; tries++) {
      const slot = 0x400 + (r() % (CODE_SIZE / 4 - 0x800));
      if (used[slot] || used[slot + 1] || used[slot + 2]) continue;
      const pc = CODE_BASE + 4 * slot;
      const cand = group.gen(r, pc);
      if (!cand) continue;
      cand.words.forEach((w, i) => {
        used[slot + i] = 1;
        blob[slot + i] = w;
      });
      used[slot + cand.words.length] = 1; // the brk #0 after the words stays free
      placed.push({ pc, cand });
    }
    const dis = disassemble(blob, tmp);
    for (const { pc, cand } of placed) {
      if (tests.length >= count) break;
      const asm = cand.words.map((_, i) => dis.get(pc + 4 * i) ?? null);
      if (asm.some((a) => a === null)) continue;
      const n = tests.length;
      const input = prngState(seed, n);
      const overrides = cand.fix ? cand.fix(input, r) : {};
      for (const [k, v] of Object.entries(overrides)) {
        const val = k.startsWith("v") ? v & ((1n << 128n) - 1n) : v & MASK64;
        overrides[k] = val;
        if (k === "sp") input.sp = val & MASK64;
        else if (/^x([0-9]|[12][0-9]|30)$/.test(k)) input.x[Number(k.slice(1))] = val & MASK64;
        else if (/^v([0-9]|[12][0-9]|3[01])$/.test(k)) input.v[Number(k.slice(1))] = v & ((1n << 128n) - 1n);
        else throw new Error(`${group.name}: generator overrides unknown register ${k}`);
      }
      tests.push({ n, pc, words: cand.words, asm: asm as string[], overrides, input });
    }
  }
  return tests;
}

const IN_REC = 824;
const OUT_REC = 1344;

function runQemu(tests: readonly Test[]): Buffer {
  const input = Buffer.alloc(SCRATCH_SIZE + IN_REC * tests.length);
  input.set(SCRATCH, 0);
  let o = SCRATCH_SIZE;
  for (const t of tests) {
    input.writeBigUInt64LE(BigInt(t.pc), o);
    input.writeUInt32LE(t.words.length, o + 8);
    for (const [i, w] of t.words.entries()) input.writeUInt32LE(w, o + 12 + 4 * i);
    for (let i = 0; i < 31; i++) input.writeBigUInt64LE(t.input.x[i] ?? 0n, o + 24 + 8 * i);
    input.writeBigUInt64LE(t.input.sp, o + 272);
    input.writeBigUInt64LE(BigInt(t.input.nzcv), o + 280);
    input.writeBigUInt64LE(t.input.tpidr, o + 288);
    for (const [i, v] of t.input.v.entries()) {
      input.writeBigUInt64LE(v & MASK64, o + 296 + 16 * i);
      input.writeBigUInt64LE(v >> 64n, o + 304 + 16 * i);
    }
    input.writeBigUInt64LE(BigInt(t.input.fpsr), o + 808);
    input.writeBigUInt64LE(BigInt(t.input.fpcr), o + 816);
    o += IN_REC;
  }
  const res = spawnSync(QEMU, ["-cpu", "max", driver], { input, maxBuffer: 1 << 30, timeout: 600_000 });
  if (res.status !== 0)
    throw new Error(`driver exited with ${res.status} (${res.signal ?? ""}): ${res.stderr}`);
  if (res.stdout.length !== OUT_REC * tests.length) {
    throw new Error(`driver wrote ${res.stdout.length} bytes, expected ${OUT_REC * tests.length}`);
  }
  return res.stdout;
}

/** One output record as the diff the golden file stores. */
function outDiff(t: Test, rec: Buffer): Record<string, unknown> {
  const sig = Number(rec.readBigUInt64LE(0));
  const out: Record<string, unknown> = { sig, pc: hex(rec.readBigUInt64LE(8)) };
  if (sig === 7 || sig === 11) out.addr = hex(rec.readBigUInt64LE(16));
  for (let i = 0; i < 31; i++) {
    const v = rec.readBigUInt64LE(24 + 8 * i);
    if (v !== t.input.x[i]) out[`x${i}`] = hex(v);
  }
  const sp = rec.readBigUInt64LE(272);
  if (sp !== t.input.sp) out.sp = hex(sp);
  const nzcv = Number(rec.readBigUInt64LE(280));
  if (nzcv !== t.input.nzcv) out.nzcv = hex(nzcv);
  const tpidr = rec.readBigUInt64LE(288);
  if (tpidr !== t.input.tpidr) out.tpidr = hex(tpidr);
  for (let i = 0; i < 32; i++) {
    const v = (rec.readBigUInt64LE(304 + 16 * i) << 64n) | rec.readBigUInt64LE(296 + 16 * i);
    if (v !== t.input.v[i]) out[`v${i}`] = hex(v);
  }
  const fpsr = Number(rec.readBigUInt64LE(808));
  if (fpsr !== t.input.fpsr) out.fpsr = hex(fpsr);
  const fpcr = Number(rec.readBigUInt64LE(816));
  if (fpcr !== t.input.fpcr) out.fpcr = hex(fpcr);
  const lo = rec.readUInt32LE(824);
  const hi = rec.readUInt32LE(828);
  const mem: [number, string][] = [];
  if (lo !== 0xffffffff) {
    if (hi - lo > 512)
      throw new Error(`test ${t.n}: ${hi - lo} changed bytes, more than the 512-byte window`);
    let run: [number, string] | null = null;
    for (let off = lo; off < hi; off++) {
      const b = rec[832 + off - lo] ?? 0;
      if (b === SCRATCH[off]) {
        run = null;
        continue;
      }
      if (!run) {
        run = [off, ""];
        mem.push(run);
      }
      run[1] += b.toString(16).padStart(2, "0");
    }
  }
  out.mem = mem;
  return out;
}

function qemuVersion(): string {
  const v = spawnSync(QEMU, ["--version"], { encoding: "utf8" });
  return `${(v.stdout ?? "").split("\n")[0] ?? "qemu-aarch64"} -cpu max`;
}

function main(): void {
  const args = process.argv.slice(2);
  const onlyIdx = args.indexOf("--only");
  const only = onlyIdx >= 0 ? new Set((args[onlyIdx + 1] ?? "").split(",")) : null;
  const scaleIdx = args.indexOf("--scale");
  const scale = scaleIdx >= 0 ? Number(args[scaleIdx + 1]) : 1;
  mkdirSync(goldenDir, { recursive: true });
  const tmp = join(tmpdir(), `axebpf-insn-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const oracle = qemuVersion();
  const indexPath = join(goldenDir, "INDEX.json");
  let index: Record<string, { count: number; file: string; sig: Record<string, number> }> = {};
  try {
    index = JSON.parse(readFileSync(indexPath, "utf8"));
  } catch {
    index = {};
  }
  let total = 0;
  try {
    for (const group of ALL_GROUPS) {
      if (only && !only.has(group.name)) continue;
      const t0 = Date.now();
      const count = Math.max(1, Math.round(group.count * scale));
      const seed = fnv1a(group.name);
      const tests = generate(group, count, seed, tmp);
      const raw = runQemu(tests);
      const header: GoldenHeader = {
        format: GOLDEN_FORMAT,
        group: group.name,
        seed,
        count: tests.length,
        oracle,
        code: { base: hex(CODE_BASE), size: hex(CODE_SIZE), fill: hex(CODE_FILL) },
        scratch: { base: hex(SCRATCH_BASE), size: hex(SCRATCH_SIZE), seed: SCRATCH_SEED },
      };
      const lines = [JSON.stringify(header)];
      const sigs: Record<string, number> = {};
      tests.forEach((t, i) => {
        const out = outDiff(t, raw.subarray(OUT_REC * i, OUT_REC * (i + 1)));
        sigs[String(out.sig)] = (sigs[String(out.sig)] ?? 0) + 1;
        const inHex: Record<string, string> = {};
        for (const [k, v] of Object.entries(t.overrides)) inHex[k] = hex(v);
        lines.push(
          JSON.stringify({
            n: t.n,
            pc: hex(t.pc),
            words: t.words.map((w) => w.toString(16).padStart(8, "0")),
            asm: t.asm,
            in: inHex,
            out,
          }),
        );
      });
      const file = `${group.name}.jsonl.gz`;
      const gz = gzipSync(`${lines.join("\n")}\n`, { level: 9 });
      writeFileSync(join(goldenDir, file), gz);
      index[group.name] = { count: tests.length, file, sig: sigs };
      total += tests.length;
      console.log(
        `${group.name.padEnd(24)} ${String(tests.length).padStart(6)} tests  ${(gz.length / 1024).toFixed(0).padStart(5)} KiB  signals ${JSON.stringify(sigs)}  ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(indexPath, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`total ${total} tests written`);
}

main();
