import { UnpodTokenError } from "./errors.js";

/** Media sources a participant may publish. */
export type TrackSource = "camera" | "microphone" | "screen_share" | "screen_share_audio";

/**
 * The room grant (`video` claim, LiveKit-compatible): the participant's capabilities and
 * permissions in one room.
 */
export interface VideoGrant {
  /** Room name. Required when `roomJoin` is true. */
  room?: string;
  /** May join `room`. */
  roomJoin?: boolean;
  /** May create rooms. */
  roomCreate?: boolean;
  /** May list rooms. */
  roomList?: boolean;
  /** May record rooms. */
  roomRecord?: boolean;
  /** May administer `room`. */
  roomAdmin?: boolean;
  /** May publish media. */
  canPublish?: boolean;
  /** May subscribe to others' media. */
  canSubscribe?: boolean;
  /** May send data and text (`user_text`). */
  canPublishData?: boolean;
  /** Which media sources may be published. */
  canPublishSources?: TrackSource[];
  /** May change their own name, metadata and attributes. */
  canUpdateOwnMetadata?: boolean;
  /** Hidden from other participants. */
  hidden?: boolean;
  /** Marks a recorder. */
  recorder?: boolean;
  /** Marks an agent participant. */
  agent?: boolean;
}

/** The SIP grant (`sip` claim). */
export interface SipGrant {
  /** May manage SIP trunks and rules. */
  admin?: boolean;
  /** May make outbound calls. */
  call?: boolean;
}

/** The claim set of an Unpod access token (LiveKit's layout). */
export interface AccessTokenClaims {
  /** API key that signed the token. */
  iss: string;
  /** Participant identity. */
  sub?: string;
  /** Display name. */
  name?: string;
  /** Opaque application metadata. */
  metadata?: string;
  /** String → string attributes. */
  attributes?: Record<string, string>;
  /** Not before, seconds since epoch. */
  nbf?: number;
  /** Expiry, seconds since epoch. */
  exp: number;
  /** Issued at, seconds since epoch. */
  iat?: number;
  /** Token id. */
  jti?: string;
  /** Room grant. */
  video?: VideoGrant;
  /** SIP grant. */
  sip?: SipGrant;
  /** Room configuration, as in LiveKit. */
  roomConfig?: Record<string, unknown>;
  /** Participant kind, as in LiveKit. */
  kind?: string;
  /** Hash of the request body, as in LiveKit webhooks. */
  sha256?: string;
}

/** A JWT header. */
export interface TokenHeader {
  /** Signing algorithm; Unpod accepts only `HS256`. */
  alg: string;
  /** `JWT`. */
  typ?: string;
  /** Any other header fields. */
  [field: string]: unknown;
}

/** What {@link decodeToken} returns. */
export interface DecodedToken {
  /** The JWT header. */
  header: TokenHeader;
  /** The claims (NOT verified). */
  claims: AccessTokenClaims;
}

/** Longest token accepted anywhere in the SDK, in characters. */
export const MAX_TOKEN_LENGTH = 8192;

const B64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function bad(reason: string, message: string, claim?: string, cause?: unknown): UnpodTokenError {
  return new UnpodTokenError("invalid_token", message, { reason, claim, cause });
}

/**
 * Decodes one base64url segment to bytes.
 *
 * @param segment - base64url text, no padding.
 * @returns The bytes.
 * @throws {@link UnpodTokenError} `invalid_token` for characters outside base64url or a bad length.
 */
