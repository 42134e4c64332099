import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esrSysregTrap } from "../src/exception/index.ts";
import {
  Access,
  SYSREGS,
  SysregAccess,
  SysregFile,
  SysregId,
  sysregIndex,
  sysregIndexOfWord,
  sysregKey,
} from "../src/sysreg/index.ts";

const fixture = (name: string) => readFileSync(new URL(`fixtures/sysreg/${name}`, import.meta.url), "utf8");
const golden = (name: string) =>
  readFileSync(new URL(`../oracle/images/golden/${name}`, import.meta.url), "utf8");

test("every table row: objdump prints the table's name for its encoding (fixtures/sysreg/mrs.objdump.txt)", () => {
  const lines = fixture("mrs.objdump.txt")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  assert.is(lines.length, SYSREGS.length);
  SYSREGS.forEach((r, i) => {
    const base = r.access === Access.WO ? 0xd5100000 : 0xd5300000;
    const word = (base | (sysregKey(r.op0, r.op1, r.crn, r.crm, r.op2) << 5)) >>> 0;
    const m = /^([0-9a-f]{8})\s+(mrs|msr)\s+(?:x0, )?([a-z0-9_]+)(?:, x0)?$/.exec(lines[i] ?? "");
    assert.ok(m, `line ${i}: ${lines[i]}`);
    assert.is(m?.[1], word.toString(16).padStart(8, "0"), r.name);
    assert.is(m?.[3], r.name);
    assert.is(sysregIndexOfWord(word), i, r.name);
  });
});

test("encodings are unique; names index the table", () => {
  const keys = new Set(SYSREGS.map((r) => sysregKey(r.op0, r.op1, r.crn, r.crm, r.op2)));
  assert.is(keys.size, SYSREGS.length);
  for (const [name, i] of Object.entries(SysregId)) assert.is(SYSREGS[i]?.name, name);
  assert.is(sysregIndex(3, 0, 1, 0, 0), SysregId.sctlr_el1);
  assert.is(sysregIndex(3, 7, 15, 15, 7), -1);
  // words quoted in aarch64-notes §3.1
  assert.is(sysregIndexOfWord(0xd5384240), SysregId.currentel);
  assert.is(sysregIndexOfWord(0xd53c5201), SysregId.esr_el2);
  assert.is(sysregIndexOfWord(0xd5300240), SysregId.mdscr_el1);
  assert.is(sysregIndexOfWord(0xd51cc000), SysregId.vbar_el2);
  assert.is(sysregIndexOfWord(0xd510109f), SysregId.oslar_el1);
});

test("reset values: the cortex-a57 QEMU reports (scenario.uart first line, aarch64-notes §3.5)", () => {
  const f = new SysregFile();
  const first = golden("scenario.uart").split("\n")[0] ?? "";
  const m = /MIDR=(0x[0-9a-f]+) OSLSR=(0x[0-9a-f]+)/.exec(first);
  assert.ok(m);
  assert.is(f.get("midr_el1"), BigInt(m?.[1] ?? ""));
  assert.is(f.get("oslsr_el1"), BigInt(m?.[2] ?? ""));
  assert.is(f.get("id_aa64mmfr1_el1"), 0n, "el2test: ID_AA64MMFR1=0x0 (no XNX)");
  assert.is(f.get("id_aa64dfr0_el1"), 0x10305106n);
  assert.is(f.get("cntfrq_el0"), 62500000n, "selftest.uart: CNTFRQ=62500000");
  assert.is(f.get("daif"), 0x3c0n);
  assert.is(f.get("vtcr_el2"), 0n);
});

