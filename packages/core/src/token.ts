import { UnpodArgumentError, UnpodTokenError } from "./errors.js";
import { invalidArgument } from "./internal/argument.js";
import {
  badField,
  bool,
  isObject,
  nonEmpty,
  num,
  object,
  opt,
  record,
  type Spec,
  str,
  strings,
} from "./internal/check.js";

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

// Messages are short (this runs in browsers); `reason` and `claim` are the machine-readable
// part. `detail` says where: a claim name, `header`, `payload`.
const bad = (reason: string, detail?: string, claim?: string, cause?: unknown) =>
  new UnpodTokenError("invalid_token", `Invalid token (${reason}${detail ? `: ${detail}` : ""}).`, {
    reason,
    claim,
    cause,
  });

/**
 * Decodes one base64url segment to bytes.
 *
 * @param segment - base64url text, no padding.
 * @returns The bytes.
 * @throws {@link UnpodTokenError} `invalid_token` for characters outside base64url or a bad length.
 */
export function base64UrlDecode(segment: string): Uint8Array {
  if (!/^[\w-]*$/.test(segment) || segment.length % 4 === 1) {
    throw bad("malformed");
  }
  // atob accepts unpadded input whose length is not 1 mod 4, so it cannot throw here.
  return Uint8Array.from(atob(segment.replace(/-/g, "+").replace(/_/g, "/")), (c) =>
    c.charCodeAt(0),
  );
}

function segmentJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64UrlDecode(segment)));
  } catch (cause) {
    throw bad("malformed", what, undefined, cause);
  }
  if (!isObject(value)) throw bad("malformed", what);
  return value;
}

// `names` as optional booleans, added to `spec`.
const flags = (names: string, spec: Spec = {}): Spec => {
  for (const name of names.split(" ")) spec[name] = opt(bool);
  return spec;
};

// LiveKit's claim layout; grant fields this SDK does not know are left alone. The grant
// checks are built at load time, marked pure so that bundles not decoding tokens drop them.
const CLAIMS: Spec = {
  exp: num,
  nbf: /* @__PURE__ */ opt(num),
  iat: /* @__PURE__ */ opt(num),
  iss: nonEmpty,
  sub: /* @__PURE__ */ opt(str),
  name: /* @__PURE__ */ opt(str),
  metadata: /* @__PURE__ */ opt(str),
  jti: /* @__PURE__ */ opt(str),
  kind: /* @__PURE__ */ opt(str),
  sha256: /* @__PURE__ */ opt(str),
  attributes: /* @__PURE__ */ opt(record),
  roomConfig: /* @__PURE__ */ opt(isObject),
  video: /* @__PURE__ */ opt(
    /* @__PURE__ */ object(
      /* @__PURE__ */ flags(
        "roomJoin roomCreate roomList roomRecord roomAdmin canPublish canSubscribe canPublishData canUpdateOwnMetadata hidden recorder agent",
        { room: /* @__PURE__ */ opt(str), canPublishSources: /* @__PURE__ */ opt(strings) },
      ),
    ),
  ),
  sip: /* @__PURE__ */ opt(/* @__PURE__ */ object(/* @__PURE__ */ flags("admin call"))),
};

/**
 * Checks the shape of a claim set: numeric dates, string identifiers, string attributes,
 * and grants whose known fields have the right types.
 *
 * @param claims - A parsed payload.
 * @returns The same object, typed.
 * @throws {@link UnpodTokenError} `invalid_token` naming the claim: reason `missing_claim`
 *   when `exp` or `iss` is absent, `claim_type` when a claim has the wrong type.
 */
export function checkClaims(claims: Record<string, unknown>): AccessTokenClaims {
  const claim = badField(claims, CLAIMS);
  if (claim) {
    throw bad(claims[claim] === undefined ? "missing_claim" : "claim_type", claim, claim);
  }
  return claims as unknown as AccessTokenClaims;
}

/**
 * Splits a compact JWT and parses its header and payload, without checking the signature.
 *
 * @param token - A compact JWT.
 * @returns The three segments and the parsed header and claims.
 * @throws {@link UnpodTokenError} `invalid_token` for anything malformed (reason
 *   `malformed`, `too_large`, `missing_claim` or `claim_type`).
 */
