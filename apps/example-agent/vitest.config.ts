import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Reads @unpod/agent and @unpod/dev-server from src/; the test starts its own dev server.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { environment: "node", include: ["test/**/*.test.ts"], testTimeout: 20_000 },
});
