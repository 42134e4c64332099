// Hand-checked behaviour of the public API: registers, stop reasons, decode cache invalidation, ELF errors.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type Bus,
  BusFault,
  Cpu,
  disassemble,
  encodingName,
  FaultKind,
  FlatMemory,
  Perm,
  parseElf,
  runElf,
  SimError,
  StopReason,
} from "../src/index.ts";

const BASE = 0x40_0000;
function machine(words: number[]): { cpu: Cpu; mem: FlatMemory; code: DataView } {
  const mem = new FlatMemory();
  const code = new DataView(mem.map(BASE, 0x1000, Perm.RWX).buffer);
  words.forEach((w, i) => {
    code.setUint32(4 * i, w >>> 0, true);
  });
  mem.map(0x80_0000, 0x1000, Perm.RW);
  const cpu = new Cpu(mem);
  cpu.pc = BASE;
  return { cpu, mem, code };
}

test("ADDS sets NZCV as the Arm pseudocode; 32-bit forms zero the upper half", () => {
  // adds x0, x1, x2 ; adds w3, w1, w2 ; brk #1
  const { cpu } = machine([0xab020020, 0x2b020023, 0xd4200020]);
  cpu.setX(1, 0x7fffffffffffffffn);
  cpu.setX(2, 1n);
  cpu.setX(3, 0xffffffffffffffffn);
  assert.is(cpu.run(10), StopReason.BRK);
  assert.is(cpu.excImm, 1);
  assert.is(cpu.getX(0), 0x8000000000000000n);
  assert.is(cpu.getX(3), 0n); // 0xffffffff + 1 = 0 in 32 bits, upper half cleared
  assert.is(cpu.nzcv, 0b0110); // from the W form: Z and C
  assert.is(cpu.retired, 2);
});

test("register 31 is SP or XZR by encoding", () => {
  // add sp, sp, #16 ; add x0, xzr... (orr x0, xzr, #1) ; mov x1, sp ; brk
  const { cpu } = machine([0x910043ff, 0xb24003e0, 0x910003e1, 0xd4200000]);
  cpu.setX(31, 0x80_0100n);
  cpu.run(10);
  assert.is(cpu.getX(31), 0x80_0110n);
  assert.is(cpu.getX(0), 1n);
  assert.is(cpu.getX(1), 0x80_0110n);
});

test("unallocated words, faults and misaligned branches stop with a reason, never a host error", () => {
  const u = machine([0x00000000]);
  assert.is(u.cpu.run(5), StopReason.UNDEFINED);
  assert.is(u.cpu.pc, BASE);
  // ldr x0, [x1] with x1 unmapped
  const f = machine([0xf9400020]);
  f.cpu.setX(1, 0x1234_5678_9000n);
  assert.is(f.cpu.run(5), StopReason.DATA_ABORT);
  assert.is(f.cpu.faultAddress, 0x1234_5678_9000n);
  // br x1 to a misaligned mapped address
  const b = machine([0xd61f0020]);
  b.cpu.setX(1, BigInt(BASE + 6));
  assert.is(b.cpu.run(5), StopReason.PC_ALIGNMENT);
  // svc: preferred return address is the next instruction
  const s = machine([0xd4000001]);
  assert.is(s.cpu.run(5), StopReason.SVC);
  assert.is(s.cpu.pc, BASE + 4);
});

test("a store over decoded code drops the stale decode", () => {
  // loop: str w2, [x1] (patches the word at BASE+8) ; nop ; movz x0, #1 ; brk
  const { cpu } = machine([0xb9000022, 0xd503201f, 0xd2800020, 0xd4200000]);
  cpu.setX(1, BigInt(BASE + 8));
  cpu.setX(2, 0xd2800540n); // movz x0, #42
  cpu.pc = BASE + 8;
  cpu.run(1); // decodes movz x0, #1 at BASE+8
  assert.is(cpu.getX(0), 1n);
  cpu.pc = BASE;
  assert.is(cpu.run(10), StopReason.BRK);
  assert.is(cpu.getX(0), 42n);
});

