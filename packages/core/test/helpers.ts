// Shared by the tests: building compact JWTs by hand (decodeToken never checks signatures,
// so a fixed signature segment is enough), and asserting on thrown errors.
import { expect } from "vitest";
import { isUnpodError, type UnpodError } from "../src/index.js";

/** base64url without padding, of UTF-8 text or raw bytes. */
export function b64url(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A compact JWT from a header and a payload (objects are JSON-encoded, strings used as is). */
export function jwt(
  payload: unknown,
  header: unknown = { alg: "HS256", typ: "JWT" },
  signature = "c2lnbmF0dXJl",
): string {
  const seg = (v: unknown) => b64url(typeof v === "string" ? v : JSON.stringify(v));
  return `${seg(header)}.${seg(payload)}.${signature}`;
}

/** A LiveKit-layout claim set as minted by `@unpod/node` (6 h TTL). */
export const CLAIMS = {
  iss: "APIkey123",
  sub: "alice",
  name: "Alice",
  metadata: '{"plan":"pro"}',
  attributes: { team: "blue" },
  nbf: 1_700_000_000,
  exp: 1_700_021_600,
  iat: 1_700_000_000,
  jti: "alice-1",
  video: {
    room: "support",
    roomJoin: true,
    canPublish: true,
    canSubscribe: true,
    canPublishData: true,
    canPublishSources: ["microphone"],
  },
  sip: { call: true },
};

/** A 40-hex API token, the real server's format. */
export const API_TOKEN = "0123456789abcdef0123456789abcdef01234567";

/** Runs `fn`, expects it to throw an SDK error, and returns that error. */
export function thrown(fn: () => unknown): UnpodError & Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    expect(isUnpodError(error), `not an UnpodError: ${String(error)}`).toBe(true);
    return error as UnpodError & Record<string, unknown>;
  }
  throw new Error("expected a throw");
}
