// Writes dist/voice-worklet.js: the same audio worklet module that @unpod/browser/voice
// inlines as a blob: URL, as a file an app can serve from its own origin (`workletUrl`).
import { writeFile } from "node:fs/promises";
import { build } from "esbuild";

const result = await build({
  entryPoints: [new URL("../src/voice/worklet.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
  logLevel: "silent",
});
const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString("base64")}`;
const { workletSource } = await import(url);
const banner =
  "// @unpod/browser/voice audio worklet (unpod-capture, unpod-playback). Serve it from your origin and pass its URL as `workletUrl`.\n";
await writeFile(new URL("../dist/voice-worklet.js", import.meta.url), banner + workletSource());
