import { defineConfig } from "tsup";

// The library entry (createApp, readConfig) for tests and embedding, and the server
// executable the demo runs. @unpod/node stays external: it is a dependency.
export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm"],
    // Private: TypeScript readers use src/ through the @unpod/source condition.
    dts: false,
    clean: true,
    sourcemap: true,
    target: "es2022",
    platform: "node",
  },
  {
    entry: ["src/server.ts"],
    format: ["esm"],
    dts: false,
    clean: false,
    sourcemap: true,
    target: "es2022",
    platform: "node",
  },
]);
