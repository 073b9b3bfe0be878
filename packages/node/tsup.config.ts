import { defineConfig } from "tsup";

// One build: the library (ESM + CJS + types) and the `unpod` CLI (its shebang makes
// dist/cli.js executable). The library never imports `node:crypto` statically, so the
// same files run on Node, Bun, Deno and edge workers (see src/internal/hs256.ts).
export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: false,
  target: "es2022",
  treeshake: true,
});