test("every reset value is what QEMU reads back at EL2 after reset (fixtures/sysreg/qemu-reset.txt)", () => {
  const f = new SysregFile();
  const all = fixture("qemu-reset.txt").split("\n");
  const lines = all
    .slice(0, all.indexOf("# write-ones 0000000000000000"))
    .filter((l) => l !== "" && !l.startsWith("#"));
  // the dump code itself changes NZCV; CurrentEL is PSTATE (EL2 there)
  const live = new Set(["nzcv", "currentel"]);
  let n = 0;
  for (const l of lines) {
    const [name] = l.split(" ");
    assert.ok(name !== undefined && name in SysregId, `unknown register ${name}`);
    if (live.has(name ?? "")) continue;
    assert.is(
      `${name} ${f
        .get(name as keyof typeof SysregId)
        .toString(16)
        .padStart(16, "0")}`,
      l,
    );
    n++;
  }
  assert.is(n, lines.length - live.size);
  assert.ok(n >= 100);
});

test("writing all ones reads back what QEMU reads back (the write-ones part of qemu-reset.txt)", () => {
  const all = fixture("qemu-reset.txt").split("\n");
  const lines = all.slice(all.indexOf("# write-ones 0000000000000000") + 1).filter((l) => l !== "");
  assert.ok(lines.length >= 60);
  for (const l of lines) {
    const [name] = l.split(" ");
    const f = new SysregFile();
    f.put(name as keyof typeof SysregId, 0xffffffff_ffffffffn);
    assert.is(
      `${name} ${f
        .get(name as keyof typeof SysregId)
        .toString(16)
        .padStart(16, "0")}`,
      l,
    );
  }
});

test("writes: QEMU's behaviour by default, RES0/RES1 masks with architectural; read-only registers ignore writes", () => {
  const q = new SysregFile();
  q.put("sctlr_el1", 0n);
  assert.is(q.get("sctlr_el1"), 0n, "QEMU reads back what was written");
  q.put("vtcr_el2", 0x3560n);
  assert.is(q.get("vtcr_el2"), 0x3560n);
  q.put("esr_el2", 0xffffffff_ffffffffn);
  assert.is(q.get("esr_el2"), 0xffffffff_ffffffffn, "QEMU stores the RES0 upper half");
  const f = new SysregFile({ architectural: true });
  f.put("sctlr_el1", 0n);
  assert.is(f.get("sctlr_el1"), 0x30d00800n);
  f.put("sctlr_el1", 0x30d01805n);
  assert.is(f.get("sctlr_el1"), 0x30d01805n);
  f.put("vbar_el2", 0x40081fffn);
  assert.is(f.get("vbar_el2"), 0x40081800n);
  f.put("vtcr_el2", 0x3560n);
  assert.is(f.get("vtcr_el2"), 0x80003560n);
  f.put("midr_el1", 0n);
  assert.is(f.get("midr_el1"), 0x411fd070n);
  f.put("esr_el2", 0xffffffff_ffffffffn);
  assert.is(f.get("esr_el2"), 0xffffffffn);
  f.put("ttbr1_el1", 0x12345678_9abcdef0n);
  assert.is(f.get("ttbr1_el1"), 0x12345678_9abcdef0n);
  const i = SysregId.ttbr1_el1;
  assert.is(f.read(i), 0x9abcdef0);
  assert.is(f.hi, 0x12345678);
  f.set(SysregId.midr_el1, 1, 0);
  assert.is(f.get("midr_el1"), 1n, "set() bypasses masks (hardware writes)");
  f.reset();
  assert.is(f.get("ttbr1_el1"), 0n);
});

test("OSLAR_EL1 sets and clears OSLSR_EL1.OSLK", () => {
  const f = new SysregFile();
  f.put("oslar_el1", 0n);
  assert.is(f.get("oslsr_el1"), 0x8n);
  f.put("oslar_el1", 1n);
  assert.is(f.get("oslsr_el1"), 0xan);
});

