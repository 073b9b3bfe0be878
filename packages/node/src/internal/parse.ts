// A fast success path for core's `parseToken`, for runtimes with a native base64 decoder
// (Node's Buffer): core decodes with `atob`, which on Node 20 costs more than the HMAC.
//
// It is only ever a shortcut to the SAME answer: it applies core's exact acceptance
// conditions (length cap, three segments, base64url alphabet and length, fatal UTF-8, JSON
// objects, a string `alg`, then core's own `checkClaims`) and returns `undefined` at the
// first doubt, in which case the caller runs core's `parseToken`, which gives the result
// or the canonical error. test/tokenParse.test.ts checks the two agree on arbitrary input.
import { type AccessTokenClaims, MAX_TOKEN_LENGTH, type TokenHeader } from "@unpod/core";
import { checkClaims, parseToken } from "@unpod/core/internal";
import { HEADER_B64, LIVEKIT_HEADER_B64 } from "./jws.js";

/** Decodes base64url (alphabet and length already checked) to bytes. */
export type Base64UrlDecoder = (segment: string) => Uint8Array;

/** What a parse yields: the fields of core's `ParsedToken` the verifier uses. */
export interface Parsed {
  header: TokenHeader;
  claims: AccessTokenClaims;
  segments: [string, string, string];
}

const B64URL = /^[\w-]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function json(segment: string, decode: Base64UrlDecoder): Record<string, unknown> | undefined {
  if (segment.length % 4 === 1 || !B64URL.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(utf8.decode(decode(segment)));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** core's `parseToken`'s result when the fast path can vouch for it, else `undefined`. */
export function fastParse(token: unknown, decode: Base64UrlDecoder): Parsed | undefined {
  if (typeof token !== "string" || token === "" || token.length > MAX_TOKEN_LENGTH)
    return undefined;
  const segments = token.split(".");
  if (segments.length !== 3) return undefined;
  const first = segments[0] as string;
  // The two headers nearly every token has: ours and LiveKit's.
  const header =
    first === HEADER_B64
      ? { alg: "HS256", typ: "JWT" }
      : first === LIVEKIT_HEADER_B64
        ? { alg: "HS256" }
        : json(first, decode);
  if (header === undefined || typeof header.alg !== "string") return undefined;
  const payload = json(segments[1] as string, decode);
  if (payload === undefined) return undefined;
  let claims: AccessTokenClaims;
  try {
    claims = checkClaims(payload);
  } catch {
    return undefined;
  }
  return { header: header as TokenHeader, claims, segments: segments as Parsed["segments"] };
}

/**
 * Parses a token exactly as core's `parseToken` does, faster when a decoder is given.
 *
 * @throws core's `UnpodTokenError` for anything malformed.
 */
export function parse(token: unknown, decode: Base64UrlDecoder | undefined): Parsed {
  return (decode && fastParse(token, decode)) ?? parseToken(token);
}
