// The Node fast path (node:crypto) and the portable path (jose) must be indistinguishable:
// the same token for the same claims, and the same verdict (accepted claims, or the same
// error code, reason and claim) for every token of the attack corpus and of a fuzzed
// corpus. This is the condition under which the fast path is allowed (issue #3).
import { isUnpodTokenError } from "@unpod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AccessToken } from "../src/index.js";
import { joseHs256 } from "../src/internal/hs256.jose.js";
import { hs256 } from "../src/internal/hs256.js";
import { loadNodeHs256 } from "../src/internal/hs256.node.js";
import type { Hs256 } from "../src/internal/jws.js";
import { verifyToken } from "../src/internal/verify.js";
import {
  buildCorpus,
  CLAIMS,
  craft,
  HS256,
  KEYS,
  NOW,
  OTHER_SECRET,
  SECRET1,
  SECRET2,
  signSegments,
  TOLERANCE,
  VALID,
} from "./tokenCorpus.js";

const node = loadNodeHs256() as Hs256;
const keys = new Map(Object.entries(KEYS));

type Verdict =
  | { ok: true; claims: unknown }
  | { ok: false; name: string; code: string; reason: string; claim: string | undefined };

async function verdict(impl: Hs256, token: unknown, ignoreExpiration = false): Promise<Verdict> {
  try {
    const claims = await verifyToken(
      token,
      { keys, tolerance: TOLERANCE, now: NOW, ignoreExpiration },
      impl,
    );
    return { ok: true, claims };
  } catch (error) {
    // Anything but our typed error is a failure of the property itself.
    if (!isUnpodTokenError(error)) throw error;
    return {
      ok: false,
      name: error.name,
      code: error.code,
      reason: error.reason,
      claim: error.claim,
    };
  }
}

async function sameVerdict(token: unknown, ignoreExpiration = false): Promise<Verdict> {
  const a = await verdict(node, token, ignoreExpiration);
  const b = await verdict(joseHs256, token, ignoreExpiration);
  expect(b).toEqual(a);
  return a;
}

describe("differential: node:crypto vs jose", () => {
  it("runs the node:crypto path by default on Node", () => {
    expect(node?.name).toBe("node");
    expect(hs256.name).toBe("node");
    expect(joseHs256.name).toBe("jose");
  });

  it("gives identical verdicts over the whole attack corpus", async () => {
    const corpus = await buildCorpus();
    for (const c of corpus) {
      const v = await sameVerdict(c.token, c.ignoreExpiration);
      expect(v.ok ? "ok" : v.code, c.name).toBe(c.code);
    }
  });

  it("signs byte-identical tokens for the same claims and secret", async () => {
    const claims = fc.record(
      {
        iss: fc.string({ minLength: 1, unit: "grapheme" }),
        sub: fc.string({ unit: "binary" }),
        nbf: fc.integer({ min: 0, max: 2 ** 40 }),
        exp: fc.integer({ min: 0, max: 2 ** 40 }),
        name: fc.string({ unit: "binary" }),
        metadata: fc.string({ unit: "binary", maxLength: 200 }),
        attributes: fc.dictionary(fc.string({ unit: "binary" }), fc.string({ unit: "binary" })),
        video: fc.record(
          { room: fc.string(), roomJoin: fc.boolean(), canPublish: fc.boolean() },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ["iss", "exp"] },
    );
    const secret = fc.oneof(
      fc.constantFrom(SECRET1, SECRET2),
      fc.string({ minLength: 1, unit: "binary" }),
    );
    await fc.assert(
      fc.asyncProperty(claims, secret, async (c, s) => {
        const json = JSON.stringify(c);
        const a = node.sign(json, s);
        const b = await joseHs256.sign(json, s);
        expect(b).toBe(a);
        // And each accepts the other's signature.
        expect(await joseHs256.verify(a as string, s)).toBe(true);
        expect(node.verify(b, s)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("AccessToken.toJwt() equals jose signing the same claims", async () => {
    const token = new AccessToken({
      apiKey: "k1",
      apiSecret: SECRET1,
      identity: "ünïcødé 👩‍💻",
      metadata: "\u2028\ud800 lone surrogate",
      attributes: { "": "", ["__proto__"]: "x" },
      currentDate: () => new Date(NOW * 1000),
    }).addGrant({ roomJoin: true, room: "r", canPublishSources: ["camera"] });
    const jwt = await token.toJwt();
    expect(await joseHs256.sign(JSON.stringify(token.claims(NOW)), SECRET1)).toBe(jwt);
    expect(await sameVerdict(jwt)).toMatchObject({ ok: true });
  });

  it("gives identical verdicts over a fuzzed corpus", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
    const char = fc.oneof(
      fc.constantFrom(...alphabet),
      fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
    );
    const seeds = (await buildCorpus())
      .map((c) => c.token)
      .filter((t): t is string => typeof t === "string" && t.length > 0);
    const mutated = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.nat(),
        char,
        fc.constantFrom("replace", "insert", "delete"),
      )
      .map(([t, i, ch, op]) => {
        const at = i % t.length;
        if (op === "replace") return t.slice(0, at) + ch + t.slice(at + 1);
        if (op === "insert") return t.slice(0, at) + ch + t.slice(at);
        return t.slice(0, at) + t.slice(at + 1);
      });
    const header = fc.oneof(
      fc.constant(HS256),
      fc.record(
        {
          alg: fc.constantFrom("HS256", "none", "RS256", "HS384"),
          typ: fc.constantFrom("JWT", "jwt", "JWS"),
        },
        { requiredKeys: ["alg"] },
      ),
      fc.dictionary(fc.constantFrom("alg", "typ", "kid", "crit", "jwk", "b64"), fc.jsonValue(), {
        maxKeys: 4,
      }),
    );
    const payload = fc.oneof(
      fc.record(
        {
          iss: fc.constantFrom("k1", "k2", "k9", ""),
          sub: fc.oneof(fc.string(), fc.integer()),
          nbf: fc.oneof(fc.integer({ min: NOW - 100, max: NOW + 100 }), fc.string()),
          exp: fc.oneof(fc.integer({ min: NOW - 100, max: NOW + 100 }), fc.constant(null)),
          video: fc.oneof(fc.record({ room: fc.string(), roomJoin: fc.boolean() }), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    const signed = fc
      .tuple(header, payload, fc.constantFrom(SECRET1, SECRET2, OTHER_SECRET))
      .map(([h, p, s]) => craft(h, p, s));
    const randomSegments = fc
      .tuple(
        fc.string({ unit: fc.constantFrom(...alphabet.slice(0, 64)) }),
        fc.string({ unit: fc.constantFrom(...alphabet.slice(0, 64)) }),
      )
      .map(([a, b]) => signSegments(a, b));
    const anyString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constant(VALID));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated, signed, randomSegments, anyString),
        fc.boolean(),
        async (token, ignore) => {
          await sameVerdict(token, ignore);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("agrees on non-canonical signature encodings (lax base64 decoders would not)", async () => {
    const [h, p, s] = craft(HS256, CLAIMS).split(".") as [string, string, string];
    for (const last of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
      const token = `${h}.${p}.${s.slice(0, -1)}${last}`;
      const v = await sameVerdict(token);
      expect(v.ok).toBe(last === s.at(-1));
    }
  });
});
