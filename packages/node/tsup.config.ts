import { defineConfig } from "tsup";

// One build: the library (ESM + CJS + types), its `@unpod/node/internal` entry point (for
// the other Unpod packages, not covered by semver) and the `unpod` CLI (its shebang makes
// dist/cli.js executable). Splitting is on for both formats, so the entry points share
// one copy of every module. The library never imports `node:crypto` statically, so the
// same files run on Node, Bun, Deno and edge workers (see src/internal/hs256.ts).
export default defineConfig({
  entry: { index: "src/index.ts", internal: "src/internal/index.ts", cli: "src/cli.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts", internal: "src/internal/index.ts" } },
  splitting: true,
  clean: true,
  sourcemap: false,
  target: "es2022",
  treeshake: true,
});
