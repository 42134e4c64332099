// Counts the instructions qemu-aarch64 executes for a program, from its TCG log:
//   tb (default): `-d in_asm,exec,nochain`; every translation block's length comes from its IN: listing,
//                 every execution of a block is one `Trace` line (nochain: no direct block chaining).
//   step:         `-singlestep -d exec,nochain`; one `Trace` line per instruction (slow; cross-check).
// Usage: tsx count-insns.ts <elf> [tb|step]   -> prints the count
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const QEMU = process.env.QEMU_AARCH64 ?? "qemu-aarch64";

export function countInsns(elf: string, mode: "tb" | "step" = "tb"): Promise<number> {
  return countWith(QEMU, ["-cpu", "max", elf], mode);
}

/**
 * The same count for any QEMU binary and its arguments: e.g. qemu-system-aarch64 with `-M virt ...
 * -kernel IMAGE`. Only exact for runs whose blocks are never cut short by a fault or an interrupt.
 */
export function countWith(qemu: string, args: readonly string[], mode: "tb" | "step"): Promise<number> {
  // the log goes through a FIFO: it can be gigabytes, and node's own pipes are sockets QEMU cannot open
  const dir = mkdtempSync(join(tmpdir(), "count-insns-"));
  const fifo = join(dir, "log");
  if (spawnSync("mkfifo", [fifo]).status !== 0) throw new Error("count-insns: mkfifo failed");
  const log =
    mode === "tb"
      ? ["-d", "in_asm,exec,nochain", "-D", fifo]
      : ["-singlestep", "-d", "exec,nochain", "-D", fifo];
  const child = spawn(qemu, [...log, ...args], { stdio: ["ignore", "ignore", "inherit"] });
  const sizes = new Map<string, number>();
  let pending = -1; // length of the block just listed, waiting for its first Trace line
  let listing = 0;
  let total = 0;
  const lines = createInterface({ input: createReadStream(fifo) });
  lines.on("line", (line) => {
    if (line.startsWith("Trace ")) {
      const key = /\[([0-9a-f]+\/[0-9a-f]+\/[0-9a-f]+\/[0-9a-f]+)\]/.exec(line)?.[1] ?? "";
      if (mode === "step") {
        total++;
        return;
      }
      if (pending >= 0) {
        sizes.set(key, pending);
        pending = -1;
      }
      const n = sizes.get(key);
      if (n === undefined) throw new Error(`count-insns: block ${key} executed before it was listed`);
      total += n;
    } else if (line.startsWith("IN:")) {
      listing = 0;
      pending = 0;
    } else if (/^0x[0-9a-f]+:\s/.test(line) && pending >= 0) {
      listing++;
      pending = listing;
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    lines.on("close", () => {
      rmSync(dir, { recursive: true, force: true });
      resolve(total);
    });
  });
}

if (process.argv[1]?.endsWith("count-insns.ts")) {
  const [elf, mode] = process.argv.slice(2);
  if (!elf) throw new Error("usage: count-insns.ts <elf> [tb|step]");
  countInsns(elf, mode === "step" ? "step" : "tb").then((n) => console.log(n));
}
