import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Tests read src/ through the @unpod/source condition. The edge and CLI tests load the
// BUILT files (dist/) on purpose: they check what ships.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    // The property tests run thousands of cases on the CPU; on CI's two cores, shared with
    // every other package's tests, one took 27 s. No test here asserts a wall-clock time
    // against this: it only bounds a hang.
    testTimeout: 60_000,
  },
});
