#!/usr/bin/env node
// Packaging checks for every published package (run after a build):
//   1. publint and attw on each package;
//   2. `pnpm pack` of each package;
//   3. for each package, an empty project outside the workspace that `npm install`s that package's
//      tarball plus the tarballs of its dependency closure, and nothing else (offline, so a missing
//      layer cannot come from a registry), then imports every entry point from ESM and from CommonJS.
// Prints `N passed, N failed` for these checks and writes them to .turbo/pack-summary.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const only = process.argv.slice(2);
const env = {
  ...process.env,
  FORCE_COLOR: "0",
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
};
let passed = 0;
let failed = 0;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

function check(name, fn) {
  const { ok, out } = fn();
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}`);
  if (!ok) console.log(out.replace(/^/gm, "     "));
}

const all = readdirSync(join(root, "packages"))
  .map((dir) => {
    const path = join(root, "packages", dir);
    const json = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
    return { dir, path, json, name: json.name };
  })
  .filter((p) => !p.json.private);
const pkgs = all.filter((p) => only.length === 0 || only.includes(p.name) || only.includes(p.dir));
const byName = new Map(all.map((p) => [p.name, p]));

function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(byName.get(name)?.json.dependencies ?? {})) {
    if (dep.startsWith("@axebpf/")) closure(dep, seen);
  }
  return seen;
}

// DESIGN.md §2: the layers each package stands on. A package lists exactly these, plus (only if its
// src imports it directly) a layer from their closure; its src imports nothing else of the family.
const LAYERS = {
  "@axebpf/platform": [],
  "@axebpf/symbols": ["@axebpf/platform"],
  "@axebpf/tracepoint": ["@axebpf/symbols", "@axebpf/platform"],
  "@axebpf/runtime": ["@axebpf/platform"],
  "@axebpf/aarch64-sim": ["@axebpf/platform"],
  "@axebpf/hprobe": ["@axebpf/tracepoint", "@axebpf/aarch64-sim", "@axebpf/platform"],
  "@axebpf/guest-kprobe": ["@axebpf/hprobe"],
};
const layerClosure = (name, seen = new Set()) => {
  for (const d of LAYERS[name] ?? []) if (!seen.has(d)) layerClosure(d, seen.add(d));
  return seen;
};
function sourceImports(dir) {
  const found = new Set();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.[cm]?ts$/.test(entry.name)) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), "utf8");
    for (const m of text.matchAll(/from\s+["'](@axebpf\/[a-z0-9-]+)/g)) found.add(m[1]);
  }
  return found;
}
for (const p of pkgs) {
  check(`${p.name}: dependencies are its DESIGN.md layers`, () => {
    const declared = Object.keys(p.json.dependencies ?? {}).filter((d) => d.startsWith("@axebpf/"));
    const imported = sourceImports(join(p.path, "src"));
    imported.delete(p.name);
    const allowed = layerClosure(p.name);
    const problems = [
      ...(LAYERS[p.name] ?? ["(not in the layer table)"])
        .filter((d) => !declared.includes(d))
        .map((d) => `missing ${d}`),
      ...declared.filter((d) => !allowed.has(d)).map((d) => `${d} is outside its closure`),
      ...declared
        .filter((d) => !(LAYERS[p.name] ?? []).includes(d) && !imported.has(d))
        .map((d) => `${d} is listed but not imported`),
      ...[...imported].filter((d) => !declared.includes(d)).map((d) => `src imports undeclared ${d}`),
    ];
    return { ok: problems.length === 0, out: problems.join("\n") };
  });
}

const work = mkdtempSync(join(tmpdir(), "axebpf-pack-"));
const tarballs = join(work, "tarballs");
mkdirSync(tarballs);
const tarballOf = new Map();

const selected = new Set(pkgs.map((p) => p.name));
const toPack = new Set(pkgs.flatMap((p) => [...closure(p.name)]));
for (const p of all.filter((q) => toPack.has(q.name))) {
  if (selected.has(p.name)) {
    check(`${p.name}: publint`, () => run("pnpm", ["exec", "publint", "--strict"], p.path));
    check(`${p.name}: attw`, () =>
      run(
        "pnpm",
        ["exec", "attw", "--pack", ".", "--profile", "node16", "--format", "table-flipped"],
        p.path,
      ),
    );
  }
  check(`${p.name}: pnpm pack`, () => {
    const r = run("pnpm", ["pack", "--pack-destination", tarballs], p.path);
    const file = r.out
      .split("\n")
      .reverse()
      .find((l) => l.endsWith(".tgz"));
    if (r.ok && file) tarballOf.set(p.name, resolve(p.path, file.trim()));
    return { ok: r.ok && file !== undefined, out: r.out };
  });
}

for (const p of pkgs) {
  const names = [...closure(p.name)];
  const missing = names.filter((n) => !tarballOf.has(n));
  if (missing.length > 0) {
    failed++;
    console.log(`FAIL ${p.name}: install check, no tarball for ${missing.join(", ")}`);
    continue;
  }
  const app = join(work, `app-${p.dir}`);
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify(
      {
        name: `pack-check-${p.dir}`,
        private: true,
        dependencies: Object.fromEntries(names.map((n) => [n, `file:${tarballOf.get(n)}`])),
      },
      null,
      2,
    ),
  );
  check(`${p.name}: npm install of its closure (${names.length} tarballs)`, () =>
    run("npm", ["install", "--offline", "--no-package-lock", "--ignore-scripts"], app),
  );
  const entries = Object.keys(p.json.exports)
    .filter((k) => k !== "./package.json")
    .map((k) => p.name + k.slice(1));
  const esm = entries
    .map(
      (e, i) =>
        `import * as m${i} from ${JSON.stringify(e)}; if (Object.keys(m${i}).length === 0) throw new Error("empty ${e}");`,
    )
    .join("\n");
  const cjs = entries
    .map((e) => `if (Object.keys(require(${JSON.stringify(e)})).length === 0) throw new Error("empty ${e}");`)
    .join("\n");
  writeFileSync(join(app, "esm.mjs"), `${esm}\nconsole.log("esm ok");\n`);
  writeFileSync(join(app, "cjs.cjs"), `${cjs}\nconsole.log("cjs ok");\n`);
  check(`${p.name}: import from ESM (${entries.join(", ")})`, () => run("node", ["esm.mjs"], app));
  check(`${p.name}: require from CommonJS`, () => run("node", ["cjs.cjs"], app));
}

// The check has teeth: a package installed without one layer of its closure must fail to import.
const probe = pkgs.find((p) => p.name === "@axebpf/symbols");
if (probe && tarballOf.has("@axebpf/symbols")) {
  const app = join(work, "app-missing-layer");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "pack-check-missing-layer",
      private: true,
      dependencies: { "@axebpf/symbols": `file:${tarballOf.get("@axebpf/symbols")}` },
    }),
  );
  check("@axebpf/symbols without @axebpf/platform: install or import fails", () => {
    const i = run("npm", ["install", "--offline", "--no-package-lock", "--ignore-scripts"], app);
    if (!i.ok) return { ok: true, out: "" };
    const r = run("node", ["--input-type=module", "-e", 'await import("@axebpf/symbols")'], app);
    return { ok: !r.ok, out: r.ok ? "import succeeded without the platform layer" : "" };
  });
}

if (!process.env.KEEP_PACK_CHECK) rmSync(work, { recursive: true, force: true });
mkdirSync(join(root, ".turbo"), { recursive: true });
writeFileSync(join(root, ".turbo/pack-summary.json"), JSON.stringify({ passed, failed }));
console.log(`\npackaging: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
