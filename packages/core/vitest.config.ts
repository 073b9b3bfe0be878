import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];

// The same tests run in Node, in a DOM (happy-dom) and in the edge runtime.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      { extends: true, test: { name: "node", environment: "node" } },
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
