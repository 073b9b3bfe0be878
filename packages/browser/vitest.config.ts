import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Unit tests run in Node, in a DOM (happy-dom) and in the edge runtime; tests that start
// servers (`*.node.test.ts`) run in Node only. Tests that drive real Chromium
// (`*.chromium.node.test.ts`) are the "chromium" project: `pnpm test:chromium`, run one
// package at a time by the root `pnpm test` so the audio thread has the machine to itself.
const chromium = "test/**/*.chromium.node.test.ts";
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
          // Type tests (test/*.test-d.ts) run once, here.
          typecheck: {
            enabled: true,
            include: ["test/**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
      {
        extends: true,
        test: { name: "chromium", environment: "node", include: [chromium], testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: "happy-dom",
          environment: "happy-dom",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.node.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "edge",
          environment: "edge-runtime",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.node.test.ts"],
        },
      },
    ],
  },
});
