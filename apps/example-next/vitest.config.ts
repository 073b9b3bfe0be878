import { defineConfig } from "vitest/config";

// The end-to-end test drives the BUILT app (`next start`, after turbo's `build`) in real
// Chromium against a dev server.
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
