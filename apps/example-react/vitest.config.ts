import { defineConfig } from "vitest/config";

// The end-to-end test drives the built app in real Chromium through `scripts/demo.mjs`; it
// needs the packages' dist/ (turbo's `test` task builds them first).
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