test("compiled blocks: a fault inside a hot block stops at the faulting instruction, as the interpreter does", () => {
  // loop: ldr x0, [x1], #8 ; add x2, x2, #1 ; b loop  -- walks off the end of the data region
  const words = [0xf8408420, 0x91000442, 0x17fffffe];
  const results = [true, false].map((blocks) => {
    const { cpu } = machine(words);
    cpu.useBlocks = blocks;
    cpu.setX(1, 0x80_0000n);
    const stop = cpu.run(100000);
    return {
      stop,
      pc: cpu.pc,
      x1: cpu.getX(1),
      x2: cpu.getX(2),
      retired: cpu.retired,
      fault: cpu.faultAddress,
    };
  });
  assert.equal(results[0], results[1]);
  assert.is(results[0]?.stop, StopReason.DATA_ABORT);
  assert.is(results[0]?.x2, 512n); // 4 KiB / 8 loads succeeded
  assert.is(results[0]?.fault, 0x80_1000n);
  assert.is(results[0]?.pc, BASE);
  assert.is(results[0]?.retired, 512 * 3);
});

test("compiled blocks: writing code through the bus drops the block, the new code runs", () => {
  // loop: add x0, x0, #1 ; subs x1, x1, #1 ; b.ne loop ; brk
  const { cpu, mem } = machine([0x91000400, 0xf1000421, 0x54ffffc1, 0xd4200000]);
  cpu.setX(1, 100n);
  assert.is(cpu.run(100000), StopReason.BRK);
  assert.is(cpu.getX(0), 100n);
  mem.write32(BASE, 0, 0x91000800); // add x0, x0, #2
  cpu.setX(0, 0n);
  cpu.setX(1, 100n);
  cpu.pc = BASE;
  assert.is(cpu.run(100000), StopReason.BRK);
  assert.is(cpu.getX(0), 200n);
});

test("WFI/WFE: NOPs by default; with trapWfx they stop at their own address, unretired, blocks as the interpreter", () => {
  // loop: add x0, x0, #1 ; subs x1, x1, #1 ; b.ne loop ; add x2, x2, #1 ; wfe ; wfi ; brk
  const words = [0x91000400, 0xf1000421, 0x54ffffc1, 0x91000442, 0xd503205f, 0xd503207f, 0xd4200000];
  const results = [true, false].map((blocks) => {
    const { cpu } = machine(words);
    cpu.useBlocks = blocks;
    cpu.hotThreshold = 1; // compile every block, so the WFE ends a compiled [add, wfe]
    cpu.setX(1, 100n);
    assert.is(cpu.run(100000), StopReason.BRK);
    assert.is(cpu.retired, 303);
    // same decoded code, flag read at run time
    cpu.trapWfx = true;
    cpu.pc = BASE;
    cpu.setX(1, 100n);
    const seen: [StopReason, number, number][] = [];
    for (let i = 0; i < 3; i++) {
      const stop = cpu.run(100000);
      seen.push([stop, cpu.pc - BASE, cpu.retired]);
      if (stop === StopReason.WFI || stop === StopReason.WFE) {
        assert.is(cpu.excWord >>> 0, words[(cpu.pc - BASE) / 4]);
        cpu.pc += 4; // what the machine does once the wait is over
      }
    }
    return seen;
  });
  assert.equal(results[0], results[1]);
  assert.equal(results[0], [
    [StopReason.WFE, 16, 303 + 301],
    [StopReason.WFI, 20, 303 + 301],
    [StopReason.BRK, 24, 303 + 301],
  ]);
});

test("exclusive monitor: STXR succeeds after LDXR to the same address, fails after CLREX", () => {
  // ldxr x0, [x1] ; stxr w2, x3, [x1] ; ldxr x0, [x1] ; clrex ; stxr w4, x3, [x1] ; brk
  const { cpu, mem } = machine([0xc85f7c20, 0xc8027c23, 0xc85f7c20, 0xd503305f, 0xc8047c23, 0xd4200000]);
  cpu.setX(1, 0x80_0000n);
  cpu.setX(3, 0x1122334455667788n);
  cpu.setX(4, 7n);
  cpu.run(10);
  assert.is(cpu.getX(2), 0n);
  assert.is(cpu.getX(4), 1n);
  assert.is(mem.read32(0x80_0000, 0) >>> 0, 0x55667788);
});

