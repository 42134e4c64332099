// Re-runs every committed single-instruction golden file under qemu-aarch64 and compares.
// The inputs are rebuilt from the files alone (golden-format.ts: PRNG state + overrides), so this also
// proves that the reader reproduces the states the generator ran.
//   tsx oracle/insn/gen/check.ts [group ...]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type GoldenTest, readInsnGolden, SCRATCH_SIZE, scratchInit } from "../golden-format.ts";

const here = dirname(fileURLToPath(import.meta.url));
const goldenDir = join(here, "..", "golden");
const driver = join(here, "..", "driver", "driver.elf");
const QEMU = process.env.QEMU_AARCH64 ?? "qemu-aarch64";
const IN_REC = 824;
const OUT_REC = 1344;

function encode(tests: readonly GoldenTest[], scratch: Uint8Array): Buffer {
  const buf = Buffer.alloc(SCRATCH_SIZE + IN_REC * tests.length);
  buf.set(scratch, 0);
  let o = SCRATCH_SIZE;
  for (const t of tests) {
    buf.writeBigUInt64LE(t.pc, o);
    buf.writeUInt32LE(t.words.length, o + 8);
    for (const [i, w] of t.words.entries()) buf.writeUInt32LE(w, o + 12 + 4 * i);
    for (const [i, v] of t.input.x.entries()) buf.writeBigUInt64LE(v, o + 24 + 8 * i);
    buf.writeBigUInt64LE(t.input.sp, o + 272);
    buf.writeBigUInt64LE(BigInt(t.input.nzcv), o + 280);
    buf.writeBigUInt64LE(t.input.tpidr, o + 288);
    for (const [i, v] of t.input.v.entries()) {
      buf.writeBigUInt64LE(v & ((1n << 64n) - 1n), o + 296 + 16 * i);
      buf.writeBigUInt64LE(v >> 64n, o + 304 + 16 * i);
    }
    buf.writeBigUInt64LE(BigInt(t.input.fpsr), o + 808);
    buf.writeBigUInt64LE(BigInt(t.input.fpcr), o + 816);
    o += IN_REC;
  }
  return buf;
}

/** Differences between a driver output record and the golden expectation, as text. */
function compare(t: GoldenTest, rec: Buffer, scratch: Uint8Array): string[] {
  const bad: string[] = [];
  const exp = t.out;
  const eq = (what: string, got: bigint, want: bigint) => {
    if (got !== want) bad.push(`${what}: qemu ${got.toString(16)}, golden ${want.toString(16)}`);
  };
  eq("sig", rec.readBigUInt64LE(0), BigInt(exp.sig));
  eq("pc", rec.readBigUInt64LE(8), exp.pc);
  if (exp.addr !== undefined) eq("addr", rec.readBigUInt64LE(16), exp.addr);
  for (const [i, v] of exp.state.x.entries()) eq(`x${i}`, rec.readBigUInt64LE(24 + 8 * i), v);
  eq("sp", rec.readBigUInt64LE(272), exp.state.sp);
  eq("nzcv", rec.readBigUInt64LE(280), BigInt(exp.state.nzcv));
  eq("tpidr", rec.readBigUInt64LE(288), exp.state.tpidr);
  for (const [i, v] of exp.state.v.entries()) {
    eq(`v${i}`, (rec.readBigUInt64LE(304 + 16 * i) << 64n) | rec.readBigUInt64LE(296 + 16 * i), v);
  }
  eq("fpsr", rec.readBigUInt64LE(808), BigInt(exp.state.fpsr));
  eq("fpcr", rec.readBigUInt64LE(816), BigInt(exp.state.fpcr));
  // memory: apply the golden runs to the initial scratch, compare with qemu's window
  const want = Uint8Array.from(scratch);
  for (const [off, bytes] of exp.mem) want.set(bytes, off);
  const lo = rec.readUInt32LE(824);
  const hi = rec.readUInt32LE(828);
  const got = Uint8Array.from(scratch);
  if (lo !== 0xffffffff) got.set(rec.subarray(832, 832 + (hi - lo)), lo);
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i]) {
      bad.push(`mem[0x${i.toString(16)}]: qemu ${got[i]}, golden ${want[i]}`);
      break;
    }
  }
  return bad;
}

function main(): void {
  const only = process.argv.slice(2);
  const files = readdirSync(goldenDir)
    .filter((f) => f.endsWith(".jsonl.gz"))
    .filter((f) => only.length === 0 || only.includes(f.replace(".jsonl.gz", "")))
    .sort();
  let total = 0;
  let failed = 0;
  for (const f of files) {
    const { header, tests } = readInsnGolden(join(goldenDir, f));
    const scratch = scratchInit(header.scratch.seed, Number.parseInt(header.scratch.size, 16));
    const res = spawnSync(QEMU, ["-cpu", "max", driver], {
      input: encode(tests, scratch),
      maxBuffer: 1 << 30,
      timeout: 600_000,
    });
    if (res.status !== 0 || res.stdout.length !== OUT_REC * tests.length) {
      console.log(`${header.group}: driver failed (status ${res.status}, ${res.stdout.length} bytes)`);
      failed += tests.length;
      continue;
    }
    let groupFailed = 0;
    tests.forEach((t, i) => {
      const bad = compare(t, res.stdout.subarray(OUT_REC * i, OUT_REC * (i + 1)), scratch);
      if (bad.length === 0) return;
      groupFailed++;
      if (groupFailed <= 3) console.log(`${header.group} #${t.n} ${t.asm.join("; ")}: ${bad.join(", ")}`);
    });
    total += tests.length;
    failed += groupFailed;
    console.log(`${header.group.padEnd(24)} ${tests.length - groupFailed}/${tests.length} match`);
  }
  console.log(`total: ${total - failed}/${total} match`);
  process.exitCode = failed === 0 && total > 0 ? 0 : 1;
}

main();
