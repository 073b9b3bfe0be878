// The Node fast parse must be a pure shortcut: whenever it answers, core's parseToken
// gives the same answer; the verifier falls back to parseToken otherwise.
import { parseToken } from "@unpod/core/internal";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadNodeHs256 } from "../src/internal/hs256.node.js";
import type { Hs256 } from "../src/internal/jws.js";
import { fastParse, parse } from "../src/internal/parse.js";
import { b64, buildCorpus, craft, signSegments } from "./tokenCorpus.js";

const decode = (loadNodeHs256() as Hs256).decodeBase64Url as (s: string) => Uint8Array;

function core(token: unknown) {
  try {
    return { ok: true as const, value: parseToken(token) };
  } catch (error) {
    return { ok: false as const, error };
  }
}

function agrees(token: unknown): void {
  const fast = fastParse(token, decode);
  const reference = core(token);
  if (fast !== undefined) {
    expect(reference.ok).toBe(true);
    if (reference.ok) expect(fast).toEqual(reference.value);
  }
  // And `parse` as a whole is indistinguishable from parseToken.
  let mine: unknown;
  try {
    mine = { ok: true, value: parse(token, decode) };
  } catch (error) {
    mine = { ok: false, error };
  }
  expect(mine).toEqual(reference);
}

describe("fast parse agrees with core's parseToken", () => {
  it("over the attack corpus", async () => {
    const corpus = await buildCorpus();
    let fastAnswered = 0;
    for (const c of corpus) {
      agrees(c.token);
      if (fastParse(c.token, decode)) fastAnswered++;
    }
    expect(fastAnswered).toBeGreaterThan(40);
  });

  it("over arbitrary and near-valid input", () => {
    const b64chars = fc.constantFrom(
      ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    );
    const segment = fc.oneof(
      fc.string({ unit: b64chars }),
      fc.jsonValue().map((v) => b64(JSON.stringify(v) ?? "")),
      fc.uint8Array().map((bytes) => b64(bytes)),
      fc.string({ unit: "binary" }).map((s) => b64(s)),
      fc.string(),
    );
    const token = fc.oneof(
      fc.tuple(segment, segment, segment).map((parts) => parts.join(".")),
      fc
        .tuple(
          fc.dictionary(fc.string(), fc.jsonValue()),
          fc.dictionary(fc.constantFrom("iss", "exp", "sub", "video", "nbf"), fc.jsonValue()),
        )
        .map(([h, p]) => craft({ alg: "HS256", ...h }, p)),
      fc.tuple(segment, segment).map(([a, b]) => signSegments(a, b)),
      fc.anything(),
    );
    fc.assert(fc.property(token, agrees), { numRuns: 3000 });
  });
});
