import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Tests read src/ through the @unpod/source condition and talk to a real dev server on
// 127.0.0.1. `dialog.edge.test.ts` runs createDialogHandler in the edge runtime too. Tests
// that drive real Chromium for the browser end (`*.chromium.test.ts`) are the "chromium"
// project: `pnpm test:chromium`, run one package at a time by the root `pnpm test` so the
// audio thread has the machine to itself.
const chromium = "test/**/*.chromium.test.ts";
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts"],
          exclude: [chromium],
          typecheck: {
            enabled: true,
            include: ["test/**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
      {
        extends: true,
        test: { name: "edge", environment: "edge-runtime", include: ["test/**/*.edge.test.ts"] },
      },
      {
        extends: true,
        test: { name: "chromium", environment: "node", include: [chromium], testTimeout: 60_000 },
      },
    ],
  },
});
