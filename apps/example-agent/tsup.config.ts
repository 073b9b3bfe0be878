import { defineConfig } from "tsup";

// The library entry (createExampleAgent, fakeLlm) for tests, and the executable the demo
// runs. @unpod/agent stays external: it is a dependency.
export default defineConfig({
  entry: ["src/index.ts", "src/main.ts"],
  format: ["esm"],
  dts: false,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "node",
});
