import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // Sibling packages stay imports, so a layer missing from package.json fails the pack-and-install check.
  external: [/^@axebpf\//],
});
