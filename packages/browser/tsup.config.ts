import { defineConfig } from "tsup";

export default defineConfig({
  // `voice` is its own entry (`@unpod/browser/voice`), so a text-only app never loads audio
  // code; no code splitting, so `index.js` stays one file that imports only @unpod/core.
  entry: { index: "src/index.ts", voice: "src/voice/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: false,
  target: "es2022",
  treeshake: true,
  // The audio worklet module as a plain file, for pages whose CSP forbids `blob:`.
  onSuccess: "node scripts/write-worklet.mjs",
});
