import { defineConfig } from "tsup";

export default defineConfig({
  // `voice` is its own entry (`@unpod/react/voice`): a text-only app never loads it. It imports
  // `@unpod/react` by name, so both entries share one context (and one provider).
  entry: { index: "src/index.ts", voice: "src/voice/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Every module is client-only: bundlers (Next.js App Router, RSC) read the directive from
  // the first line of the built file. esbuild drops module-level directives when it
  // bundles, so the banner puts it back.
  banner: { js: '"use client";' },
  external: ["react", "@unpod/react", "@unpod/browser", "@unpod/core"],
});
