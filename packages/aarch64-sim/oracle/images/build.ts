// Builds the bare-metal oracle images and records their golden UART output and exit codes under
// qemu-system-aarch64 (oracle/README.md, section 3).
//   tsx oracle/images/build.ts          build every image next to its sources, run it, write golden/
//   tsx oracle/images/build.ts --check  re-run the committed ELF files and compare with golden/
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { countWith } from "../programs/count-insns.ts";

const here = dirname(fileURLToPath(import.meta.url));
const golden = join(here, "golden");
const CC = process.env.CC_AARCH64 ?? "aarch64-linux-gnu-gcc";
const OBJCOPY = process.env.OBJCOPY ?? "aarch64-linux-gnu-objcopy";
const OBJDUMP = process.env.OBJDUMP ?? "aarch64-linux-gnu-objdump";
const QEMU = process.env.QEMU_SYSTEM_AARCH64 ?? "qemu-system-aarch64";
export const QEMU_ARGS = [
  "-M",
  "virt,virtualization=on",
  "-cpu",
  "cortex-a57",
  "-m",
  "128M",
  "-nographic",
  "-nic",
  "none",
  "-semihosting",
  "-kernel",
];
const CFLAGS = [
  "-O1",
  "-ffreestanding",
  "-nostdlib",
  "-static",
  "-mgeneral-regs-only",
  "-mstrict-align",
  "-fno-pic",
  "-no-pie",
  "-fno-stack-protector",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-Wl,--build-id=none",
  "-Wl,--no-warn-rwx-segments",
];
const COMMON = ["common/start.S", "common/vectors.S", "common/rt.c"];

interface Image {
  /** folder and ELF name: <name>/<name>.elf */
  readonly name: string;
  readonly sources: readonly string[];
  readonly defines: readonly string[];
  readonly linker?: string;
  /** built first; `<name>/<name>.bin` (objcopy -O binary) may be included by later images */
  readonly raw?: boolean;
  /** replaces -O1 */
  readonly opt?: string;
  /** record the instruction count (QEMU block log, cross-checked against single-stepping) */
  readonly count?: boolean;
  /** record QEMU's own exception log (`-d int`); only for images without timer interrupts (deterministic) */
  readonly intLog?: boolean;
  readonly what: string;
}

export const IMAGES: readonly Image[] = [
  {
    name: "selftest",
    sources: [...COMMON, "selftest/selftest.S", "selftest/selftest.c"],
    defines: ["-DWANT_EL1_VECTORS"],
    what: "EL1 self-test: stage-1 faults, AT/PAR_EL1, TTBR1 alias, EL0 traps, PC alignment, timer IRQ via GICv2",
  },
  {
    name: "scenario",
    sources: [...COMMON, "scenario/scenario.S", "scenario/scenario.c"],
    defines: ["-DWANT_EL2_VECTORS", "-DWANT_EL1_VECTORS"],
    intLog: true,
    what: "EL2 + stage 2 + guest EL1: syndromes of BRK, HVC, SVC, UNDEF, stage-1/stage-2 aborts, S1PTW, traps, WFI, step",
  },
  {
    name: "bench",
    sources: [...COMMON, "bench/bench.S", "bench/bench.c"],
    defines: ["-DWANT_EL2_VECTORS"],
    opt: "-O2",
    count: true,
    what: "MIPS workload: guest at EL1 with the MMU on under stage 2 (xorshift table, CRC-32, insertion sort)",
  },
  {
    name: "guest",
    sources: ["guest/boot.S", "common/vectors.S", "guest/user.S", "guest/kernel.c"],
    defines: ["-DWANT_EL1_VECTORS"],
    linker: "guest/link.ld",
    raw: true,
    what: "guest kernel, standalone: TTBR1 high half, EL0 program with syscalls, virtual timer through the GIC",
  },
  {
    name: "vmm",
    sources: [...COMMON, "vmm/vmm.S", "vmm/vmm.c"],
    defines: ["-DWANT_EL2_VECTORS"],
    linker: "vmm/link.ld",
    what: "EL2 hypervisor running the guest kernel under stage 2: PL011 MMIO traps, HVC, virtual timer IRQ",
  },
];

function run(elf: string): { uart: Buffer; exit: number } {
  const res = spawnSync(QEMU, [...QEMU_ARGS, elf], { timeout: 30_000, maxBuffer: 1 << 24 });
  if (res.status === null)
    throw new Error(`${elf}: qemu did not exit within 30 s (${res.signal ?? res.error})`);
  return { uart: res.stdout, exit: res.status };
}

