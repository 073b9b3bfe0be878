import { defineConfig } from "vitest/config";

const conditions = ["@unpod/source"];
// Tests that need Node itself (node:fs, esbuild, the built dist, an EdgeVM) are *.node.test.ts.
const portable = { include: ["test/**/*.test.ts"], exclude: ["test/**/*.node.test.ts"] };

// The same tests run in Node, in a DOM (happy-dom) and in the edge runtime; type tests
// (test/*.test-d.ts) run once, in the Node project.
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
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
      { extends: true, test: { name: "happy-dom", environment: "happy-dom", ...portable } },
      { extends: true, test: { name: "edge", environment: "edge-runtime", ...portable } },
    ],
  },
});
