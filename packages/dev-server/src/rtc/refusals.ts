import {
  type AccessTokenClaims,
  AUDIO_ENCODING,
  decodeToken,
  isUnpodTokenError,
  MAX_TOKEN_LENGTH,
  type UnpodTokenError,
} from "@unpod/core";
import type { TokenVerifier } from "@unpod/node";

/** The status and message of each kind of refusal: PROTOCOL.md's table, word for word. */
const KINDS = {
  malformed: { status: 400, message: "Malformed request." },
  invalidToken: { status: 401, message: "Invalid token." },
  expired: { status: 403, message: "Token has expired." },
  permission: { status: 403, message: "Permission denied." },
  sessionNotFound: { status: 404, message: "Session not found." },
} as const;

/** A kind of refusal, naming its row of PROTOCOL.md's table. */
export type RefusalKind = keyof typeof KINDS;

/**
 * Why a request was refused, more precisely than the protocol's `message`: the refusal
 * body's `reason`, a stable machine code a client may branch on or show.
 */
export type RefusalReason =
  // 400 Malformed request.
  | "missing_token"
  | "bad_reconnect"
  | "bad_sid"
  | "bad_last_seq"
  | "last_seq_ahead"
  // 401 Invalid token.
  | "malformed"
  | "too_large"
  | "bad_claims"
  | "bad_algorithm"
  | "bad_header"
  | "unknown_key"
  | "bad_signature"
  | "not_yet_valid"
  | "verify_failed"
  | "token_used"
  // 403 Token has expired. / Permission denied.
  | "expired"
  | "no_room_join"
  | "no_room"
  | "no_identity"
  // 404 Session not found.
  | "session_not_found"
  | "replay_lost";

/** What {@link Refusal}'s constructor takes. */
export interface RefusalInit {
  /** The row of PROTOCOL.md's table: sets `status` and `message`. */
  kind: RefusalKind;
  /** The machine code. */
  reason: RefusalReason;
  /** One sentence saying what to do; never a secret or a token. */
  hint: string;
}

/** The JSON body of a refusal, on the refused upgrade and on `/v1/rtc/validate` alike. */
export interface RefusalBody {
  status_code: number;
  message: string;
  reason: RefusalReason;
  hint: string;
}

/**
 * A refused connect or validate request: PROTOCOL.md's status and message, plus a `reason`
 * code and a `hint` for the developer (the body's two extra fields; clients that know only
 * `status_code` and `message` read the body as before).
 */
export class Refusal {
  readonly status: (typeof KINDS)[RefusalKind]["status"];
  readonly message: string;
  readonly reason: RefusalReason;
  readonly hint: string;

  constructor(init: RefusalInit) {
    this.status = KINDS[init.kind].status;
    this.message = KINDS[init.kind].message;
    this.reason = init.reason;
    this.hint = init.hint;
  }

  /** The body: `{"status_code","message","reason","hint"}`. */
  toJSON(): RefusalBody {
    return {
      status_code: this.status,
      message: this.message,
      reason: this.reason,
      hint: this.hint,
    };
  }
}

/** The refusal's JSON body, as sent. */
export function refusalBody(refusal: Refusal): string {
  return JSON.stringify(refusal.toJSON());
}

/** Whether a value is a {@link Refusal} (and not, say, a token's claims). */
export function isRefusal(value: unknown): value is Refusal {
  return value instanceof Refusal;
}

const HOW_TO_MINT =
  "mint it with AccessToken from @unpod/node on your backend and pass its toJwt() unchanged";

