// `axebpf-aarch64 --machine ...`: boots an image like `qemu-system-aarch64 -M virt,virtualization=on
// -cpu cortex-a57 -nographic -semihosting -kernel IMAGE`. The UART goes to stdout, the semihosting exit
// code is the exit code. Kept free of process globals so a bin (or a test) passes its own I/O.
import { AxebpfError } from "@axebpf/platform";
import { Machine } from "./machine.ts";

export const BOOT_USAGE = `usage: axebpf-aarch64 --machine [--el 1|2] [--max-insns N] [--ram MiB] [--count] image.elf
  boots image.elf on the virt machine as qemu-system-aarch64 -M virt -kernel does: the PL011 UART and
  semihosting output go to stdout, the semihosting exit code is the exit code
  --el 1|2        exception level at reset (default 2, as with virtualization=on)
  --max-insns N   stop after N instructions (exit code 124)
  --ram MiB       RAM size at 0x40000000 (default 128)
  --count         print "instructions: N" on stderr at the end
  exit codes: the image's semihosting exit code; 124 step limit; 125 halted (WFI with nothing to wake
  it); 1 unreadable or malformed image; 2 bad usage`;

export interface BootIo {
  readonly stdout: (bytes: Uint8Array) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Uint8Array;
}

/** Runs the boot command line (`argv` without the `--machine` flag itself); returns the exit code. */
export function bootMain(argv: readonly string[], io: BootIo): number {
  let el: 1 | 2 = 2;
  let max = 10_000_000_000;
  let ramMiB = 128;
  let count = false;
  let file: string | undefined;
  const bad = (msg: string): number => {
    io.stderr(`axebpf-aarch64: ${msg}\n${BOOT_USAGE}\n`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--el") {
      const v = argv[++i];
      if (v !== "1" && v !== "2") return bad("--el needs 1 or 2");
      el = v === "1" ? 1 : 2;
    } else if (a === "--max-insns" || a === "--ram") {
      const v = Number(argv[++i]);
      if (!Number.isSafeInteger(v) || v <= 0) return bad(`${a} needs a positive integer`);
      if (a === "--ram") {
        if (v > 3072) return bad("--ram is at most 3072 (MiB)");
        ramMiB = v;
      } else max = v;
    } else if (a === "--count") count = true;
    else if (a === "-h" || a === "--help") {
      io.stdout(new TextEncoder().encode(`${BOOT_USAGE}\n`));
      return 0;
    } else if (a.startsWith("-")) return bad(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else return bad(`unexpected argument ${a}`);
  }
  if (file === undefined) return bad("no image given");
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    io.stderr(`axebpf-aarch64: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const m = new Machine({ startEl: el, ramSize: ramMiB << 20, output: io.stdout });
    m.loadElf(bytes);
    const r = m.run({ maxSteps: max });
    if (count) io.stderr(`instructions: ${m.retired}\n`);
    if (r.stop === "exit") return r.exitCode ?? 1;
    if (r.stop === "halt") {
      io.stderr(`axebpf-aarch64: halted at pc 0x${m.pc.toString(16)} (WFI, nothing to wake the CPU)\n`);
      return 125;
    }
    return 124;
  } catch (e) {
    if (AxebpfError.isInstance(e)) {
      io.stderr(`axebpf-aarch64: ${file}: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  }
}
