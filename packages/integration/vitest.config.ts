import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Reads @unpod/node and @unpod/dev-server from src/ (the @unpod/source condition), like the
// packages' own tests. Every file starts its own dev server on 127.0.0.1, and the setup
// file scans every error and log line of the file for the API tokens used.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 20_000,
  },
});
