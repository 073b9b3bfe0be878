// The page the voice tests and the voice bench drive in real Chromium: the BUILT bundles of
// @unpod/browser, @unpod/browser/voice and @unpod/core behind an import map. The page's
// instruments (an output tap, recorded streams, contexts and frames, an autoplay shim) are
// @unpod/testing's `instrumentAudio` and `audioHelpers`, re-exported here.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";

const files = {
  "/browser/index.js": new URL("../dist/index.js", import.meta.url),
  "/browser/voice.js": new URL("../dist/voice.js", import.meta.url),
  "/browser/voice-worklet.js": new URL("../dist/voice-worklet.js", import.meta.url),
  "/core/index.js": new URL("../node_modules/@unpod/core/dist/index.js", import.meta.url),
  "/core/internal.js": new URL("../node_modules/@unpod/core/dist/internal.js", import.meta.url),
};
const html = `<!doctype html><meta charset="utf-8"><title>unpod voice</title>
<script type="importmap">{"imports":{"@unpod/core":"/core/index.js","@unpod/core/internal":"/core/internal.js","@unpod/browser":"/browser/index.js","@unpod/browser/voice":"/browser/voice.js"}}</script>
<button id="go">go</button>
<script type="module">
  window.unpod = await import("@unpod/browser");
  window.unpodVoice = await import("@unpod/browser/voice");
  window.ready = true;
</script>`;
/** The policy `/strict-csp` is served with. */
const STRICT_CSP = "script-src 'self' 'unsafe-inline'";

async function servePage() {
  const http = createServer(async (req, res) => {
    const file = files[req.url ?? ""];
    if (file) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(file));
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(html);
    } else if (req.url === "/strict-csp") {
      // A page that forbids `blob:` scripts, as many production CSPs do: worklets from the
      // page's own origin only (the inline import map and loader are allowed).
      res
        .writeHead(200, {
          "content-type": "text/html",
          "content-security-policy": STRICT_CSP,
        })
        .end(html);
    } else res.writeHead(404).end();
  });
  await new Promise((r) => http.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${http.address().port}`,
    close: () => new Promise((r) => http.close(() => r())),
  };
}

export { audioHelpers as helpers, instrumentAudio as instrument } from "@unpod/testing";
export { servePage };