/** The refusals that need no detail from the request. */
export const REFUSALS = {
  missingToken: new Refusal({
    kind: "malformed",
    reason: "missing_token",
    hint: "Pass the access token your backend minted in the query: /v1/rtc?access_token=<jwt>.",
  }),
  badReconnect: new Refusal({
    kind: "malformed",
    reason: "bad_reconnect",
    hint: "reconnect must be 1 or true (resume a session) or 0 or false (start one).",
  }),
  badSid: new Refusal({
    kind: "malformed",
    reason: "bad_sid",
    hint: "A resume needs sid: the session_id of the joined frame (1 to 128 of A-Z a-z 0-9 _ -).",
  }),
  badLastSeq: new Refusal({
    kind: "malformed",
    reason: "bad_last_seq",
    hint: "last_seq must be a non-negative integer: the highest server seq the client has processed.",
  }),
  lastSeqAhead: new Refusal({
    kind: "malformed",
    reason: "last_seq_ahead",
    hint: "last_seq is higher than any seq this session has sent: pass the highest server seq the client has processed.",
  }),
  malformedToken: new Refusal({
    kind: "invalidToken",
    reason: "malformed",
    hint: `The token is not a compact JWT (three base64url parts with a JSON header and payload): ${HOW_TO_MINT}.`,
  }),
  tooLarge: new Refusal({
    kind: "invalidToken",
    reason: "too_large",
    hint: `The token is longer than ${MAX_TOKEN_LENGTH} characters: keep its metadata and attributes small.`,
  }),
  badAlgorithm: new Refusal({
    kind: "invalidToken",
    reason: "bad_algorithm",
    hint: `Only HS256 tokens are accepted: ${HOW_TO_MINT}.`,
  }),
  verifyFailed: new Refusal({
    kind: "invalidToken",
    reason: "verify_failed",
    hint: "The dev server failed to check this token; its error log says why.",
  }),
  tokenUsed: new Refusal({
    kind: "invalidToken",
    reason: "token_used",
    hint: "A session token (sessions.createToken) starts one session only: mint a new one for every session (resuming the session it started needs none).",
  }),
  noRoomJoin: new Refusal({
    kind: "permission",
    reason: "no_room_join",
    hint: "The token's grant does not allow joining: mint it with addGrant({ roomJoin: true, room }).",
  }),
  noRoom: new Refusal({
    kind: "permission",
    reason: "no_room",
    hint: "The token's grant has roomJoin but names no room: addGrant({ roomJoin: true, room }).",
  }),
  noIdentity: new Refusal({
    kind: "permission",
    reason: "no_identity",
    hint: "The token has no identity (sub): mint it with new AccessToken({ identity }).",
  }),
  replayLost: new Refusal({
    kind: "sessionNotFound",
    reason: "replay_lost",
    hint: "Frames after last_seq were already dropped from the session's replay buffer (the client stopped acknowledging for too long): resuming would lose them, so start a new session.",
  }),
  sessionNotFound: new Refusal({
    kind: "sessionNotFound",
    reason: "session_not_found",
    hint: "The session has ended, its resume window has passed, or this token's identity or room is not the session's: start a new session (connect without reconnect and sid).",
  }),
} as const satisfies Record<string, Refusal>;

/** What a connect (or validate) request asks for, read from its query string. */
export interface ConnectRequest {
  token: string;
  resume: { sid: string; lastSeq: number | undefined } | undefined;
  /** `audio=pcm_s16le` was asked for (any other value is ignored, never refused). */
  audio: boolean;
}

const SID = /^[A-Za-z0-9_-]{1,128}$/;
const SEQ = /^\d{1,15}$/;

/**
 * Reads `access_token`, `reconnect`, `sid` and `last_seq`. `reconnect` is `1`/`true` for a
 * resume, `0`/`false` or absent for a new session; a resume needs a `sid`; `last_seq` is a
 * non-negative integer (absent = 0). Anything else is 400 `Malformed request.` `audio`
 * asks for voice when it is `pcm_s16le`; any other value is ignored (PROTOCOL.md: a server
 * that cannot give that audio joins the client without it).
 */
export function readConnectRequest(query: URLSearchParams): ConnectRequest | Refusal {
  const token = query.get("access_token");
  if (!token) return REFUSALS.missingToken;
  const audio = query.get("audio") === AUDIO_ENCODING;
  const reconnect = query.get("reconnect");
  if (reconnect === null || reconnect === "0" || reconnect === "false") {
    return { token, resume: undefined, audio };
  }
  if (reconnect !== "1" && reconnect !== "true") return REFUSALS.badReconnect;
  const sid = query.get("sid");
  if (sid === null || !SID.test(sid)) return REFUSALS.badSid;
  const last = query.get("last_seq");
  if (last !== null && !SEQ.test(last)) return REFUSALS.badLastSeq;
  return { token, resume: { sid, lastSeq: last === null ? undefined : Number(last) }, audio };
}

/** Longest value of a token's own (unverified) field quoted in a hint. */
const MAX_QUOTED = 64;

