// Rebuilds every syndrome the scenario and selftest images recorded under QEMU (oracle/images/golden) with
// this module's builders. Builder arguments come from the instruction at ELR in the committed ELF (imm16,
// Rt, access size, MSR/MRS fields), not from the golden ESR, so field positions are checked for real.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  AbortFlag,
  dataAbortAccess,
  ExceptionClass,
  esrBrk,
  esrCall,
  esrDataAbort,
  esrInstructionAbort,
  esrPcAlignment,
  esrSoftwareStep,
  esrSysregTrap,
  esrUnknown,
  esrWfx,
  FaultKind,
  FaultStatus,
  fsc,
  hpfarLo,
  returnOffset,
  spsrEl,
  spsrSpSel,
  VectorKind,
  vectorOffset,
} from "../src/exception/index.ts";

const ORACLE = new URL("../oracle/images/", import.meta.url);

interface Rec {
  test: string;
  el: string;
  vec: string;
  esr: string;
  elr: string;
  far?: string;
  hpfar?: string;
  spsr: string;
}

function records(name: string): Rec[] {
  return JSON.parse(readFileSync(new URL(`golden/${name}.exceptions.json`, ORACLE), "utf8")) as Rec[];
}

// Minimal ELF64 little-endian reader: the 32-bit word at a virtual address from the PT_LOAD segments.
function elfWords(name: string): (addr: number) => number {
  const b = readFileSync(new URL(`${name}/${name}.elf`, ORACLE));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const phoff = Number(dv.getBigUint64(0x20, true));
  const phentsize = dv.getUint16(0x36, true);
  const phnum = dv.getUint16(0x38, true);
  const segs: { vaddr: number; off: number; size: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (dv.getUint32(p, true) !== 1) continue;
    segs.push({
      off: Number(dv.getBigUint64(p + 8, true)),
      vaddr: Number(dv.getBigUint64(p + 16, true)),
      size: Number(dv.getBigUint64(p + 32, true)),
    });
  }
  return (addr) => {
    for (const s of segs) {
      if (addr >= s.vaddr && addr + 4 <= s.vaddr + s.size) return dv.getUint32(s.off + addr - s.vaddr, true);
    }
    throw new Error(`0x${addr.toString(16)} is not in a PT_LOAD segment of ${name}.elf`);
  };
}

// Access syndrome of a single-register load/store (unsigned-offset, unscaled or register-offset forms).
function access(w: number): { acc: number; write: boolean } {
  assert.is((w >>> 27) & 7, 0b111, `0x${w.toString(16)} is a load/store`);
  const size = w >>> 30;
  const opc = (w >>> 22) & 3;
  const rt = w & 31;
  const signed = opc >= 2;
  const sf = size === 3 || (signed && opc === 2);
  return { acc: dataAbortAccess(size, signed, rt, sf, false), write: opc === 0 };
}

// MSR/MRS (register) fields → trapped-sysreg ESR.
function sysregEsr(w: number): number {
  assert.is((w & 0xffd00000) >>> 0, 0xd5100000, `0x${w.toString(16)} is MSR/MRS`);
  return esrSysregTrap(
    2 + ((w >>> 19) & 1),
    (w >>> 16) & 7,
    (w >>> 12) & 15,
    (w >>> 8) & 15,
    (w >>> 5) & 7,
    w & 31,
    ((w >>> 21) & 1) === 1,
  );
}

type Kind =
  | "brk"
  | "brk-injected"
  | "call"
  | "undef"
  | "sys"
  | "msr-imm-qemu"
  | "wfi"
  | "step"
  | "pc-align"
  | { iabt: number }
  | { dabt: number; isv?: boolean; s1ptw?: boolean };

const T = FaultKind.TRANSLATION;
const P = FaultKind.PERMISSION;

const scenarioKinds: Record<string, Kind> = {
  "el2-brk": "brk",
  "guest-hvc": "call",
  "guest-brk-to-el2": "brk",
  "hvc-control": "call",
  "guest-brk-to-el1": "brk",
  "guest-svc": "call",
  "guest-undef": "undef",
  "guest-s1-translation-fault": { dabt: fsc(T, 1) },
  "s2-iabt-xn": { iabt: fsc(P, 3) },
  "s2-dabt-ro-write": { dabt: fsc(P, 3), isv: true },
  "s2-dabt-mmio-read": { dabt: fsc(T, 1), isv: true },
  "s2-dabt-mmio-write": { dabt: fsc(T, 1), isv: true },
  "trap-msr-sctlr": "sys",
  "trap-mrs-id": "sys",
  "trap-wfi": "wfi",
  "guest-step": "step",
  "guest-brk-injected": "brk-injected",
  "s2-dabt-s1ptw": { dabt: fsc(P, 2), s1ptw: true },
  "guest-done": "call",
  "el2-self-step": "step",
};
const selftestKinds: Record<string, Kind> = {
  "translation-fault-l3": { dabt: fsc(T, 3) },
  "translation-fault-l1": { dabt: fsc(T, 1) },
  "permission-fault-write": { dabt: fsc(P, 3) },
  "access-flag-fault": { dabt: fsc(FaultKind.ACCESS_FLAG, 3) },
  "xn-fetch": { iabt: fsc(P, 3) },
  "alignment-fault-ldxr": { dabt: FaultStatus.ALIGNMENT },
  "pc-alignment": "pc-align",
  "el1-svc": "call",
  "el1-brk": "brk",
  "el1-undef": "undef",
};
// the "el0" records in order: SVC, MRS SCTLR_EL1 (UNDEFINED at EL0), MSR DAIFSet, WFI, EL1-only page, SVC
const el0Kinds: Kind[] = ["call", "undef", "msr-imm-qemu", "wfi", { dabt: fsc(P, 3) }, "call"];

