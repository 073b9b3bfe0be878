import { type AccessTokenClaims, AUDIO_ENCODING, isUnpodTokenError } from "@unpod/core";
import type { TokenVerifier } from "@unpod/node";

/** A refused connect or validate request: HTTP status and the body's message. */
export interface Refusal {
  status: 400 | 401 | 403 | 404 | 429;
  message: string;
}

/** The refusals of PROTOCOL.md, word for word. */
export const REFUSALS = {
  malformed: { status: 400, message: "Malformed request." },
  invalidToken: { status: 401, message: "Invalid token." },
  expired: { status: 403, message: "Token has expired." },
  permission: { status: 403, message: "Permission denied." },
  sessionNotFound: { status: 404, message: "Session not found." },
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
  if (!token) return REFUSALS.malformed;
  const audio = query.get("audio") === AUDIO_ENCODING;
  const reconnect = query.get("reconnect");
  if (reconnect === null || reconnect === "0" || reconnect === "false") {
    return { token, resume: undefined, audio };
  }
  if (reconnect !== "1" && reconnect !== "true") return REFUSALS.malformed;
  const sid = query.get("sid");
  if (sid === null || !SID.test(sid)) return REFUSALS.malformed;
  const last = query.get("last_seq");
  if (last !== null && !SEQ.test(last)) return REFUSALS.malformed;
  return { token, resume: { sid, lastSeq: last === null ? undefined : Number(last) }, audio };
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
    if (!isUnpodTokenError(error)) return REFUSALS.invalidToken;
    if (error.code === "token_expired") return REFUSALS.expired;
    // The verifier checks, after the signature, that a room-join grant names a room and an
    // identity; PROTOCOL.md calls a grant that cannot join "Permission denied.", not a bad token.
    if (
      error.reason === "missing_claim" &&
      (error.claim === "video.room" || error.claim === "sub")
    ) {
      return REFUSALS.permission;
    }
    return REFUSALS.invalidToken;
  }
  const video = claims.video;
  if (
    video?.roomJoin !== true ||
    typeof video.room !== "string" ||
    video.room === "" ||
    typeof claims.sub !== "string" ||
    claims.sub === ""
  ) {
    return REFUSALS.permission;
  }
  return claims;
}

const ALL: ReadonlySet<unknown> = new Set(Object.values(REFUSALS));

/**
 * Whether a value is one of the {@link REFUSALS} (by identity: a token's claims could carry
 * `status`/`message` fields of their own).
 */
export function isRefusal(value: unknown): value is Refusal {
  return ALL.has(value);
}