/** QEMU's exception log: every exception taken (class, ELs, ESR, ELR, FAR, target PC, PSTATE) and return. */
function intLog(elf: string): string {
  const dir = mkdtempSync(join(tmpdir(), "int-"));
  try {
    const log = join(dir, "int.log");
    const res = spawnSync(QEMU, ["-d", "int", "-D", log, ...QEMU_ARGS, elf], { timeout: 30_000 });
    if (res.status === null) throw new Error(`${elf}: qemu did not exit`);
    return readFileSync(log, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `EXC ...` lines as records: {test, el, vec, esr, ec, iss, elr, far?, hpfar?, spsr} (hex strings). */
function exceptions(uart: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const line of uart.split("\n")) {
    const m = /^EXC (\S+) EL(\d) (.*)$/.exec(line);
    if (!m) continue;
    const rec: Record<string, string> = { test: m[1] ?? "", el: m[2] ?? "" };
    for (const kv of (m[3] ?? "").split(" ")) {
      const [k, v] = kv.split("=");
      if (k && v) rec[k.toLowerCase()] = v;
    }
    out.push(rec);
  }
  return out;
}

async function build(): Promise<void> {
  const index: Record<string, unknown>[] = [];
  for (const img of IMAGES) {
    const elf = join(here, img.name, `${img.name}.elf`);
    const ld = ["-T", join(here, img.linker ?? "common/link.ld")];
    const srcs = img.sources.map((s) => join(here, s));
    const cflags = [...CFLAGS.map((f) => (f === "-O1" && img.opt ? img.opt : f)), ...img.defines];
    const cc = spawnSync(CC, [...cflags, ...ld, "-o", elf, ...srcs], { cwd: here, encoding: "utf8" });
    if (cc.status !== 0) throw new Error(`${img.name}: ${CC} failed:\n${cc.stderr}`);
    if (img.raw) {
      const oc = spawnSync(OBJCOPY, ["-O", "binary", elf, join(here, img.name, `${img.name}.bin`)], {
        encoding: "utf8",
      });
      if (oc.status !== 0) throw new Error(`${img.name}: objcopy failed: ${oc.stderr}`);
    }
    const dis = spawnSync(OBJDUMP, ["-d", `${img.name}/${img.name}.elf`], {
      cwd: here,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    if (dis.status !== 0) throw new Error(`${img.name}: objdump failed: ${dis.stderr}`);
    writeFileSync(join(golden, `${img.name}.objdump`), dis.stdout);
    const { uart, exit } = run(elf);
    writeFileSync(join(golden, `${img.name}.uart`), uart);
    const exc = exceptions(uart.toString("latin1"));
    if (img.intLog) writeFileSync(join(golden, `${img.name}.qemu-int.txt`), intLog(elf));
    let insns: number | null = null;
    if (img.count) {
      insns = await countWith(QEMU, [...QEMU_ARGS, elf], "tb");
      const step = await countWith(QEMU, [...QEMU_ARGS, elf], "step");
      if (step !== insns) throw new Error(`${img.name}: block count ${insns} != single-step count ${step}`);
    }
    const meta = {
      elf: `${img.name}/${img.name}.elf`,
      exit,
      exceptions: exc.length,
      insns,
      cflags: cflags.join(" "),
      qemu: `${QEMU} ${QEMU_ARGS.join(" ")} IMAGE`,
      what: img.what,
    };
    writeFileSync(join(golden, `${img.name}.json`), `${JSON.stringify(meta, null, 2)}\n`);
    if (exc.length)
      writeFileSync(join(golden, `${img.name}.exceptions.json`), `${JSON.stringify(exc, null, 1)}\n`);
    index.push({ name: img.name, ...meta });
    console.log(
      `${img.name.padEnd(10)} exit ${exit}  ${uart.length} bytes of UART output, ${exc.length} exceptions`,
    );
  }
  writeFileSync(join(golden, "INDEX.json"), `${JSON.stringify(index, null, 2)}\n`);
}

function check(): void {
  const index = JSON.parse(readFileSync(join(golden, "INDEX.json"), "utf8")) as {
    name: string;
    elf: string;
    exit: number;
  }[];
  let bad = 0;
  for (const img of index) {
    const { uart, exit } = run(join(here, img.elf));
    const want = readFileSync(join(golden, `${img.name}.uart`));
    let ok = exit === img.exit && Buffer.compare(uart, want) === 0;
    const intPath = join(golden, `${img.name}.qemu-int.txt`);
    if (ok && existsSync(intPath)) ok = intLog(join(here, img.elf)) === readFileSync(intPath, "utf8");
    if (!ok) bad++;
    console.log(`${img.name.padEnd(10)} ${ok ? "ok" : `MISMATCH (exit ${exit}, want ${img.exit})`}`);
  }
  console.log(`images: ${index.length - bad}/${index.length} match`);
  process.exitCode = bad ? 1 : 0;
}

if (process.argv.includes("--check")) check();
else await build();
