// Properties of verification and minting that must hold for every input.
import { inspect } from "node:util";
import { isUnpodTokenError, UnpodArgumentError } from "@unpod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AccessToken, TokenVerifier } from "../src/index.js";
import { joseHs256 } from "../src/internal/hs256.jose.js";
import { verifyToken } from "../src/internal/verify.js";
import { craft, HS256, KEYS, NOW, SECRET1, TOLERANCE, VALID } from "./tokenCorpus.js";

const verifier = new TokenVerifier({ keys: KEYS, currentDate: () => new Date(NOW * 1000) });
const keys = new Map(Object.entries(KEYS));

/** Resolves to "ok" or our typed error's code; anything else rejects. */
async function outcome(token: unknown): Promise<string> {
  try {
    await verifier.verify(token as string);
    return "ok";
  } catch (error) {
    if (!isUnpodTokenError(error)) throw error;
    return error.code;
  }
}

describe("single-byte changes are always rejected", () => {
  it("exhaustively: every position × every base64url character, '.', '=', '+', '/', space, and a high-bit byte (node:crypto path)", async () => {
    await expect(verifier.verify(VALID)).resolves.toBeDefined();
    const replacements = [
      ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ",
    ];
    let tried = 0;
    for (let i = 0; i < VALID.length; i++) {
      const original = VALID[i] as string;
      for (const ch of [...replacements, String.fromCharCode(original.charCodeAt(0) ^ 0x80)]) {
        if (ch === original) continue;
        const mutated = VALID.slice(0, i) + ch + VALID.slice(i + 1);
        expect(await outcome(mutated), `position ${i}: ${original} → ${ch}`).toBe("invalid_token");
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(VALID.length * 60);
  });

  it("randomly: any bit flip of any byte, on the jose path", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: VALID.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        async (i, bit) => {
          const bytes = Buffer.from(VALID, "latin1");
          bytes[i] = (bytes[i] as number) ^ (1 << bit);
          const mutated = bytes.toString("latin1");
          const error = await verifyToken(
            mutated,
            { keys, tolerance: TOLERANCE, now: NOW, ignoreExpiration: false },
            joseHs256,
          ).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isUnpodTokenError(error) && error.code === "invalid_token").toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("any input gives claims or our typed error, never another exception", () => {
  it("arbitrary values and strings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.anything(),
          fc.string({ unit: fc.constantFrom(..."eyJhbGciOi._-A0") }),
        ),
        async (input) => {
          expect(["ok", "invalid_token", "token_expired", "token_not_yet_valid"]).toContain(
            await outcome(input),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("validly signed tokens with arbitrary JSON headers and payloads", async () => {
    const header = fc.oneof(
      fc.constant(HS256),
      fc.jsonValue(),
      fc.dictionary(fc.string(), fc.jsonValue()),
    );
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom("iss", "sub", "exp", "nbf", "iat", "video", "sip", "attributes", "name"),
        fc.jsonValue(),
      ),
      fc.record({
        iss: fc.constant("k1"),
        exp: fc.constant(NOW + 60),
        video: fc.jsonValue(),
        sip: fc.jsonValue(),
        attributes: fc.jsonValue(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(header, payload, async (h, p) => {
        await outcome(craft(h, p));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("AccessToken: any options give a token that verifies, or UnpodArgumentError", () => {
  it("round-trips or refuses with a typed error naming an option", async () => {
    const str = fc.oneof(fc.string(), fc.string({ unit: "binary" }));
    const options = fc.record(
      {
        identity: fc.oneof(str, fc.anything()),
        name: fc.oneof(str, fc.anything()),
        metadata: fc.oneof(str, fc.constant("m".repeat(7000))),
        attributes: fc.oneof(fc.dictionary(str, str), fc.anything()),
        ttl: fc.oneof(
          fc.integer({ min: -10, max: 40 * 86400 }),
          fc.double(),
          str,
          fc.constantFrom("10m", "6h", "30 days", "31 days"),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        let jwt: string;
        try {
          jwt = await new AccessToken({
            apiKey: "k1",
            apiSecret: SECRET1,
            currentDate: () => new Date(NOW * 1000),
            ...(o as object),
          }).toJwt();
        } catch (error) {
          expect(error).toBeInstanceOf(UnpodArgumentError);
          expect(typeof (error as UnpodArgumentError).option).toBe("string");
          expect(inspect(error)).not.toContain(SECRET1);
          return;
        }
        const claims = await verifier.verify(jwt);
        expect(claims.sub).toBe(o.identity);
        expect(claims.metadata).toBe(o.metadata);
        expect(claims.exp - (claims.nbf as number)).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