function expected(k: Kind, r: Rec, word: (a: number) => number): number {
  const elr = Number(r.elr);
  const lower = spsrEl(Number(r.spsr)) < Number(r.el);
  switch (k) {
    case "brk": {
      const w = word(elr);
      assert.is((w & 0xffe0001f) >>> 0, 0xd4200000, "BRK at ELR");
      return esrBrk((w >>> 5) & 0xffff);
    }
    case "brk-injected":
      // EL2 wrote `brk #4` (0xd4200080, scenario.c) over the guest instruction at run time
      return esrBrk((0xd4200080 >>> 5) & 0xffff);
    case "call": {
      const w = word(elr - 4); // preferred return = next instruction
      assert.is((w & 0xffe0001c) >>> 0, 0xd4000000, "SVC/HVC/SMC before ELR");
      const ec = (0x14 + (w & 3)) as 0x15 | 0x16 | 0x17;
      assert.is(returnOffset(ec), 4);
      return esrCall(ec, (w >>> 5) & 0xffff);
    }
    case "undef":
      return esrUnknown();
    case "sys":
      return sysregEsr(word(elr));
    case "msr-imm-qemu": {
      const w = word(elr);
      assert.is((w & 0xfff8f01f) >>> 0, 0xd500401f, "MSR (immediate) at ELR");
      // QEMU 7.2 reports op1 and op2 swapped for MSR-immediate traps (see esrSysregTrap)
      return esrSysregTrap(0, (w >>> 5) & 7, 4, (w >>> 8) & 15, (w >>> 16) & 7, 31, false);
    }
    case "wfi":
      assert.is(word(elr), 0xd503207f, "WFI at ELR");
      return esrWfx(false);
    case "step":
      return esrSoftwareStep(lower, true, false);
    case "pc-align":
      return esrPcAlignment();
    default:
      if ("iabt" in k) return esrInstructionAbort(lower, k.iabt, 0);
      if (k.s1ptw) return esrDataAbort(lower, k.dabt, AbortFlag.S1PTW, 0);
      if (k.dabt === FaultStatus.ALIGNMENT) return esrDataAbort(lower, k.dabt, 0, 0);
      {
        const a = access(word(elr));
        return esrDataAbort(lower, k.dabt, a.write ? AbortFlag.WNR : 0, k.isv ? a.acc : 0);
      }
  }
}

function check(name: string, kindOf: (r: Rec, i: number) => Kind): number {
  const word = elfWords(name);
  let n = 0;
  records(name).forEach((r, i) => {
    const where = `${name} #${i} ${r.test}`;
    const spsr = Number(r.spsr);
    // the guest-step test starts with the HVC that asks EL2 to arm the step, then three steps
    const k = r.test === "guest-step" && r.esr.startsWith("0x5a") ? "call" : kindOf(r, i);
    assert.is(`0x${expected(k, r, word).toString(16)}`, r.esr, where);
    assert.is(
      vectorOffset(spsrEl(spsr), spsrSpSel(spsr), Number(r.el), VectorKind.SYNC),
      Number(r.vec),
      where,
    );
    n++;
  });
  return n;
}

test("scenario.exceptions.json: every ESR and vector rebuilt", () => {
  const n = check("scenario", (r) => {
    const k = scenarioKinds[r.test];
    if (k === undefined) throw new Error(`no kind for ${r.test}`);
    return k;
  });
  assert.is(n, 30);
});

test("selftest.exceptions.json: every ESR and vector rebuilt (EL1 and EL0)", () => {
  let el0 = 0;
  const n = check("selftest", (r) => {
    const k = r.test === "el0" ? el0Kinds[el0++] : selftestKinds[r.test];
    if (k === undefined) throw new Error(`no kind for ${r.test}`);
    return k;
  });
  assert.is(el0, el0Kinds.length);
  assert.is(n, 16);
});

test("stage-2 records: HPFAR is the IPA page of FAR (alias 2-3 GiB -> 1-2 GiB, MMIO identity)", () => {
  let n = 0;
  for (const r of records("scenario")) {
    if (r.hpfar === undefined || r.far === undefined || r.test === "s2-dabt-s1ptw") continue;
    const far = Number(r.far);
    const ipa = far >= 0x80000000 && far < 0xc0000000 ? far - 0x40000000 : far;
    assert.is(hpfarLo(ipa | 0, 0), Number(r.hpfar), r.test);
    n++;
  }
  assert.is(n, 4);
});

test("software step ELRs advance one instruction per step", () => {
  const steps = records("scenario").filter((r) => Number(r.esr) >>> 26 === ExceptionClass.SOFTSTP_LOW);
  assert.is(steps.length, 3);
  for (let i = 1; i < steps.length; i++) {
    assert.is(Number(steps[i]?.elr) - Number(steps[i - 1]?.elr), 4);
  }
});

test.run();