export function base64UrlDecode(segment: string): Uint8Array {
  if (!B64URL.test(segment) || segment.length % 4 === 1) {
    throw bad("malformed", "Token segment is not base64url.");
  }
  const bin = atob(segment.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function segmentJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(base64UrlDecode(segment)));
  } catch (cause) {
    throw bad("malformed", `Token ${what} is not base64url JSON.`, undefined, cause);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw bad("malformed", `Token ${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

const NUMERIC = ["exp", "nbf", "iat"] as const;
const STRINGS = ["iss", "sub", "name", "metadata", "jti", "kind", "sha256"] as const;
const OBJECTS = ["video", "sip", "attributes", "roomConfig"] as const;

/**
 * Checks the shape of a claim set: numeric dates, string identifiers, object grants.
 *
 * @param claims - A parsed payload.
 * @returns The same object, typed.
 * @throws {@link UnpodTokenError} `invalid_token` naming the claim with the wrong type.
 */
export function checkClaims(claims: Record<string, unknown>): AccessTokenClaims {
  for (const c of NUMERIC) {
    const v = claims[c];
    if (v !== undefined && !(typeof v === "number" && Number.isFinite(v))) {
      throw bad("claim_type", `Claim "${c}" must be a number.`, c);
    }
  }
  if (claims.exp === undefined) throw bad("missing_claim", 'Claim "exp" is required.', "exp");
  for (const c of STRINGS) {
    if (claims[c] !== undefined && typeof claims[c] !== "string") {
      throw bad("claim_type", `Claim "${c}" must be a string.`, c);
    }
  }
  if (typeof claims.iss !== "string" || !claims.iss) {
    throw bad("missing_claim", 'Claim "iss" is required.', "iss");
  }
  for (const c of OBJECTS) {
    const v = claims[c];
    if (v !== undefined && (!v || typeof v !== "object" || Array.isArray(v))) {
      throw bad("claim_type", `Claim "${c}" must be an object.`, c);
    }
  }
  return claims as unknown as AccessTokenClaims;
}

/**
 * Splits a compact JWT and parses its header and payload, without checking the signature.
 *
 * @param token - A compact JWT.
 * @returns The three segments and the parsed header and claims.
 * @throws {@link UnpodTokenError} `invalid_token` for anything malformed.
 */
export function parseToken(token: unknown): DecodedToken & { segments: [string, string, string] } {
  if (typeof token !== "string" || token === "")
    throw bad("malformed", "Token must be a non-empty string.");
  if (token.length > MAX_TOKEN_LENGTH) {
    throw bad("too_large", `Token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  }
  const segments = token.split(".");
  if (segments.length !== 3)
    throw bad("malformed", "Token must have three dot-separated segments.");
  const header = segmentJson(segments[0] as string, "header");
  if (typeof header.alg !== "string") throw bad("malformed", 'Token header has no "alg".', "alg");
  const claims = checkClaims(segmentJson(segments[1] as string, "payload"));
  return { header: header as TokenHeader, claims, segments: segments as [string, string, string] };
}

/**
 * Reads a token's header and claims **without verifying the signature** — for clients that
 * need `exp` or the room name. Never trust the result for authorization.
 *
 * @param token - A compact JWT.
 * @returns Header and claims.
 * @throws {@link UnpodTokenError} `invalid_token` for a malformed token.
 * @example
 * ```ts
 * import { decodeToken } from "@unpod/core";
 * declare const jwt: string;
 * const { claims } = decodeToken(jwt);
 * console.log(claims.video?.room, new Date(claims.exp * 1000));
 * ```
 */
export function decodeToken(token: string): DecodedToken {
  const { header, claims } = parseToken(token);
  return { header, claims };
}

/** Options of the expiry helpers. */
export interface ExpiryOptions {
  /** Current time (a `Date` or ms since epoch). @defaultValue `Date.now()` */
  now?: Date | number;
  /** Seconds of margin: a token that expires within `leeway` counts as expired. @defaultValue 0 */
  leeway?: number;
}

const nowSeconds = (now: Date | number | undefined) =>
  (now === undefined ? Date.now() : typeof now === "number" ? now : now.getTime()) / 1000;

/**
 * Seconds until the token's `exp` (negative once expired).
 *
 * @param claims - Decoded claims (or anything with `exp`).
 * @param options - `now`.
 * @returns Seconds left.
 */
export function tokenSecondsLeft(claims: { exp: number }, options: ExpiryOptions = {}): number {
  return claims.exp - nowSeconds(options.now);
}

/**
 * Whether a token has expired, or will within `leeway` seconds.
 *
 * @param claims - Decoded claims (or anything with `exp`).
 * @param options - `now` and `leeway`.
 * @returns `true` when `exp` ≤ now + leeway.
 * @example
 * ```ts
 * import { decodeToken, isTokenExpired } from "@unpod/core";
 * declare const jwt: string;
 * if (isTokenExpired(decodeToken(jwt).claims, { leeway: 30 })) {
 *   // ask the backend for a fresh token
 * }
 * ```
 */
export function isTokenExpired(claims: { exp: number }, options: ExpiryOptions = {}): boolean {
  return tokenSecondsLeft(claims, options) <= (options.leeway ?? 0);
}
