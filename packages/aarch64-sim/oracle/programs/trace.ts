// Lockstep register traces: the state qemu-aarch64 shows before every instruction
// (`-singlestep -d cpu,nochain`), as gzip'd JSON lines (oracle/README.md, section 2).
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const QEMU = process.env.QEMU_AARCH64 ?? "qemu-aarch64";

/**
 * One JSON line per executed instruction: the first with every register, then only what changed.
 * The initial SP depends on the strings QEMU copies onto the stack (argv, environment, AT_EXECFN), so
 * the run is hermetic: empty environment, `cwd` the ELF's folder, the ELF named by its base name.
 */
export function traceProgram(cwd: string, elfName: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "trace-"));
  const fifo = join(dir, "log");
  if (spawnSync("mkfifo", [fifo]).status !== 0) throw new Error("trace: mkfifo failed");
  // an absolute path: the child gets an empty environment, so no PATH lookup
  const qemu = spawnSync("sh", ["-c", `command -v ${QEMU}`], { encoding: "utf8" }).stdout.trim() || QEMU;
  const child = spawn(qemu, ["-cpu", "max", "-singlestep", "-d", "cpu,nochain", "-D", fifo, elfName], {
    cwd,
    env: {},
    stdio: ["ignore", "ignore", "inherit"],
  });
  const out: string[] = [];
  let prev = new Map<string, string>();
  let cur = new Map<string, string>();
  const lines = createInterface({ input: createReadStream(fifo) });
  lines.on("line", (line) => {
    if (line.startsWith(" PC=")) cur = new Map();
    for (const m of line.matchAll(/\b(PC|SP|X\d\d)=([0-9a-f]{16})/g)) {
      const k = m[1] === "PC" ? "pc" : m[1] === "SP" ? "sp" : `x${Number(m[1]?.slice(1))}`;
      cur.set(k, BigInt(`0x${m[2]}`).toString(16));
    }
    const ps = /^PSTATE=([0-9a-f]{8})/.exec(line);
    if (!ps) return;
    cur.set("nzcv", (Number.parseInt(ps[1] ?? "0", 16) >>> 28).toString(16));
    const rec: Record<string, string> = {};
    for (const [k, v] of cur) if (k === "pc" || prev.get(k) !== v) rec[k] = v;
    out.push(JSON.stringify(rec));
    prev = cur;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    lines.on("close", () => {
      rmSync(dir, { recursive: true, force: true });
      resolve(out);
    });
  });
}
