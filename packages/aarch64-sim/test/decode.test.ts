// Every decode row has an example encoding that decodes to it (so a row shadowed by another is noticed),
// and running many instructions per call equals stepping them one by one.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode, GROUPS, UserProcess } from "../src/index.ts";

/** One example word per row name (checked against objdump's text where shown). */
const EXAMPLES: Record<string, [number, string]> = {
  ADR: [0x10000000, "adr\tx0, 0x0"],
  ADRP: [0x90000000, "adrp\tx0, 0x0"],
  ADDSUB_i: [0x91000c41, "add\tx1, x2, #0x3"],
  LOGIC_i: [0x92400c20, "and\tx0, x1, #0xf"],
  MOVW: [0xd2800540, "mov\tx0, #0x2a"],
  BFM: [0xd3400c20, "ubfx\tx0, x1, #0, #4"],
  EXTR: [0x93c20820, "extr\tx0, x1, x2, #2"],
  LOGIC_r: [0xaa0203e0, "mov\tx0, x2"],
  ADDSUB_r: [0x8b020020, "add\tx0, x1, x2"],
  ADDSUB_ext: [0x8b22c020, "add\tx0, x1, w2, sxtw"],
  RMIF: [0xba020422, "rmif\tx1, #4, #2"],
  SETF: [0x3a00080d, "setf8\tw0"],
  ADC_SBC: [0x9a020020, "adc\tx0, x1, x2"],
  CCMP: [0xfa421020, "ccmp\tx1, x2, #0x0, ne"],
  CSEL: [0x9a821020, "csel\tx0, x1, x2, ne"],
  DP2: [0x9ac20820, "udiv\tx0, x1, x2"],
  DP1: [0xdac01020, "clz\tx0, x1"],
  DP3: [0x9b027c20, "mul\tx0, x1, x2"],
  LDR_lit: [0x58000040, "ldr\tx0, 0x8"],
  LDST_pair: [0xa9bf7bfd, "stp\tx29, x30, [sp, #-16]!"],
  LDST_ui: [0xf9400020, "ldr\tx0, [x1]"],
  LDST_i9: [0xf8408c20, "ldr\tx0, [x1, #8]!"],
  LDST_reg: [0xf8627820, "ldr\tx0, [x1, x2, lsl #3]"],
  LDST_excl: [0xc85f7c20, "ldxr\tx0, [x1]"],
  LDAPUR: [0x99400020, "ldapur\tw0, [x1]"],
  ATOMIC: [0xf8220020, "ldadd\tx2, x0, [x1]"],
  SIMD_ldst_multi: [0x4c402000, "ld1\t{v0.16b-v3.16b}, [x0]"],
  SIMD_ldst_multi_post: [0x4cdf7000, "ld1\t{v0.16b}, [x0], #16"],
  SIMD_ldst_single: [0x0d6016c9, "ld2\t{v9.b, v10.b}[5], [x22]"],
  SIMD_ldst_single_post: [0x4dffc0b3, "ld2r\t{v19.16b, v20.16b}, [x5], #2"],
  SIMD_tbl: [0x4e1b6193, "tbl\tv19.16b, {v12.16b-v15.16b}, v27.16b"],
  SIMD_ext: [0x2e133298, "ext\tv24.8b, v20.8b, v19.8b, #6"],
  B: [0x14000001, "b\t0x4"],
  CB: [0xb4000040, "cbz\tx0, 0x8"],
  TB: [0x36000040, "tbz\tw0, #0, 0x8"],
  B_cond: [0x54000041, "b.ne\t0x8"],
  EXC: [0xd4000001, "svc\t#0x0"],
  SYS: [0xd53b4200, "mrs\tx0, nzcv"],
  BR: [0xd65f03c0, "ret"],
  SIMD_copy: [0x4e080c20, "dup\tv0.2d, x1"],
  SIMD_scalar_copy: [0x5e0c0420, "mov\ts0, v1.s[1]"],
  SIMD_modimm: [0x4f000486, "movi\tv6.4s, #0x4"],
  SIMD_shift_imm: [0x4f215420, "shl\tv0.4s, v1.4s, #1"],
  SIMD_3same: [0x4ea21c20, "orr\tv0.16b, v1.16b, v2.16b"],
  SIMD_2misc: [0x4e205820, "cnt\tv0.16b, v1.16b"],
  SIMD_across: [0x4e31b820, "addv\tb0, v1.16b"],
  SIMD_perm: [0x4e821820, "uzp1\tv0.4s, v1.4s, v2.4s"],
  FMOV_gen: [0x1e260020, "fmov\tw0, s1"],
  FP_dp1: [0x1e204020, "fmov\ts0, s1"],
  FMOV_imm: [0x1e341002, "fmov\ts2, #-8.000000000000000000e+00"],
  FCSEL: [0x1e387e9d, "fcsel\ts29, s20, s24, vc"],
};

test("every row of every group has an example that decodes to it, with objdump's text", () => {
  for (const [group, rows] of Object.entries(GROUPS)) {
    for (const row of rows) {
      const ex = EXAMPLES[row.name];
      assert.ok(ex, `row ${group}/${row.name} has no example`);
      const [word, text] = ex as [number, string];
      assert.is((word & row.mask) >>> 0, row.value >>> 0, `${row.name}: example does not match its pattern`);
      // the first row (in table order) that matches and accepts the word must be this one
      const first = rows.find((r) => (word & r.mask) === r.value && r.build(word, 0, r.name) !== undefined);
      assert.is(first?.name, row.name, `0x${word.toString(16)} is taken by ${first?.name}, not ${row.name}`);
      assert.is(decode(word, 0).asm(), text);
    }
  }
});

test("one run(n) call and n single steps reach the same state (vm.O1: jump tables, BLR, loads)", () => {
  const elf = readFileSync(new URL("../oracle/programs/golden/vm.O1.elf", import.meta.url));
  for (const n of [735, 5000, 20000]) {
    const bulk = new UserProcess(elf);
    bulk.cpu.run(n);
    const stepped = new UserProcess(elf);
    for (let i = 0; i < n; i++) if (stepped.cpu.step() !== 0) break;
    assert.is(bulk.cpu.pc, stepped.cpu.pc, `pc after ${n}`);
    for (let r = 0; r < 32; r++) assert.is(bulk.cpu.getX(r), stepped.cpu.getX(r), `x${r} after ${n}`);
    assert.is(bulk.cpu.nzcv, stepped.cpu.nzcv);
  }
});

test.run();