test("disassemble prints objdump's text", () => {
  assert.is(disassemble(0xa9bf7bfd, 0x400000n), "stp\tx29, x30, [sp, #-16]!");
  assert.is(disassemble(0x94000004, 0x400000n), "bl\t0x400010");
  assert.is(disassemble(0xd2800540), "mov\tx0, #0x2a");
  assert.is(disassemble(0x00000000), "udf\t#0");
  assert.is(encodingName(0x91000c41), "ADDSUB_i");
  assert.throws(
    () => disassemble(2 ** 32),
    (e: unknown) => e instanceof SimError && e.code === "SIM_BAD_ARGUMENT",
  );
});

const hello = readFileSync(new URL("../oracle/programs/golden/hello.O2.elf", import.meta.url));

test("runElf: stdout, exit code and instruction count of a static ELF", () => {
  const r = runElf(hello);
  assert.is(r.exitCode, 42);
  assert.ok(new TextDecoder().decode(r.stdout).startsWith("hello from a64\n"));
  assert.is(r.instructions, 1223);
  const limited = runElf(hello, { maxInstructions: 100 });
  assert.is(limited.instructions, 100);
  assert.is(limited.signal, 0);
});

function elfError(bytes: Uint8Array): string {
  try {
    parseElf(bytes);
  } catch (e) {
    assert.instance(e, SimError);
    return (e as SimError).code;
  }
  return "no error";
}

test("damaged ELF files give SIM_ELF_* errors with the byte offset", () => {
  assert.is(elfError(hello.subarray(0, 20)), "SIM_ELF_TRUNCATED");
  const magic = new Uint8Array(hello);
  magic[1] = 0x46;
  assert.is(elfError(magic), "SIM_ELF_BAD_MAGIC");
  const machineBad = new Uint8Array(hello);
  machineBad[18] = 62; // x86-64
  assert.is(elfError(machineBad), "SIM_ELF_NOT_AARCH64");
  const dyn = new Uint8Array(hello);
  dyn[16] = 3;
  assert.is(elfError(dyn), "SIM_ELF_NOT_STATIC");
  const phoff = new Uint8Array(hello);
  new DataView(phoff.buffer).setBigUint64(32, 0xfffff0n, true);
  assert.is(elfError(phoff), "SIM_ELF_TRUNCATED");
  try {
    parseElf(phoff);
  } catch (e) {
    assert.is((e as SimError).offset, 0xfffff0);
  }
});

test("decode contexts: a code write reaches the code decoded under another context", () => {
  const { cpu, mem } = machine([0xd2800020, 0xd4200000]); // movz x0, #1; brk #0
  assert.is(cpu.run(100), StopReason.BRK);
  assert.is(cpu.getX(0), 1n);
  cpu.selectContext("b");
  mem.write32(BASE, 0, 0xd2800040); // movz x0, #2
  cpu.selectContext("");
  cpu.pc = BASE;
  assert.is(cpu.run(100), StopReason.BRK);
  assert.is(cpu.getX(0), 2n);
});

test("a fault inside a compiled block at a top-half (negative) PC stops at the faulting instruction", () => {
  const words = [0x91000400, 0xb9400041, 0xd4200000]; // add x0, x0, #1; ldr w1, [x2]; brk #0
  const fault = new BusFault();
  const fail = (lo: number, hi: number): never => {
    throw fault.set(lo, hi, FaultKind.UNMAPPED, false, false);
  };
  const bus: Bus = {
    fault,
    hi: 0,
    onCodeWrite: undefined,
    fetch32: (lo) => words[((lo & 0xfff) >>> 2) % words.length] as number,
    read8: fail,
    read16: fail,
    read32: fail,
    read64: fail,
    write8: fail,
    write16: fail,
    write32: fail,
    write64: fail,
    probe: fail,
  };
  const cpu = new Cpu(bus);
  cpu.hotThreshold = 1;
  const pc = -0x7f_bfbf_f000; // 0xffff_ff80_4040_1000
  cpu.pc = pc;
  assert.is(cpu.run(100), StopReason.DATA_ABORT);
  assert.is(cpu.pc, pc + 4);
  assert.is(cpu.retired, 1);
});

test.run();
