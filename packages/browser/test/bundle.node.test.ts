import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// Connect-only proof on what ships: the built dist/index.js, and a minified browser bundle
// of it (with @unpod/core) as an app would ship it. `pnpm test` builds first (turbo).
const root = new URL("../", import.meta.url);
const dist = readFileSync(new URL("dist/index.js", root), "utf8");
const cjs = readFileSync(new URL("dist/index.cjs", root), "utf8");

/** Signs of signing code, secrets or the Node WebSocket package in a bundle. */
const FORBIDDEN: [string, RegExp][] = [
  ["createHmac", /createHmac/],
  ["importKey (WebCrypto keys)", /importKey/],
  ["HS256 signing", /HS256|HMAC|SignJWT/i],
  ["a sign( call", /\bsign\(/],
  ["apiSecret", /apiSecret|api_secret/i],
  ["jose", /\bjose\b/],
  ["@unpod/node", /@unpod\/node/],
  ["the ws package", /Sec-WebSocket-Key|258EAFA5-E914-47DA-95CA-C5AB0DC85B11|permessage-deflate/i],
  ["an import of ws", /(from|require\(|import\()\s*["']ws["']/],
  ["node: builtins", /["']node:/],
];

const findings = (code: string) => FORBIDDEN.filter(([, re]) => re.test(code)).map(([n]) => n);

async function browserBundle(entry: string) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return {
    code: result.outputFiles[0]?.text ?? "",
    inputs: Object.keys(result.metafile.inputs),
  };
}

describe("connect-only (built bundle)", () => {
  it("dist imports nothing but @unpod/core (and its internal entry)", () => {
    const specifiers = [
      ...dist.matchAll(/^\s*(?:import|export)\b[^;]*?from\s*["']([^"']+)["']/gm),
    ].map((m) => m[1]);
    expect(new Set(specifiers)).toEqual(new Set(["@unpod/core", "@unpod/core/internal"]));
    const required = [...cjs.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(["@unpod/core", "@unpod/core/internal"]));
  });

  it("dist/index.js and .cjs hold no signing code, secret or ws", () => {
    expect(findings(dist)).toEqual([]);
    expect(findings(cjs)).toEqual([]);
  });

  it("the minified browser bundle is built only from this package and @unpod/core", async () => {
    const { code, inputs } = await browserBundle(new URL("dist/index.js", root).pathname);
    const core = realpathSync(new URL("node_modules/@unpod/core", root));
    expect(new Set(inputs.map((f) => resolve(f)))).toEqual(
      new Set([
        join(core, "dist/index.js"),
        join(core, "dist/internal.js"),
        fileURLToPath(new URL("dist/index.js", root)),
      ]),
    );
    expect(findings(code)).toEqual([]);
  });

  it("@unpod/browser without /voice holds no audio code (a text-only app never downloads it)", () => {
    const audio = /AudioContext|AudioWorklet|getUserMedia|registerProcessor|setSinkId|pcm_s16le/;
    expect(audio.test(dist)).toBe(false);
    expect(audio.test(cjs)).toBe(false);
    const voice = readFileSync(new URL("dist/voice.js", root), "utf8");
    expect(audio.test(voice)).toBe(true); // the check sees audio code where there is some
  });

  it("dist/voice.js imports nothing but @unpod/core (and its internal entry), and holds no secret or signing code", () => {
    const voice = readFileSync(new URL("dist/voice.js", root), "utf8");
    const specifiers = [
      ...voice.matchAll(/^\s*(?:import|export)\b[^;]*?from\s*["']([^"']+)["']/gm),
    ].map((m) => m[1]);
    expect(new Set(specifiers)).toEqual(new Set(["@unpod/core", "@unpod/core/internal"]));
    expect(findings(voice)).toEqual([]);
  });

  it("the package declares no dependency on signing code or ws", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
    expect(Object.keys(pkg.dependencies)).toEqual(["@unpod/core"]);
    expect(pkg.peerDependencies).toBeUndefined();
  });

  it("the check itself catches what it looks for (negative controls)", async () => {
    const require = createRequire(import.meta.url);
    // The ws package, bundled for the browser, is caught…
    const ws = readFileSync(join(dirname(require.resolve("ws")), "lib/websocket.js"), "utf8");
    expect(findings(ws)).toContain("the ws package");
    // …and so is signing code like @unpod/node's.
    expect(findings('import { SignJWT } from "jose"; new SignJWT(c).sign(k)')).toEqual(
      expect.arrayContaining(["HS256 signing", "a sign( call", "jose"]),
    );
    expect(findings("crypto.createHmac('sha256', apiSecret)")).toEqual(
      expect.arrayContaining(["createHmac", "apiSecret"]),
    );
    // Object.assign( and similar do not count as sign(.
    expect(findings("Object.assign(a, b)")).toEqual([]);
  });
});