test("access checks: EL, direction, HCR_EL2 / MDCR_EL2 / CNTHCTL_EL2 traps", () => {
  const f = new SysregFile();
  const s = SysregId.sctlr_el1;
  assert.is(f.check(s, 0, false, true), SysregAccess.UNDEFINED, "EL1 register at EL0");
  assert.is(f.check(s, 1, true, true), SysregAccess.OK);
  assert.is(f.check(SysregId.hcr_el2, 1, false, true), SysregAccess.UNDEFINED);
  assert.is(f.check(SysregId.sp_el2, 2, false, true), SysregAccess.UNDEFINED, "SP_EL2 needs EL3");
  assert.is(f.check(SysregId.oslsr_el1, 1, true, true), SysregAccess.UNDEFINED, "read-only");
  assert.is(f.check(SysregId.oslar_el1, 1, false, true), SysregAccess.UNDEFINED, "write-only");
  assert.is(f.check(SysregId.ctr_el0, 0, false, true), SysregAccess.OK);

  f.put("hcr_el2", (1n << 31n) | (1n << 26n) | (1n << 18n)); // RW | TVM | TID3
  assert.is(f.check(s, 1, true, true), SysregAccess.TRAP_EL2, "TVM traps writes");
  assert.is(f.check(s, 1, false, true), SysregAccess.OK, "TVM does not trap reads");
  assert.is(f.check(s, 2, true, true), SysregAccess.OK, "EL2 is never trapped to itself");
  assert.is(f.check(s, 1, true, false), SysregAccess.OK, "no EL2, no trap");
  assert.is(f.check(SysregId.id_aa64mmfr1_el1, 1, false, true), SysregAccess.TRAP_EL2);
  f.put("hcr_el2", 1n << 30n); // TRVM
  assert.is(f.check(SysregId.ttbr0_el1, 1, false, true), SysregAccess.TRAP_EL2);

  assert.is(f.check(SysregId.mdscr_el1, 1, true, true), SysregAccess.OK);
  f.put("mdcr_el2", 1n << 8n); // TDE implies TDA and TDOSA
  assert.is(f.check(SysregId.mdscr_el1, 1, true, true), SysregAccess.TRAP_EL2);
  assert.is(f.check(SysregId.oslar_el1, 1, true, true), SysregAccess.TRAP_EL2);

  assert.is(
    f.check(SysregId.cntp_ctl_el0, 1, true, true),
    SysregAccess.OK,
    "CNTHCTL_EL2 = 3 at reset (QEMU)",
  );
  f.put("cnthctl_el2", 0n);
  assert.is(f.check(SysregId.cntp_ctl_el0, 1, true, true), SysregAccess.TRAP_EL2, "EL1PCEN=0");
  assert.is(f.check(SysregId.cntpct_el0, 0, false, true), SysregAccess.TRAP_EL2, "EL1PCTEN=0");
  assert.is(f.check(SysregId.cntv_ctl_el0, 1, true, true), SysregAccess.OK, "virtual timer never trapped");
  f.put("cnthctl_el2", 3n);
  assert.is(f.check(SysregId.cntp_ctl_el0, 1, true, true), SysregAccess.OK);
  assert.is(f.check(SysregId.cntpct_el0, 0, false, true), SysregAccess.OK);
});

test("scenario traps: the ESR QEMU reported names the register this table traps", () => {
  const f = new SysregFile();
  f.put("hcr_el2", (1n << 31n) | (1n << 26n) | (1n << 18n) | (1n << 13n));
  // trap-msr-sctlr 0x62300400 and trap-mrs-id 0x6232002f (scenario.exceptions.json)
  const cases: [number, number, boolean, number][] = [
    [0x62300400, SysregId.sctlr_el1, true, 0],
    [0x6232002f, SysregId.id_aa64mmfr1_el1, false, 1],
  ];
  for (const [esr, i, write, rt] of cases) {
    const r = SYSREGS[i];
    assert.ok(r);
    if (!r) continue;
    assert.is(f.check(i, 1, write, true), SysregAccess.TRAP_EL2, r.name);
    assert.is(esrSysregTrap(r.op0, r.op1, r.crn, r.crm, r.op2, rt, !write), esr, r.name);
  }
});

test.run();
