import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// Reads @unpod/node and @unpod/dev-server from src/, like the packages' own tests; every
// file starts its own dev server on 127.0.0.1.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { environment: "node", include: ["test/**/*.test.ts"], testTimeout: 20_000 },
});
