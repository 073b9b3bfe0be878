import { defineConfig } from "vitest/config";

// One long test file: it packs the built packages, installs them from npm's point of view
// into a fresh project and runs a guide there, so it needs the packages' dist/ (turbo's
// `test` task builds them first) and npm's registry for the guide's other dependencies.
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