export function parseToken(token: unknown): ParsedToken {
  if (typeof token !== "string" || !token) throw bad("malformed");
  if (token.length > MAX_TOKEN_LENGTH) throw bad("too_large");
  const segments = token.split(".");
  if (segments.length !== 3) throw bad("malformed");
  const header = segmentJson(segments[0] as string, "header");
  if (typeof header.alg !== "string") throw bad("malformed", "alg", "alg");
  const claims = checkClaims(segmentJson(segments[1] as string, "payload"));
  return { header: header as TokenHeader, claims, segments: segments as ParsedToken["segments"] };
}

/** What {@link parseToken} returns. */
export interface ParsedToken extends DecodedToken {
  /** Header, payload and signature, still base64url-encoded. */
  segments: [header: string, payload: string, signature: string];
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
 * const room = claims.video?.room;
 * const expiresAt = new Date(claims.exp * 1000);
 * ```
 */
export function decodeToken(token: string): DecodedToken {
  const { header, claims } = parseToken(token);
  return { header, claims };
}

/** What {@link readTokenTimes} returns. */
export interface TokenTimes {
  /** Expiry, seconds since epoch. */
  exp: number;
  /** Issued at, seconds since epoch, when the token has it. */
  iat: number | undefined;
}

/**
 * Reads only a token's `exp` and `iat`, **without verifying it** and without checking the
 * other claims — the small reader for clients that only need to know when a token expires
 * (a server refuses a token whose other claims are wrong). {@link decodeToken} checks every
 * claim.
 *
 * @param token - A compact JWT.
 * @returns `exp` and `iat`.
 * @throws {@link UnpodTokenError} `invalid_token` (reason `malformed`) for anything that is
 *   not a three-segment JWT of at most {@link MAX_TOKEN_LENGTH} characters whose payload is
 *   JSON with a numeric `exp` (and `iat`, if any).
 * @example
 * ```ts
 * import { readTokenTimes } from "@unpod/core/internal";
 * declare const jwt: string;
 * const { exp } = readTokenTimes(jwt);
 * const expiresAt = new Date(exp * 1000);
 * ```
 */
export function readTokenTimes(token: unknown): TokenTimes {
  const m =
    typeof token === "string" &&
    token.length <= MAX_TOKEN_LENGTH &&
    /^[\w-]+\.([\w-]+)\.[\w-]*$/.exec(token);
  let claims: Partial<TokenTimes> | undefined;
  try {
    // atob rejects a length of 1 mod 4; the payload is JSON, whatever its UTF-8 says.
    claims = m ? JSON.parse(atob((m[1] as string).replace(/-/g, "+").replace(/_/g, "/"))) : 0;
  } catch {
    // reported below
  }
  const { exp, iat } = claims ?? {};
  if (!Number.isFinite(exp) || !(iat === undefined || Number.isFinite(iat))) {
    throw bad("malformed", claims ? "exp" : "");
  }
  return { exp: exp as number, iat };
}

/** Options of the expiry helpers. */
export interface ExpiryOptions {
  /** Current time (a `Date` or ms since epoch): the injectable clock. @defaultValue `Date.now()` */
  now?: Date | number;
  /** Seconds of margin: a token that expires within `leeway` counts as expired. @defaultValue 0 */
  leeway?: number;
}

function nowSeconds(now: Date | number = Date.now()): number {
  const ms = +now;
  if (!Number.isFinite(ms)) throw invalidArgument("now", "must be a valid Date or ms since epoch");
  return ms / 1000;
}

/**
 * Seconds until the token's `exp` (negative once expired).
 *
 * @param claims - Decoded claims (or anything with `exp`).
 * @param options - `now`.
 * @returns Seconds left (`NaN` when `exp` is not a number).
 * @throws {@link UnpodArgumentError} when `now` is an invalid date.
 */
export function tokenSecondsLeft(claims: { exp: number }, options: ExpiryOptions = {}): number {
  return claims.exp - nowSeconds(options.now);
}

/**
 * Whether a token has expired, or will within `leeway` seconds. A token without a numeric
 * `exp` counts as expired.
 *
 * @param claims - Decoded claims (or anything with `exp`).
 * @param options - `now` and `leeway`.
 * @returns `true` when `exp` ≤ now + leeway.
 * @throws {@link UnpodArgumentError} when `now` is an invalid date or `leeway` is not a
 *   finite number ≥ 0.
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
  const { leeway = 0 } = options;
  if (!(leeway >= 0 && leeway < Number.POSITIVE_INFINITY)) {
    throw invalidArgument("leeway", "must be a finite number of seconds ≥ 0");
  }
  return !(tokenSecondsLeft(claims, options) > leeway);
}
