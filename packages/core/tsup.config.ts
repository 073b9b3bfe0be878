import { defineConfig, type Options } from "tsup";

// Two entry points, built separately so that dist/index.js stays one self-contained file
// (what the browser bundles and what its bundle check reads): the public API, and
// `@unpod/core/internal` (for the Unpod packages, not covered by semver).
//
// The internal entry takes the error classes from the public one instead of carrying its
// own copy: an `UnpodTokenError` thrown by `parseToken` is then the class users import,
// and `instanceof` holds whichever entry point threw it. Its other modules (plain
// functions and constants) are bundled in; a few small ones exist in both files.
const shareErrorClasses: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "share-error-classes",
  setup(build) {
    // tsup builds both formats through esbuild's ESM output; the extension tells them apart.
    const publicEntry = `./index${build.initialOptions.outExtension?.[".js"] ?? ".js"}`;
    build.onResolve({ filter: /^\.\.?\/errors\.js$/ }, () => ({
      path: publicEntry,
      external: true,
    }));
  },
};

const common: Options = {
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: false,
  target: "es2022",
  treeshake: true,
};

export default defineConfig([
  { ...common, entry: { index: "src/index.ts" }, clean: true },
  {
    ...common,
    entry: { internal: "src/internal/index.ts" },
    clean: false,
    esbuildPlugins: [shareErrorClasses],
  },
]);
