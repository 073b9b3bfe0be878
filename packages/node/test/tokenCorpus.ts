// The attack corpus: hand-made tokens, each with the exact verdict TokenVerifier must give.
// Used by tokenAttacks.test.ts (the real TokenVerifier) and tokenDifferential.test.ts (the
// node:crypto and jose implementations side by side). Tokens are signed here with an
// independent HMAC (node:crypto directly), not with the code under test.
import { createHmac } from "node:crypto";
import type { TokenErrorCode } from "@unpod/core";
import { CompactSign, exportJWK, generateKeyPair } from "jose";

/** The verifier's "now" in these cases, seconds since epoch. */
export const NOW = 1_700_000_000;
export const SECRET1 = "k1-secret-0123456789abcdef0123456789abcdef";
export const SECRET2 = "k2-secret-fedcba9876543210fedcba9876543210";
export const OTHER_SECRET = "not-a-configured-secret-000000000000000000";
/** The key pairs the verifier under test holds (two: rotation). */
export const KEYS = { k1: SECRET1, k2: SECRET2 };
export const TOLERANCE = 10;

export const b64 = (data: string | Uint8Array) => Buffer.from(data).toString("base64url");
export const hmac = (input: string, secret: string) =>
  createHmac("sha256", secret).update(input).digest("base64url");

/** Signs raw segments (already base64url) with `secret`. */
export function signSegments(header: string, payload: string, secret = SECRET1): string {
  return `${header}.${payload}.${hmac(`${header}.${payload}`, secret)}`;
}

/** Signs a header and payload given as objects or raw JSON text. */
export function craft(header: unknown, payload: unknown, secret = SECRET1): string {
  const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  return signSegments(b64(text(header)), b64(text(payload)), secret);
}

