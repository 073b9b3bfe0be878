// Node-only helper for *.node.test.ts: bundles @unpod/core into one script, the way a
// separate app or worker would ship its own copy.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Bundles `entry` (relative to the package root) as an IIFE that assigns the module's
 * exports to `globalThis[globalName]`. `platform: "neutral"` resolves no Node built-in: a
 * `node:` import would make the build fail.
 */
export async function bundleIife(entry: string, globalName = "UnpodCore"): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    format: "iife",
    globalName,
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["@unpod/source"],
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return (result.outputFiles[0] as { text: string }).text;
}
