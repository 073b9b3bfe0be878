import { defineConfig } from "tsup";

// Two entry points: the public API and `@unpod/core/internal` (for the Unpod packages,
// not covered by semver). Splitting is on for both formats, so the two share one copy of
// every module: one `UnpodError` class, whichever entry point a bundle or a `require`
// reached it through.
export default defineConfig({
  entry: { index: "src/index.ts", internal: "src/internal/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  splitting: true,
  clean: true,
  sourcemap: false,
  target: "es2022",
  treeshake: true,
});
