import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Components and hooks run in a DOM (happy-dom); server rendering runs in plain Node
// (`*.node.test.tsx`: no `window`, no `document`). Tests that drive real Chromium
// (`*.chromium.node.test.ts`) are the "chromium" project: `pnpm test:chromium`, run one
// package at a time by the root `pnpm test` so the audio thread has the machine to itself.
const chromium = "test/**/*.chromium.node.test.ts";
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // The environment Vitest loads globalSetup files in (test/setup/devServers.ts).
  environments: { __vitest__: { resolve: { conditions } } },
  test: {
    globalSetup: ["test/setup/devServers.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "dom",
          environment: "happy-dom",
          setupFiles: ["test/setup/dom.ts"],
          include: ["test/**/*.test.{ts,tsx}"],
          exclude: ["test/**/*.node.test.{ts,tsx}"],
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.node.test.{ts,tsx}"],
          exclude: [chromium],
          // Type tests (test/*.test-d.tsx) run once, here.
          typecheck: {
            enabled: true,
            include: ["test/**/*.test-d.{ts,tsx}"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
      {
        extends: true,
        test: { name: "chromium", environment: "node", include: [chromium], testTimeout: 60_000 },
      },
    ],
  },
});
