// The BUILT package under an edge runtime (@edge-runtime/vm: Vercel's Edge Runtime globals,
// no `process`, no `require`, no node:crypto). Bundled the way a worker bundler would, it
// must pick the jose path, sign byte-identical tokens and give the same verdicts as Node.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EdgeVM } from "@edge-runtime/vm";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { AccessToken, TokenVerifier } from "../src/index.js";
import { buildCorpus, KEYS, NOW, SECRET1 } from "./tokenCorpus.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
let vm: EdgeVM;
let bundle: string;

beforeAll(async () => {
  if (!existsSync(`${dist}index.js`))
    throw new Error("run `pnpm --filter @unpod/node build` first");
  const result = await build({
    entryPoints: [`${dist}index.js`],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "UnpodNode",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["edge-light", "worker", "browser", "import", "default"],
    logLevel: "silent",
  });
  bundle = result.outputFiles[0]?.text as string;
  vm = new EdgeVM();
  vm.evaluate(bundle);
});

const STATIC_NODE_CRYPTO =
  /(?:from\s*["']node:crypto["']|require\(\s*["'](?:node:)?crypto["']\s*\)|import\(\s*["']node:crypto["']\s*\))/;

describe("edge runtime (no node:crypto)", () => {
  it("the built files never import node:crypto statically", () => {
    const files = readdirSync(dist).filter((f) => /\.(c?js)$/.test(f) && !f.startsWith("cli"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files)
      expect(readFileSync(`${dist}${f}`, "utf8")).not.toMatch(STATIC_NODE_CRYPTO);
    expect(bundle).not.toMatch(STATIC_NODE_CRYPTO);
  });

  it("really has no process or require, so the jose path is the one running", () => {
    expect(vm.evaluate("[typeof process, typeof require, typeof crypto.subtle.importKey]")).toEqual(
      ["undefined", "undefined", "function"],
    );
  });

  it("signs byte-identical tokens to Node's fast path", async () => {
    vm.context.SECRET = SECRET1;
    vm.context.NOW_MS = NOW * 1000;
    const edgeJwt = await vm.evaluate(`
      new UnpodNode.AccessToken({ apiKey: "k1", apiSecret: SECRET, identity: "edge-user", name: "É", ttl: "10m",
        attributes: { a: "b" }, currentDate: () => new Date(NOW_MS) })
        .addGrant({ roomJoin: true, room: "r", canPublish: true, canPublishSources: ["microphone"] })
        .addSipGrant({ call: true })
        .toJwt()
    `);
    const nodeJwt = await new AccessToken({
      apiKey: "k1",
      apiSecret: SECRET1,
      identity: "edge-user",
      name: "É",
      ttl: "10m",
      attributes: { a: "b" },
      currentDate: () => new Date(NOW * 1000),
    })
      .addGrant({ roomJoin: true, room: "r", canPublish: true, canPublishSources: ["microphone"] })
      .addSipGrant({ call: true })
      .toJwt();
    expect(edgeJwt).toBe(nodeJwt);
  });

  it("gives the same verdicts as Node over the attack corpus", async () => {
    const corpus = await buildCorpus();
    const nodeVerifier = new TokenVerifier({ keys: KEYS, currentDate: () => new Date(NOW * 1000) });
    const summarize = (e: { code: string; reason: string; claim?: string; name: string }) => ({
      name: e.name,
      code: e.code,
      reason: e.reason,
      claim: e.claim,
    });
    const expected = [];
    for (const c of corpus) {
      expected.push(
        await nodeVerifier.verify(c.token as string, { ignoreExpiration: c.ignoreExpiration }).then(
          (claims) => ({ ok: JSON.stringify(claims) }),
          (e) => summarize(e),
        ),
      );
    }
    vm.context.CASES = JSON.stringify(corpus.map((c) => [c.token, c.ignoreExpiration === true]));
    vm.context.KEYS = JSON.stringify(KEYS);
    const actual = await vm.evaluate(`(async () => {
      const verifier = new UnpodNode.TokenVerifier({ keys: JSON.parse(KEYS), currentDate: () => new Date(NOW_MS) });
      const out = [];
      for (const [token, ignoreExpiration] of JSON.parse(CASES)) {
        out.push(await verifier.verify(token, { ignoreExpiration }).then(
          (claims) => ({ ok: JSON.stringify(claims) }),
          (e) => ({ name: e.name, code: e.code, reason: e.reason, claim: e.claim }),
        ));
      }
      return JSON.stringify(out);
    })()`);
    expect(JSON.parse(actual)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it("reads no environment and refuses weak secrets there too", () => {
    expect(() => vm.evaluate("new UnpodNode.AccessToken({ identity: 'x' })")).toThrow(/apiKey/);
    expect(() =>
      vm.evaluate("new UnpodNode.AccessToken({ apiKey: 'k', apiSecret: 'short' })"),
    ).toThrow(/apiSecret/);
  });
});
