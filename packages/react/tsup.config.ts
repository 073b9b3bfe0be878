import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Every module is client-only: bundlers (Next.js App Router, RSC) read the directive from
  // the first line of the built file. esbuild drops module-level directives when it
  // bundles, so the banner puts it back.
  banner: { js: '"use client";' },
  external: ["react", "@unpod/browser", "@unpod/core"],
});