export const HS256 = { alg: "HS256", typ: "JWT" };
/** A valid claim set at NOW. */
export const CLAIMS = {
  iss: "k1",
  sub: "alice",
  nbf: NOW - 60,
  exp: NOW + 3600,
  video: { room: "support", roomJoin: true, canPublish: true },
};
export const claims = (patch: Record<string, unknown>) => {
  const out: Record<string, unknown> = { ...CLAIMS, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete out[k];
  return out;
};
export const VALID = craft(HS256, CLAIMS);

/** One corpus entry. `code: "ok"` means the token must verify. */
export interface Case {
  name: string;
  token: unknown;
  code: TokenErrorCode | "ok";
  reason?: string;
  claim?: string;
  ignoreExpiration?: boolean;
}

function replaceSegment(token: string, index: number, segment: string): string {
  const parts = token.split(".");
  parts[index] = segment;
  return parts.join(".");
}

/** Flips the low bits of the last signature character: same bytes under a lax decoder. */
function nonCanonicalSignature(token: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const i = alphabet.indexOf(token.at(-1) as string);
  return token.slice(0, -1) + alphabet[i ^ 1];
}

export async function buildCorpus(): Promise<Case[]> {
  const [h, p, s] = VALID.split(".") as [string, string, string];
  const rsa = await generateKeyPair("RS256");
  const ec = await generateKeyPair("ES256");
  const realRs256 = await new CompactSign(new TextEncoder().encode(JSON.stringify(CLAIMS)))
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .sign(rsa.privateKey);
  const realEs256 = await new CompactSign(new TextEncoder().encode(JSON.stringify(CLAIMS)))
    .setProtectedHeader({ alg: "ES256" })
    .sign(ec.privateKey);
  const jwk = await exportJWK(rsa.publicKey);
  const bad = (name: string, token: unknown, reason: string, claim?: string): Case => ({
    name,
    token,
    code: "invalid_token",
    reason,
    ...(claim === undefined ? {} : { claim }),
  });
  return [
    // --- accepted (controls) ---
    { name: "valid token", token: VALID, code: "ok" },
    {
      name: "rotation: token of the second key",
      token: craft(HS256, claims({ iss: "k2" }), SECRET2),
      code: "ok",
    },
    {
      name: 'LiveKit header {"alg":"HS256"} (no typ)',
      token: craft({ alg: "HS256" }, CLAIMS),
      code: "ok",
    },
    {
      name: "header with kid and typ in another order",
      token: craft({ typ: "JWT", kid: "k1", alg: "HS256" }, CLAIMS),
      code: "ok",
    },
    {
      name: 'typ "jwt" (case-insensitive)',
      token: craft({ alg: "HS256", typ: "jwt" }, CLAIMS),
      code: "ok",
    },
    {
      name: "exp 1 s inside the tolerance",
      token: craft(HS256, claims({ exp: NOW - TOLERANCE + 1 })),
      code: "ok",
    },
    {
      name: "nbf exactly at the tolerance",
      token: craft(HS256, claims({ nbf: NOW + TOLERANCE })),
      code: "ok",
    },
    {
      name: "expired, ignoreExpiration",
      token: craft(HS256, claims({ exp: NOW - 3600 })),
      code: "ok",
      ignoreExpiration: true,
    },
    {
      name: "no grant at all (server-to-server token)",
      token: craft(HS256, { iss: "k1", exp: NOW + 60 }),
      code: "ok",
    },
    {
      name: "unknown video fields pass through",
      token: craft(HS256, claims({ video: { room: "r", roomJoin: true, ingressAdmin: true } })),
      code: "ok",
    },

    // --- shape (core's parseToken) ---
    bad("empty string", "", "malformed"),
    bad("not a string (number)", 42, "malformed"),
    bad("not a string (null)", null, "malformed"),
    bad("one segment", h, "malformed"),
    bad("two segments", `${h}.${p}`, "malformed"),
    bad("four segments", `${VALID}.${s}`, "malformed"),
    bad("empty segments", "..", "malformed"),
    bad("header: '+' is not base64url", replaceSegment(VALID, 0, h.replace("J", "+")), "malformed"),
    bad(
      "payload: '*' is not base64url",
      replaceSegment(VALID, 1, `${p.slice(0, 10)}*${p.slice(11)}`),
      "malformed",
    ),
    bad("payload: padded base64", replaceSegment(VALID, 1, `${p}==`), "malformed"),
    bad(
      "payload: impossible length (4n+1)",
      replaceSegment(VALID, 1, p + "A".repeat((5 - (p.length % 4)) % 4 || 4)),
      "malformed",
    ),
    bad("payload: not JSON", signSegments(h, b64("hello")), "malformed"),
    bad("payload: JSON array", craft(HS256, "[1,2]"), "malformed"),
    bad("payload: JSON string", craft(HS256, '"claims"'), "malformed"),
    bad("payload: JSON null", craft(HS256, "null"), "malformed"),
    bad(
      "payload: invalid UTF-8",
      signSegments(h, b64(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))),
      "malformed",
    ),
    bad("header: not JSON", signSegments(b64("{alg:HS256}"), p), "malformed"),
    bad("header: JSON array", craft('["HS256"]', CLAIMS), "malformed"),
    bad("header: no alg", craft({ typ: "JWT" }, CLAIMS), "malformed", "alg"),
    bad("header: alg is a number", craft({ alg: 256 }, CLAIMS), "malformed", "alg"),
    bad(
      "oversized token (8193 characters)",
      craft(HS256, claims({ metadata: "x".repeat(7000) })),
      "too_large",
    ),
    bad(
      "signature: standard base64 ('+', '/')",
      replaceSegment(VALID, 2, `${s.slice(0, 40)}+/A`),
      "malformed",
    ),
    bad("signature: padded", `${VALID}=`, "malformed"),

    // --- header policy ---
    bad("alg none, empty signature", `${b64('{"alg":"none","typ":"JWT"}')}.${p}.`, "alg", "alg"),
    bad("alg none with an HMAC signature", craft({ alg: "none" }, CLAIMS), "alg", "alg"),
    bad('alg "None"', craft({ alg: "None" }, CLAIMS), "alg", "alg"),
    bad("alg HS512", craft({ alg: "HS512", typ: "JWT" }, CLAIMS), "alg", "alg"),
    bad('alg "hs256" (wrong case)', craft({ alg: "hs256" }, CLAIMS), "alg", "alg"),
    bad(
      "alg RS256 header, HMAC with the secret (key confusion)",
      craft({ alg: "RS256", typ: "JWT" }, CLAIMS),
      "alg",
      "alg",
    ),
    bad("alg ES256 header, HMAC with the secret", craft({ alg: "ES256" }, CLAIMS), "alg", "alg"),
    bad("real RS256 token", realRs256, "alg", "alg"),
    bad("real ES256 token", realEs256, "alg", "alg"),
    bad('crit ["exp"]', craft({ alg: "HS256", crit: ["exp"], exp: 1 }, CLAIMS), "crit", "crit"),
    bad("crit []", craft({ alg: "HS256", crit: [] }, CLAIMS), "crit", "crit"),
    bad(
      "crit b64=false (unencoded payload)",
      craft({ alg: "HS256", b64: false, crit: ["b64"] }, CLAIMS),
      "crit",
      "crit",
    ),
    bad("b64=false without crit", craft({ alg: "HS256", b64: false }, CLAIMS), "header", "b64"),
    bad("embedded jwk", craft({ alg: "HS256", jwk }, CLAIMS), "header", "jwk"),
    bad(
      "jku pointing elsewhere",
      craft({ alg: "HS256", jku: "https://evil.example/jwks" }, CLAIMS),
      "header",
      "jku",
    ),
    bad("x5u", craft({ alg: "HS256", x5u: "https://evil.example/cert" }, CLAIMS), "header", "x5u"),
    bad("kid is an object", craft({ alg: "HS256", kid: { $ne: "" } }, CLAIMS), "header", "kid"),
    bad('typ "at+jwt"', craft({ alg: "HS256", typ: "at+jwt" }, CLAIMS), "typ", "typ"),
    bad("typ is a number", craft({ alg: "HS256", typ: 1 }, CLAIMS), "typ", "typ"),
    bad(
      "duplicate alg (none, then HS256)",
      craft('{"alg":"none","alg":"HS256"}', CLAIMS),
      "header",
    ),
    bad("duplicate typ", craft('{"alg":"HS256","typ":"JWT","typ":"JWT"}', CLAIMS), "header"),
    bad("header with whitespace", craft('{"alg": "HS256"}', CLAIMS), "header"),
    bad(
      'header with "__proto__"',
      craft('{"alg":"HS256","__proto__":{"alg":"none"}}', CLAIMS),
      "header",
      "__proto__",
    ),
    bad("header with escaped alg", craft('{"alg":"HS\\u0032\\u0035\\u0036"}', CLAIMS), "header"),

    // --- signature ---
    bad(
      "tampered payload (another identity)",
      replaceSegment(VALID, 1, b64(JSON.stringify(claims({ sub: "mallory" })))),
      "bad_signature",
    ),
    bad(
      "tampered payload (room admin added)",
      replaceSegment(
        VALID,
        1,
        b64(
          JSON.stringify(claims({ video: { room: "support", roomJoin: true, roomAdmin: true } })),
        ),
      ),
      "bad_signature",
    ),
    bad(
      "tampered header (kid added)",
      replaceSegment(VALID, 0, b64('{"alg":"HS256","typ":"JWT","kid":"k2"}')),
      "bad_signature",
    ),
    bad(
      "tampered signature (one bit)",
      replaceSegment(VALID, 2, (s[0] === "A" ? "B" : "A") + s.slice(1)),
      "bad_signature",
    ),
    bad("signed with another secret", craft(HS256, CLAIMS, OTHER_SECRET), "bad_signature"),
    bad("iss k1, signed with k2's secret", craft(HS256, CLAIMS, SECRET2), "bad_signature"),
    bad("signature truncated to 42 characters", VALID.slice(0, -1), "bad_signature"),
    bad(
      "signature of 64 bytes (HS512 length)",
      replaceSegment(VALID, 2, `${s + s.slice(0, 43)}A`),
      "bad_signature",
    ),
    bad("empty signature", `${h}.${p}.`, "bad_signature"),
    bad("non-canonical last signature character", nonCanonicalSignature(VALID), "bad_signature"),
    bad(
      "signature of a different token",
      replaceSegment(VALID, 2, craft(HS256, claims({ sub: "bob" })).split(".")[2] as string),
      "bad_signature",
    ),

    // --- issuer and required claims ---
    bad("unknown iss", craft(HS256, claims({ iss: "k9" })), "unknown_key", "iss"),
    bad('iss "__proto__"', craft(HS256, claims({ iss: "__proto__" })), "unknown_key", "iss"),
    bad('iss "constructor"', craft(HS256, claims({ iss: "constructor" })), "unknown_key", "iss"),
    bad('iss "toString"', craft(HS256, claims({ iss: "toString" })), "unknown_key", "iss"),
    bad("missing iss", craft(HS256, claims({ iss: undefined })), "missing_claim", "iss"),
    bad("empty iss", craft(HS256, claims({ iss: "" })), "claim_type", "iss"),
    bad("missing exp", craft(HS256, claims({ exp: undefined })), "missing_claim", "exp"),
    bad("room join without sub", craft(HS256, claims({ sub: undefined })), "missing_claim", "sub"),
    bad(
      "room join without room",
      craft(HS256, claims({ video: { roomJoin: true } })),
      "missing_claim",
      "video.room",
    ),

    // --- claim types ---
    bad("iss is a number", craft(HS256, claims({ iss: 1 })), "claim_type", "iss"),
    bad("exp is a string", craft(HS256, claims({ exp: String(NOW + 3600) })), "claim_type", "exp"),
    bad(
      "exp overflows to Infinity (1e400)",
      craft(HS256, JSON.stringify(claims({ exp: 0 })).replace('"exp":0', '"exp":1e400')),
      "claim_type",
      "exp",
    ),
    bad("exp is null", craft(HS256, claims({ exp: null })), "claim_type", "exp"),
    bad("nbf is a string", craft(HS256, claims({ nbf: "0" })), "claim_type", "nbf"),
    bad("iat is a boolean", craft(HS256, claims({ iat: true })), "claim_type", "iat"),
    bad("sub is a number", craft(HS256, claims({ sub: 7 })), "claim_type", "sub"),
    bad("video is an array", craft(HS256, claims({ video: [] })), "claim_type", "video"),
    bad(
      "video.roomJoin is a string",
      craft(HS256, claims({ video: { room: "r", roomJoin: "true" } })),
      "claim_type",
      "video",
    ),
    bad(
      "video.room is a number",
      craft(HS256, claims({ video: { room: 1, roomJoin: false } })),
      "claim_type",
      "video",
    ),
    bad(
      "video.canPublishSources is a string",
      craft(HS256, claims({ video: { room: "r", roomJoin: true, canPublishSources: "camera" } })),
      "claim_type",
      "video",
    ),
    bad(
      "attributes with a number",
      craft(HS256, claims({ attributes: { a: 1 } })),
      "claim_type",
      "attributes",
    ),
    bad(
      "sip.admin is a string",
      craft(HS256, claims({ sip: { admin: "yes" } })),
      "claim_type",
      "sip",
    ),

    // --- time ---
    {
      name: "expired beyond the tolerance",
      token: craft(HS256, claims({ exp: NOW - TOLERANCE - 1 })),
      code: "token_expired",
      reason: "expired",
      claim: "exp",
    },
    {
      name: "expired exactly at the tolerance",
      token: craft(HS256, claims({ exp: NOW - TOLERANCE })),
      code: "token_expired",
      reason: "expired",
      claim: "exp",
    },
    {
      name: "nbf beyond the tolerance",
      token: craft(HS256, claims({ nbf: NOW + TOLERANCE + 1 })),
      code: "token_not_yet_valid",
      reason: "not_yet_valid",
      claim: "nbf",
    },
    {
      name: "nbf in the future, ignoreExpiration does not skip it",
      token: craft(HS256, claims({ nbf: NOW + 600 })),
      code: "token_not_yet_valid",
      reason: "not_yet_valid",
      claim: "nbf",
      ignoreExpiration: true,
    },
    bad(
      "expired AND forged: forgery wins",
      craft(HS256, claims({ exp: NOW - 3600 }), OTHER_SECRET),
      "bad_signature",
    ),
    bad(
      "expired AND unknown key",
      craft(HS256, claims({ iss: "k9", exp: NOW - 3600 })),
      "unknown_key",
      "iss",
    ),
    {
      ...bad(
        "ignoreExpiration does not skip the signature",
        craft(HS256, claims({ exp: NOW - 3600 }), OTHER_SECRET),
        "bad_signature",
      ),
      ignoreExpiration: true,
    },
  ];
}
