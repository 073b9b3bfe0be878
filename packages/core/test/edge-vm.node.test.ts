// Core runs without Node built-ins: bundle it (source, and the built ESM file) and run it
// inside an edge-runtime VM, where there is no `require` and no `process`.
import { existsSync } from "node:fs";
import { EdgeVM } from "@edge-runtime/vm";
import { describe, expect, it } from "vitest";
import { bundleIife } from "./bundle.js";
import { CLAIMS, jwt } from "./helpers.js";

const exercise = (token: string) => `(() => {
  const c = UnpodCore;
  const out = { globals: { require: typeof require, process: typeof process, Buffer: typeof Buffer } };
  out.claims = c.decodeToken(${JSON.stringify(token)}).claims;
  out.expired = c.isTokenExpired(out.claims, { now: new Date(${CLAIMS.nbf * 1000}) });
  try { c.decodeToken("a.b.c"); } catch (e) { out.tokenError = [c.isUnpodError(e), e.code, e.reason, e instanceof c.UnpodTokenError]; }
  out.frame = c.parseServerFrame('{"type":"agent_reply","seq":1,"turn_id":"t1","text":"hi","final":true}');
  out.unknown = c.parseServerFrame('{"type":"from_the_future","seq":2}');
  try { c.parseClientFrame('{"type":"nope"}'); } catch (e) { out.frameError = [e.name, e.code, e.reason]; }
  out.headers = c.buildHeaders({ apiToken: "0123456789abcdef", orgHandle: "acme", method: "POST", require: ["orgHandle"] });
  try { c.buildHeaders({ apiToken: "t", orgHandle: "a\\r\\nX: 1", method: "GET" }); } catch (e) { out.headerError = [e.code, e.option]; }
  try { c.buildHeaders({ apiToken: "t", method: "GET", require: ["productId"] }); } catch (e) { out.missing = [e.code, e.option]; }
  out.api = c.errorFromResponse({ status: 206, body: '{"status_code":206,"message":"Invalid Space Token"}', request: { method: "GET", url: "https://h/" } }).toJSON();
  return JSON.stringify(out);
})()`;

async function runIn(entry: string) {
  const vm = new EdgeVM();
  vm.evaluate(await bundleIife(entry));
  return JSON.parse(vm.evaluate(exercise(jwt(CLAIMS))) as string);
}

const entries = ["src/index.ts", "dist/index.js"];
describe.each(entries)("core bundled from %s, inside new EdgeVM()", (entry) => {
  it("decodes tokens, parses frames and builds headers with no Node built-in", async () => {
    if (!existsSync(new URL(`../${entry}`, import.meta.url))) {
      throw new Error(`${entry} is missing: run \`pnpm --filter @unpod/core build\``);
    }
    const out = await runIn(entry);
    expect(out.globals).toEqual({
      require: "undefined",
      process: "undefined",
      Buffer: "undefined",
    });
    expect(out.claims).toEqual(CLAIMS);
    expect(out.expired).toBe(false);
    expect(out.tokenError).toEqual([true, "invalid_token", "malformed", true]);
    expect(out.frame).toEqual({
      type: "agent_reply",
      seq: 1,
      turn_id: "t1",
      text: "hi",
      final: true,
    });
    expect(out.unknown).toBeNull();
    expect(out.frameError).toEqual(["UnpodSessionError", "protocol_error", "unknown_type"]);
    expect(out.headers).toMatchObject({
      Authorization: "Token 0123456789abcdef",
      "Org-Handle": "acme",
      "Content-Type": "application/json",
    });
    expect(out.headerError).toEqual(["invalid_argument", "orgHandle"]);
    expect(out.missing).toEqual(["missing_header", "productId"]);
    expect(out.api).toMatchObject({ name: "UnpodApiError", code: "business_error", status: 206 });
  });
});
