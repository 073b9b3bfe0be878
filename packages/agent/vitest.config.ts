import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Tests read src/ through the @unpod/source condition and talk to a real dev server on
// 127.0.0.1 (and real Chromium for the browser end). `dialog.edge.test.ts` runs
// createDialogHandler in the edge runtime too.
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
    ],
  },
});
