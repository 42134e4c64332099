import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    // Sibling packages stay imports, so a layer missing from package.json fails the pack-and-install check.
    external: [/^@axebpf\//],
  },
  {
    // the command-line runner (ESM only; the shebang in src/bin.ts is kept)
    entry: ["src/bin.ts"],
    format: ["esm"],
    sourcemap: true,
    clean: false,
    target: "node20",
    external: [/^@axebpf\//],
  },
]);
