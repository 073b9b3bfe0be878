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
    testTimeout: 20_000,
  },
});