/** A field of the token, quoted for a hint: JSON-escaped and cut to {@link MAX_QUOTED}. */
function quote(value: string): string {
  return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
}

/** The token's claims without verifying it, for a hint; `undefined` if it cannot be read. */
function unverifiedClaims(token: string): AccessTokenClaims | undefined {
  try {
    return decodeToken(token).claims;
  } catch {
    return undefined;
  }
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const invalid = (reason: RefusalReason, hint: string) =>
  new Refusal({ kind: "invalidToken", reason, hint });

/** The refusal for a token the verifier rejected, naming what to do about it. */
function tokenRefusal(error: UnpodTokenError, token: string): Refusal {
  switch (error.reason) {
    case "too_large":
      return REFUSALS.tooLarge;
    case "malformed":
      return REFUSALS.malformedToken;
    case "missing_claim":
    case "claim_type":
      return invalid(
        "bad_claims",
        `The token's ${quote(error.claim ?? "claims")} claim is ${error.reason === "missing_claim" ? "missing" : "of the wrong type"}: ${HOW_TO_MINT}.`,
      );
    case "alg":
      return REFUSALS.badAlgorithm;
    case "crit":
    case "typ":
    case "header":
      return invalid(
        "bad_header",
        `The token's header is refused (${error.message.replace(/\.$/, "")}): ${HOW_TO_MINT}.`,
      );
    case "unknown_key": {
      const iss = unverifiedClaims(token)?.iss ?? "";
      return invalid(
        "unknown_key",
        `API key ${quote(iss)} is unknown here: this dev server makes new credentials on every start unless UNPOD_API_KEY and UNPOD_API_SECRET are set (or --dotenv .env), so start it with the pair your backend signs with.`,
      );
    }
    case "bad_signature": {
      const iss = unverifiedClaims(token)?.iss ?? "";
      return invalid(
        "bad_signature",
        `The signature does not match the secret this dev server holds for API key ${quote(iss)}: your backend's UNPOD_API_SECRET differs from the dev server's for that key, or the token was altered.`,
      );
    }
    case "not_yet_valid": {
      const nbf = unverifiedClaims(token)?.nbf;
      return invalid(
        "not_yet_valid",
        `The token is not valid before ${nbf === undefined ? "its nbf" : iso(nbf)}: check that your backend's clock agrees with this machine's.`,
      );
    }
    case "expired": {
      const exp = unverifiedClaims(token)?.exp;
      return new Refusal({
        kind: "expired",
        reason: "expired",
        hint: `The token expired${exp === undefined ? "" : ` at ${iso(exp)}`}: a new session needs a fresh token, so fetch one from your backend for every new connection (a tokenSource does).`,
      });
    }
    default:
      return invalid("verify_failed", `The token was refused (${error.reason}): ${HOW_TO_MINT}.`);
  }
}

/** The refusal for a grant that cannot join a room, or `undefined` when it can. */
function joinRefusal(claims: AccessTokenClaims): Refusal | undefined {
  const video = claims.video;
  if (video?.roomJoin !== true) return REFUSALS.noRoomJoin;
  if (typeof video.room !== "string" || video.room === "") return REFUSALS.noRoom;
  if (typeof claims.sub !== "string" || claims.sub === "") return REFUSALS.noIdentity;
  return undefined;
}

/**
 * Verifies the token for a new session (expiry checked) or a resume (expiry ignored: the
 * seed's "expiration only impacts the initial connection"), then checks that the grant
 * lets the participant join a room.
 */
export async function verifyForJoin(
  verifier: TokenVerifier,
  request: ConnectRequest,
): Promise<AccessTokenClaims | Refusal> {
  let claims: AccessTokenClaims;
  try {
    claims = await verifier.verify(request.token, {
      ignoreExpiration: request.resume !== undefined,
    });
  } catch (error) {
    if (!isUnpodTokenError(error)) return REFUSALS.verifyFailed;
    // The verifier checks, after the signature, that a room-join grant names a room and an
    // identity; PROTOCOL.md calls a grant that cannot join "Permission denied.", not a bad token.
    if (error.reason === "missing_claim" && error.claim === "video.room") return REFUSALS.noRoom;
    if (error.reason === "missing_claim" && error.claim === "sub") return REFUSALS.noIdentity;
    return tokenRefusal(error, request.token);
  }
  return joinRefusal(claims) ?? claims;
}
