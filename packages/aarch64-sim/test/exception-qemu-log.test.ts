// QEMU's own exception log of the scenario image (golden/scenario.qemu-int.txt, `-d int`): for every
// exception taken, the vector it entered (VBAR_ELx from the ELF's symbols + `vectorOffset`), the PSTATE
// after entry (`packSpsr` with DAIF set, SPx of the target EL) and the ESR class agree with this module.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esrClass, exceptionClassName, packSpsr, VectorKind, vectorOffset } from "../src/exception/index.ts";

const ORACLE = new URL("../oracle/images/", import.meta.url);

function symbol(name: string, want: string): number {
  const b = readFileSync(new URL(`${name}/${name}.elf`, ORACLE));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true);
  const sh = (i: number) => shoff + i * shentsize;
  for (let i = 0; i < dv.getUint16(0x3c, true); i++) {
    if (dv.getUint32(sh(i) + 4, true) !== 2) continue;
    const off = Number(dv.getBigUint64(sh(i) + 0x18, true));
    const size = Number(dv.getBigUint64(sh(i) + 0x20, true));
    const str = Number(dv.getBigUint64(sh(dv.getUint32(sh(i) + 0x28, true)) + 0x18, true));
    for (let s = off; s < off + size; s += 24) {
      const n = str + dv.getUint32(s, true);
      if (b.subarray(n, n + want.length + 1).toString("latin1") === `${want}\0`) {
        return Number(dv.getBigUint64(s + 8, true));
      }
    }
  }
  throw new Error(`no symbol ${want}`);
}

interface Taken {
  what: string;
  from: number;
  to: number;
  ec: number;
  esr: number;
  pc: number;
  pstate: number;
}

function parse(): Taken[] {
  const lines = readFileSync(new URL("golden/scenario.qemu-int.txt", ORACLE), "utf8").split("\n");
  const out: Taken[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^Taking exception \d+ \[(.*)\]/.exec(lines[i] ?? "");
    if (!m) continue;
    const block = lines.slice(i + 1, i + 6).join("\n");
    const from = /\.\.\.from EL(\d) to EL(\d)/.exec(block);
    const esr = /\.\.\.with ESR (0x[0-9a-f]+)\/(0x[0-9a-f]+)/.exec(block);
    const to = /\.\.\.to EL\d PC (0x[0-9a-f]+) PSTATE (0x[0-9a-f]+)/.exec(block);
    if (!from || !esr || !to) continue; // the semihosting HLT is handled by QEMU itself
    out.push({
      what: m[1] ?? "",
      from: Number(from[1]),
      to: Number(from[2]),
      ec: Number(esr[1]),
      esr: Number(esr[2]),
      pc: Number(to[1]),
      pstate: Number(to[2]),
    });
  }
  return out;
}

test("scenario.qemu-int.txt: vector, PSTATE on entry and EC of all 30 exceptions", () => {
  const vbar = [0, symbol("scenario", "el1_vectors"), symbol("scenario", "el2_vectors")];
  const taken = parse();
  assert.is(taken.length, 30);
  const classes = new Set<string>();
  taken.forEach((t, i) => {
    const where = `#${i} ${t.what} EL${t.from}->EL${t.to}`;
    // the scenario runs EL1 and EL2 on SP_ELx (SPSR M = 5 / 9 in scenario.exceptions.json)
    assert.is(t.pc, (vbar[t.to] as number) + vectorOffset(t.from, 1, t.to, VectorKind.SYNC), where);
    assert.is(t.pstate, packSpsr(0, 0xf, 0, 0, t.to, 1), where);
    assert.is(esrClass(t.esr), t.ec, where);
    classes.add(exceptionClassName(t.ec) ?? "?");
  });
  assert.equal(
    [...classes].sort(),
    [
      "BRK64",
      "DABT_CUR",
      "DABT_LOW",
      "HVC64",
      "IABT_LOW",
      "SOFTSTP_CUR",
      "SOFTSTP_LOW",
      "SVC64",
      "SYS64",
      "UNKNOWN",
      "WFX",
    ].sort(),
  );
});

test.run();
