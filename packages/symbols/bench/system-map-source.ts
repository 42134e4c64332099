// Where the benchmark's kernel symbol table comes from: a real arm64 System.map from Debian's
// debug kernel package, fetched at benchmark time into a cache directory (nothing is committed),
// or, when that cannot be had, a synthetic table of the same size.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface MapSource {
  readonly text: string;
  readonly origin: string;
}

/** Same size as Debian 6.1 arm64 (115,075 symbols), when the real map is unavailable. */
const SYNTHETIC_COUNT = 115_075;

function sh(cmd: string, args: string[], cwd: string, timeoutMs = 300_000): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function findMap(dir: string): string | undefined {
  const f = existsSync(dir) ? readdirSync(dir).find((n) => n.startsWith("System.map-")) : undefined;
  return f && join(dir, f);
}

/**
 * Debian ships the real System.map only in `linux-image-<abi>-arm64-dbg` (the image package has
 * an 83-byte stub). The file sits at the start of the package's data archive, so extraction stops
 * after it. Needs apt with the arm64 architecture; as root, it is added when missing.
 */
function fetchDebianMap(cache: string): string {
  const pick = () =>
    /Depends: (linux-image-[^\s:]+-arm64-dbg)/.exec(
      sh("apt-cache", ["depends", "linux-image-arm64-dbg:arm64"], cache),
    )?.[1];
  let pkg: string | undefined;
  try {
    pkg = pick();
  } catch {
    pkg = undefined;
  }
  if (pkg === undefined) {
    if (process.getuid?.() !== 0 || process.env.AXEBPF_BENCH_NO_APT_SETUP) {
      throw new Error("apt has no arm64 packages (run: dpkg --add-architecture arm64 && apt-get update)");
    }
    console.log(
      "bench: adding the arm64 architecture to apt (dpkg --add-architecture arm64; apt-get update)",
    );
    sh("dpkg", ["--add-architecture", "arm64"], cache);
    sh("apt-get", ["update", "-q"], cache);
    pkg = pick();
    if (pkg === undefined) throw new Error("no linux-image-*-arm64-dbg package in apt");
  }
  console.log(`bench: downloading ${pkg}:arm64 (about 800 MB) into ${cache}`);
  sh("apt-get", ["download", "-q", `${pkg}:arm64`], cache, 1_200_000);
  const deb = readdirSync(cache).find((n) => n.endsWith(".deb"));
  if (deb === undefined) throw new Error("apt-get download produced no .deb");
  try {
    // tar stops at the first match; dpkg-deb then sees a closed pipe, which is fine.
    try {
      execFileSync(
        "sh",
        [
          "-c",
          `dpkg-deb --fsys-tarfile '${deb}' | tar -x --occurrence=1 --wildcards --no-anchored 'boot/System.map-*'`,
        ],
        { cwd: cache, stdio: "ignore", timeout: 600_000 },
      );
    } catch {
      // checked below
    }
    const nested = join(cache, "usr/lib/debug/boot");
    const map = findMap(nested);
    if (map === undefined) throw new Error(`${deb} has no usr/lib/debug/boot/System.map-*`);
    execFileSync("mv", [map, cache]);
    rmSync(join(cache, "usr"), { recursive: true, force: true });
    const out = findMap(cache);
    if (out === undefined) throw new Error("move failed");
    return out;
  } finally {
    rmSync(join(cache, deb), { force: true });
  }
}

/** Kernel-like names: subsystem prefixes, snake case, some `.cold`/`.isra.0` suffixes and duplicates. */
function syntheticMap(): string {
  let seed = 0x12345;
  const r = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pre = [
    "vfs_",
    "do_",
    "__arm64_sys_",
    "ext4_",
    "tcp_",
    "sched_",
    "mm_",
    "kvm_",
    "bpf_",
    "__",
    "irq_",
    "pci_",
  ];
  const words = [
    "read",
    "write",
    "open",
    "lock",
    "page",
    "alloc",
    "free",
    "init",
    "exit",
    "map",
    "fault",
    "update",
    "entry",
  ];
  const lines: string[] = [];
  let addr = 0xffff_8000_0801_0000n;
  for (let i = 0; i < SYNTHETIC_COUNT; i++) {
    let name = pre[Math.floor(r() * pre.length)] as string;
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) name += `${words[Math.floor(r() * words.length)]}_`;
    name += i.toString(36);
    if (r() < 0.05) name += ".cold";
    const type = "TtDdbr"[Math.floor(r() * 6)];
    lines.push(`${addr.toString(16).padStart(16, "0")} ${type} ${name}`);
    if (r() > 0.03) addr += BigInt(4 * (1 + Math.floor(r() * 128))); // 3% aliases
  }
  return `${lines.join("\n")}\n`;
}

export function loadSystemMap(): MapSource {
  const cache = process.env.AXEBPF_BENCH_CACHE ?? join(tmpdir(), "axebpf-symbols-bench");
  mkdirSync(cache, { recursive: true });
  let map = findMap(cache);
  if (map === undefined && !process.env.AXEBPF_BENCH_OFFLINE) {
    try {
      map = fetchDebianMap(cache);
    } catch (e) {
      console.log(
        `bench: NOTICE: could not fetch a real arm64 System.map (${(e as Error).message.split("\n")[0]})`,
      );
    }
  }
  if (map !== undefined) {
    return { text: readFileSync(map, "utf8"), origin: `${map.split("/").pop()} (Debian, real)` };
  }
  console.log(`bench: NOTICE: using a synthetic table of ${SYNTHETIC_COUNT} symbols instead`);
  return { text: syntheticMap(), origin: `synthetic, ${SYNTHETIC_COUNT} symbols` };
}
